// Passwords in a dialog (index.html and admin.html, after common.js): whoever is signed in
// changes their own (« Mon mot de passe » in the top bar: the current one, the new one, confirmed;
// their other sessions end, this one stays), and the administrator sets an account's
// (admin-accounts.js). The <dialog> is made when opened and removed when closed, so that the
// sign-in form's « Mot de passe » stays the only field of that name on the page.
"use strict";

function passwordDialog({ id, title, withCurrent, submitLabel, send, done }) {
  const dialog = element("dialog", { id, "aria-labelledby": `${id}-titre` });
  const form = element("form", { novalidate: "" });
  form.append(element("h2", { id: `${id}-titre` }, title));
  const field = (name, label, autocomplete, describedBy) => {
    const wrap = element("div", { class: "champ" });
    const input = element("input", { id: `${id}-${name}`, type: "password", autocomplete, required: "",
                                      "aria-describedby": describedBy });
    wrap.append(element("label", { for: input.id }, label), input);
    form.append(wrap);
    return input;
  };
  const current = withCurrent ? field("actuel", "Mot de passe actuel", "current-password") : null;
  const fresh = field("nouveau", "Nouveau mot de passe", "new-password", `${id}-regle`);
  form.append(element("p", { id: `${id}-regle`, class: "aide" },
    "12 caractères au moins, sans l'identifiant, et pas un mot de passe courant (une phrase de quelques mots convient)."));
  const confirmation = field("confirmation", "Confirmer", "new-password");
  const error = element("p", { id: `${id}-erreur`, class: "alerte", role: "alert" });
  error.hidden = true;
  form.append(error);
  const buttons = element("div", { class: "ligne" });
  const cancel = element("button", { type: "button" }, "Annuler");
  buttons.append(element("button", { type: "submit" }, submitLabel), cancel);
  form.append(buttons);
  dialog.append(form);

  const opener = document.activeElement;
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener && document.contains(opener)) opener.focus();
  });
  cancel.addEventListener("click", () => dialog.close());
  const inputs = [current, fresh, confirmation].filter(Boolean);
  const refuse = (input, message) => {
    input.setAttribute("aria-invalid", "true");
    error.textContent = message;
    error.hidden = false;
    input.focus();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const input of inputs) input.removeAttribute("aria-invalid");
    error.hidden = true;
    if (current && !current.value) return refuse(current, "Saisissez votre mot de passe actuel.");
    if ([...fresh.value].length < 12) return refuse(fresh, "Le mot de passe doit avoir au moins 12 caractères.");
    if (fresh.value !== confirmation.value) {
      return refuse(confirmation, "La confirmation ne correspond pas au nouveau mot de passe.");
    }
    try {
      await send(current ? current.value : "", fresh.value);
      dialog.close();
      done();
    } catch (e) {
      if (e.status === 401) return dialog.close();  // the session ended: the sign-in form is shown
      refuse(e.status === 403 && current ? current : fresh, e.message);
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  (current || fresh).focus();
}

// « Mon mot de passe », next to who is signed in.
$("mon-mot-de-passe").addEventListener("click", () => passwordDialog({
  id: "changer-mot-de-passe",
  title: "Changer mon mot de passe",
  withCurrent: true,
  submitLabel: "Changer le mot de passe",
  send: (current, fresh) => call("POST", "/me/password", { current, new: fresh }),
  done: () => {
    $("mot-de-passe-change").textContent = "Mot de passe changé ; vos autres sessions sont fermées.";
  },
}));
