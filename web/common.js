// What the mediator's desk (desk.js) and the administrator's page (admin.js) share: the API
// call with the session's CSRF token, and a few DOM helpers. Plain JavaScript, nothing loaded
// from the internet.
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
