// The site administrator's page (admin.html): signing in (as an administrator only), then each
// section loaded by its own file: admin-stations.js (scanner stations), admin-server.js (plugins,
// instances), admin-accounts.js, admin-retention.js (retention and encryption),
// admin-certificates.js (2D-Doc certificates), admin-statistics.js (activity), admin-journal.js (the audit log). This file, loaded after them,
// holds what they share and starts the page. Plain JavaScript over the REST API (docs/api.md).
"use strict";

function cell(text) { return element("td", {}, String(text)); }
function dateTime(iso) { return iso ? iso.replace("T", " ").replace("Z", "") : "—"; }

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
