// The desk, step 3, the letter: the letters the document allows, their questions, the PDF
// written, to download or print, with the visitor's sheet when asked (checked by default); a
// missing answer said beside its question.
"use strict";

async function showLetters() {
  const { letters } = await call("GET", `/cases/${state.caseId}/documents/${state.documentId}/letters`);
  state.letters = letters.filter((letter) => !letter.error);
  const select = $("courrier-choix");
  select.textContent = "";
  for (const letter of state.letters) select.append(element("option", { value: letter.id }, letter.title));
  // A document whose kind offers no letter of its own (an avis de situation déclarative, an
  // attestation de contrat: they ask for no money) says so in a sentence, not an empty step.
  say("aucun-courrier", noLetterSentence(state.document && state.document.document, state.letters));
  show("etape-courrier", true);
  for (const id of ["courrier-champ", "questions", "apercu"]) show(id, state.letters.length > 0);
  show("courrier-pret", false);
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
    const sheet = $("fiche").checked;
    const written = await call("POST", `/cases/${state.caseId}/documents/${state.documentId}/letters`, { letter, answers, sheet });
    $("telecharger").href = written.url;
    $("telecharger").setAttribute("download", `${letter}.pdf`);
    $("imprimer").href = written.url;
    $("apercu-pdf").src = written.url;
    if (written.sheet_url) $("ouvrir-fiche").href = written.sheet_url;
    show("ouvrir-fiche", Boolean(written.sheet_url));
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

$("courrier-choix").addEventListener("change", showQuestions);
$("apercu").addEventListener("click", writeLetter);
