// What the pages share: the API call with the session's CSRF token, signing in and out (the
// desk, index.html, and the administrator's page, admin.html), and a few DOM helpers. Plain
// JavaScript, nothing loaded from the internet.
"use strict";

const api = "/api/v1";
// The signed-in session: its CSRF token, and what the page does when the server says it ended.
const session = { csrf: "", ended: () => {} };
const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  if (text) node.textContent = text;
  return node;
}

// A request to the API; throws an Error whose message is the server's French message.
async function call(method, path, body) {
  const options = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") options.headers["X-CSRF-Token"] = session.csrf;
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(api + path, options);
  } catch (e) {
    throw new Error("Le serveur Comptoir ne répond pas. Vérifiez qu'il est démarré, puis réessayez.");
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (response.status === 401 && path !== "/login") session.ended();
  if (response.ok && typeof sessionClock !== "undefined") {
    if (path === "/me" || path === "/login") sessionClock.learn(json);
    else if (path !== "/logout") sessionClock.used();
  }
  if (!response.ok) {
    const error = new Error(json && json.error ? json.error.message : `Erreur ${response.status}.`);
    error.details = json && json.error;
    error.status = response.status;
    throw error;
  }
  return json;
}

function show(id, visible) { $(id).hidden = !visible; }
function say(id, message) {
  const node = $(id);
  node.textContent = message || "";
  node.hidden = !message;
}

// ---- Signing in --------------------------------------------------------------------------
// The same on every page that needs an account: the form #formulaire-connexion (#identifiant,
// #mot-de-passe, #erreur-connexion in section #connexion), and in the header #qui, the buttons
// #mon-mot-de-passe (password.js) and #deconnexion, and the status #mot-de-passe-change. The page says what it does once someone is signed in, `opened(me, typed)`
// (typed: they have just typed their password), and once signed out, `closed()`; `refuses(me)`,
// if given, returns why this account may not use the page (said under the form), or "".
function setUpSignIn({ opened, closed, refuses = () => "" }) {
  function signedIn(me, typed) {
    session.csrf = me.csrf;
    const refusal = refuses(me);
    if (refusal) {
      show("connexion", true);
      say("erreur-connexion", refusal);
      return;
    }
    $("qui").textContent = `Connecté : ${me.login}${me.role === "admin" ? " (administrateur)" : ""}`;
    show("qui", true);
    show("mon-mot-de-passe", true);
    show("deconnexion", true);
    show("connexion", false);
    opened(me, typed);
  }

  function signedOut() {
    session.csrf = "";
    if (typeof sessionClock !== "undefined") sessionClock.stop();
    closed();
    show("qui", false);
    show("mon-mot-de-passe", false);
    $("mot-de-passe-change").textContent = "";
    show("deconnexion", false);
    show("connexion", true);
    $("identifiant").focus();
  }

  $("formulaire-connexion").addEventListener("submit", async (event) => {
    event.preventDefault();
    say("erreur-connexion", "");
    try {
      const me = await call("POST", "/login", { login: $("identifiant").value.trim(), password: $("mot-de-passe").value });
      $("mot-de-passe").value = "";
      $("mot-de-passe").removeAttribute("aria-invalid");
      signedIn(me, true);
    } catch (e) {
      $("mot-de-passe").setAttribute("aria-invalid", "true");
      say("erreur-connexion", e.message);
    }
  });
  $("deconnexion").addEventListener("click", async () => {
    try { await call("POST", "/logout"); } catch (e) { /* gone already */ }
    signedOut();
  });
  // The server no longer knows the session (its idle time ran out): the page says so.
  session.ended = () => {
    const was = Boolean(session.csrf);
    signedOut();
    if (was) say("erreur-connexion", "Votre session a pris fin : reconnectez-vous.");
  };

  // Whoever the server already knows (a session that outlives the page).
  (async () => {
    try {
      signedIn(await call("GET", "/me"), false);
    } catch (e) {
      if (!session.csrf) signedOut();  // not if someone signed in meanwhile
    }
  })();
}
