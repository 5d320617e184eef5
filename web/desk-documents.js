// The desk, every document of the visit: listed (its kind, scanned or dropped, its pages, where
// its reading stands, its error in French), one selected and shown in step 2; each read again
// (as it is, as another kind the mediator chooses, a page turned) or removed. A failed upload or
// scan adds its line and never hides the others. Pages that look wrong (upside down, sideways,
// hard to read) are said above the reading, with one button to turn the page and read it again,
// and their fields marked in the list.
"use strict";

// id -> the document as the API last gave it; a failed upload that never reached the server
// has a local id ("local-1") and only {source, filename or station, error}.
const visitDocuments = new Map();
let localFailures = 0;
let siteKinds = null;  // [{id, label, plugin}], asked once

const documentStates = { queued: "en attente", scanning: "numérisation", reading: "lecture en cours",
                         done: "lu", failed: "échec" };

function resetDocuments() {
  visitDocuments.clear();
  renderDocuments();
}

function stationLabel(id) {
  const option = Array.from($("poste").options).find((o) => o.value === id);
  return option ? option.textContent.replace(/ \(indisponible.*$/, "") : id;
}

function documentLine(document) {
  const kind = document.document && document.document.kind_label
    ? document.document.kind_label
    : document.state === "done" ? "Type non reconnu" : "Document";
  const source = document.source === "scan" ? `numérisé (${stationLabel(document.station)})`
    : `déposé${document.filename ? ` : ${document.filename}` : ""}`;
  const pages = document.pages ? `, ${document.pages} page${document.pages > 1 ? "s" : ""}` : "";
  let where = documentStates[document.state] || document.state || "échec";
  if (document.state === "reading" || document.state === "scanning") {
    where += ` (${(document.progress && document.progress.percent) || 0} %)`;
  }
  return { kind, detail: `${source}${pages} — ${where}` };
}

function renderDocuments() {
  const list = $("liste-documents");
  list.textContent = "";
  show("documents-visite", visitDocuments.size > 0);
  for (const [id, document] of visitDocuments) {
    const { kind, detail } = documentLine(document);
    const item = element("li", { class: "document-visite" + (document.state === "failed" ? " en-echec" : ""),
      "data-document": String(id) });
    const choose = element("button", { type: "button", class: "choisir-document" }, `${kind} — ${detail}`);
    if (id === state.documentId) choose.setAttribute("aria-current", "true");
    choose.disabled = document.state !== "done";
    choose.addEventListener("click", () => selectDocument(id));
    const remove = element("button", { type: "button", class: "retirer-document",
      "aria-label": `Retirer ce document (${kind})` }, "Retirer");
    remove.addEventListener("click", () => removeDocument(id));
    item.append(choose, remove);
    if (document.state === "failed") {
      item.append(element("p", { class: "alerte erreur-ligne" },
        (document.error && document.error.message) || "La lecture a échoué."));
    }
    list.append(item);
  }
}

// A document's new state (a progress event, an answer of the API): its line updated.
function documentChanged(document) {
  const known = visitDocuments.get(document.id) || {};
  visitDocuments.set(document.id, Object.assign(known, document));
  renderDocuments();
}

function documentProgress(progress) {
  const known = visitDocuments.get(progress.document);
  if (!known) return;
  known.state = progress.state;
  known.progress = progress;
  renderDocuments();
}

// The visit's documents as the server has them (a visit reopened, an event missed).
async function loadDocuments() {
  if (!state.caseId) return;
  const visit = await call("GET", `/cases/${state.caseId}`);
  for (const document of visit.documents || []) documentChanged(document);
}

// An upload or a scan that the server refused outright (`what`: {source, filename | station}):
// a line of its own, with the French error.
function refused(what, message) {
  localFailures += 1;
  visitDocuments.set(`local-${localFailures}`, Object.assign({ state: "failed", error: { message } }, what));
  renderDocuments();
}

// Shows a document's reading in step 2 (it must be read: done). `fetched`: the document as the
// caller has just asked it, not asked again.
async function selectDocument(id, fetched = null) {
  const document = fetched || await call("GET", `/cases/${state.caseId}/documents/${id}`);
  if (!fetched) documentChanged(document);
  if (document.state !== "done") return;
  state.documentId = id;
  state.document = document;
  renderDocuments();
  showReading(document);
  showPageChecks(document);
  showKindChoice(document);
  await showLetters();
}

async function removeDocument(id) {
  if (typeof id === "string") {  // never reached the server
    visitDocuments.delete(id);
    renderDocuments();
    return;
  }
  if (!window.confirm("Retirer ce document de la visite, avec ce qui en a été lu et les courriers écrits à partir de lui ?")) return;
  try {
    await call("DELETE", `/cases/${state.caseId}/documents/${id}`);
  } catch (e) {
    say("erreur-document", e.message);
    return;
  }
  documentRemoved(id);
}

function documentRemoved(id) {
  if (!visitDocuments.has(id)) return;
  visitDocuments.delete(id);
  if (state.documentId === id) {
    state.documentId = null;
    state.document = null;
    show("etape-lecture", false);
    show("etape-courrier", false);
  }
  renderDocuments();
}

// ---- Reading again ------------------------------------------------------------------------

async function readAgain(body) {
  const id = state.documentId;
  if (!id) return;
  say("erreur-relecture", "");
  setReadAgainBusy(true);
  try {
    const document = await call("POST", `/cases/${state.caseId}/documents/${id}/read`, body);
    documentChanged(document);
    state.following = id;
    showProgress({ stage: "", percent: 0, page: 0, pages: 0 });
  } catch (e) {
    say("erreur-relecture", e.message);
    setReadAgainBusy(false);
  }
}

function setReadAgainBusy(busy) {
  for (const button of document.querySelectorAll("#relecture button, .tourner-page")) button.disabled = busy;
}

async function showKindChoice(found) {
  setReadAgainBusy(false);
  say("erreur-relecture", "");
  const select = $("autre-type");
  if (!siteKinds) {
    try {
      siteKinds = (await call("GET", "/kinds")).kinds;
    } catch (e) {
      siteKinds = [];
    }
  }
  select.textContent = "";
  const current = found.document ? found.document.kind : "";
  select.append(element("option", { value: "" }, "Reconnu par Comptoir"));
  for (const kind of siteKinds) select.append(element("option", { value: kind.id }, kind.label));
  select.value = found.chosen_kind || "";
  // A kind the mediator chose has no recognition score to show.
  if (found.chosen_kind && found.document) {
    $("type-document").textContent = `Document lu comme : ${found.document.kind_label} (type choisi par le médiateur).`;
  }
  $("relire-type").dataset.current = current;
}

// ---- Pages that look wrong ----------------------------------------------------------------

function pageCheckSentence(check) {
  const how = [];
  if (check.upside_down) how.push("à l'envers");
  if (check.sideways) how.push("de côté");
  if (check.hard_to_read) how.push("difficile à lire");
  return `La page ${check.page} semble ${how.join(" et ")} : tournez-la ou numérisez-la à nouveau.`;
}

function turnButton(page) {
  const button = element("button", { type: "button", class: "tourner-page", "data-page": String(page) },
    "Tourner d'un quart de tour et relire");
  button.addEventListener("click", () => readAgain({ rotate: { page, quarter_turns: 1 } }));
  return button;
}

function showPageChecks(document) {
  const box = $("pages-a-verifier");
  box.textContent = "";
  const checks = document.pages_to_check || [];
  show("pages-a-verifier", checks.length > 0);
  for (const check of checks) {
    const line = element("div", { class: "page-douteuse" });
    line.append(element("p", {}, pageCheckSentence(check)), turnButton(check.page));
    box.append(line);
  }
  // The page viewer's toolbar: the same action for the page shown.
  const tools = $("outils-page");
  if (tools) {
    for (const old of tools.querySelectorAll(".tourner-page")) old.remove();
    tools.append(turnButton(state.page || 1));
  }
  // The fields read on those pages: marked in the list.
  const doubtful = new Set(checks.map((check) => check.page));
  for (const row of $("liste-champs").querySelectorAll("li[data-champ]")) {
    const field = (document.fields || {})[row.dataset.champ];
    for (const old of row.querySelectorAll(".page-a-verifier")) old.remove();
    if (field && doubtful.has(field.page)) {
      row.classList.add("champ-page-douteuse");
      row.append(element("span", { class: "page-a-verifier" }, `⚠ lu sur la page ${field.page}, qui semble mal lue`));
    }
  }
}

$("relire").addEventListener("click", () => readAgain({}));
$("relire-type").addEventListener("click", () => readAgain({ kind: $("autre-type").value }));
