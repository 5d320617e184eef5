// The mediator's desk: a visit (case), its document scanned or dropped, what was read shown on
// the page and corrected, a letter written. Plain JavaScript over the REST API (docs/api.md);
// nothing is loaded from the internet.
"use strict";

const state = { caseId: null, documentId: null, events: null, document: null, letters: [] };

// ---- Signing in ------------------------------------------------------------------------

function signedIn(me) {
  session.csrf = me.csrf;
  $("qui").textContent = `Connecté : ${me.login}${me.role === "admin" ? " (administrateur)" : ""}`;
  show("qui", true);
  show("deconnexion", true);
  show("connexion", false);
  show("nouvelle-visite", !state.caseId);
  show("lien-admin", me.role === "admin");
}

function signedOut() {
  session.csrf = "";
  if (state.events) state.events.close();
  state.caseId = null;
  for (const id of ["qui", "deconnexion", "nouvelle-visite", "clore-visite", "effacer-visite", "lien-admin",
                    "etape-document", "etape-lecture", "etape-courrier"]) {
    show(id, false);
  }
  $("visite-titre").textContent = "Aucune visite en cours";
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
    $("nouvelle-visite").focus();
  } catch (e) {
    $("mot-de-passe").setAttribute("aria-invalid", "true");
    say("erreur-connexion", e.message);
  }
}

async function signOut() {
  try { await call("POST", "/logout"); } catch (e) { /* gone already */ }
  signedOut();
}

async function whoAmI() {
  try {
    signedIn(await call("GET", "/me"));
  } catch (e) {
    if (!session.csrf) signedOut();  // not if someone signed in meanwhile
  }
}

// ---- The visit --------------------------------------------------------------------------

async function startVisit() {
  say("alerte-generale", "");
  try {
    const opened = await call("POST", "/cases");
    state.caseId = opened.id;
    state.documentId = null;
    $("visite-titre").textContent = `Visite n° ${opened.id}`;
    show("nouvelle-visite", false);
    show("clore-visite", true);
    show("effacer-visite", true);
    show("etape-document", true);
    show("etape-lecture", false);
    show("etape-courrier", false);
    followEvents();
    await loadStations();
    $("poste").focus();
  } catch (e) {
    say("alerte-generale", e.message);
  }
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
  $("visite-titre").textContent = title;
  for (const id of ["etape-document", "etape-lecture", "etape-courrier", "clore-visite", "effacer-visite"]) show(id, false);
  show("nouvelle-visite", true);
  $("nouvelle-visite").focus();
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
  } catch (e) {
    say("erreur-document", e.message);
  }
}

// ---- Scanning, dropping, following ------------------------------------------------------

function followEvents() {
  if (state.events) state.events.close();
  state.events = new EventSource(`${api}/cases/${state.caseId}/events`);
  state.events.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    if (data.document === state.documentId) showProgress(data);
  });
  state.events.addEventListener("forgotten", () => {
    visitEnded("Cette visite a été effacée (délai de conservation échu ou demande de la personne).");
  });
  state.events.addEventListener("document", (event) => {
    const data = JSON.parse(event.data);
    if (data.document === state.documentId) documentFinished();
  });
}

const stageNames = { scan: "Numérisation", load: "Ouverture", ocr: "Lecture de la page", extract: "Recherche des champs", "": "En attente" };

function showProgress(progress) {
  show("avancement", true);
  $("barre-avancement").value = progress.percent;
  const page = progress.pages > 0 ? ` (page ${progress.page} sur ${progress.pages})` : "";
  $("avancement-texte").textContent = `${stageNames[progress.stage] || "Traitement"}${page} : ${progress.percent} %`;
}

async function scan() {
  const station = $("poste").value;
  if (!station) { say("erreur-document", "Choisissez un poste de numérisation."); return; }
  await started(() => call("POST", `/cases/${state.caseId}/scans`, { station }));
}

async function upload(file) {
  if (!file) return;
  const form = new FormData();
  form.append("file", file, file.name);
  await started(() => call("POST", `/cases/${state.caseId}/uploads`, form));
}

async function started(request) {
  say("erreur-document", "");
  show("etape-lecture", false);
  show("etape-courrier", false);
  $("numeriser").disabled = true;
  try {
    const document = await request();
    state.documentId = document.id;
    showProgress({ stage: document.progress.stage, percent: 0, page: 0, pages: 0 });
    if (document.state === "done" || document.state === "failed") await documentFinished();
  } catch (e) {
    say("erreur-document", e.message);
    $("numeriser").disabled = false;
  }
}

