// The administrator's page, retention and encryption: the rules and what is kept, the purge run
// now, a case forgotten at its person's request, whether the spool is encrypted.
"use strict";

function showRetention(data) {
  const rules = data.rules;
  $("regles").textContent = `Un dossier est effacé ${rules.after_close_hours} h après sa clôture, et au plus tard ` +
    `${rules.max_days} jour(s) après son ouverture (vérifié toutes les ${rules.check_minutes} min).`;
  $("dossiers-gardes").textContent = `Dossiers gardés : ${data.cases.open} ouvert(s), ${data.cases.closed} clos` +
    (data.cases.oldest_created_at ? ` ; le plus ancien ouvert le ${dateTime(data.cases.oldest_created_at)}.` : ".");
  $("dernier-passage").textContent = data.purge.last_run
    ? `Dernier passage : ${dateTime(data.purge.last_run)}, ${data.purge.last_count} dossier(s) effacé(s) ` +
      `(${data.purge.total_since_start} depuis le démarrage). Prochain : ${dateTime(data.purge.next_run)}.`
    : "L'effacement n'est pas encore passé.";
  $("chiffrement").textContent = data.encryption.enabled
    ? `Fichiers des dossiers chiffrés (${data.encryption.algorithm}), clé d'empreinte ${data.encryption.key_id}.`
    : "⚠ Fichiers des dossiers NON chiffrés (storage.encryption = off).";
}

async function loadRetention() {
  try {
    showRetention(await call("GET", "/admin/retention"));
  } catch (e) {
    say("erreur-conservation", e.message);
  }
}

async function purgeNow() {
  say("erreur-conservation", "");
  try {
    const data = await call("POST", "/admin/purge");
    showRetention(data);
    $("message-conservation").textContent = `${data.purged} dossier(s) échu(s) effacé(s).`;
  } catch (e) {
    say("erreur-conservation", e.message);
  }
}

async function forgetCase(event) {
  event.preventDefault();
  say("erreur-conservation", "");
  $("message-conservation").textContent = "";
  const number = $("oubli-numero").value.trim();
  if (!/^[0-9]+$/.test(number)) { say("erreur-conservation", "Indiquez le numéro du dossier (des chiffres)."); return; }
  if (!window.confirm(`Effacer maintenant tout le dossier n° ${number} ? Rien ne pourra être récupéré.`)) return;
  try {
    await call("DELETE", `/cases/${number}`);
    $("message-conservation").textContent = `Dossier n° ${number} effacé.`;
    $("oubli-numero").value = "";
    loadRetention();
    loadJournal(true);
  } catch (e) {
    say("erreur-conservation", e.message);
  }
}

$("purger").addEventListener("click", purgeNow);
$("oubli").addEventListener("submit", forgetCase);
