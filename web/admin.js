// The site administrator's page: scanner stations (state, a test scan, what SANE sees), the
// partners' plugins, accounts, retention and encryption, activity statistics with a chart and a
// CSV export, the audit log. Plain JavaScript over the REST API (docs/api.md).
"use strict";

const actionNames = {
  "case.open": "dossier ouvert", "case.close": "dossier clos", "case.forget": "dossier effacé à la demande",
  "case.purge": "dossier effacé (délai échu)", "document.scan": "document numérisé", "document.upload": "document déposé",
  "field.correct": "champ corrigé", "letter.write": "courrier écrit", "letter.read": "courrier ouvert",
  "user.create": "compte créé", "user.remove": "compte supprimé", "user.password": "mot de passe changé",
  "retention.purge": "effacement des dossiers échus lancé", "stats.export": "statistiques exportées",
  "storage.rekey": "fichiers chiffrés à nouveau", "station.preview": "numérisation d'essai",
};
const journal = { before: 0, caseId: "" };

function cell(text) { return element("td", {}, String(text)); }
function dateTime(iso) { return iso ? iso.replace("T", " ").replace("Z", "") : "—"; }

// ---- Signing in ------------------------------------------------------------------------

function signedIn(me) {
  session.csrf = me.csrf;
  if (me.role !== "admin") {
    show("connexion", true);
    say("erreur-connexion", `Le compte « ${me.login} » n'est pas administrateur : cette page est réservée à l'administrateur du site.`);
    return;
  }
  $("qui").textContent = `Connecté : ${me.login} (administrateur)`;
  show("qui", true);
  show("deconnexion", true);
  show("connexion", false);
  show("administration", true);
  loadAll();
}

function signedOut() {
  session.csrf = "";
  for (const id of ["qui", "deconnexion", "administration"]) show(id, false);
  show("connexion", true);
  $("identifiant").focus();
}

async function signIn(event) {
  event.preventDefault();
  say("erreur-connexion", "");
  try {
    const me = await call("POST", "/login", { login: $("identifiant").value.trim(), password: $("mot-de-passe").value });
    $("mot-de-passe").value = "";
    signedIn(me);
  } catch (e) {
    say("erreur-connexion", e.message);
  }
}

function loadAll() {
  loadStations(false);
  loadPlugins();
  loadAccounts();
  loadRetention();
  loadInstances();
  loadStatistics();
  loadJournal(true);
}

// ---- Stations ----------------------------------------------------------------------------

async function loadStations(refresh) {
  say("erreur-postes", "");
  try {
    const data = await call("GET", `/admin/stations${refresh ? "?refresh=1" : ""}`);
    const body = $("liste-postes");
    body.textContent = "";
    for (const station of data.stations) {
      const row = element("tr");
      row.append(element("th", { scope: "row" }, `${station.label} (${station.id})`));
      row.append(cell(station.device || station.configured_device || `motif « ${station.match} »`));
      const stateCell = element("td");
      if (station.ready) {
        stateCell.append(element("span", { class: "ok" }, station.busy ? "✔ prêt, occupé" : "✔ prêt"));
      } else {
        stateCell.append(element("span", { class: "alerte" }, `introuvable : ${station.problem}`));
      }
      row.append(stateCell);
      const test = element("td");
      const button = element("button", { type: "button" }, "Numériser à l'essai");
      button.disabled = !station.ready;
      button.addEventListener("click", () => testScan(station, button));
      test.append(button);
      row.append(test);
      body.append(row);
    }
    if (!data.stations.length) {
      const row = element("tr");
      row.append(element("td", { colspan: "4" }, "Aucun poste configuré (clés stations.<id>.* du fichier de configuration)."));
      body.append(row);
    }
    $("sane-config").textContent = data.sane.available
      ? `Configuration SANE : ${data.sane.config_dir}. ${data.sane.devices.length} appareil(s) vu(s) :`
      : "SANE n'est pas disponible sur ce serveur.";
    const devices = $("sane-appareils");
    devices.textContent = "";
    for (const device of data.sane.devices) {
      devices.append(element("li", {}, `${device.name} — ${device.vendor} ${device.model} (${device.type})`));
    }
  } catch (e) {
    say("erreur-postes", e.message);
  }
}