async function documentFinished() {
  $("numeriser").disabled = false;
  const document = await call("GET", `/cases/${state.caseId}/documents/${state.documentId}`);
  state.document = document;
  if (document.state === "failed") {
    show("avancement", false);
    say("erreur-document", document.error.message);
    return;
  }
  showProgress({ stage: "extract", percent: 100, page: document.pages, pages: document.pages });
  $("avancement-texte").textContent = "Lecture terminée : 100 %";
  showReading(document);
  await showLetters();
}

// ---- What was read ----------------------------------------------------------------------

// Weakest first: a failed check or two readings that disagree, then by confidence.
function weakness(field) {
  const flagged = field.check === "failed" || field.check === "mismatch";
  return (flagged ? 0 : 1) + (field.source === "manual" ? 2 : 0) + field.confidence;
}

function flagOf(field) {
  if (field.source === "manual") return "corrigé";
  if (field.check === "failed") return "à vérifier : le contrôle ne passe pas";
  if (field.check === "mismatch") return "à vérifier : deux lectures différentes";
  if (field.confidence < 0.8) return "à vérifier : lecture incertaine";
  if (field.source === "2ddoc") return "lu dans le code 2D-Doc";
  return "";
}

function showReading(document) {
  show("etape-lecture", true);
  const found = document.document;
  $("type-document").textContent = found
    ? `Document reconnu : ${found.kind} (confiance ${Math.round(found.confidence * 100)} %).`
    : "Le type de document n'a pas été reconnu : seul le courrier libre est proposé.";
  const warnings = $("avertissements");
  warnings.textContent = "";
  for (const warning of document.warnings || []) warnings.append(element("li", {}, warning));

  const image = $("page-image");
  image.src = `${api}/cases/${state.caseId}/documents/${state.documentId}/pages/1?${Date.now()}`;
  const info = (document.page_info || [])[0] || {};
  image.onload = () => drawBoxes(document.fields || {}, info.width || image.naturalWidth, info.height || image.naturalHeight);

  const list = $("liste-champs");
  list.textContent = "";
  const entries = Object.entries(document.fields || {}).sort((a, b) => weakness(a[1]) - weakness(b[1]));
  entries.forEach(([key, field], index) => list.append(fieldRow(key, field, index + 1)));
}

function drawBoxes(fields, width, height) {
  const frame = $("page-cadre");
  for (const old of frame.querySelectorAll(".boite")) old.remove();
  const entries = Object.entries(fields).sort((a, b) => weakness(a[1]) - weakness(b[1]));
  entries.forEach(([key, field], index) => {
    if (!field.box || field.page !== 1 || !field.box[2]) return;
    const [x, y, w, h] = field.box;
    const box = element("div", { class: "boite" + (flagOf(field).startsWith("à vérifier") ? " a-verifier" : ""), "aria-hidden": "true" });
    box.style.left = `${(100 * x) / width}%`;
    box.style.top = `${(100 * y) / height}%`;
    box.style.width = `${(100 * w) / width}%`;
    box.style.height = `${(100 * h) / height}%`;
    box.append(element("span", {}, String(index + 1)));
    box.title = field.label;
    frame.append(box);
  });
}

function fieldRow(key, field, number) {
  const row = element("li", { class: "champ-lu", "data-champ": key });
  const id = `champ-${key}`;
  const label = element("label", { for: id }, `${number}. ${field.label}`);
  const input = element("input", { id, name: key, value: field.value, "aria-describedby": `${id}-etat ${id}-message` });
  const flag = flagOf(field);
  const status = element("span", { id: `${id}-etat`, class: "etat" + (flag.startsWith("à vérifier") ? " a-verifier" : "") },
    flag ? (flag.startsWith("à vérifier") ? "⚠ " : "") + flag : "");
  const message = element("span", { id: `${id}-message`, class: "message", role: "status" });
  row.append(label, input, status);
  if (field.suggestion) {
    const use = element("button", { type: "button", class: "suggestion" }, `Utiliser ${field.suggestion}`);
    use.addEventListener("click", () => { input.value = field.suggestion; save(key, input, message); });
    row.append(use);
  }
  for (const other of field.alternatives || []) {
    const origin = other.source === "2ddoc" ? "le code 2D-Doc" : "la page";
    const use = element("button", { type: "button", class: "suggestion" }, `Prendre ${other.value} (lu sur ${origin})`);
    use.addEventListener("click", () => { input.value = other.value; save(key, input, message); });
    row.append(use);
  }
  row.append(message);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); save(key, input, message); }
  });
  input.addEventListener("change", () => save(key, input, message));
  return row;
}

