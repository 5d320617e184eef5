// The desk, step 2, what was read: the page with the fields found boxed on it (desk-viewer.js), the fields listed
// weakest first, each corrected in place (a suggestion, the other reading, or typed).
"use strict";

// Weakest first: a failed check or two readings that disagree, then by confidence.
function weakness(field) {
  const flagged = field.check === "failed" || field.check === "mismatch";
  return (flagged ? 0 : 1) + (field.source === "manual" ? 2 : 0) + field.confidence;
}

// The French forms of the API's canonical values: a date 2026-05-15 shown 15/05/2026, an amount
// 1234.56 shown 1 234,56 € (narrow no-break spaces between thousands). The server reads either
// form back in a correction (docs/api.md, « Correcting a field »).
function frenchValue(type, value) {
  if (!value) return "";
  if (type === "date") {
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return date ? `${date[3]}/${date[2]}/${date[1]}` : value;
  }
  if (type === "amount") {
    const amount = /^(-?)(\d+)\.(\d{2})$/.exec(value);
    if (!amount) return value;
    return `${amount[1]}${amount[2].replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f")},${amount[3]}\u00a0€`;
  }
  if (type === "decimal") return value.replace(".", ",");
  return value;
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
    ? `Document reconnu : ${found.kind_label} (confiance ${Math.round(found.confidence * 100)} %).`
    : "Le type de document n'a pas été reconnu : seul le courrier libre est proposé.";
  const warnings = $("avertissements");
  warnings.textContent = "";
  for (const warning of document.warnings || []) warnings.append(element("li", {}, warning));

  const list = $("liste-champs");
  list.textContent = "";
  const entries = Object.entries(document.fields || {}).sort((a, b) => weakness(a[1]) - weakness(b[1]));
  entries.forEach(([key, field], index) => list.append(fieldRow(key, field, index + 1)));
  showPages(document, entries);  // desk-viewer.js
}

function fieldRow(key, field, number) {
  const row = element("li", { class: "champ-lu", "data-champ": key });
  const id = `champ-${key}`;
  const label = element("label", { for: id }, `${number}. ${field.label}`);
  const input = element("input", { id, name: key, value: frenchValue(field.type, field.value),
    "aria-describedby": `${id}-etat ${id}-message` });
  const flag = flagOf(field);
  const status = element("span", { id: `${id}-etat`, class: "etat" + (flag.startsWith("à vérifier") ? " a-verifier" : "") },
    flag ? (flag.startsWith("à vérifier") ? "⚠ " : "") + flag : "");
  const message = element("span", { id: `${id}-message`, class: "message", role: "status" });
  row.append(label, input, status);
  if (field.suggestion) {
    const shown = frenchValue(field.type, field.suggestion);
    const use = element("button", { type: "button", class: "suggestion" }, `Utiliser ${shown}`);
    use.addEventListener("click", () => { input.value = shown; save(key, input, message); });
    row.append(use);
  }
  for (const other of field.alternatives || []) {
    const origin = other.source === "2ddoc" ? "le code 2D-Doc" : "la page";
    const shown = frenchValue(field.type, other.value);
    const use = element("button", { type: "button", class: "suggestion" }, `Prendre ${shown} (lu sur ${origin})`);
    use.addEventListener("click", () => { input.value = shown; save(key, input, message); });
    row.append(use);
  }
  row.append(message);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); save(key, input, message); }
  });
  input.addEventListener("change", () => save(key, input, message));
  input.addEventListener("focus", () => chooseField(key));  // its box highlighted (desk-viewer.js)
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
    // Shown in its French form ("1300" becomes "1 300,00 €"): leaving the field is not a new correction.
    input.value = frenchValue(field.type, field.value);
    input.dataset.saving = input.value;
    input.removeAttribute("aria-invalid");
    message.textContent = `Corrigé (lu : ${field.corrected ? frenchValue(field.type, field.corrected.from) || "rien" : "—"}).`;
    message.className = "message ok";
  } catch (e) {
    input.setAttribute("aria-invalid", "true");
    message.textContent = e.message;
    message.className = "message erreur";
    delete input.dataset.saving;
  }
}
