// The administrator's page, the audit log: who did what on which case (its number), newest
// first, fifty lines at a time, filtered by case.
"use strict";

const actionNames = {
  "case.open": "dossier ouvert", "case.close": "dossier clos", "case.take": "visite reprise", "case.forget": "dossier effacé à la demande",
  "case.purge": "dossier effacé (délai échu)", "document.scan": "document numérisé", "document.upload": "document déposé",
  "field.correct": "champ corrigé", "letter.write": "courrier écrit", "letter.read": "courrier ouvert",
  "user.create": "compte créé", "user.remove": "compte supprimé", "user.password": "mot de passe changé",
  "retention.purge": "effacement des dossiers échus lancé", "stats.export": "statistiques exportées",
  "storage.rekey": "fichiers chiffrés à nouveau", "station.preview": "numérisation d'essai",
  "letter.answers": "réponses d'un courrier relues", "twoddoc.certificate_import": "certificat 2D-Doc importé",
  "case.view": "visite consultée", "document.view": "lecture d'un document consultée",
};
const roleNames = { mediator: "médiateur", admin: "administrateur" };
// The detail by its label when it names a letter, a station or a kind (its id otherwise: a
// document's number, a field's key, a login).
// A detail is an id (« edf.delai_paiement »), or a sentence that holds one (« courrier 3,
// edf.delai_paiement »): each id known is shown by its label.
// « poste facture » and « champ montant_ttc » name a station and a field by their labels too,
// « (mediator) » a role by its French name, a day 2026-11-07 as 07/11/2026.
function detailOf(entry, labels) {
  const detail = entry.detail || "";
  const label = (id) => labels.letters[id] || labels.stations[id] || labels.kinds[id];
  if (label(detail)) return label(detail);
  return detail.replace(/\b[a-z0-9_]+(?:\.[a-z0-9_]+)+\b/g, (id) => label(id) || id)
    .replace(/\bposte ([a-z0-9_-]+)/g, (all, id) => (labels.stations[id] ? `poste « ${labels.stations[id]} »` : all))
    .replace(/\bchamp ([a-z0-9_]+)/g, (all, key) => ((labels.fields || {})[key] ? `champ « ${labels.fields[key]} »` : all))
    .replace(/\((mediator|admin)\)/g, (all, role) => `(${roleNames[role]})`)
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, "$3/$2/$1");
}
const journal = { before: 0, caseId: "" };

async function loadJournal(fromStart) {
  say("erreur-journal", "");
  if (fromStart) journal.before = 0;
  const params = new URLSearchParams({ limit: "50" });
  if (journal.caseId) params.set("case", journal.caseId);
  if (journal.before) params.set("before", String(journal.before));
  try {
    const { entries } = await call("GET", `/admin/audit?${params}`);
    const labels = await adminLabels();
    const body = $("lignes-journal");
    if (fromStart) body.textContent = "";
    for (const entry of entries) {
      const row = element("tr");
      row.append(cell(dateTime(entry.at)), cell(entry.login === "console" ? "ligne de commande" : entry.login), cell(actionNames[entry.action] || entry.action),
        cell(entry.case || "—"), cell(detailOf(entry, labels)));
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

$("filtre-journal").addEventListener("submit", filterJournal);
$("journal-suite").addEventListener("click", () => loadJournal(false));
