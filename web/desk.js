// The mediator's desk (index.html): a visit (case), its document scanned or dropped, what was
// read shown on the page and corrected, a letter written. This file holds the visit and signing
// in, and starts the page; its steps are desk-document.js (1. the document), desk-reading.js
// (2. what was read) and desk-letter.js (3. the letter), and desk-visits.js the visits that
// survive a reload or a sign-in, loaded before it. Plain JavaScript over the REST API
// (docs/api.md); nothing is loaded from the internet.
"use strict";

const state = { caseId: null, documentId: null, events: null, document: null, letters: [], login: "", starting: null };

// ---- The visit --------------------------------------------------------------------------

async function startVisit() {
  say("alerte-generale", "");
  try {
    state.starting = call("POST", "/cases");
    const opened = await state.starting;
    enterVisit(opened.id);
    await loadStations();
    $("poste").focus();
  } catch (e) {
    say("alerte-generale", e.message);
  } finally {
    state.starting = null;
  }
}

// Resolves once a visit being opened is (its number known), whether it opened or not.
async function visitStarted() {
  try { await state.starting; } catch (e) { /* said by startVisit */ }
}

async function closeVisit() {
  if (!state.caseId) return;
  try {
    await call("POST", `/cases/${state.caseId}/close`);
  } catch (e) {
    say("alerte-generale", e.message);
    return;
  }
  visitEnded("Visite close. Aucune visite en cours");
}

function visitEnded(title) {
  if (state.events) state.events.close();
  state.caseId = null;
  forgetRememberedVisit();
  $("visite-titre").textContent = title;
  for (const id of ["etape-document", "etape-lecture", "etape-courrier", "clore-visite", "effacer-visite"]) show(id, false);
  show("nouvelle-visite", true);
  $("nouvelle-visite").focus();
  showOpenVisits();
}

// The visitor asks that nothing of the visit be kept: the pages, what was read, the letters
// go now, not at the end of the retention period.
async function forgetVisit() {
  if (!state.caseId) return;
  if (!window.confirm("Effacer maintenant toute la visite (pages, champs lus, courriers) ? Rien ne pourra être récupéré.")) return;
  try {
    await call("DELETE", `/cases/${state.caseId}`);
  } catch (e) {
    say("alerte-generale", e.message);
    return;
  }
  visitEnded("Visite effacée : rien n'en est gardé. Aucune visite en cours");
}

// ---- Start ------------------------------------------------------------------------------

$("nouvelle-visite").addEventListener("click", startVisit);
$("clore-visite").addEventListener("click", closeVisit);
$("effacer-visite").addEventListener("click", forgetVisit);
setUpSignIn({
  opened: (me, typed) => {
    state.login = me.login;
    show("nouvelle-visite", !state.caseId);
    show("lien-admin", me.role === "admin");
    if (typed) $("nouvelle-visite").focus();
    // The visit this tab had open (a reload, a session that ended) reopens at once; else the
    // office's open visits are listed.
    const remembered = rememberedVisit();
    if (state.caseId) return;
    if (remembered && remembered.login === me.login) reopenVisit(remembered.case, typed);
    else showOpenVisits();
  },
  closed: () => {
    if (state.events) state.events.close();
    state.caseId = null;
    clearTimeout(draftState.timer);
    draftState.pending = null;
    for (const id of ["nouvelle-visite", "clore-visite", "effacer-visite", "lien-admin", "visites-en-cours",
                      "etape-document", "etape-lecture", "etape-courrier"]) {
      show(id, false);
    }
    $("visite-titre").textContent = "Aucune visite en cours";
  },
});
