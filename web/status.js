// The service's state (etat.html), open to all: whether the service runs, which partners'
// plugins it loaded, and the ones it refused.
"use strict";

async function refresh() {
  const etat = $("etat");
  try {
    const [health, plugins] = await Promise.all([call("GET", "/health"), call("GET", "/plugins")]);
    etat.textContent = `Le service fonctionne (version ${health.version}).`;
    etat.className = "ok";

    const liste = $("greffons");
    liste.replaceChildren();
    for (const plugin of plugins.loaded) {
      const item = element("li", {}, `${plugin.partner} — ${plugin.kinds.map((k) => k.label).join(", ") || "aucun document"}`);
      item.append(element("div", { class: "details" }, `greffon ${plugin.id} ${plugin.version}, ${plugin.letters.length} courrier(s)`));
      liste.append(item);
    }
    if (plugins.loaded.length === 0) liste.append(element("li", {}, "Aucun greffon chargé."));

    const refusListe = $("refus-liste");
    refusListe.replaceChildren();
    for (const rejected of plugins.rejected) refusListe.append(element("li", {}, `${rejected.file} : ${rejected.reason}`));
    show("refus", plugins.rejected.length > 0);
  } catch (error) {
    etat.textContent = "Le service ne répond pas. Vérifiez que Comptoir est démarré, puis rechargez la page.";
    etat.className = "erreur";
  }
}

refresh();
