// The site administrator's page (admin.html): signing in (as an administrator only), then each
// section loaded by its own file: admin-stations.js (scanner stations), admin-server.js (plugins,
// instances), admin-accounts.js, admin-retention.js (retention and encryption),
// admin-certificates.js (2D-Doc certificates), admin-statistics.js (activity), admin-journal.js (the audit log). This file, loaded after them,
// holds what they share and starts the page. Plain JavaScript over the REST API (docs/api.md).
"use strict";

function cell(text) { return element("td", {}, String(text)); }
// A moment of the API (UTC, ISO 8601) as the office reads it: its own time, the French way
// (« 06/12/2026 15:35:00 »).
function dateTime(iso) {
  if (!iso) return "—";
  const at = new Date(iso);
  if (isNaN(at)) return iso;
  return `${at.toLocaleDateString("fr-FR")} ${at.toLocaleTimeString("fr-FR")}`;
}

function loadAll() {
  loadStations(false);
  loadPlugins();
  loadAccounts();
  loadRetention();
  loadCertificates();
  loadInstances();
  loadStatistics();
  loadJournal(true);
}

setUpSignIn({
  refuses: (me) => me.role === "admin" ? ""
    : `Le compte « ${me.login} » n'est pas administrateur : cette page est réservée à l'administrateur du site.`,
  opened: () => {
    show("administration", true);
    loadAll();
  },
  closed: () => show("administration", false),
});
