// The desk's page viewer: every page of the document, with thumbnails; zoom (fit width, 100 %,
// 200 %, Ctrl + wheel, the keys + - 0) and pan (drag or scroll); the fields' boxes drawn as thin
// outlines just outside the words, their numbers beside; a field chosen in the list centres and
// highlights its box, a box clicked focuses its field; the text the OCR read on the page on
// request. Page images come at display size (…/pages/N?width=W, made once and kept by the server).
"use strict";

const viewer = { document: null, fields: {}, numbers: {}, page: 1, pages: 1, zoom: "largeur", chosen: null, textShown: false };
const pageWidths = [160, 320, 480, 640, 800, 960, 1200, 1600, 2000, 2400];  // as the server serves them
const zoomSteps = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.25, 1.5, 2, 2.5, 3, 4];

function pageUrl(page, width) {
  return `${api}/cases/${state.caseId}/documents/${state.documentId}/pages/${page}?width=${width}`;
}

function servedWidth(width) { return pageWidths.find((w) => w >= width) || pageWidths[pageWidths.length - 1]; }

function pageInfo(page) {
  return (viewer.document.page_info || []).find((info) => info.page === page) || {};
}

// The page's width on screen at 100 %: its real size (96 CSS pixels an inch).
function realWidth(page) {
  const info = pageInfo(page);
  const width = info.width || $("page-image").naturalWidth || 1240;
  return Math.round((width * 96) / (info.dpi || 150));
}

function fitWidth() { return Math.max(200, $("page-defilement").clientWidth - 2); }

function frameWidth() { return viewer.zoom === "largeur" ? fitWidth() : Math.round(realWidth(viewer.page) * viewer.zoom); }

// `document`: the reading; `entries`: its fields [key, field] in the list's order (numbered from 1).
function showPages(document, entries) {
  viewer.document = document;
  viewer.fields = Object.fromEntries(entries);
  viewer.numbers = Object.fromEntries(entries.map(([key], index) => [key, index + 1]));
  viewer.pages = Math.max(1, document.pages || (document.page_info || []).length || 1);
  viewer.chosen = null;
  const thumbnails = $("vignettes");
  thumbnails.textContent = "";
  for (let page = 1; page <= viewer.pages; page++) {
    const button = element("button", { type: "button", class: "vignette", "data-page": String(page), "aria-label": `Page ${page}` });
    button.append(element("img", { src: pageUrl(page, 160), alt: "" }), element("span", { "aria-hidden": "true" }, String(page)));
    button.addEventListener("click", () => goToPage(page));
    thumbnails.append(button);
  }
  show("vignettes", viewer.pages > 1);
  show("ajouter-page", true);  // desk-scan.js: one more page into this document
  goToPage(1);
}

