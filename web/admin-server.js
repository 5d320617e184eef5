// The administrator's page, the server itself: the partners' plugins it loaded (and the ones it
// refused, with why), and the instances that share its database with the readings they run.
"use strict";

async function loadPlugins() {
  const list = $("liste-extensions");
  list.textContent = "";
  try {
    const plugins = await call("GET", "/plugins");
    for (const plugin of plugins.loaded) {
      const kinds = plugin.kinds.map((k) => k.label).join(", ") || "aucun document";
      const line = `${plugin.partner} (${plugin.id} ${plugin.version}, ABI ${plugin.abi}) : ${kinds} ; ${plugin.letters.length} courrier(s)`;
      if (plugin.set_aside) {
        const item = element("li", { class: "alerte" }, `✖ ${line} — mis de côté jusqu'au prochain démarrage : arrêté ${plugin.failures} fois`);
        if (plugin.last_failure) item.append(element("div", { class: "details" }, plugin.last_failure));
        list.append(item);
      } else {
        const stops = plugin.failures ? ` — arrêté ${plugin.failures} fois depuis le démarrage` : "";
        list.append(element("li", {}, `✔ ${line}${stops}`));
      }
    }
    if (!plugins.loaded.length) list.append(element("li", {}, "Aucune extension chargée."));
    const refused = $("liste-refus");
    refused.textContent = "";
    for (const r of [...plugins.rejected, ...plugins.disabled]) {
      refused.append(element("li", { class: "alerte" }, `${r.file}${r.id ? ` (${r.id})` : ""} : ${r.reason}`));
    }
    show("extensions-refusees", plugins.rejected.length + plugins.disabled.length > 0);
  } catch (e) {
    list.append(element("li", { class: "alerte" }, e.message));
  }
}

async function loadInstances() {
  try {
    const data = await call("GET", "/admin/instances");
    const engine = data.engine === "postgresql" ? "PostgreSQL (plusieurs instances possibles)" : "SQLite (une seule instance)";
    $("instances-resume").textContent = `Base : ${engine}. Lectures : ${data.jobs.queued} en attente, ` +
      `${data.jobs.running} en cours, ${data.jobs.held} en préparation (numérisation ou envoi).`;
    const rows = $("instances-liste");
    rows.replaceChildren();
    for (const instance of data.instances) {
      const name = `${instance.host} (processus ${instance.pid})${instance.id === data.self ? " — cette page" : ""}`;
      const seen = instance.alive ? `il y a ${instance.seen_s_ago} s` : `⚠ muette depuis ${instance.seen_s_ago} s : tenue pour arrêtée`;
      const row = element("tr");
      row.append(cell(name), cell(dateTime(instance.started_at)), cell(seen), cell(instance.running));
      rows.append(row);
    }
  } catch (e) {
    say("erreur-instances", e.message);
  }
}
