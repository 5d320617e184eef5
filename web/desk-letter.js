// The desk, step 3, the letter: the letters the document allows, the recipient checked before
// writing, their questions, the PDF written, to download or print; a refused or missing answer
// said beside its question; a letter that no longer matches its answers or its document never
// shown as ready.
"use strict";

// Where the recipient's address comes from (the server's `recipient.source`).
const recipientSources = {
  document: "Adresse lue sur le document.",
  offices: "Adresse prise dans l'annuaire des organismes du site.",
  template: "Adresse du modèle de courrier (celle de l'organisme par défaut).",
  mediator: "Adresse saisie par vous.",
};

async function showLetters() {
  const { letters } = await call("GET", `/cases/${state.caseId}/documents/${state.documentId}/letters`);
  state.letters = letters.filter((letter) => !letter.error);
  // The answers typed during this visit, by key: kept from one letter to another.
  if (state.answersOf !== state.caseId) {
    state.answers = {};
    state.recipients = {};
    state.answersOf = state.caseId;
  }
  state.written = null;
  const select = $("courrier-choix");
  select.textContent = "";
  for (const letter of state.letters) select.append(element("option", { value: letter.id }, letter.title));
  // A document whose kind offers no letter of its own (an avis de situation déclarative, an
  // attestation de contrat: they ask for no money) says so in a sentence, not an empty step.
  say("aucun-courrier", noLetterSentence(state.document && state.document.document, state.letters));
  show("etape-courrier", true);
  for (const id of ["courrier-champ", "destinataire", "questions", "apercu"]) show(id, state.letters.length > 0);
  showQuestions();
}

// The sentence when the recognised kind's partner offers no letter for it: letters of a
// partner start with its plugin's id ("impots.delai_paiement"), the free letter does not.
function noLetterSentence(found, letters) {
  if (!found) {
    return letters.length > 0 ? "" : "Aucun courrier ne s'applique à ce document.";
  }
  const partner = found.kind.split(".")[0] + ".";
  if (letters.some((letter) => letter.id.startsWith(partner))) return "";
  return letters.length > 0
    ? "Aucun courrier de l'organisme ne s'applique à ce document : il ne demande ni paiement ni réponse. Seul le courrier libre est proposé."
    : "Aucun courrier ne s'applique à ce document : il ne demande ni paiement ni réponse.";
}

function chosenLetter() {
  return state.letters.find((l) => l.id === $("courrier-choix").value);
}

// ---- The recipient ----------------------------------------------------------------------

// Why these lines are not an address La Poste delivers, as the server checks it (minus the
// département, which the server says when the field is left); "" when they are.
function postalProblem(text) {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line);
  if (!lines.length) return "aucune adresse";
  if (lines.length < 2) return "l'adresse n'a qu'une ligne : il faut le nom, puis le code postal et la ville";
  if (lines.length > 6) return "l'adresse a plus de 6 lignes (La Poste n'en lit pas plus)";
  const last = lines[lines.length - 1].match(/^([0-9]{5})\s+(.*[A-Za-zÀ-ÿ].*)$/);
  if (!last) return "la dernière ligne doit être le code postal (5 chiffres) suivi de la ville, par exemple « 56100 Lorient »";
  if (/^\s*cedex(\s+[0-9]+)?\s*$/i.test(last[2])) return "la ville manque après le code postal";
  return "";
}

function showRecipient(letter) {
  const recipient = letter.recipient || { lines: [], source: "", complete: false };
  const area = $("destinataire-adresse");
  area.dataset.original = recipient.lines.join("\n");
  area.value = state.recipients[letter.id] !== undefined ? state.recipients[letter.id] : area.dataset.original;
  area.maxLength = (letter.recipient_question && letter.recipient_question.max_length) || 2000;
  say("destinataire-note", recipient.note || "");
  if (area.value !== area.dataset.original) {
    checkRecipient();
  } else {
    sayRecipient(recipient.source, recipient.complete ? "" : recipient.problem || "aucune adresse");
  }
}

function recipientChanged() {
  const area = $("destinataire-adresse");
  return area.value.trim() !== area.dataset.original.trim();
}

function sayRecipient(source, problem) {
  $("destinataire-origine").textContent = source
    ? recipientSources[source] || ""
    : "Aucune adresse complète trouvée : indiquez celle du destinataire.";
  const check = $("destinataire-controle");
  const message = problem ? `Adresse incomplète : ${problem}.` : "✔ Adresse complète.";
  if (check.textContent !== message) check.textContent = message;
  check.className = "message " + (problem ? "erreur" : "ok");
  if (problem) $("destinataire-adresse").setAttribute("aria-invalid", "true");
  else $("destinataire-adresse").removeAttribute("aria-invalid");
}

// As the mediator types: checked here at once.
function checkRecipient() {
  const letter = chosenLetter();
  if (!letter) return;
  const area = $("destinataire-adresse");
  state.recipients[letter.id] = area.value;
  if (!recipientChanged()) {
    showRecipient(letter);
    return;
  }
  sayRecipient("mediator", postalProblem(area.value));
}