function goToPage(page, then) {
  viewer.page = Math.min(Math.max(1, page), viewer.pages);
  $("page-numero").textContent = `Page ${viewer.page} sur ${viewer.pages}`;
  $("page-precedente").disabled = viewer.page <= 1;
  $("page-suivante").disabled = viewer.page >= viewer.pages;
  for (const button of $("vignettes").children) {
    if (Number(button.dataset.page) === viewer.page) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  const image = $("page-image");
  image.alt = `Page ${viewer.page} du document`;
  for (const old of $("page-cadre").querySelectorAll(".boite")) old.remove();
  image.onload = () => { drawBoxes(); if (then) { then(); then = null; } };
  image.removeAttribute("src");
  image.dataset.width = "";
  applyZoom();
  if (viewer.textShown) showPageText();
}

function applyZoom() {
  const frame = $("page-cadre");
  const width = frameWidth();
  frame.style.width = `${width}px`;
  const percent = Math.round((100 * width) / realWidth(viewer.page));
  $("zoom-niveau").textContent = `${percent} %`;
  $("zoom-largeur").setAttribute("aria-pressed", String(viewer.zoom === "largeur"));
  const wanted = String(servedWidth(Math.ceil(width * (window.devicePixelRatio || 1))));
  const image = $("page-image");
  // A sharper image only when the one shown is too small for the zoom (never a smaller one).
  if (!image.dataset.width || Number(wanted) > Number(image.dataset.width)) {
    image.dataset.width = wanted;
    image.src = pageUrl(viewer.page, wanted);
  }
}

// Zooms to `zoom` ("largeur" or a factor of the real size), keeping the point at (x, y) of the
// scrolling area where it was (the centre by default).
function setZoom(zoom, x, y) {
  const scroller = $("page-defilement");
  const before = $("page-cadre").offsetWidth || 1;
  const px = x === undefined ? scroller.clientWidth / 2 : x;
  const py = y === undefined ? scroller.clientHeight / 2 : y;
  const fx = (scroller.scrollLeft + px) / before;
  const fy = (scroller.scrollTop + py) / before;
  viewer.zoom = zoom;
  applyZoom();
  const after = $("page-cadre").offsetWidth;
  scroller.scrollLeft = fx * after - px;
  scroller.scrollTop = fy * after - py;
}

function zoomBy(direction, x, y) {
  const current = frameWidth() / realWidth(viewer.page);
  // The next step that makes a visible difference (at least 15 %).
  const next = direction > 0 ? zoomSteps.find((z) => z >= current * 1.15) : [...zoomSteps].reverse().find((z) => z <= current / 1.15);
  if (next) setZoom(next, x, y);
}

function drawBoxes() {
  const frame = $("page-cadre");
  for (const old of frame.querySelectorAll(".boite")) old.remove();
  const info = pageInfo(viewer.page);
  const image = $("page-image");
  const width = info.width || image.naturalWidth;
  const height = info.height || image.naturalHeight;
  for (const [key, field] of Object.entries(viewer.fields)) {
    if (!field.box || (field.page || 1) !== viewer.page || !field.box[2]) continue;
    const [x, y, w, h] = field.box;
    const doubtful = flagOf(field).startsWith("à vérifier");
    // The number goes beside the box, on its right (printed labels are on the left of what they
    // label), on its left near the right edge.
    const side = (x + w) / width > 0.9 ? " etiquette-gauche" : "";
    const box = element("div", { class: `boite${doubtful ? " a-verifier" : ""}${side}`, "aria-hidden": "true", "data-champ": key });
    box.style.left = `${(100 * x) / width}%`;
    box.style.top = `${(100 * y) / height}%`;
    box.style.width = `${(100 * w) / width}%`;
    box.style.height = `${(100 * h) / height}%`;
    box.append(element("span", {}, String(viewer.numbers[key])));
    box.title = field.label;
    box.addEventListener("click", () => { if (!pan.moved) { const input = $(`champ-${key}`); if (input) input.focus(); } });
    frame.append(box);
  }
  if (viewer.chosen) markChosen(viewer.chosen, false);
}

// The list's field `key` chosen: its page shown, its box highlighted and brought to the centre.
function chooseField(key) {
  const field = viewer.fields[key];
  if (!field || !field.box || !field.box[2]) { viewer.chosen = key; markChosen(key, false); return; }
  viewer.chosen = key;
  if ((field.page || 1) !== viewer.page) goToPage(field.page || 1, () => markChosen(key, true));
  else markChosen(key, true);
}

function markChosen(key, centre) {
  for (const box of $("page-cadre").querySelectorAll(".boite")) box.classList.toggle("choisie", box.dataset.champ === key);
  const box = $("page-cadre").querySelector(`.boite[data-champ="${CSS.escape(key)}"]`);
  if (!box || !centre) return;
  const scroller = $("page-defilement");
  scroller.scrollLeft = box.offsetLeft + box.offsetWidth / 2 - scroller.clientWidth / 2;
  scroller.scrollTop = box.offsetTop + box.offsetHeight / 2 - scroller.clientHeight / 2;
}

async function showPageText() {
  const panel = $("texte-lu");
  $("texte-lu-titre").textContent = `Texte lu sur la page ${viewer.page}`;
  const content = $("texte-lu-contenu");
  content.textContent = "Chargement…";
  show("texte-lu", true);
  try {
    const { text } = await call("GET", `/cases/${state.caseId}/documents/${state.documentId}/pages/${viewer.page}/text`);
    content.textContent = text.trim() ? text : "Aucun texte n'a été lu sur cette page.";
  } catch (e) {
    content.textContent = e.message;
  }
  panel.scrollIntoView({ block: "nearest" });
}

function toggleText() {
  viewer.textShown = !viewer.textShown;
  $("texte-page").setAttribute("aria-expanded", String(viewer.textShown));
  if (viewer.textShown) showPageText(); else show("texte-lu", false);
}

// Pan: the page dragged with the mouse (a click that did not move still reaches a box).
const pan = { active: false, moved: false, x: 0, y: 0 };
(() => {
  const scroller = $("page-defilement");
  scroller.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || event.pointerType !== "mouse") return;
    Object.assign(pan, { active: true, moved: false, x: event.clientX, y: event.clientY });
  });
  window.addEventListener("pointermove", (event) => {
    if (!pan.active) return;
    const dx = event.clientX - pan.x;
    const dy = event.clientY - pan.y;
    if (!pan.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    pan.moved = true;
    scroller.classList.add("deplacement");
    scroller.scrollLeft -= dx;
    scroller.scrollTop -= dy;
    pan.x = event.clientX;
    pan.y = event.clientY;
  });
  window.addEventListener("pointerup", () => {
    pan.active = false;
    scroller.classList.remove("deplacement");
    setTimeout(() => { pan.moved = false; });  // after the click that ends the drag
  });
  scroller.addEventListener("dragstart", (event) => event.preventDefault());
  scroller.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    const rect = scroller.getBoundingClientRect();
    zoomBy(event.deltaY < 0 ? 1 : -1, event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  // + - 0 wherever a key is not typing text.
  document.addEventListener("keydown", (event) => {
    if ($("etape-lecture").hidden || event.altKey || event.metaKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable=true]")) return;
    const keys = { "+": () => zoomBy(1), "=": () => zoomBy(1), "-": () => zoomBy(-1), "0": () => setZoom("largeur") };
    const act = keys[event.key];
    if (!act) return;
    event.preventDefault();
    act();
  });
  $("page-precedente").addEventListener("click", () => goToPage(viewer.page - 1));
  $("page-suivante").addEventListener("click", () => goToPage(viewer.page + 1));
  $("zoom-largeur").addEventListener("click", () => setZoom("largeur"));
  $("zoom-100").addEventListener("click", () => setZoom(1));
  $("zoom-200").addEventListener("click", () => setZoom(2));
  $("zoom-moins").addEventListener("click", () => zoomBy(-1));
  $("zoom-plus").addEventListener("click", () => zoomBy(1));
  $("texte-page").addEventListener("click", toggleText);
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => { if (viewer.document && viewer.zoom === "largeur") applyZoom(); }, 100);
  });
})();
