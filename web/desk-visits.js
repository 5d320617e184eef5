// The desk's visits that survive a reload, a sign-in or a colleague (index.html, after
// desk-letter.js, before desk.js): the office's open visits listed ("Visites en cours") and
// reopened where they were — the latest document's reading or its progress, the letters
// written, the letter form with the answers typed — the visit open in this tab remembered
// (sessionStorage) so that a reload reopens it at once, the answers typed kept on the server as
// a draft (1 s after the last keystroke, and when the page is left), and what another tab or
// desk does to the visit (a correction, a new document, a letter, a take-over) shown here too.
"use strict";

const visitMemory = "comptoir.visite";  // sessionStorage: {"case": id, "login": who opened it here}
const draftDelay = 1000;                // ms after the last keystroke
const draftState = { timer: null, pending: null, shown: null };

// ---- Remembered in this tab -------------------------------------------------------------

function rememberVisit(id) {
  try { sessionStorage.setItem(visitMemory, JSON.stringify({ case: id, login: state.login })); } catch (e) { /* private mode */ }
}

function forgetRememberedVisit() {
  try { sessionStorage.removeItem(visitMemory); } catch (e) { /* private mode */ }
}

function rememberedVisit() {
  try { return JSON.parse(sessionStorage.getItem(visitMemory) || "null"); } catch (e) { return null; }
}

// ---- The open visits --------------------------------------------------------------------

function frenchDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString("fr-FR", { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}

function frenchTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
}

// A document as the list says it: its kind, never an id; else where its reading stands.
function documentSummary(document) {
  if (document.state === "done") return document.document ? document.document.kind_label : "document non reconnu";
  if (document.state === "failed") return "document illisible";
  if (document.state === "scanning") return "numérisation en cours";
  return "lecture en cours";
}

async function showOpenVisits() {
  const list = $("liste-visites");
  let cases;
  try {
    ({ cases } = await call("GET", "/cases?state=open"));
  } catch (e) {
    say("alerte-generale", e.message);
    return;
  }
  list.textContent = "";
  if (state.caseId) return;  // a visit was opened meanwhile
  for (const visit of cases) {
    const item = element("li", { class: "visite-ouverte" });
    const who = visit.opened_by ? ` par ${visit.opened_by}` : "";
    const taken = visit.held_by && visit.held_by !== visit.opened_by ? `, reprise par ${visit.held_by}` : "";
    item.append(element("p", { class: "visite-quand" }, `Visite n° ${visit.id}, ouverte ${frenchDateTime(visit.created_at)}${who}${taken}`));
    const documents = (visit.documents || []).map(documentSummary);
    item.append(element("p", { class: "visite-documents" },
      documents.length ? `Documents : ${documents.join(", ")}` : "Aucun document pour l'instant"));
    const reopen = element("button", { type: "button" }, `Reprendre la visite n° ${visit.id}`);
    reopen.addEventListener("click", () => reopenVisit(visit.id, true));
    item.append(reopen);
    list.append(item);
  }
  show("visites-en-cours", cases.length > 0);
}

// The steps of a visit shown, its events followed: for a visit started or reopened.
function enterVisit(id) {
  state.caseId = id;
  state.documentId = null;
  state.document = null;
  draftState.shown = null;
  rememberVisit(id);
  $("visite-titre").textContent = `Visite n° ${id}`;
  for (const step of ["nouvelle-visite", "visites-en-cours", "etape-lecture", "etape-courrier"]) show(step, false);
  for (const step of ["clore-visite", "effacer-visite", "etape-document"]) show(step, true);
  show("avancement", false);
  show("courriers-ecrits", false);
  say("erreur-document", "");
  say("brouillon-etat", "");
  followEvents();
}

// Reopens a visit where it was; `focus`: the mediator asked for it (from the list, or signing
// in), the focus goes to the visit; not after a reload.
async function reopenVisit(id, focus) {
  say("alerte-generale", "");
  let visit;
  try {
    visit = await call("GET", `/cases/${id}`);
    if (visit.state !== "open") throw new Error("Cette visite est close : commencez-en une nouvelle.");
    // A colleague's visit becomes hers (the journal keeps who took it over).
    if (visit.held_by && visit.held_by !== state.login) await call("POST", `/cases/${id}/take`);
  } catch (e) {
    forgetRememberedVisit();
    if (e.status !== 401) {
      say("alerte-generale", e.status === 404 ? "Cette visite n'existe plus (effacée ou échue)." : e.message);
      show("nouvelle-visite", true);
      showOpenVisits();
    }
    return;
  }
  enterVisit(id);
  loadStations();
  const latest = (visit.documents || []).reduce((last, d) => (!last || d.id > last.id ? d : last), null);
  if (latest) {
    state.documentId = latest.id;
    await showDocumentAsItStands(latest);
  }
  showWrittenLetters(visit.letters || []);  // after the letters offered: their titles
  if (focus) $("visite-titre").focus();
}

// A document found as it stands (reopening, an event stream that starts again): its reading and
// the letter form with its draft once read, its progress while it is read.
async function showDocumentAsItStands(document) {
  if (document.state === "done" || document.state === "failed") {
    if (draftState.shown === document.id) return;
    draftState.shown = document.id;
    await documentFinished(document.id);
    if (document.state === "done") await restoreDraft(document.id);
  } else {
    state.following = document.id;  // its end shown as a reading of this page's own (desk-document.js)
    showProgress(document.progress || { stage: "", percent: 0, page: 0, pages: 0 });
  }
}

// ---- Letters written during the visit ---------------------------------------------------

