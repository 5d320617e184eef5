// What every scenario of the desk's end-to-end test shares (desk.test.js runs them): the
// server started on a free port with the demo's stations, signing in, the checks that hold on
// every screen. A scenario file (tests/e2e/scenarios/*.js) exports `scenarios`: async functions
// (page, url, context) run in the order of the file names, after desk.test.js's own, on the
// same server and page; a scenario that needs its own server starts it with startServer(extra).
"use strict";

const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const assert = require("assert");

const [buildDir, sourceDir, artefacts] = process.argv.slice(2).map((p) => path.resolve(p));
fs.mkdirSync(artefacts, { recursive: true });

function log(message) { process.stdout.write(`e2e : ${message}\n`); }

// `comptoir serve` on a free port; resolves with its base URL once it says it is ready.
function startServer(extra = []) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "comptoir-e2e-"));
  const config = path.join(work, "comptoir.properties");
  fs.writeFileSync(config, [
    "server.port = 0",
    "data.dir = data",
    "ocr.engines = 2",
    // Every browser context of the test is one more client on 127.0.0.1, each with its own six
    // connections and its event stream: a desk PC has one browser, the test has several at once.
    "server.max_connections_per_address = 64",
    "site.name = PIMMS de démonstration",
    "site.city = Lorient",
    "accounts.demo = mediateur:comptoir-demo",
    `scanners.config_dir = ${sourceDir}/demo/sane`,
    "stations.facture.label = Facture EDF (exemple)",
    "stations.facture.device = pnm:0",
    "stations.facture.resolution = 200",
    `stations.facture.options.filename = ${buildDir}/demo/edf-facture.pgm`,
    "stations.fond.label = Poste du fond",
    "stations.fond.match = Canon*LiDE*",
    ...extra,
    "",
  ].join("\n"));
  // The site's administrator, made as the README says: the password on standard input.
  execFileSync(path.join(buildDir, "comptoir"), ["admin", "create-user", "--config", config, "--login", "direction", "--role", "admin"],
    { input: "admin-du-site-2026\n" });
  const server = spawn(path.join(buildDir, "comptoir"), ["serve", "--config", config], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`server not ready:\n${output}`)), 30000);
    const read = (chunk) => {
      output += chunk.toString();
      const ready = output.match(/prêt : (http:\/\/[0-9.]+:[0-9]+)\//);
      if (ready) { clearTimeout(timer); resolve({ server, url: ready[1], work, output: () => output }); }
    };
    server.stdout.on("data", read);
    server.stderr.on("data", read);
    server.on("exit", (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

// No internal id (« edf.facture », « edf.delai_paiement ») in what the page shows.
async function assertNoIds(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const ids = text.match(/\b(edf|caf|impots)\.[a-z_]+\b/g);
  assert.equal(ids, null, `${where} : identifiants internes affichés : ${ids}`);
}

function pdfText(file) { return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString(); }

// axe-core run in the page as it is now (WCAG 2.1 A and AA rules): no serious or critical
// violation. Evaluated through the DevTools protocol, not a <script> tag, so that a
// Content-Security-Policy does not block it. The page's own state is left as it was.
const axeSource = require("axe-core").source;
async function checkAccessibility(page, where) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const said = serious.map((v) => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(said, [], `${where} : accessibilité (axe-core)`);
  return result.violations.length;
}

// Signs in on the desk's page (index.html) as LOGIN and waits for the desk.
async function signIn(page, url, login = "mediateur", password = "comptoir-demo") {
  await page.goto(url + "/");
  await page.getByLabel("Identifiant").fill(login);
  await page.getByLabel("Mot de passe").fill(password);
  await page.keyboard.press("Enter");
  await page.locator("#qui").waitFor({ state: "visible" });
}

module.exports = { buildDir, sourceDir, artefacts, log, startServer, assertNoIds, pdfText, signIn, checkAccessibility };
