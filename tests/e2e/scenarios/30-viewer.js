// Issue 30, items 3 and 6: the page viewer (every page with thumbnails, zoom and pan, boxes as
// thin outlines beside their numbers, field and box chosen from each other, the OCR text of a
// page) on a two-page PDF made here; and on a server of its own with a station on SANE's test
// backend, the scan settings each device offers, its preview with an area drawn, "Ajouter une
// page", and the station remembered by the browser.
"use strict";

const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const assert = require("assert");
const { sourceDir, artefacts, log, startServer, signIn, checkAccessibility } = require("../harness.js");

const viewport = { width: 1366, height: 768 };

// A PDF of gray JPEG pages at `dpi` (ImageMagick's policy on Debian forbids writing PDF): each
// page one image drawn over the whole page.
function jpegsToPdf(pages, dpi, file) {
  const chunks = [];
  const offsets = [];
  let length = 0;
  const write = (data) => { const b = Buffer.isBuffer(data) ? data : Buffer.from(data, "latin1"); chunks.push(b); length += b.length; };
  const object = (number, head, stream) => {
    offsets[number] = length;
    write(`${number} 0 obj\n${head}\n`);
    if (stream) { write("stream\n"); write(stream); write("\nendstream\n"); }
    write("endobj\n");
  };
  write("%PDF-1.4\n");
  const kids = pages.map((_, i) => `${3 + 3 * i} 0 R`).join(" ");
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  pages.forEach(({ jpeg, width, height }, i) => {
    const [w, h] = [(width * 72) / dpi, (height * 72) / dpi];
    const content = `q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} 0 0 cm /Im0 Do Q`;
    object(3 + 3 * i, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w.toFixed(2)} ${h.toFixed(2)}] ` +
      `/Resources << /XObject << /Im0 ${4 + 3 * i} 0 R >> >> /Contents ${5 + 3 * i} 0 R >>`);
    object(4 + 3 * i, `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray ` +
      `/BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>`, jpeg);
    object(5 + 3 * i, `<< /Length ${content.length} >>`, Buffer.from(content, "latin1"));
  });
  const xref = length;
  const count = 3 + 3 * pages.length;
  write(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let n = 1; n < count; n++) write(`${String(offsets[n]).padStart(10, "0")} 00000 n \n`);
  write(`trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  fs.writeFileSync(file, Buffer.concat(chunks));
}

// The width of the page image on screen.
const shownWidth = (page) => page.locator("#page-image").evaluate((image) => image.getBoundingClientRect().width);

async function aDocumentOfTwoPagesInTheViewer(_page, url, { browser }) {
  // A two-page PDF: the demo's bill, then a page of conditions.
  const second = path.join(artefacts, "page-2.png");
  const pdf = path.join(artefacts, "deux-pages.pdf");
  execFileSync("convert-im6.q16", ["-size", "1653x2339", "xc:white", "-fill", "black", "-font", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "-pointsize", "64",
    "-annotate", "+160+320", "Conditions générales", second]);
  const pages = [path.join(sourceDir, "demo/edf-facture-demo.png"), second].map((png, i) => {
    const jpeg = path.join(artefacts, `page-${i + 1}.jpg`);
    execFileSync("convert-im6.q16", [png, "-colorspace", "Gray", "-type", "Grayscale", "-quality", "92", jpeg]);
    return { jpeg: fs.readFileSync(jpeg), width: 1653, height: 2339 };
  });
  jpegsToPdf(pages, 200, pdf);
  assert.match(execFileSync("pdfinfo", [pdf]).toString(), /Pages:\s+2/);
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  const page = await context.newPage();
  try {
    await signIn(page, url);
    await page.getByRole("button", { name: "Commencer une visite" }).click();
    await page.getByLabel(/déposer un fichier/).setInputFiles(pdf);
    await page.locator("#liste-champs li").first().waitFor({ timeout: 60000 });
    // Two thumbnails, served at their own small size.
    const thumbnails = page.locator("#vignettes .vignette");
    assert.equal(await thumbnails.count(), 2);
    await page.waitForFunction(() => [...document.querySelectorAll("#vignettes img")]
      .every((image) => image.complete && image.naturalWidth === 160), null, { timeout: 10000 });
    assert.equal(await page.locator("#page-numero").textContent(), "Page 1 sur 2");
    await page.locator(".boite").first().waitFor();
    assert.equal(await page.locator(".boite[aria-hidden=true]").count(), await page.locator(".boite").count());
    // The boxes: a thin outline a few pixels outside the words, nothing over them, the number beside.
    const boxes = await page.locator(".boite").evaluateAll((all) => all.map((box) => {
      const style = getComputedStyle(box);
      const b = box.getBoundingClientRect();
      const t = box.querySelector("span").getBoundingClientRect();
      return { background: style.backgroundColor, offset: parseFloat(style.outlineOffset), width: parseFloat(style.outlineWidth),
        overlaps: !(t.right <= b.left || t.left >= b.right || t.bottom <= b.top || t.top >= b.bottom) };
    }));
    for (const box of boxes) {
      assert.equal(box.background, "rgba(0, 0, 0, 0)", "transparent inside");
      assert.ok(box.offset >= 2 && box.width <= 2, `outline outside the words: ${JSON.stringify(box)}`);
      assert.ok(!box.overlaps, "the number is beside its box, not on it");
    }
    await page.screenshot({ path: path.join(artefacts, "30-visionneuse.png") });

    // Page 2 from its thumbnail, and the text read on it.
    await thumbnails.nth(1).click();
    await page.waitForFunction(() => document.getElementById("page-numero").textContent === "Page 2 sur 2");
    assert.equal(await thumbnails.nth(1).getAttribute("aria-current"), "page");
    await page.waitForFunction(() => {
      const image = document.getElementById("page-image");
      return /\/pages\/2\?width=/.test(image.src) && image.complete && image.naturalWidth > 0;
    });
    await page.getByRole("button", { name: "Texte lu sur la page" }).click();
    await page.locator("#texte-lu-contenu").filter({ hasText: /Conditions/ }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator("#texte-lu-titre").textContent(), "Texte lu sur la page 2");
    await page.screenshot({ path: path.join(artefacts, "30-page-2-texte.png") });
    await checkAccessibility(page, "visionneuse, texte lu");
    await page.getByRole("button", { name: "Texte lu sur la page" }).click();
    await page.getByRole("button", { name: "Page précédente" }).click();
    await page.locator(".boite").first().waitFor();

    // Zoom: 200 % is twice as wide as 100 %, with a sharper image; 0 fits the width again; + and
    // Ctrl + wheel enlarge.
    await page.getByRole("button", { name: "100 %" }).click();
    const at100 = await shownWidth(page);
    await page.locator("#page-defilement").screenshot({ path: path.join(artefacts, "30-page-100.png") });
    await page.getByRole("button", { name: "200 %" }).click();
    const at200 = await shownWidth(page);
    assert.ok(Math.abs(at200 - 2 * at100) <= 2, `200 % : ${at200} px, 100 % : ${at100} px`);
    await page.waitForFunction(() => {
      const image = document.getElementById("page-image");
      return image.complete && image.naturalWidth >= image.getBoundingClientRect().width - 1;
    }, null, { timeout: 10000 });
    await page.locator("#page-defilement").focus();
    await page.keyboard.press("0");
    const fit = await page.locator("#page-defilement").evaluate((area) => area.clientWidth);
    assert.ok(Math.abs((await shownWidth(page)) - fit) <= 3, "0: the width of the viewer");
    await page.keyboard.press("+");
    assert.ok((await shownWidth(page)) > fit + 10, "+ enlarges");
    const before = await shownWidth(page);
    const area = await page.locator("#page-defilement").boundingBox();
    await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -120);
    await page.keyboard.up("Control");
    await page.waitForFunction((w) => document.getElementById("page-image").getBoundingClientRect().width > w + 10, before);

    // A field chosen in the list: its box highlighted and brought into the viewer.
    await page.getByRole("button", { name: "200 %" }).click();
    await page.getByLabel(/Montant TTC/).focus();
    const chosen = page.locator('.boite.choisie[data-champ="montant_ttc"]');
    await chosen.waitFor();
    assert.equal(await page.locator(".boite.choisie").count(), 1);
    const inView = await chosen.evaluate((box) => {
      const b = box.getBoundingClientRect();
      const v = document.getElementById("page-defilement").getBoundingClientRect();
      return b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom;
    });
    assert.ok(inView, "the chosen field's box is in view");
    await page.screenshot({ path: path.join(artefacts, "30-zoom-champ.png") });
    // A box clicked: its field has the focus. One whose centre is not under another box.
    await page.getByRole("button", { name: "Largeur" }).click();
    const target = await page.locator(".boite").evaluateAll((all) => {
      for (const box of all) {
        if (box.dataset.champ === "montant_ttc") continue;
        box.scrollIntoView({ block: "center", inline: "center" });
        const b = box.getBoundingClientRect();
        const x = b.left + b.width / 2;
        const y = b.top + b.height / 2;
        if (document.elementFromPoint(x, y) === box) return { key: box.dataset.champ, x, y };
      }
      return null;
    });
    assert.ok(target, "a box that can be clicked");
    await page.mouse.click(target.x, target.y);
    assert.equal(await page.evaluate(() => document.activeElement.id), `champ-${target.key}`);
    assert.ok(await page.locator(`.boite.choisie[data-champ="${target.key}"]`).count() === 1);

    log("visionneuse : pages, zoom, champs et boîtes, texte lu : ok");
  } finally {
    await context.close();
  }
}

