// The administrator's page, its scanner stations: each station's state, a test scan, and what
// SANE sees (the devices and its configuration folder).
"use strict";

async function loadStations(refresh) {
  say("erreur-postes", "");
  try {
    const data = await call("GET", `/admin/stations${refresh ? "?refresh=1" : ""}`);
    const body = $("liste-postes");
    body.textContent = "";
    for (const station of data.stations) {
      const row = element("tr");
      row.append(element("th", { scope: "row" }, station.label));
      row.append(cell(station.device || station.configured_device || `motif « ${station.match} »`));
      const stateCell = element("td");
      if (station.ready) {
        stateCell.append(element("span", { class: "ok" }, station.busy ? "✔ prêt, occupé" : "✔ prêt"));
      } else {
        stateCell.append(element("span", { class: "alerte" }, `introuvable : ${station.problem}`));
      }
      row.append(stateCell);
      const test = element("td");
      const button = element("button", { type: "button" }, "Numériser à l'essai");
      button.disabled = !station.ready;
      button.addEventListener("click", () => testScan(station, button));
      test.append(button);
      row.append(test);
      body.append(row);
    }
    if (!data.stations.length) {
      const row = element("tr");
      row.append(element("td", { colspan: "4" }, "Aucun poste configuré (clés stations.<id>.* du fichier de configuration)."));
      body.append(row);
    }
    $("sane-config").textContent = data.sane.available
      ? `Configuration SANE : ${data.sane.config_dir}. ${data.sane.devices.length} appareil(s) vu(s) :`
      : "SANE n'est pas disponible sur ce serveur.";
    const devices = $("sane-appareils");
    devices.textContent = "";
    for (const device of data.sane.devices) {
      devices.append(element("li", {}, `${device.name} — ${device.vendor} ${device.model} (${device.type})`));
    }
  } catch (e) {
    say("erreur-postes", e.message);
  }
}

async function testScan(station, button) {
  button.disabled = true;
  show("essai", true);
  $("essai-texte").textContent = `Numérisation d'essai sur « ${station.label} »…`;
  $("essai-image").removeAttribute("src");
  try {
    const response = await fetch(`${api}/stations/${encodeURIComponent(station.id)}/preview`, { credentials: "same-origin" });
    if (!response.ok) {
      const json = await response.json().catch(() => null);
      throw new Error(json && json.error ? json.error.message : `Erreur ${response.status}.`);
    }
    $("essai-image").src = URL.createObjectURL(await response.blob());
    $("essai-texte").textContent = `Essai réussi sur « ${station.label} » : voici la page reçue.`;
  } catch (e) {
    $("essai-texte").textContent = "";
    say("erreur-postes", `Essai sur « ${station.label} » : ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

$("rechercher-scanners").addEventListener("click", () => loadStations(true));