// Once she leaves the field: the server's own check (a postcode of a known département).
async function checkRecipientOnServer() {
  const letter = chosenLetter();
  if (!letter || !recipientChanged() || postalProblem($("destinataire-adresse").value)) return;
  try {
    const preview = await call("POST", `/cases/${state.caseId}/documents/${state.documentId}/letters/preview`,
      { letter: letter.id, answers: { [letter.recipient_question.key]: $("destinataire-adresse").value.trim() } });
    if (chosenLetter() === letter && recipientChanged()) sayRecipient("mediator", preview.recipient.complete ? "" : preview.recipient.problem);
  } catch (e) {
    refuse(letter, letter.recipient_question.key, e.message);  // too long, say
  }
}

// ---- The questions ----------------------------------------------------------------------

function showQuestions() {
  const form = $("questions");
  form.textContent = "";
  say("erreur-courrier", "");
  letterNoLongerReady("");
  const letter = chosenLetter();
  if (!letter) return;
  showRecipient(letter);
  for (const question of letter.questions) form.append(questionField(letter, question));
}

function questionField(letter, question) {
  const id = `question-${question.key}`;
  const described = [`${id}-erreur`];
  const given = state.answers[question.key] !== undefined ? state.answers[question.key] : (letter.prefill || {})[question.key] || "";
  const title = question.label + (question.required ? " (obligatoire)" : "");
  const hint = question.example || (question.type === "date" ? "15/01/2027" : "");
  const example = hint ? element("span", { id: `${id}-exemple`, class: "aide" }, `Ex. : « ${hint.replace(/\n/g, " / ")} »`) : null;
  if (example) described.unshift(`${id}-exemple`);
  const error = element("span", { id: `${id}-erreur`, class: "message erreur" });

  // Registered mail: a box to tick.
  if (question.key === "recommande" && question.type === "oui_non") {
    const wrapper = element("div", { class: "champ question case-a-cocher" });
    const box = element("input", { id, name: question.key, type: "checkbox", "aria-describedby": `${id}-erreur` });
    box.checked = given === "oui";
    wrapper.append(box, element("label", { for: id }, "Envoyer en recommandé avec accusé de réception"), error);
    return wrapper;
  }
  if (question.type === "oui_non") {
    const group = element("fieldset", { class: "champ question oui-non", "aria-describedby": described.join(" ") });
    group.append(element("legend", {}, title));
    for (const choice of ["oui", "non"]) {
      const radio = element("input", { type: "radio", name: question.key, value: choice, id: choice === "oui" ? id : `${id}-non` });
      radio.checked = given === choice;
      if (question.required) radio.required = true;
      group.append(radio, element("label", { for: radio.id }, choice === "oui" ? "Oui" : "Non"));
    }
    if (example) group.append(example);
    group.append(error);
    return group;
  }
  const wrapper = element("div", { class: "champ question" });
  wrapper.append(element("label", { for: id }, title));
  let input;
  if (question.type === "paragraphes") {
    input = element("textarea", { id, name: question.key, rows: "3" });
  } else if (question.type === "choix") {
    input = element("select", { id, name: question.key });
    input.append(element("option", { value: "" }, "—"));
    for (const choice of question.choices) input.append(element("option", { value: choice }, choice));
  } else {
    // Numbers and dates as text: a browser's number field empties "six" without a word, and
    // the server says what is expected. The keyboard shown on a tablet fits the type.
    const inputmode = { nombre: "numeric", montant: "decimal" }[question.type];
    input = element("input", { id, name: question.key, type: "text", inputmode, autocomplete: "off" });
  }
  if (question.type !== "choix" && question.max_length) input.maxLength = question.max_length;
  input.value = given;
  if (question.required) input.required = true;
  input.setAttribute("aria-describedby", described.join(" "));
  wrapper.append(input);
  if (example) wrapper.append(example);
  wrapper.append(error);
  return wrapper;
}

// The answer to a question as the form holds it; "" when none.
function answerOf(question) {
  const form = $("questions");
  if (question.key === "recommande" && question.type === "oui_non") {
    const box = $(`question-${question.key}`);
    return box ? (box.checked ? "oui" : "non") : "";
  }
  if (question.type === "oui_non") {
    const checked = form.querySelector(`input[name="${question.key}"]:checked`);
    return checked ? checked.value : "";
  }
  const input = $(`question-${question.key}`);
  return input ? input.value.trim() : "";
}

function formAnswers(letter) {
  const answers = {};
  for (const question of letter.questions) {
    const value = answerOf(question);
    if (value) answers[question.key] = value;
  }
  // The recipient only when the mediator changed it: else the server's own choice stands.
  if (recipientChanged()) answers[letter.recipient_question.key] = $("destinataire-adresse").value.trim();
  return answers;
}

function answerChanged() {
  const letter = chosenLetter();
  if (!letter) return;
  for (const question of letter.questions) state.answers[question.key] = answerOf(question);
  if (state.written) letterNoLongerReady("Les réponses ont changé : préparez de nouveau le courrier.");
}

