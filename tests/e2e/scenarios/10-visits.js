// Visits that survive (issue 30, items 1 and 7, and its "Bad input"): a reload while the bill is
// read reopens the visit and shows the reading when it ends, the progress moving during OCR
// with the time left (from the case's events, followed here outside the page); a reload with
// answers typed brings them back (the server's draft); a second tab on the visit sees a
// correction made in the first; a new sign-in elsewhere lists the visit and reopens it, a
// colleague taking it over; on a server of its own whose sessions last 8 s, a session that ends
// with the form half filled, then signing in again: the visit and its answers are back. One
// upload per server: the readings are reused.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");
const assert = require("assert");
const { sourceDir, artefacts, log, startServer, signIn, checkAccessibility } = require("../harness.js");

const bill = path.join(sourceDir, "demo/edf-facture-demo.png");
const viewport = { width: 1366, height: 768 };
let since = () => "";

// The case's server-sent events, read by Node with the context's session cookie (a page reload
// does not interrupt them). `seen(type, test)` waits for an event.
async function followCase(url, context, caseId) {
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const events = [];
  const waiters = [];
  const request = http.get(`${url}/api/v1/cases/${caseId}/events`, { headers: { Cookie: cookie } }, (response) => {
    let buffer = "";
    response.setEncoding("utf8");
    response.on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = (block.match(/^event: (.*)$/m) || [])[1];
        const data = (block.match(/^data: (.*)$/m) || [])[1];
        if (!type || !data) continue;
        events.push({ type, data: JSON.parse(data) });
        for (const waiter of [...waiters]) waiter();
      }
    });
  });
  request.on("error", () => {});
  const seen = (type, test = () => true, timeout = 60000) => new Promise((resolve, reject) => {
    const look = () => {
      const found = events.find((e) => e.type === type && test(e.data));
      if (!found) return false;
      waiters.splice(waiters.indexOf(look), 1);
      clearTimeout(timer);
      resolve(found.data);
      return true;
    };
    const timer = setTimeout(() => reject(new Error(`pas d'événement ${type} en ${timeout} ms`)), timeout);
    waiters.push(look);
    look();
  });
  return { events, seen, stop: () => request.destroy() };
}

const visitNumber = async (page) => (await page.locator("#visite-titre").textContent()).match(/[0-9]+/)[0];

// Reads the bill in a new visit of `page`; with `reloadWhileReading`, reloads the page once the
// OCR has started. Returns the visit's number and its events.
async function aVisitWithTheBillRead(page, url, context, reloadWhileReading) {
  await page.getByRole("button", { name: "Commencer une visite" }).click();
  await page.locator("#visite-titre", { hasText: /Visite n° \d+/ }).waitFor();
  const number = await visitNumber(page);
  const events = await followCase(url, context, number);
  await page.getByLabel(/déposer un fichier/).setInputFiles(bill);
  if (reloadWhileReading) {
    await events.seen("progress", (d) => d.stage === "ocr");
    await page.reload();
    // Reopened at once (this tab remembers it), the reading's progress shown, then its result.
    await page.locator("#visite-titre", { hasText: `Visite n° ${number}` }).waitFor({ timeout: 5000 });
    await page.locator("#avancement").waitFor({ state: "visible", timeout: 5000 });
  }
  await page.locator("#liste-champs li").first().waitFor({ timeout: 90000 });
  await events.seen("document", (d) => d.state === "done");
  return { number, events };
}

