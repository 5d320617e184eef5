// Every document of the visit on the desk (issue 30, items 2, 3 and 5): two documents listed, a
// refused upload after a good one (both lines shown, the good one still readable, never
// "terminée" beside the error), another kind chosen by the mediator, an upside-down page warned
// then turned with one click and read right, a document removed.
"use strict";

const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const assert = require("assert");
const { sourceDir, artefacts, log, signIn, assertNoIds, checkAccessibility } = require("../harness.js");

async function signedInAsMediator(page, url) {
  await page.goto(url + "/");
  await page.locator("#qui:visible, #identifiant:visible").first().waitFor();
  if (await page.locator("#qui").isVisible()) {
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.getByLabel("Identifiant").waitFor();
  }
  await signIn(page, url);
}

// The API's view of a document of the visit shown.
async function documentOf(page, url, visit, id) {
  return (await page.request.get(`${url}/api/v1/cases/${visit}/documents/${id}`)).json();
}

// Waits until the document is read with its first page turned by `rotation` degrees.
async function readAs(page, visit, id, rotation) {
  await page.waitForFunction(async ([v, d, r]) => {
    const body = await (await fetch(`/api/v1/cases/${v}/documents/${d}`)).json();
    return body.state === "done" && body.page_info && body.page_info[0].rotation === r;
  }, [visit, id, rotation], { timeout: 60000, polling: 250 });
}

async function everyDocumentOfTheVisit(page, url) {
  const started = Date.now();
  await signedInAsMediator(page, url);
  await page.getByRole("button", { name: "Commencer une visite" }).click();
  await page.locator("#visite-titre", { hasText: /Visite n° [0-9]+/ }).waitFor();
  const visit = (await page.locator("#visite-titre").textContent()).match(/[0-9]+/)[0];
  const lines = page.locator("#liste-documents li");
  const depot = page.getByLabel(/déposer un fichier/);

  // A good one, read and shown.
  await depot.setInputFiles(path.join(sourceDir, "demo/edf-facture-demo.png"));
  await lines.filter({ hasText: "Facture d'électricité EDF" }).waitFor({ timeout: 60000 });
  await page.locator("#liste-champs li").first().waitFor();
  // Then a file that is no document: its own line with the French error; the good one stays shown.
  const notes = path.join(artefacts, "pas-un-document.txt");
  fs.writeFileSync(notes, "pas une image");
  await depot.setInputFiles(notes);
  await lines.filter({ hasText: "Ce type de fichier n'est pas lu" }).waitFor();
  assert.equal(await lines.count(), 2);
  assert.ok(await page.locator("#etape-lecture").isVisible(), "the good reading still shown");
  assert.match(await page.locator("#type-document").textContent(), /Facture d'électricité EDF/);
  assert.ok(!/terminée/.test(await page.locator("#etape-document").innerText()), "never « terminée » beside an error");
  await page.screenshot({ path: path.join(artefacts, "20-deux-documents.png") });

  // An upside-down page: warned above the reading.
  const turned = path.join(artefacts, "facture-a-l-envers.png");
  execFileSync("convert-im6.q16", [path.join(sourceDir, "demo/edf-facture-demo.png"), "-rotate", "180", turned]);
  await depot.setInputFiles(turned);
  await page.locator("#liste-documents li [aria-current=true]", { hasText: "facture-a-l-envers.png" }).waitFor({ timeout: 60000 });
  assert.equal(await lines.count(), 3);
  const upsideDown = Number(await page.locator("#liste-documents li", { hasText: "facture-a-l-envers.png" }).getAttribute("data-document"));
  let read = await documentOf(page, url, visit, upsideDown);
  const had = read.page_info[0].rotation / 90;
  await page.locator("#pages-a-verifier", { hasText: /La page 1 semble .* : tournez-la ou numérisez-la à nouveau\./ }).waitFor();
  // Its fields, when some were read, marked as read on a page to check.
  if (Object.keys(read.fields || {}).length) await page.locator("#liste-champs .page-a-verifier").first().waitFor();
  // As the pipeline would have left it had its orientation been missed, a quarter short of
  // upright (through the API): the page and its fields said doubtful.
  const turns = (((1 - had) % 4) + 4) % 4;
  const csrf = await page.evaluate(() => session.csrf);
  if (turns !== 0) {
    const asked = await page.request.post(`${url}/api/v1/cases/${visit}/documents/${upsideDown}/read`,
      { headers: { "X-CSRF-Token": csrf }, data: { rotate: { page: 1, quarter_turns: turns } } });
    assert.equal(asked.status(), 202, await asked.text());
  }
  await readAs(page, visit, upsideDown, 90);
  // The desk shows the new reading of the document it shows, whoever asked for it.
  await page.locator("#pages-a-verifier", { hasText: /La page 1 semble (de côté|difficile à lire)/ }).waitFor();
  await page.screenshot({ path: path.join(artefacts, "20-page-a-verifier.png") });
  await checkAccessibility(page, "documents de la visite, page à vérifier");
  // One click: turned a quarter more, read again, right.
  await page.locator("#pages-a-verifier").getByRole("button", { name: "Tourner d'un quart de tour et relire" }).click();
  await readAs(page, visit, upsideDown, 180);
  await page.locator("#type-document", { hasText: "Facture d'électricité EDF" }).waitFor();
  await page.locator("#pages-a-verifier").waitFor({ state: "hidden" });
  read = await documentOf(page, url, visit, upsideDown);
  assert.equal(read.document.kind, "edf.facture");
  assert.equal(read.fields.montant_ttc.value, "370.85");
  await page.locator('#liste-champs [data-champ="montant_ttc"]').waitFor();
  assert.equal(await page.getByLabel(/Montant TTC/).inputValue(), "370,85\u00a0€");
  await page.screenshot({ path: path.join(artefacts, "20-page-tournee.png") });

  // Another kind, chosen on the desk for the first document: read again as that kind.
  await lines.filter({ hasText: "edf-facture-demo.png" }).locator(".choisir-document").click();
  await page.locator("#liste-documents li [aria-current=true]", { hasText: "edf-facture-demo.png" }).waitFor();
  await page.getByLabel("Type de document").selectOption({ label: "Attestation de paiement de la Caf" }).catch(async () => {
    const labels = await page.locator("#autre-type option").allTextContents();
    throw new Error(`kinds offered: ${labels.join(" | ")}`);
  });
  await page.getByRole("button", { name: "Relire comme ce type" }).click();
  await page.locator("#type-document", { hasText: "Document lu comme : Attestation de paiement de la Caf (type choisi par le médiateur)." })
    .waitFor({ timeout: 60000 });
  await assertNoIds(page, "type choisi");
  await page.screenshot({ path: path.join(artefacts, "20-autre-type.png") });

  // A document removed: its line goes, the server forgets it.
  page.once("dialog", (dialog) => dialog.accept());
  await lines.filter({ hasText: "facture-a-l-envers.png" }).getByRole("button", { name: /Retirer/ }).click();
  await lines.filter({ hasText: "facture-a-l-envers.png" }).waitFor({ state: "detached" });
  assert.equal(await lines.count(), 2);
  assert.equal((await page.request.get(`${url}/api/v1/cases/${visit}/documents/${upsideDown}`)).status(), 404);
  await page.getByRole("button", { name: "Clore la visite" }).click();
  log(`documents de la visite (liste, échec, type choisi, page tournée, retrait) : ok en ${Math.round((Date.now() - started) / 1000)} s`);
}

module.exports = { scenarios: [everyDocumentOfTheVisit] };