async function save(key, input, message) {
  if (input.dataset.saving === input.value) return;
  input.dataset.saving = input.value;
  message.className = "message";
  message.textContent = "Enregistrement…";
  try {
    const field = await call("PUT", `/cases/${state.caseId}/documents/${state.documentId}/fields/${encodeURIComponent(key)}`,
      { value: input.value });
    input.value = field.value;
    input.removeAttribute("aria-invalid");
    message.textContent = `Corrigé (lu : ${field.corrected ? field.corrected.from || "rien" : "—"}).`;
    message.className = "message ok";
  } catch (e) {
    input.setAttribute("aria-invalid", "true");
    message.textContent = e.message;
    message.className = "message erreur";
    delete input.dataset.saving;
  }
}

// ---- The letter -------------------------------------------------------------------------

async function showLetters() {
  const { letters } = await call("GET", `/cases/${state.caseId}/documents/${state.documentId}/letters`);
  state.letters = letters.filter((letter) => !letter.error);
  const select = $("courrier-choix");
  select.textContent = "";
  for (const letter of state.letters) select.append(element("option", { value: letter.id }, letter.title));
  show("etape-courrier", state.letters.length > 0);
  show("courrier-pret", false);
  showQuestions();
}

function showQuestions() {
  const form = $("questions");
  form.textContent = "";
  say("erreur-courrier", "");
  const letter = state.letters.find((l) => l.id === $("courrier-choix").value);
  if (!letter) return;
  for (const question of letter.questions) {
    const id = `question-${question.key}`;
    const wrapper = element("div", { class: "champ question" });
    wrapper.append(element("label", { for: id }, question.label + (question.required ? " (obligatoire)" : "")));
    let input;
    if (question.type === "paragraphes") {
      input = element("textarea", { id, name: question.key, rows: "3" });
    } else if (question.type === "oui_non" || question.type === "choix") {
      input = element("select", { id, name: question.key });
      const choices = question.type === "oui_non" ? ["oui", "non"] : question.choices;
      input.append(element("option", { value: "" }, "—"));
      for (const choice of choices) input.append(element("option", { value: choice }, choice));
    } else {
      input = element("input", { id, name: question.key, type: question.type === "date" ? "date" : "text",
        inputmode: question.type === "nombre" || question.type === "montant" ? "decimal" : undefined });
    }
    if (question.required) input.required = true;
    input.setAttribute("aria-describedby", `${id}-erreur`);
    wrapper.append(input, element("span", { id: `${id}-erreur`, class: "message erreur" }));
    form.append(wrapper);
  }
}

async function writeLetter() {
  const letter = $("courrier-choix").value;
  const answers = {};
  for (const input of $("questions").querySelectorAll("input, textarea, select")) {
    if (input.value.trim()) answers[input.name] = input.value.trim();
    input.removeAttribute("aria-invalid");
  }
  for (const span of $("questions").querySelectorAll(".message")) span.textContent = "";
  say("erreur-courrier", "");
  show("courrier-pret", false);
  try {
    const written = await call("POST", `/cases/${state.caseId}/documents/${state.documentId}/letters`, { letter, answers });
    $("telecharger").href = written.url;
    $("telecharger").setAttribute("download", `${letter}.pdf`);
    $("imprimer").href = written.url;
    $("apercu-pdf").src = written.url;
    show("courrier-pret", true);
    $("telecharger").focus();
  } catch (e) {
    say("erreur-courrier", e.message);
    // Each missing answer said next to its question.
    const missing = (e.details && e.details.missing) || [];
    const chosen = state.letters.find((l) => l.id === letter);
    for (const question of chosen ? chosen.questions : []) {
      if (!missing.includes(question.label)) continue;
      const input = $(`question-${question.key}`);
      input.setAttribute("aria-invalid", "true");
      $(`question-${question.key}-erreur`).textContent = "À remplir.";
    }
    const first = $("questions").querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }
}

// ---- Wiring -----------------------------------------------------------------------------

$("formulaire-connexion").addEventListener("submit", signIn);
$("deconnexion").addEventListener("click", signOut);
$("nouvelle-visite").addEventListener("click", startVisit);
$("clore-visite").addEventListener("click", closeVisit);
$("effacer-visite").addEventListener("click", forgetVisit);
session.ended = signedOut;
$("numeriser").addEventListener("click", scan);
$("fichier").addEventListener("change", (event) => upload(event.target.files[0]));
$("courrier-choix").addEventListener("change", showQuestions);
$("apercu").addEventListener("click", writeLetter);
const zone = $("zone-depot");
zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("survol"); });
zone.addEventListener("dragleave", () => zone.classList.remove("survol"));
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  zone.classList.remove("survol");
  if (state.caseId) upload(event.dataTransfer.files[0]);
});
whoAmI();