async function testScan(station, button) {
  button.disabled = true;
  show("essai", true);
  $("essai-texte").textContent = `Numérisation d'essai sur « ${station.label} »…`;
  $("essai-image").removeAttribute("src");
  try {
    const response = await fetch(`${api}/stations/${encodeURIComponent(station.id)}/preview`, { credentials: "same-origin" });
    if (!response.ok) {
      const json = await response.json().catch(() => null);
      throw new Error(json && json.error ? json.error.message : `Erreur ${response.status}.`);
    }
    $("essai-image").src = URL.createObjectURL(await response.blob());
    $("essai-texte").textContent = `Essai réussi sur « ${station.label} » : voici la page reçue.`;
  } catch (e) {
    $("essai-texte").textContent = "";
    say("erreur-postes", `Essai sur « ${station.label} » : ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

// ---- Plugins -----------------------------------------------------------------------------

async function loadPlugins() {
  const list = $("liste-extensions");
  list.textContent = "";
  try {
    const plugins = await call("GET", "/plugins");
    for (const plugin of plugins.loaded) {
      const kinds = plugin.kinds.map((k) => k.label).join(", ") || "aucun document";
      list.append(element("li", {}, `✔ ${plugin.partner} (${plugin.id} ${plugin.version}, ABI ${plugin.abi}) : ${kinds} ; ${plugin.letters.length} courrier(s)`));
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

// ---- Accounts ----------------------------------------------------------------------------

async function loadAccounts() {
  say("erreur-comptes", "");
  try {
    const { users } = await call("GET", "/users");
    const body = $("liste-comptes");
    body.textContent = "";
    for (const user of users) {
      const row = element("tr");
      row.append(element("th", { scope: "row" }, user.login));
      row.append(cell(user.role === "admin" ? "administrateur" : "médiateur"));
      row.append(cell(dateTime(user.created_at)));
      const actions = element("td");
      const password = element("button", { type: "button" }, "Nouveau mot de passe");
      password.addEventListener("click", () => changePassword(user.login));
      const remove = element("button", { type: "button" }, "Supprimer");
      remove.addEventListener("click", () => removeAccount(user.login));
      actions.append(password, " ", remove);
      row.append(actions);
      body.append(row);
    }
  } catch (e) {
    say("erreur-comptes", e.message);
  }
}

async function accountAction(work, done) {
  say("erreur-comptes", "");
  $("message-comptes").textContent = "";
  try {
    await work();
    $("message-comptes").textContent = done;
    await loadAccounts();
    loadJournal(true);
  } catch (e) {
    say("erreur-comptes", e.message);
  }
}

function createAccount(event) {
  event.preventDefault();
  const login = $("compte-identifiant").value.trim();
  accountAction(async () => {
    await call("POST", "/users", { login, role: $("compte-role").value, password: $("compte-mot-de-passe").value });
    $("compte-identifiant").value = "";
    $("compte-mot-de-passe").value = "";
  }, `Compte « ${login} » créé.`);
}

function changePassword(login) {
  const password = window.prompt(`Nouveau mot de passe de « ${login} » (10 caractères au moins) :`);
  if (password === null) return;
  accountAction(() => call("PUT", `/users/${encodeURIComponent(login)}/password`, { password }),
    `Mot de passe de « ${login} » changé ; ses sessions sont fermées.`);
}

function removeAccount(login) {
  if (!window.confirm(`Supprimer le compte « ${login} » ?`)) return;
  accountAction(() => call("DELETE", `/users/${encodeURIComponent(login)}`), `Compte « ${login} » supprimé.`);
}

// ---- Retention -----------------------------------------------------------------------------

function showRetention(data) {
  const rules = data.rules;
  $("regles").textContent = `Un dossier est effacé ${rules.after_close_hours} h après sa clôture, et au plus tard ` +
    `${rules.max_days} jour(s) après son ouverture (vérifié toutes les ${rules.check_minutes} min).`;
  $("dossiers-gardes").textContent = `Dossiers gardés : ${data.cases.open} ouvert(s), ${data.cases.closed} clos` +
    (data.cases.oldest_created_at ? ` ; le plus ancien ouvert le ${dateTime(data.cases.oldest_created_at)} (UTC).` : ".");
  $("dernier-passage").textContent = data.purge.last_run
    ? `Dernier passage : ${dateTime(data.purge.last_run)}, ${data.purge.last_count} dossier(s) effacé(s) ` +
      `(${data.purge.total_since_start} depuis le démarrage). Prochain : ${dateTime(data.purge.next_run)}.`
    : "L'effacement n'est pas encore passé.";
  $("chiffrement").textContent = data.encryption.enabled
    ? `Fichiers des dossiers chiffrés (${data.encryption.algorithm}), clé d'empreinte ${data.encryption.key_id}.`
    : "⚠ Fichiers des dossiers NON chiffrés (storage.encryption = off).";
}

async function loadRetention() {
  try {
    showRetention(await call("GET", "/admin/retention"));
  } catch (e) {
    say("erreur-conservation", e.message);
  }
}

// ---- Instances ---------------------------------------------------------------------------

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

async function purgeNow() {
  say("erreur-conservation", "");
  try {
    const data = await call("POST", "/admin/purge");
    showRetention(data);
    $("message-conservation").textContent = `${data.purged} dossier(s) échu(s) effacé(s).`;
  } catch (e) {
    say("erreur-conservation", e.message);
  }
}

async function forgetCase(event) {
  event.preventDefault();
  say("erreur-conservation", "");
  $("message-conservation").textContent = "";
  const number = $("oubli-numero").value.trim();
  if (!/^[0-9]+$/.test(number)) { say("erreur-conservation", "Indiquez le numéro du dossier (des chiffres)."); return; }
  if (!window.confirm(`Effacer maintenant tout le dossier n° ${number} ? Rien ne pourra être récupéré.`)) return;
  try {
    await call("DELETE", `/cases/${number}`);
    $("message-conservation").textContent = `Dossier n° ${number} effacé.`;
    $("oubli-numero").value = "";
    loadRetention();
    loadJournal(true);
  } catch (e) {
    say("erreur-conservation", e.message);
  }
}

// ---- Statistics ----------------------------------------------------------------------------

function isoDay(date) { return date.toISOString().slice(0, 10); }

function daysBetween(from, to) {
  const days = [];
  for (let d = new Date(`${from}T00:00:00Z`); isoDay(d) <= to && days.length < 400; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(isoDay(d));
  }
  return days;
}

// Bars per day: documents read (solid) and letters written (hatched), labelled, so that
// neither colour nor shape alone tells them apart.
function drawChart(from, to, rows) {
  const days = daysBetween(from, to);
  const documents = Object.fromEntries(days.map((d) => [d, 0]));
  const letters = Object.fromEntries(days.map((d) => [d, 0]));
  for (const row of rows) {
    if (row.event === "document" && row.day in documents) documents[row.day] += row.count;
    if (row.event === "letter" && row.day in letters) letters[row.day] += row.count;
  }
  const max = Math.max(1, ...Object.values(documents), ...Object.values(letters));
  const ns = "http://www.w3.org/2000/svg";
  const width = 900, height = 220, left = 36, bottom = 28, top = 24;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const total = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  svg.setAttribute("aria-label", `${total(documents)} documents lus et ${total(letters)} courriers écrits du ${from} au ${to}`);
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  const defs = add("defs", {});
  const pattern = document.createElementNS(ns, "pattern");
  for (const [k, v] of Object.entries({ id: "hachures", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" })) pattern.setAttribute(k, v);
  const stripe = document.createElementNS(ns, "rect");
  for (const [k, v] of Object.entries({ width: 3, height: 6, fill: "#18753c" })) stripe.setAttribute(k, v);
  pattern.append(stripe);
  defs.append(pattern);
  const plot = height - bottom - top;
  const slot = (width - left) / days.length;
  const bar = Math.max(1, slot * 0.4);
  for (let step = 0; step <= 4; step++) {
    const value = Math.round((max * step) / 4);
    const y = top + plot - (plot * value) / max;
    add("line", { x1: left, x2: width, y1: y, y2: y, stroke: "#ddd" });
    add("text", { x: left - 4, y: y + 4, "text-anchor": "end", "font-size": 11 }, String(value));
  }
  days.forEach((day, i) => {
    const x = left + i * slot + slot * 0.1;
    const dh = (plot * documents[day]) / max;
    const lh = (plot * letters[day]) / max;
    add("rect", { x, y: top + plot - dh, width: bar, height: dh, fill: "#000091" })
      .append(Object.assign(document.createElementNS(ns, "title"), { textContent: `${day} : ${documents[day]} document(s) lu(s)` }));
    add("rect", { x: x + bar, y: top + plot - lh, width: bar, height: lh, fill: "url(#hachures)", stroke: "#18753c" })
      .append(Object.assign(document.createElementNS(ns, "title"), { textContent: `${day} : ${letters[day]} courrier(s)` }));
    const every = Math.ceil(days.length / 10);
    if (i % every === 0) add("text", { x: x + bar, y: height - 10, "text-anchor": "middle", "font-size": 11 }, day.slice(5).split("-").reverse().join("/"));
  });
  add("rect", { x: left + 10, y: 4, width: 12, height: 12, fill: "#000091" });
  add("text", { x: left + 26, y: 14, "font-size": 12 }, "documents lus");
  add("rect", { x: left + 140, y: 4, width: 12, height: 12, fill: "url(#hachures)", stroke: "#18753c" });
  add("text", { x: left + 156, y: 14, "font-size": 12 }, "courriers écrits");
  $("graphique").replaceChildren(svg);
}

function fillTable(id, counts, columns) {
  const body = $(id);
  body.textContent = "";
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  for (const [key, count] of entries) {
    const row = element("tr");
    for (const part of key.split("\u0000").slice(0, columns)) row.append(cell(part || "—"));
    row.append(cell(count));
    body.append(row);
  }
  if (!entries.length) {
    const row = element("tr");
    row.append(element("td", { colspan: String(columns + 1) }, "Rien sur cette période."));
    body.append(row);
  }
}

async function loadStatistics(event) {
  if (event) event.preventDefault();
  say("erreur-statistiques", "");
  if (!$("au").value) {
    const today = new Date();
    $("au").value = isoDay(today);
    $("du").value = isoDay(new Date(today.getTime() - 29 * 86400000));
  }
  const from = $("du").value, to = $("au").value;
  $("export-csv").href = `${api}/admin/stats.csv?from=${from}&to=${to}`;
  try {
    const data = await call("GET", `/admin/stats?from=${from}&to=${to}`);
    const t = data.totals;
    $("totaux").textContent = `Du ${from} au ${to} : ${t.case} visite(s), ${t.document} document(s) lu(s), ` +
      `${t.unread} illisible(s), ${t.letter} courrier(s) écrit(s).`;
    drawChart(from, to, data.rows);
    const perKind = {}, perStation = {}, perLetter = {};
    for (const row of data.rows) {
      if (row.event === "document") {
        const key = `${row.partner}\u0000${row.kind}`;
        perKind[key] = (perKind[key] || 0) + row.count;
      }
      if (row.event === "document" || row.event === "unread") perStation[row.station] = (perStation[row.station] || 0) + row.count;
      if (row.event === "letter") perLetter[row.letter] = (perLetter[row.letter] || 0) + row.count;
    }
    fillTable("par-type", perKind, 2);
    fillTable("par-poste", perStation, 1);
    fillTable("par-courrier", perLetter, 1);
  } catch (e) {
    say("erreur-statistiques", e.message);
  }
}

// ---- Audit log -----------------------------------------------------------------------------

async function loadJournal(fromStart) {
  say("erreur-journal", "");
  if (fromStart) journal.before = 0;
  const params = new URLSearchParams({ limit: "50" });
  if (journal.caseId) params.set("case", journal.caseId);
  if (journal.before) params.set("before", String(journal.before));
  try {
    const { entries } = await call("GET", `/admin/audit?${params}`);
    const body = $("lignes-journal");
    if (fromStart) body.textContent = "";
    for (const entry of entries) {
      const row = element("tr");
      row.append(cell(dateTime(entry.at)), cell(entry.login), cell(actionNames[entry.action] || entry.action),
        cell(entry.case || "—"), cell(entry.detail || ""));
      body.append(row);
      journal.before = entry.id;
    }
    show("journal-suite", entries.length === 50);
  } catch (e) {
    say("erreur-journal", e.message);
  }
}

function filterJournal(event) {
  event.preventDefault();
  const value = $("journal-dossier").value.trim();
  if (value && !/^[0-9]+$/.test(value)) { say("erreur-journal", "Le numéro de dossier est fait de chiffres."); return; }
  journal.caseId = value;
  loadJournal(true);
}

// ---- Start ---------------------------------------------------------------------------------

$("formulaire-connexion").addEventListener("submit", signIn);
$("deconnexion").addEventListener("click", async () => {
  try { await call("POST", "/logout"); } catch (e) { /* gone already */ }
  signedOut();
});
$("rechercher-scanners").addEventListener("click", () => loadStations(true));
$("nouveau-compte").addEventListener("submit", createAccount);
$("purger").addEventListener("click", purgeNow);
$("oubli").addEventListener("submit", forgetCase);
$("periode").addEventListener("submit", loadStatistics);
$("filtre-journal").addEventListener("submit", filterJournal);
$("journal-suite").addEventListener("click", () => loadJournal(false));
session.ended = signedOut;

(async () => {
  try {
    signedIn(await call("GET", "/me"));
  } catch (e) {
    signedOut();
  }
})();