// ---- Writing ----------------------------------------------------------------------------

function clearRefusals() {
  for (const input of $("etape-courrier").querySelectorAll("[aria-invalid]")) {
    if (input.id !== "destinataire-adresse") input.removeAttribute("aria-invalid");
  }
  for (const span of $("questions").querySelectorAll(".message")) span.textContent = "";
  say("erreur-courrier", "");
}

// The element that holds the answer to `key`, the one the focus goes to.
function controlOf(letter, key) {
  if (key === letter.recipient_question.key) return $("destinataire-adresse");
  return $(`question-${key}`);
}

function refuse(letter, key, message) {
  const control = controlOf(letter, key);
  if (!control) return false;
  control.setAttribute("aria-invalid", "true");
  if (control.id === "destinataire-adresse") {
    $("destinataire-controle").textContent = message;
    $("destinataire-controle").className = "message erreur";
  } else {
    $(`question-${key}-erreur`).textContent = message;
  }
  return true;
}

// Writes the chosen letter with the form's answers over `stored` (a letter written again).
async function writeLetter(stored = {}) {
  const letter = chosenLetter();
  if (!letter) return;
  const answers = { ...stored, ...formAnswers(letter) };
  clearRefusals();
  letterNoLongerReady("");
  $("apercu").disabled = true;
  try {
    const sheet = $("fiche").checked;  // the visitor's sheet, written with the letter
    const written = await call("POST", `/cases/${state.caseId}/documents/${state.documentId}/letters`,
                               { letter: letter.id, answers, sheet });
    state.written = written;
    if (written.sheet_url) $("ouvrir-fiche").href = written.sheet_url;
    show("ouvrir-fiche", Boolean(written.sheet_url));
    $("telecharger").href = written.url;
    $("telecharger").setAttribute("download", `${letter.id}.pdf`);
    $("imprimer").href = written.url;
    // Shown whole and out of the keyboard's way (inert): the PDF viewer would otherwise take
    // the Tab key and not give it back.
    $("apercu-pdf").src = `${written.url}#toolbar=0&view=Fit`;
    show("rappel-recommande", written.registered === true);
    show("courrier-pret", true);
    $("telecharger").focus();
  } catch (e) {
    const details = e.details || {};
    if (e.status === 400 && details.question && refuse(letter, details.question, e.message)) {
      say("erreur-courrier", "Le courrier n'est pas écrit : une réponse est à corriger (voir sous la question).");
      controlOf(letter, details.question).focus();
      return;
    }
    say("erreur-courrier", e.message);
    // Each missing answer said next to its question; the others are in the message above.
    for (const missing of details.missing || []) {
      const question = letter.questions.find((q) => q.label === missing);
      if (question) refuse(letter, question.key, "À remplir.");
      else if (missing.startsWith("Adresse complète du destinataire")) refuse(letter, letter.recipient_question.key, missing + ".");
    }
    const first = $("etape-courrier").querySelector("[aria-invalid=true]");
    if (first) first.focus();
  } finally {
    $("apercu").disabled = false;
  }
}

// The letter on screen no longer matches what it would be written from: never claimed ready.
function letterNoLongerReady(why) {
  show("courrier-pret", false);
  show("courrier-obsolete", false);
  say("courrier-change", why);
  if (!why) state.written = null;
}

// A correction of the document (the "field" event): the letter written from it says so.
async function documentCorrected(event) {
  if (!state.written || event.document !== state.documentId) return;
  const written = state.written;
  let visit;
  try {
    visit = await call("GET", `/cases/${state.caseId}`);
  } catch (e) {
    return;
  }
  const letter = (visit.letters || []).find((l) => l.id === written.id);
  if (!letter || !letter.out_of_date || state.written !== written) return;
  const changed = (letter.changed || []).join(", ");
  show("courrier-pret", false);
  say("courrier-change", "");
  $("courrier-obsolete-texte").textContent = changed
    ? `Ce courrier n'est plus à jour (changé : ${changed}).`
    : "Ce courrier n'est plus à jour : une valeur du document a été corrigée.";
  show("courrier-obsolete", true);
}

// Written again from the answers it was written with, the form's current ones over them.
async function rewriteLetter() {
  if (!state.written) return;
  try {
    const { answers } = await call("GET", `/cases/${state.caseId}/letters/${state.written.id}/answers`);
    await writeLetter(answers);
  } catch (e) {
    say("erreur-courrier", e.message);
  }
}

$("courrier-choix").addEventListener("change", showQuestions);
$("questions").addEventListener("input", answerChanged);
$("questions").addEventListener("change", answerChanged);
$("destinataire-adresse").addEventListener("input", () => {
  checkRecipient();
  if (state.written) letterNoLongerReady("Les réponses ont changé : préparez de nouveau le courrier.");
});
$("destinataire-adresse").addEventListener("change", checkRecipientOnServer);
$("apercu").addEventListener("click", () => writeLetter());
$("reecrire").addEventListener("click", rewriteLetter);
