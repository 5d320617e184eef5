// Shows whether the service runs and which partner plugins are available.
"use strict";

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function refresh() {
  const etat = document.getElementById("etat");
  try {
    const [health, plugins] = await Promise.all([
      fetch("/api/v1/health").then((r) => r.json()),
      fetch("/api/v1/plugins").then((r) => r.json()),
    ]);
    etat.textContent = `Le service fonctionne (version ${health.version}).`;
    etat.className = "ok";

    const liste = document.getElementById("greffons");
    liste.replaceChildren();
    for (const plugin of plugins.loaded) {
      const item = element("li", `${plugin.partner} — ${plugin.kinds.map((k) => k.label).join(", ") || "aucun document"}`);
      item.append(element("div", `greffon ${plugin.id} ${plugin.version}, ${plugin.letters.length} courrier(s)`, "details"));
      liste.append(item);
    }
    if (plugins.loaded.length === 0) liste.append(element("li", "Aucun greffon chargé."));

    const refus = document.getElementById("refus");
    const refusListe = document.getElementById("refus-liste");
    refusListe.replaceChildren();
    for (const rejected of plugins.rejected) refusListe.append(element("li", `${rejected.file} : ${rejected.reason}`));
    refus.hidden = plugins.rejected.length === 0;
  } catch (error) {
    etat.textContent = "Le service ne répond pas. Vérifiez que Comptoir est démarré, puis rechargez la page.";
    etat.className = "erreur";
  }
}

refresh();