function showWrittenLetters(letters) {
  const list = $("liste-courriers-ecrits");
  list.textContent = "";
  for (const letter of letters) {
    const offered = (state.letters || []).find((l) => l.id === letter.letter);
    const title = offered ? offered.title : "Courrier";
    const link = element("a", { href: letter.url, target: "_blank", rel: "noopener" }, `${title}, écrit à ${frenchTime(letter.created_at)}`);
    const item = element("li", {});
    item.append(link);
    if (letter.out_of_date) item.append(element("span", { class: "note" }, " (plus à jour)"));
    list.append(item);
  }
  show("courriers-ecrits", letters.length > 0);
  if (letters.length) show("etape-courrier", true);
}

async function refreshWrittenLetters() {
  if (!state.caseId) return;
  try {
    showWrittenLetters((await call("GET", `/cases/${state.caseId}`)).letters || []);
  } catch (e) { /* the visit ended: said elsewhere */ }
}

// ---- Drafts -----------------------------------------------------------------------------

function draftOfForm() {
  const answers = {};
  for (const [key, value] of Object.entries(state.answers || {})) if (value) answers[key] = value;
  const recipients = {};
  for (const [key, value] of Object.entries(state.recipients || {})) if (value) recipients[key] = value;
  return { letter: $("courrier-choix").value || "", answers, recipients };
}

function draftChanged() {
  if (!state.caseId || !state.documentId) return;
  draftState.pending = { caseId: state.caseId, documentId: state.documentId };
  clearTimeout(draftState.timer);
  draftState.timer = setTimeout(saveDraft, draftDelay);
}

async function saveDraft() {
  clearTimeout(draftState.timer);
  const target = draftState.pending;
  draftState.pending = null;
  if (!target || target.caseId !== state.caseId || target.documentId !== state.documentId) return;
  try {
    const saved = await call("PUT", `/cases/${target.caseId}/documents/${target.documentId}/draft`, draftOfForm());
    say("brouillon-etat", saved.saved_at ? `Réponses gardées à ${frenchTime(saved.saved_at)}.` : "");
  } catch (e) {
    if (e.status !== 401) say("brouillon-etat", `Les réponses n'ont pas pu être gardées : ${e.message}`);
  }
}

// The page is left (a reload, a tab closed): what waits is sent at once, past the page's end.
function flushDraft() {
  const target = draftState.pending;
  if (!target || !session.csrf) return;
  clearTimeout(draftState.timer);
  draftState.pending = null;
  fetch(`${api}/cases/${target.caseId}/documents/${target.documentId}/draft`, {
    method: "PUT", keepalive: true, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf },
    body: JSON.stringify(draftOfForm()),
  }).catch(() => {});
}

async function restoreDraft(documentId) {
  let draft;
  try {
    draft = await call("GET", `/cases/${state.caseId}/documents/${documentId}/draft`);
  } catch (e) {
    return;
  }
  if (!draft.saved_at || documentId !== state.documentId) return;
  state.answers = { ...state.answers, ...draft.answers };
  state.recipients = { ...state.recipients, ...draft.recipients };
  if (draft.letter && (state.letters || []).some((l) => l.id === draft.letter)) $("courrier-choix").value = draft.letter;
  showQuestions();
  say("brouillon-etat", `Réponses reprises du brouillon (${draft.saved_by}, ${frenchTime(draft.saved_at)}).`);
}

// ---- What happens elsewhere to the visit ------------------------------------------------

// Called by followEvents (desk-document.js) on each new event stream of the visit.
function followVisitEvents(events) {
  // What each document is doing as the stream (re)opens: a reading that ended meanwhile shown.
  events.addEventListener("state", (event) => {
    const document = JSON.parse(event.data).find((d) => d.id === state.documentId);
    if (document) showDocumentAsItStands(document);
  });
  // A document added in another tab or desk: the newest is the one shown once read (its line
  // in the visit's documents shows its progress meanwhile: desk-documents.js).
  events.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    if (state.following || (state.documentId && data.document <= state.documentId)) return;
    state.following = data.document;
    showProgress(data);
  });
  events.addEventListener("field", (event) => fieldCorrectedElsewhere(JSON.parse(event.data)));
  events.addEventListener("letter", refreshWrittenLetters);
  events.addEventListener("taken", (event) => {
    const data = JSON.parse(event.data);
    if (data.by !== state.login) say("alerte-generale", `${data.by} a repris cette visite sur un autre poste.`);
  });
}

// A correction, here or in another tab: the field shows the value now stored, unless it is being typed in.
async function fieldCorrectedElsewhere(event) {
  if (event.document !== state.documentId) return;
  const input = $(`champ-${event.field}`);
  if (!input || input === document.activeElement) return;
  try {
    const { fields } = await call("GET", `/cases/${state.caseId}/documents/${state.documentId}/fields`);
    const field = fields[event.field];
    if (!field || !document.contains(input)) return;
    input.value = frenchValue(field.type, field.value);
    input.dataset.saving = input.value;
    const status = $(`champ-${event.field}-etat`);
    if (status) showFlag(status, field);  // desk-reading.js: who corrected it and when, its check
  } catch (e) { /* the visit ended: said elsewhere */ }
}

for (const id of ["questions", "destinataire-adresse"]) {
  $(id).addEventListener("input", draftChanged);
  $(id).addEventListener("change", draftChanged);
}
$("courrier-choix").addEventListener("change", draftChanged);
// Signing out on purpose forgets the visit of this tab (a shared computer); a session that ends
// on its own does not: signing in again reopens it, with its draft.
$("deconnexion").addEventListener("click", forgetRememberedVisit);
window.addEventListener("pagehide", flushDraft);
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flushDraft(); });
