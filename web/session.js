// The session's end, said before it happens (index.html and admin.html, after common.js). The
// server says when the session ends if nothing more is done (GET /me: expires_at, idle_seconds);
// every other call pushes it back. Two minutes before the end (a quarter of the idle time when
// that is shorter: the tests' sessions last seconds) a dialog offers to stay signed in; if the
// session ends anyway the page shows the sign-in form with a sentence that says why.
"use strict";

const sessionClock = (() => {
  let idle = 0;          // seconds
  let ends = 0;          // when the session ends at the latest, ms since 1970
  let warnTimer = null;
  let endTimer = null;
  let box = null;
  let focusBefore = null;

  // The server writes a session's use at most every min(30 s, idle/4): a call may leave its end
  // that much earlier than now + idle. The warning counts from the earliest end, the check that
  // it ended from the latest.
  const unwritten = () => Math.min(30, Math.floor(idle / 4)) * 1000;
  const lead = () => Math.min(120, idle / 4) * 1000;

  function dialog() {
    if (box) return box;
    box = element("div", { id: "fin-session", class: "fin-session", role: "alertdialog",
                           "aria-labelledby": "fin-session-texte", "aria-modal": "false" });
    box.hidden = true;
    box.append(element("p", { id: "fin-session-texte" }),
               element("button", { type: "button", id: "rester-connecte" }, "Rester connectée"));
    box.querySelector("button").addEventListener("click", stayOn);
    document.body.prepend(box);
    return box;
  }

  function hide() {
    if (!box || box.hidden) return;
    box.hidden = true;
    if (focusBefore && document.contains(focusBefore)) focusBefore.focus();
    focusBefore = null;
  }

  function warn() {
    const node = dialog();
    const seconds = Math.round(lead() / 1000);
    const delay = seconds >= 120 ? "2 minutes" : `${seconds} secondes`;
    node.querySelector("p").textContent = `Votre session se termine dans ${delay}.`;
    if (node.hidden) focusBefore = document.activeElement;
    node.hidden = false;
    node.querySelector("button").focus();
  }

  async function stayOn() {
    try {
      learn(await call("GET", "/me"));  // a use: the server pushes the end back
      hide();
    } catch (e) { /* a 401 has shown the sign-in form */ }
  }

  // At the latest end, one look: a 401 (the session ended) signs out through common.js; a
  // session another tab kept alive answers its new end.
  async function check() {
    try { learn(await call("GET", "/me")); } catch (e) { /* signed out */ }
  }

  function plan(earliest, latest) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    const now = Date.now();
    warnTimer = setTimeout(warn, Math.max(0, earliest - lead() - now));
    endTimer = setTimeout(check, Math.max(0, latest - now) + 1000);
  }

  // /me's answer (or the sign-in's): the end as the server has it.
  function learn(me) {
    if (!me || !me.expires_at) return;
    idle = me.idle_seconds || idle;
    ends = Date.parse(me.expires_at);
    plan(ends, ends);
  }

  // Any other call that succeeded with the session: its end moved to about now + idle.
  function used() {
    if (!idle) return;
    const now = Date.now();
    const latest = now + idle * 1000;
    if (latest <= ends) return;
    ends = latest;
    plan(latest - unwritten(), latest);
    hide();
  }

  function stop() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    idle = 0;
    ends = 0;
    hide();
  }

  return { learn, used, stop };
})();
