// The administrator's page, the site's activity over a period: totals, a chart per day, counts
// per partner and kind, station and letter, and the CSV export. Numbers only, nothing of anyone.
"use strict";

// What the page shows in place of ids (GET /admin/labels): kinds, letters, stations and
// partners by their French labels. Asked once; the CSV export keeps the ids.
let adminLabelsAsked = null;
function adminLabels() {
  if (!adminLabelsAsked) {
    adminLabelsAsked = call("GET", "/admin/labels").catch(() => {
      adminLabelsAsked = null;
      return { kinds: {}, letters: {}, stations: {}, partners: {} };
    });
  }
  return adminLabelsAsked;
}

function frenchDay(iso) { return iso.split("-").reverse().join("/"); }

function isoDay(date) { return date.toISOString().slice(0, 10); }

function daysBetween(from, to) {
  const days = [];
  for (let d = new Date(`${from}T00:00:00Z`); isoDay(d) <= to && days.length < 400; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(isoDay(d));
  }
  return days;
}

// Bars per day: documents read (solid) and letters written (hatched), labelled, so that
// neither colour nor shape alone tells them apart.
function drawChart(from, to, rows) {
  const days = daysBetween(from, to);
  const documents = Object.fromEntries(days.map((d) => [d, 0]));
  const letters = Object.fromEntries(days.map((d) => [d, 0]));
  for (const row of rows) {
    if (row.event === "document" && row.day in documents) documents[row.day] += row.count;
    if (row.event === "letter" && row.day in letters) letters[row.day] += row.count;
  }
  const max = Math.max(1, ...Object.values(documents), ...Object.values(letters));
  const ns = "http://www.w3.org/2000/svg";
  const width = 900, height = 220, left = 36, bottom = 28, top = 24;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const total = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  svg.setAttribute("aria-label", `${total(documents)} documents lus et ${total(letters)} courriers écrits du ${frenchDay(from)} au ${frenchDay(to)}`);
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  const defs = add("defs", {});
  const pattern = document.createElementNS(ns, "pattern");
  for (const [k, v] of Object.entries({ id: "hachures", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" })) pattern.setAttribute(k, v);
  const stripe = document.createElementNS(ns, "rect");
  for (const [k, v] of Object.entries({ width: 3, height: 6, fill: "#18753c" })) stripe.setAttribute(k, v);
  pattern.append(stripe);
  defs.append(pattern);
  const plot = height - bottom - top;
  const slot = (width - left) / days.length;
  const bar = Math.max(1, slot * 0.4);
  for (let step = 0; step <= 4; step++) {
    const value = Math.round((max * step) / 4);
    const y = top + plot - (plot * value) / max;
    add("line", { x1: left, x2: width, y1: y, y2: y, stroke: "#ddd" });
    add("text", { x: left - 4, y: y + 4, "text-anchor": "end", "font-size": 11 }, String(value));
  }
  days.forEach((day, i) => {
    const x = left + i * slot + slot * 0.1;
    const dh = (plot * documents[day]) / max;
    const lh = (plot * letters[day]) / max;
    add("rect", { x, y: top + plot - dh, width: bar, height: dh, fill: "#000091" })
      .append(Object.assign(document.createElementNS(ns, "title"), { textContent: `${frenchDay(day)} : ${documents[day]} document(s) lu(s)` }));
    add("rect", { x: x + bar, y: top + plot - lh, width: bar, height: lh, fill: "url(#hachures)", stroke: "#18753c" })
      .append(Object.assign(document.createElementNS(ns, "title"), { textContent: `${frenchDay(day)} : ${letters[day]} courrier(s)` }));
    const every = Math.ceil(days.length / 10);
    if (i % every === 0) add("text", { x: x + bar, y: height - 10, "text-anchor": "middle", "font-size": 11 }, day.slice(5).split("-").reverse().join("/"));
  });
  add("rect", { x: left + 10, y: 4, width: 12, height: 12, fill: "#000091" });
  add("text", { x: left + 26, y: 14, "font-size": 12 }, "documents lus");
  add("rect", { x: left + 140, y: 4, width: 12, height: 12, fill: "url(#hachures)", stroke: "#18753c" });
  add("text", { x: left + 156, y: 14, "font-size": 12 }, "courriers écrits");
  $("graphique").replaceChildren(svg);
}

// `names`: for each column, the labels of its ids.
function fillTable(id, counts, columns, names) {
  const body = $(id);
  body.textContent = "";
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  for (const [key, count] of entries) {
    const row = element("tr");
    key.split("\u0000").slice(0, columns).forEach((part, column) => row.append(cell((part && (names[column][part] || part)) || "—")));
    row.append(cell(count));
    body.append(row);
  }
  if (!entries.length) {
    const row = element("tr");
    row.append(element("td", { colspan: String(columns + 1) }, "Rien sur cette période."));
    body.append(row);
  }
}

async function loadStatistics(event) {
  if (event) event.preventDefault();
  say("erreur-statistiques", "");
  if (!$("au").value) {
    const today = new Date();
    $("au").value = isoDay(today);
    $("du").value = isoDay(new Date(today.getTime() - 29 * 86400000));
  }
  const from = $("du").value, to = $("au").value;
  $("export-csv").href = `${api}/admin/stats.csv?from=${from}&to=${to}`;
  try {
    const data = await call("GET", `/admin/stats?from=${from}&to=${to}`);
    const t = data.totals;
    const labels = await adminLabels();
    $("totaux").textContent = `Du ${frenchDay(from)} au ${frenchDay(to)} : ${t.case} visite(s), ${t.document} document(s) lu(s), ` +
      `${t.unread} illisible(s), ${t.letter} courrier(s) écrit(s).`;
    drawChart(from, to, data.rows);
    const perKind = {}, perStation = {}, perLetter = {};
    for (const row of data.rows) {
      if (row.event === "document") {
        const key = `${row.partner}\u0000${row.kind}`;
        perKind[key] = (perKind[key] || 0) + row.count;
      }
      if (row.event === "document" || row.event === "unread") perStation[row.station] = (perStation[row.station] || 0) + row.count;
      if (row.event === "letter") perLetter[row.letter] = (perLetter[row.letter] || 0) + row.count;
    }
    fillTable("par-type", perKind, 2, [labels.partners, labels.kinds]);
    fillTable("par-poste", perStation, 1, [labels.stations]);
    fillTable("par-courrier", perLetter, 1, [labels.letters]);
  } catch (e) {
    say("erreur-statistiques", e.message);
  }
}

$("periode").addEventListener("submit", loadStatistics);
