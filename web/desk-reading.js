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

// Who corrected a field and when, in words: « corrigé par mediateur le 06/12/2026 à 14:32 ».
function correctedBy(field) {
  const at = field.corrected && new Date(field.corrected.at);
  if (!at || isNaN(at)) return "corrigé";
  const day = at.toLocaleDateString("fr-FR", { day: "2-digit", month: "2-digit", year: "numeric" });
  const time = at.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
  return `corrigé par ${field.corrected.by} le ${day} à ${time}`;
}

// How a value was found on the page (the plugin's evidence), in words.
function evidenceOf(field) {
  const evidence = field.evidence;
  if (!evidence || field.source === "manual") return "";
  const label = evidence.label ? `« ${evidence.label} »` : "";
  switch (evidence.relation) {
    case "right": return label && `Lu à droite de ${label}.`;
    case "below": return label && `Lu sous ${label}.`;
    case "column": return label && `Lu dans la colonne ${label}.`;
    case "box_title": return label ? `Lu dans le cadre ${label}.` : "Lu dans un cadre de la page.";
    case "address_window": return "Lu dans la fenêtre d'adresse.";
    case "shape": return "Reconnu à sa forme sur la page.";
    case "text_layer": return "Lu dans le texte du PDF.";
    case "2ddoc": return "Lu dans le code 2D-Doc.";
    default: return "";
  }
}

function flagOf(field) {
  if (field.source === "manual" && field.check === "failed") return `à vérifier : le contrôle ne passe pas (${correctedBy(field)})`;
  if (field.source === "manual") return correctedBy(field);
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

// The reading done: the focus goes to its result (not back to the page's start) and a screen
// reader hears what was found.
function announceReading(document) {
  const fields = Object.values(document.fields || {});
  const toCheck = fields.filter((f) => flagOf(f).startsWith("à vérifier")).length;
  const kind = document.document ? `${document.document.kind_label} reconnue` : "type de document non reconnu";
  $("annonce").textContent = (`Lecture terminée : ${kind}, ${fields.length} champ${fields.length > 1 ? "s" : ""} lu${fields.length > 1 ? "s" : ""}` +
    (toCheck ? `, dont ${toCheck} à vérifier.` : "."));
  $("type-document").focus();
}

function fieldRow(key, field, number) {
  const row = element("li", { class: "champ-lu", "data-champ": key });
  const id = `champ-${key}`;
  const label = element("label", { for: id }, `${number}. ${field.label}`);
  // An address (several lines) in a text area, shown whole; any other value in a line.
  const shown = frenchValue(field.type, field.value);
  const multiline = field.type === "address" || shown.includes("\n");
  const input = element(multiline ? "textarea" : "input", { id, name: key, "aria-describedby": `${id}-etat ${id}-preuve ${id}-message` });
  if (multiline) {
    input.rows = Math.min(6, Math.max(2, shown.split("\n").length));
    input.textContent = shown;  // its default value, for « Garder la valeur du code »
  } else {
    input.setAttribute("value", shown);
  }
  const status = element("span", { id: `${id}-etat`, class: "etat" });
  showFlag(status, field);
  const evidence = element("span", { id: `${id}-preuve`, class: "preuve" }, evidenceOf(field));
  const message = element("span", { id: `${id}-message`, class: "message", role: "status" });
  row.append(label, input, status, evidence);
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
    if (event.key === "Enter" && !multiline) { event.preventDefault(); save(key, input, message); }
  });
  input.addEventListener("change", () => save(key, input, message));
  input.addEventListener("focus", () => chooseField(key));  // its box highlighted (desk-viewer.js)
  return row;
}

function showFlag(status, field) {
  const flag = flagOf(field);
  const warn = flag.startsWith("à vérifier");
  status.className = "etat" + (warn ? " a-verifier" : "");
  status.textContent = flag ? (warn ? "⚠ " : "") + flag : "";
}

// A correction sent; its answer shown in the row: the value in its French form, who corrected it,
// its check run again by the server (a PDL of 13 digits flagged), or why it was refused. A value
// read from the signed 2D-Doc is replaced only once the mediator confirms.
async function save(key, input, message, confirm = false) {
  if (input.dataset.saving === input.value && !confirm) return;
  input.dataset.saving = input.value;
  message.className = "message";
  message.textContent = "Enregistrement…";
  const row = input.closest(".champ-lu");
  try {
    const field = await call("PUT", `/cases/${state.caseId}/documents/${state.documentId}/fields/${encodeURIComponent(key)}`,
      confirm ? { value: input.value, confirm: true } : { value: input.value });
    // Shown in its French form ("1300" becomes "1 300,00 €"): leaving the field is not a new correction.
    input.value = frenchValue(field.type, field.value);
    input.dataset.saving = input.value;
    input.removeAttribute("aria-invalid");
    showFlag(row.querySelector(".etat"), field);
    row.querySelector(".preuve").textContent = "";
    const was = field.corrected ? frenchValue(field.type, field.corrected.from) || "rien" : "—";
    message.textContent = field.check === "failed"
      ? `Enregistré, mais le contrôle ne passe pas : vérifiez la valeur (lu : ${was}).`
      : `Corrigé (lu : ${was}).`;
    message.className = field.check === "failed" ? "message erreur" : "message ok";
  } catch (e) {
    delete input.dataset.saving;
    message.textContent = e.message;
    message.className = "message erreur";
    if (e.details && e.details.code === "confirm_needed") {
      const replace = element("button", { type: "button", class: "confirmer" }, "Remplacer quand même");
      const keep = element("button", { type: "button", class: "confirmer" }, "Garder la valeur du code");
      replace.addEventListener("click", () => save(key, input, message, true));
      keep.addEventListener("click", () => {
        input.value = input.defaultValue;
        message.textContent = "Valeur du code 2D-Doc gardée.";
        message.className = "message ok";
        input.focus();
      });
      message.append(" ", replace, " ", keep);
      replace.focus();
      return;
    }
    input.setAttribute("aria-invalid", "true");
  }
}