async function aReloadDuringTheReadingAndWithAnswersTyped(page, url, shared) {
  const { browser } = shared;
  const started = Date.now();  // the scenarios' own time, said with each (≤ 40 s in all)
  since = () => ` (${((Date.now() - started) / 1000).toFixed(1)} s depuis le début des visites)`;
  // The session scenario, under way beside the others (a failure is said by the last).
  shared.eightSeconds = aHalfFilledFormOnEightSecondSessions(browser);
  shared.eightSeconds.catch(() => {});
  const visits = shared.visits = [];
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  const tab = await context.newPage();
  await signIn(tab, url);
  const { number, events } = await aVisitWithTheBillRead(tab, url, context, true);
  // The progress moved during the OCR of the page, not only from 0 to the end, with the time left.
  const ocr = events.events.filter((e) => e.type === "progress" && e.data.stage === "ocr").map((e) => e.data);
  assert.ok(ocr.some((d) => d.percent > 0 && d.percent < 95), `progress within the OCR: ${JSON.stringify(ocr)}`);
  assert.ok(events.events.some((e) => e.type === "progress" && e.data.seconds_left >= 0), "the time left is told");
  const percents = events.events.filter((e) => e.type === "progress").map((e) => e.data.percent);
  assert.deepEqual(percents, [...percents].sort((a, b) => a - b), "progress never goes back");
  events.stop();
  assert.equal(await tab.locator("#avancement-texte").textContent(), "Lecture terminée : 100 %");

  // Answers typed, kept as a draft on the server a second after the last keystroke, back after a reload.
  await tab.getByLabel("Courrier à écrire").selectOption("edf.delai_paiement");
  await tab.getByLabel(/Nom et prénom de la personne/).fill("Jeanne Brouillon");
  await tab.getByLabel(/En combien de mois/).fill("5");
  await tab.locator("#brouillon-etat", { hasText: /Réponses gardées à/ }).waitFor({ timeout: 5000 });
  await tab.reload();
  await tab.locator("#brouillon-etat", { hasText: /Réponses reprises du brouillon \(mediateur,/ }).waitFor({ timeout: 10000 });
  assert.equal(await tab.locator("#visite-titre").textContent(), `Visite n° ${number}`);
  assert.equal(await tab.getByLabel("Courrier à écrire").inputValue(), "edf.delai_paiement");
  assert.equal(await tab.getByLabel(/Nom et prénom de la personne/).inputValue(), "Jeanne Brouillon");
  assert.equal(await tab.getByLabel(/En combien de mois/).inputValue(), "5");
  assert.ok(await tab.locator("#liste-champs li").count() > 3, "the reading shown again");
  await tab.screenshot({ path: path.join(artefacts, "10-visite-rechargee.png") });
  visits.push({ number, context, tab });
  log(`rechargement pendant la lecture puis avec des réponses : ok${since()}`);
}

async function aSecondTabSeesTheSameVisit(page, url, { visits }) {
  assert.ok(visits && visits.length, "the first visit of 10-visits.js is missing");
  const { number, context, tab } = visits[0];
  // Another tab of the same browser: no visit remembered there, the office's visits listed.
  const second = await context.newPage();
  await second.goto(url + "/");
  const listed = second.locator("#liste-visites li", { hasText: `Visite n° ${number},` });
  await listed.waitFor({ timeout: 10000 });
  await listed.getByRole("button", { name: `Reprendre la visite n° ${number}` }).click();
  await second.locator("#liste-champs li").first().waitFor({ timeout: 10000 });
  await second.locator("#brouillon-etat", { hasText: /Réponses reprises du brouillon/ }).waitFor({ timeout: 5000 });
  assert.equal(await second.getByLabel(/Nom et prénom de la personne/).inputValue(), "Jeanne Brouillon");
  // A correction in the first tab shows in the second.
  const amount = tab.getByLabel(/Montant TTC/);
  await amount.fill("1 111,11");
  await amount.press("Enter");
  // Read from the bill's signed 2D-Doc: replaced once confirmed.
  await tab.getByRole("button", { name: "Remplacer quand même" }).click();
  await tab.locator('[data-champ="montant_ttc"] .message.ok').waitFor();
  await second.waitForFunction(() => document.getElementById("champ-montant_ttc").value === "1\u202f111,11\u00a0€", null, { timeout: 5000 });
  await second.close();
  log(`deux onglets sur une visite : ok${since()}`);
}

async function aNewSignInListsTheVisitAndAColleagueTakesItOver(page, url, { browser, visits }) {
  assert.ok(visits && visits.length, "the first visit of 10-visits.js is missing");
  const { number, tab } = visits[0];
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  const desk = await context.newPage();
  await signIn(desk, url, "direction", "admin-du-site-2026");
  const listed = desk.locator("#liste-visites li", { hasText: `Visite n° ${number},` });
  await listed.waitFor({ timeout: 10000 });
  const said = await listed.textContent();
  assert.match(said, /ouverte [a-zé]+ \d+ [a-zéû]+ à \d{2}:\d{2} par mediateur/, said);
  assert.match(said, /Documents : Facture d'électricité EDF/, said);
  await desk.screenshot({ path: path.join(artefacts, "10-visites-en-cours.png") });
  await checkAccessibility(desk, "visites en cours");
  await listed.getByRole("button", { name: `Reprendre la visite n° ${number}` }).click();
  await desk.locator("#liste-champs li").first().waitFor({ timeout: 10000 });
  await desk.locator("#brouillon-etat", { hasText: /Réponses reprises du brouillon/ }).waitFor({ timeout: 5000 });
  assert.equal(await desk.getByLabel(/En combien de mois/).inputValue(), "5");
  // The mediator who had it is told; the take-over is in the journal.
  await tab.locator("#alerte-generale", { hasText: "direction a repris cette visite sur un autre poste." }).waitFor({ timeout: 5000 });
  const journal = await (await desk.request.get(`${url}/api/v1/admin/audit?case=${number}`)).json();
  assert.ok(JSON.stringify(journal).includes("case.take"), `take-over audited: ${JSON.stringify(journal).slice(0, 300)}`);
  await context.close();
  await visits[0].context.close();
  log(`nouvelle connexion, visites en cours, reprise par une collègue : ok${since()}`);
}

// A session of 8 s that ends with the letter form half filled, on a server of its own: its
// visit made and the bill read through the API, a new sign-in reopening the visit from the list,
// answers typed and kept as a draft. Started with the first scenario and left to run beside
// the others (the session's end is waited for meanwhile); the last scenario checks what
// follows. Resolves with what that one needs.
async function aHalfFilledFormOnEightSecondSessions(browser) {
  const own = await startServer(["auth.idle_seconds = 8"]);
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  try {
    const login = await context.request.post(`${own.url}/api/v1/login`, { data: { login: "mediateur", password: "comptoir-demo" } });
    const headers = { "X-CSRF-Token": (await login.json()).csrf };
    const opened = await (await context.request.post(`${own.url}/api/v1/cases`, { headers })).json();
    const sent = await context.request.post(`${own.url}/api/v1/cases/${opened.id}/uploads`, {
      headers, multipart: { file: { name: "facture.png", mimeType: "image/png", buffer: fs.readFileSync(bill) } },
    });
    assert.equal(sent.status(), 202, await sent.text());
    await context.request.post(`${own.url}/api/v1/logout`, { headers });
    const tab = await context.newPage();
    await signIn(tab, own.url);
    await tab.getByRole("button", { name: `Reprendre la visite n° ${opened.id}` }).click();
    // Active while the bill is read: « Rester connectée » when the end is near.
    const deadline = Date.now() + 60000;
    const stay = tab.getByRole("button", { name: "Rester connectée" });
    while (!(await tab.locator("#liste-champs li").first().waitFor({ timeout: 1000 }).then(() => true, () => false))) {
      assert.ok(Date.now() < deadline, "the bill was not read in 60 s");
      if (await stay.isVisible()) await stay.click();
    }
    await tab.getByLabel("Courrier à écrire").selectOption("edf.delai_paiement");
    await tab.getByLabel(/Nom et prénom de la personne/).fill("Paule Interrompue");
    await tab.locator("#brouillon-etat", { hasText: /Réponses gardées à/ }).waitFor({ timeout: 5000 });
    return { ...own, context, tab, number: opened.id };
  } catch (error) {
    await context.close();
    own.server.kill("SIGTERM");
    fs.rmSync(own.work, { recursive: true, force: true });
    throw error;
  }
}

async function aSessionThatEndsKeepsTheDraft(page, url, shared) {
  const { server, work, context, tab, number } =
    await (shared.eightSeconds || aHalfFilledFormOnEightSecondSessions(shared.browser));
  try {
    // Left alone: the session ends, the page says so; signing in again reopens the visit with its answers.
    await tab.locator("#erreur-connexion", { hasText: "Votre session a pris fin" }).waitFor({ timeout: 20000 });
    await tab.getByLabel("Identifiant").fill("mediateur");
    await tab.getByLabel("Mot de passe").fill("comptoir-demo");
    await tab.keyboard.press("Enter");
    await tab.locator("#brouillon-etat", { hasText: /Réponses reprises du brouillon/ }).waitFor({ timeout: 10000 });
    assert.equal(await tab.locator("#visite-titre").textContent(), `Visite n° ${number}`);
    assert.equal(await tab.getByLabel(/Nom et prénom de la personne/).inputValue(), "Paule Interrompue");
    await tab.screenshot({ path: path.join(artefacts, "10-session-reprise.png") });
    log(`session terminée puis reprise avec le brouillon : ok${since()}`);
  } finally {
    await context.close();
    server.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// The first visit is shared with the next scenarios (`context.visits`): its reading is reused.
const scenarios = [aReloadDuringTheReadingAndWithAnswersTyped, aSecondTabSeesTheSameVisit,
  aNewSignInListsTheVisitAndAColleagueTakesItOver, aSessionThatEndsKeepsTheDraft];

module.exports = { scenarios };