// On a server with a station on SANE's test backend: only what each device offers is shown (the
// pnm backend: resolutions only; the test backend: modes and sources, and no duplex), an area
// drawn on the preview, the scan made with it, a page added to it, and the station remembered
// after a reload.
async function scanSettingsAreWhatTheDeviceOffers(_page, _url, { browser }) {
  const { server, url, work } = await startServer(["stations.essai.label = Scanner d'essai", "stations.essai.device = test:0",
    "stations.essai.resolution = 75"]);
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  const page = await context.newPage();
  try {
    await signIn(page, url);
    await page.getByRole("button", { name: "Commencer une visite" }).click();
    await page.locator("#poste option[value=essai]").waitFor({ state: "attached" });
    const options = (id) => page.locator(`#${id} option`).allTextContents();
    await page.getByLabel("Poste de numérisation").selectOption("facture");
    await page.locator('#reglage-resolution option[value="195"]').waitFor({ state: "attached" });  // the pnm backend's list
    await page.locator("#reglages-numerisation summary").click();  // opened, it stays open from one station to the next
    assert.ok(await page.locator("#bloc-resolution").isVisible());
    for (const hidden of ["bloc-mode", "bloc-source", "bloc-recto-verso", "zone-apercu"]) {
      assert.ok(!(await page.locator(`#${hidden}`).isVisible()), `${hidden} hidden for the pnm backend`);
    }
    await page.getByLabel("Poste de numérisation").selectOption("essai");
    await page.locator("#reglage-mode option", { hasText: "Couleur" }).waitFor({ state: "attached" });
    await page.locator("#bloc-mode").waitFor({ state: "visible" });
    assert.deepEqual(await options("reglage-mode"), ["Gris", "Couleur"]);
    assert.deepEqual(await options("reglage-source"), ["Vitre", "Chargeur"]);
    assert.ok((await options("reglage-resolution")).includes("300 ppp"));
    assert.equal(await page.locator("#reglage-resolution").inputValue(), "75");
    assert.ok(!(await page.locator("#bloc-recto-verso").isVisible()), "no duplex on the test backend");
    // The preview, and an area drawn on it: half the width, a third of the height of 200 mm.
    await page.getByRole("button", { name: "Aperçu" }).click();
    await page.waitForFunction(() => document.getElementById("apercu-image").naturalWidth > 0, null, { timeout: 15000 });
    const frame = await page.locator("#apercu-cadre").boundingBox();
    await page.mouse.move(frame.x + frame.width * 0.1, frame.y + frame.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(frame.x + frame.width * 0.6, frame.y + frame.height * 0.533, { steps: 4 });
    await page.mouse.up();
    const said = await page.locator("#zone-texte").textContent();
    const [, width, height] = (said.match(/Zone : ([\d,]+) × ([\d,]+) mm/) || []).map((n) => Number(String(n).replace(",", ".")));
    assert.ok(Math.abs(width - 100) < 3 && Math.abs(height - 66.6) < 3, said);
    await page.screenshot({ path: path.join(artefacts, "30-reglages-apercu.png") });
    await checkAccessibility(page, "réglages de numérisation");
    await page.getByRole("button", { name: "Numériser" }).click();
    await page.locator("#avancement-texte", { hasText: "Lecture terminée" }).or(page.locator("#erreur-document:visible"))
      .waitFor({ timeout: 30000 });
    const shape = await page.evaluate(() => fetch(`/api/v1/cases/${state.caseId}/documents/${state.documentId}/pages/1`)
      .then((r) => r.blob()).then(createImageBitmap).then((b) => ({ width: b.width, height: b.height })));
    assert.ok(Math.abs(shape.width / shape.height - 1.5) < 0.1, `the area scanned: ${shape.width}×${shape.height}`);
    // "Ajouter une page": the same area scanned again into the document, read again: two pages.
    await page.getByRole("button", { name: "Ajouter une page" }).click();
    await page.locator("#vignettes .vignette").nth(1).waitFor({ timeout: 30000 });
    assert.equal(await page.locator("#page-numero").textContent(), "Page 1 sur 2");
    await page.waitForFunction(() => [...document.querySelectorAll("#vignettes img")]
      .every((image) => image.complete && image.naturalWidth > 0), null, { timeout: 10000 });
    await page.locator("#etape-lecture").screenshot({ path: path.join(artefacts, "30-page-ajoutee.png") });
    // The station chosen is this desk's, after a reload.
    await page.reload();  // the visit reopens (desk-visits.js), its station chosen again
    await page.locator("#poste option[value=essai]").waitFor({ state: "attached" });
    await page.waitForFunction(() => document.getElementById("poste").value === "essai", null, { timeout: 5000 });
    log("réglages de numérisation, aperçu et zone, page ajoutée, poste retenu : ok");
  } finally {
    await context.close();
    server.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { scenarios: [aDocumentOfTwoPagesInTheViewer, scanSettingsAreWhatTheDeviceOffers] };
