// The administrator's page, the accounts: listed, created, given a new password, removed.
"use strict";

async function loadAccounts() {
  say("erreur-comptes", "");
  try {
    const { users } = await call("GET", "/users");
    const body = $("liste-comptes");
    body.textContent = "";
    for (const user of users) {
      const row = element("tr");
      row.append(element("th", { scope: "row" }, user.login));
      row.append(cell(user.role === "admin" ? "administrateur" : "médiateur"));
      row.append(cell(dateTime(user.created_at)));
      const actions = element("td");
      const password = element("button", { type: "button" }, "Nouveau mot de passe");
      password.addEventListener("click", () => changePassword(user.login));
      const remove = element("button", { type: "button" }, "Supprimer");
      remove.addEventListener("click", () => removeAccount(user.login));
      actions.append(password, " ", remove);
      row.append(actions);
      body.append(row);
    }
  } catch (e) {
    say("erreur-comptes", e.message);
  }
}

async function accountAction(work, done) {
  say("erreur-comptes", "");
  $("message-comptes").textContent = "";
  try {
    await work();
    $("message-comptes").textContent = done;
    await loadAccounts();
    loadJournal(true);
  } catch (e) {
    say("erreur-comptes", e.message);
  }
}

function createAccount(event) {
  event.preventDefault();
  const login = $("compte-identifiant").value.trim();
  accountAction(async () => {
    await call("POST", "/users", { login, role: $("compte-role").value, password: $("compte-mot-de-passe").value });
    $("compte-identifiant").value = "";
    $("compte-mot-de-passe").value = "";
  }, `Compte « ${login} » créé.`);
}

// A dialog with the new password and its confirmation (password.js); the account's sessions end.
function changePassword(login) {
  passwordDialog({
    id: "definir-mot-de-passe",
    title: `Nouveau mot de passe de « ${login} »`,
    withCurrent: false,
    submitLabel: "Enregistrer le mot de passe",
    send: (_, password) => call("PUT", `/users/${encodeURIComponent(login)}/password`, { password }),
    done: () => accountAction(async () => {}, `Mot de passe de « ${login} » changé ; ses sessions sont fermées.`),
  });
}

function removeAccount(login) {
  if (!window.confirm(`Supprimer le compte « ${login} » ?`)) return;
  accountAction(() => call("DELETE", `/users/${encodeURIComponent(login)}`), `Compte « ${login} » supprimé.`);
}

$("nouveau-compte").addEventListener("submit", createAccount);
