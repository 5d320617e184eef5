// The desk, step 1, the document: the stations to scan on, a scan or a dropped file, the
// reading followed through the case's events until it is done.
"use strict";

async function loadStations() {
  const select = $("poste");
  select.textContent = "";
  try {
    const { stations } = await call("GET", "/stations");
    for (const station of stations) {
      const label = station.ready ? station.label : `${station.label} (indisponible : ${station.problem || "introuvable"})`;
      const option = element("option", { value: station.id }, label);
      if (!station.ready) option.disabled = true;
      select.append(option);
    }
    if (!stations.length) select.append(element("option", { value: "" }, "Aucun poste configuré"));
    stationsListed();  // desk-scan.js: this desk's station, what it offers
  } catch (e) {
    say("erreur-document", e.message);
  }
}

function followEvents() {
  if (state.events) state.events.close();
  resetDocuments();
  state.events = new EventSource(`${api}/cases/${state.caseId}/events`);
  // What each document is doing as the stream opens: the list of the visit.
  state.events.addEventListener("state", (event) => {
    for (const document of JSON.parse(event.data)) documentChanged(document);
  });
  state.events.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    documentProgress(data);
    if (data.document === state.following) showProgress(data);
  });
  state.events.addEventListener("removed", (event) => documentRemoved(JSON.parse(event.data).document));
  state.events.addEventListener("forgotten", () => {
    visitEnded("Cette visite a été effacée (délai de conservation échu ou demande de la personne).");
  });
  state.events.addEventListener("document", (event) => {
    documentFinished(JSON.parse(event.data).document);
  });
  // A correction: a letter written from the document before it is no longer up to date.
  state.events.addEventListener("field", (event) => documentCorrected(JSON.parse(event.data)));
  followVisitEvents(state.events);  // desk-visits.js: what other tabs and desks do to the visit
}

const stageNames = { scan: "Numérisation", load: "Ouverture", ocr: "Lecture de la page", extract: "Recherche des champs", "": "En attente" };

function showProgress(progress) {
  show("avancement", true);
  $("barre-avancement").value = progress.percent;
  const page = progress.pages > 0 ? ` (page ${progress.page} sur ${progress.pages})` : "";
  const left = progress.seconds_left > 0 ? ` — encore environ ${timeLeft(progress.seconds_left)}` : "";
  $("avancement-texte").textContent = `${stageNames[progress.stage] || "Traitement"}${page} : ${progress.percent} %${left}`;
}

// The time a reading still needs, as said on the desk: « 8 s », « 2 min ».
function timeLeft(seconds) {
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

async function scan() {
  const station = $("poste").value;
  if (!station) { say("erreur-document", "Choisissez un poste de numérisation."); return; }
  await started(() => call("POST", `/cases/${state.caseId}/scans`, { station, ...scanChoice() }), { source: "scan", station });  // desk-scan.js
}

async function upload(file) {
  if (!file) return;
  const form = new FormData();
  form.append("file", file, file.name);
  await started(() => call("POST", `/cases/${state.caseId}/uploads`, form), { source: "upload", filename: file.name });
}

// A scan or an upload under way: its line in the list, its progress followed; the reading shown
// (of an earlier document) stays until this one is read.
async function started(request, what) {
  say("erreur-document", "");
  $("numeriser").disabled = true;
  try {
    await visitStarted();  // a file dropped while the visit is being opened waits for it
    const document = await request();
    documentChanged(document);
    state.following = document.id;
    showProgress({ stage: document.progress.stage, percent: 0, page: 0, pages: 0 });
    $("annonce").textContent = "Lecture commencée.";
    $("avancement").focus();  // the button is disabled meanwhile: the focus waits here, not on the page's start
    if (document.state === "done" || document.state === "failed") await documentFinished(document.id);
  } catch (e) {
    show("avancement", false);
    say("erreur-document", e.message);
    refused(what, e.message);
    $("numeriser").disabled = false;
  }
}

// A document's reading ended: its line updated; the one followed shown once read, its error said
// otherwise (and the progress put away: never "terminée" beside an error).
async function documentFinished(id) {
  const document = await call("GET", `/cases/${state.caseId}/documents/${id}`);
  documentChanged(document);
  // Read again from elsewhere (another tab): the reading shown is brought up to date.
  if (id !== state.following) {
    if (id === state.documentId && document.state === "done") await selectDocument(id, document);
    return;
  }
  state.following = null;
  $("numeriser").disabled = false;
  if (document.state === "failed") {
    show("avancement", false);
    say("erreur-document", document.error.message);
    $("numeriser").focus();
    if (id === state.documentId) setReadAgainBusy(false);
    return;
  }
  say("erreur-document", "");
  showProgress({ stage: "extract", percent: 100, page: document.pages, pages: document.pages });
  $("avancement-texte").textContent = "Lecture terminée : 100 %";
  await selectDocument(id, document);
  if (state.document) announceReading(state.document);
}

$("numeriser").addEventListener("click", scan);
$("fichier").addEventListener("change", (event) => upload(event.target.files[0]));
const zone = $("zone-depot");
zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("survol"); });
zone.addEventListener("dragleave", () => zone.classList.remove("survol"));
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  zone.classList.remove("survol");
  if (state.caseId) upload(event.dataTransfer.files[0]);
});
