// The desk's first paint on loopback (issue 30's target: ≤ 1 s): Debian's headless Chromium
// loads the desk's page signed out (the sign-in form) and signed in (the desk), ten times each
// in a fresh browser context (nothing cached), and reports first-contentful-paint and the
// load event, median and worst. Uses the e2e test's harness (its own `comptoir serve` on a free
// port) and its playwright-core (installed by the e2e test: run `ctest -R e2e` once first).
//   NODE_PATH=build/e2e/node_modules node bench/desk_paint.js build . /tmp/desk-paint
"use strict";

const path = require("path");
const { chromium } = require("playwright-core");
const harness = require(path.join(__dirname, "..", "tests", "e2e", "harness.js"));

const runs = 10;

async function paint(browser, url, signedIn) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "fr-FR" });
  const page = await context.newPage();
  if (signedIn) {
    await harness.signIn(page, url);
    await page.goto("about:blank");
  }
  await page.goto(url + "/", { waitUntil: "load" });
  await page.locator(signedIn ? "#qui" : "#identifiant").waitFor({ state: "visible" });
  const times = await page.evaluate(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    return { fcp: fcp ? fcp.startTime : NaN, load: nav.loadEventEnd };
  });
  await context.close();
  return times;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return `médiane ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, pire ${sorted[sorted.length - 1].toFixed(0)} ms`;
}

(async () => {
  const { server, url } = await harness.startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const signedIn of [false, true]) {
      const fcp = [];
      const load = [];
      for (let i = 0; i < runs; ++i) {
        const t = await paint(browser, url, signedIn);
        fcp.push(t.fcp);
        load.push(t.load);
      }
      console.log(`${signedIn ? "connecté (le bureau)" : "déconnecté (connexion)"} : premier affichage ${summary(fcp)} ; chargement ${summary(load)}`);
    }
  } finally {
    await browser.close();
    server.kill("SIGTERM");
  }
})().catch((error) => { console.error(error); process.exit(1); });
