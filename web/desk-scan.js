// The desk, scanning as scanservjs does: the settings the chosen station's device offers (and
// only those: GET /stations/{id}), a preview on which to draw the area to scan (in millimetres),
// "Ajouter une page" to the document shown, and the station remembered for this desk.
"use strict";

const scanning = { offer: null, area: null };
const rememberedStation = "comptoir.poste";

function fillSelect(id, values, chosen, label = (v) => v) {
  const select = $(id);
  select.textContent = "";
  for (const value of values) {
    const option = element("option", { value: String(value) }, label(value));
    if (String(value).toLowerCase() === String(chosen).toLowerCase()) option.selected = true;
    select.append(option);
  }
}

const modeNames = { gray: "Gris", grayscale: "Gris", color: "Couleur", colour: "Couleur", lineart: "Noir et blanc", binary: "Noir et blanc" };
const sourceNames = { flatbed: "Vitre", "automatic document feeder": "Chargeur", adf: "Chargeur", "adf duplex": "Chargeur recto verso" };

// Called once the stations are listed (desk-document.js): the desk's own station chosen again.
function stationsListed() {
  const select = $("poste");
  let saved = null;
  try { saved = localStorage.getItem(rememberedStation); } catch (e) { /* storage refused: nothing kept */ }
  const option = saved && [...select.options].find((o) => o.value === saved && !o.disabled);
  if (option) select.value = saved;
  show("ajouter-page", Boolean(state.documentId));  // a new visit: no document to add to yet
  loadOffer();
}

async function loadOffer() {
  const station = $("poste").value;
  scanning.offer = null;
  clearArea();
  show("reglages-numerisation", false);
  $("apercu-image").removeAttribute("src");
  show("apercu-cadre", false);
  if (!station) return;
  try {
    const offer = await call("GET", `/stations/${encodeURIComponent(station)}`);
    if ($("poste").value !== station) return;  // another station chosen meanwhile
    scanning.offer = offer;
    const defaults = offer.defaults || {};
    show("bloc-resolution", offer.resolutions.length > 0);
    // The station's own resolution among them, when the device's range has it.
    const range = offer.resolution_range;
    const resolutions = [...offer.resolutions];
    if (range && defaults.resolution >= range.min && defaults.resolution <= range.max && !resolutions.includes(defaults.resolution)) {
      resolutions.push(defaults.resolution);
      resolutions.sort((a, b) => a - b);
    }
    fillSelect("reglage-resolution", resolutions, defaults.resolution, (r) => `${r} ppp`);
    show("bloc-mode", offer.modes.length > 0);
    fillSelect("reglage-mode", offer.modes, defaults.mode, (m) => modeNames[m.toLowerCase()] || m);
    show("bloc-source", offer.sources.length > 0);
    fillSelect("reglage-source", offer.sources, defaults.source, (s) => sourceNames[s.toLowerCase()] || s);
    show("bloc-recto-verso", offer.duplex);
    $("reglage-recto-verso").checked = false;
    show("bloc-format", offer.papers.length > 0);
    fillSelect("reglage-format", ["", ...offer.papers], "", (p) => p || "Toute la vitre");
    show("zone-apercu", Boolean(offer.area_mm));
    show("reglages-numerisation", true);
  } catch (e) {
    // The settings are a help: without them, the station's own are used.
  }
}

// What the request says beyond the station: only what was shown.
function scanChoice() {
  const offer = scanning.offer;
  if (!offer) return {};
  const choice = {};
  if (offer.resolutions.length) choice.resolution = Number($("reglage-resolution").value);
  if (offer.modes.length) choice.mode = $("reglage-mode").value;
  if (offer.sources.length) choice.source = $("reglage-source").value;
  if (offer.duplex && $("reglage-recto-verso").checked) choice.duplex = true;
  if (offer.papers.length && $("reglage-format").value) choice.paper = $("reglage-format").value;
  if (scanning.area) choice.area = scanning.area;
  return choice;
}

async function preview() {
  const station = $("poste").value;
  const button = $("apercu-numerisation");
  button.disabled = true;
  say("erreur-document", "");
  try {
    const response = await fetch(`${api}/stations/${encodeURIComponent(station)}/preview`, { credentials: "same-origin" });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error((body.error && body.error.message) || "L'aperçu n'a pas pu être fait.");
    }
    const image = $("apercu-image");
    if (image.src) URL.revokeObjectURL(image.src);
    image.src = URL.createObjectURL(await response.blob());
    show("apercu-cadre", true);
    clearArea();
  } catch (e) {
    say("erreur-document", e.message);
  } finally {
    button.disabled = false;
  }
}

function clearArea() {
  scanning.area = null;
  show("zone-choisie", false);
  $("zone-texte").textContent = "Toute la vitre sera numérisée.";
}

// The area drawn on the preview, in millimetres of the glass.
function setArea(x0, y0, x1, y1) {
  const { width, height } = scanning.offer.area_mm;
  const box = $("zone-choisie");
  const [left, top] = [Math.min(x0, x1), Math.min(y0, y1)];
  const [right, bottom] = [Math.max(x0, x1), Math.max(y0, y1)];
  box.style.left = `${left * 100}%`;
  box.style.top = `${top * 100}%`;
  box.style.width = `${(right - left) * 100}%`;
  box.style.height = `${(bottom - top) * 100}%`;
  show("zone-choisie", true);
  const mm = (f, size) => Math.round(f * size * 10) / 10;
  scanning.area = { x: mm(left, width), y: mm(top, height), width: mm(right - left, width), height: mm(bottom - top, height) };
  const fr = (n) => n.toLocaleString("fr-FR");
  $("zone-texte").textContent = `Zone : ${fr(scanning.area.width)} × ${fr(scanning.area.height)} mm, à ${fr(scanning.area.x)} mm du bord gauche et ${fr(scanning.area.y)} mm du haut.`;
}

async function addPage() {
  const station = $("poste").value;
  if (!station) { say("erreur-document", "Choisissez un poste de numérisation."); return; }
  if (!state.documentId) return;
  $("ajouter-page").disabled = true;
  try {
    await started(() => call("POST", `/cases/${state.caseId}/documents/${state.documentId}/pages`, { station, ...scanChoice() }));
  } finally {
    $("ajouter-page").disabled = false;
  }
}

(() => {
  $("poste").addEventListener("change", () => {
    try { localStorage.setItem(rememberedStation, $("poste").value); } catch (e) { /* not kept */ }
    loadOffer();
  });
  $("apercu-numerisation").addEventListener("click", preview);
  $("zone-effacer").addEventListener("click", clearArea);
  $("ajouter-page").addEventListener("click", addPage);
  const frame = $("apercu-cadre");
  let start = null;
  const at = (event) => {
    const rect = frame.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)), Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height))];
  };
  frame.addEventListener("pointerdown", (event) => {
    if (!scanning.offer || !scanning.offer.area_mm) return;
    event.preventDefault();
    start = at(event);
    frame.setPointerCapture(event.pointerId);
  });
  frame.addEventListener("pointermove", (event) => { if (start) setArea(...start, ...at(event)); });
  frame.addEventListener("pointerup", (event) => {
    if (!start) return;
    const end = at(event);
    if (Math.abs(end[0] - start[0]) < 0.02 || Math.abs(end[1] - start[1]) < 0.02) clearArea(); else setArea(...start, ...end);
    start = null;
  });
})();
