// Starts the app: reads who this practice is, then shows the screen the address names.
// Routes: #/register, #/patient/<NHS number>, #/recall[/<YYYY-MM>], #/clinic[/<YYYY-MM-DD>],
// #/contact1/<NHS number>, #/triage[/all], #/triage/<NHS number>, #/packs, #/import,
// #/settings, #/settings/rules, #/settings/directory, #/settings/backup, #/settings/restore,
// #/conversation/<NHS number>, #/reports, #/feedback/<NHS number>, #/settings/staff, #/audit,
// #/password, #/about.

import * as api from "./api.js";
import * as register from "./screens/register.js";
import * as patient from "./screens/patient.js";
import * as importScreen from "./screens/import.js";
import * as recall from "./screens/recall.js";
import * as settings from "./screens/settings.js";
import * as clinic from "./screens/clinic.js";
import * as contact1 from "./screens/contact1.js";
import * as triage from "./screens/triage.js";
import * as triageReview from "./screens/triage-review.js";
import * as rules from "./screens/rules.js";
import * as packs from "./screens/packs.js";
import * as conversation from "./screens/conversation.js";
import * as directory from "./screens/directory.js";
import * as backup from "./screens/backup.js";
import * as restore from "./screens/restore.js";
import * as reports from "./screens/reports.js";
import * as feedback from "./screens/feedback.js";
import * as staff from "./screens/staff.js";
import * as audit from "./screens/audit.js";
import * as password from "./screens/password.js";
import * as about from "./screens/about.js";
import { renderSignIn, renderFirstAdministrator, renderProblem } from "./screens/signin.js";
import { setSession } from "./session.js";
import { errorBox, replace } from "./dom.js";

const main = document.getElementById("main");

const routes = [
  { pattern: /^#\/register$/, screen: register, nav: "register" },
  { pattern: /^#\/patient\/(\d{10})$/, screen: patient, nav: "register" },
  { pattern: /^#\/import$/, screen: importScreen, nav: "import" },
  { pattern: /^#\/recall(?:\/(\d{4}-\d{2}))?$/, screen: recall, nav: "recall" },
  { pattern: /^#\/clinic(?:\/(\d{4}-\d{2}-\d{2}))?$/, screen: clinic, nav: "clinic" },
  { pattern: /^#\/contact1\/(\d{10})$/, screen: contact1, nav: "clinic" },
  { pattern: /^#\/triage(?:\/(all))?$/, screen: triage, nav: "triage" },
  { pattern: /^#\/triage\/(\d{10})$/, screen: triageReview, nav: "triage" },
  { pattern: /^#\/packs$/, screen: packs, nav: "packs" },
  { pattern: /^#\/settings$/, screen: settings, nav: "settings" },
  { pattern: /^#\/settings\/rules$/, screen: rules, nav: "settings" },
  { pattern: /^#\/settings\/directory$/, screen: directory, nav: "settings" },
  { pattern: /^#\/settings\/backup$/, screen: backup, nav: "settings" },
  { pattern: /^#\/settings\/restore$/, screen: restore, nav: "settings" },
  { pattern: /^#\/conversation\/(\d{10})$/, screen: conversation, nav: "register" },
  { pattern: /^#\/reports$/, screen: reports, nav: "reports" },
  { pattern: /^#\/feedback\/(\d{10})$/, screen: feedback, nav: "register" },
  { pattern: /^#\/settings\/staff$/, screen: staff, nav: "settings" },
  { pattern: /^#\/audit$/, screen: audit, nav: "audit" },
  { pattern: /^#\/password$/, screen: password, nav: null },
  { pattern: /^#\/about$/, screen: about, nav: null },
];

const app = document.getElementById("app");
const lockBox = document.getElementById("lock-screen");
// The signed-in user's session, as `session_state` gives it.
let session = null;
// Whose view is under the lock screen (null when none is).
let lockedBy = null;
// Views of users who were switched away from, kept as they left them: username → { view, hash }.
const parked = new Map();
let started = false;

/** The first screen the role may use. */
function home() {
  const link = [...document.querySelectorAll("[data-nav]")].find((a) => !a.closest("li").hidden);
  return link ? link.getAttribute("href") : "#/settings";
}

function showUser(s) {
  setSession(s);
  const may = new Set(s.permissions);
  for (const link of document.querySelectorAll("[data-needs]")) {
    link.closest("li").hidden = !link.dataset.needs.split(" ").some((p) => may.has(p));
  }
  document.getElementById("who-name").textContent = `${s.user.full_name} (${s.user.role_name})`;
  document.getElementById("who").hidden = false;
}

/** Covers everything with the lock screen: the view stays in the page, hidden and inert. */
function cover(s) {
  setSession(null);
  app.hidden = true;
  app.inert = true;
  lockBox.hidden = false;
  if (s.problem) {
    renderProblem(lockBox, s.problem);
  } else if (!s.has_accounts) {
    renderFirstAdministrator(lockBox, signedIn);
  } else {
    const who = s.locked && s.user ? s.user.full_name : null;
    renderSignIn(lockBox, { practiceName: s.practice_name, locked: s.locked, who, isDemo: s.is_demo }, signedIn);
  }
}

let locking = false;
async function lockNow() {
  if (!session?.user || !lockBox.hidden || locking) return;
  locking = true;
  try {
    // Screens save what is typed on change, so leaving the field saves it; a screen that saves
    // a moment after typing saves now. The lock waits for those saves to be answered.
    document.activeElement?.blur?.();
    document.dispatchEvent(new CustomEvent("alongside:before-lock"));
    await api.settled();
    lockedBy = session.user.username;
    session = await api.lockScreen();
    cover(session);
  } finally {
    locking = false;
  }
}

async function signedIn(s) {
  const previous = lockedBy;
  session = s;
  lockedBy = null;
  showUser(s);
  replace(lockBox);
  lockBox.hidden = true;
  app.inert = false;
  app.hidden = false;
  lastActivity = Date.now();
  if (!started) {
    started = true;
    if (!window.location.hash) history.replaceState(null, "", home());
    await begin();
    return;
  }
  if (previous && previous !== s.user.username) {
    const view = main.firstElementChild;
    if (view) {
      parked.set(previous, { view, hash: window.location.hash });
      view.remove();
    }
    const mine = parked.get(s.user.username);
    parked.delete(s.user.username);
    if (mine) {
      history.replaceState(null, "", mine.hash);
      main.replaceChildren(mine.view);
      markNav(mine.hash);
    } else {
      history.replaceState(null, "", home());
      await show();
    }
  }
}

// The idle lock: no keyboard or mouse for the practice's lock minutes. While someone is at the
// keyboard the core hears of it every 30 seconds; it locks a minute after the window would.
let lastActivity = Date.now();
let lastKeptAlive = Date.now();
function activity(event) {
  if (!session?.user || !lockBox.hidden) return;
  // A page redrawn under a mouse that has not moved sends a mousemove too: that is no one there.
  if (event.type === "mousemove" && !event.movementX && !event.movementY) return;
  lastActivity = Date.now();
  if (lastActivity - lastKeptAlive > 30_000) {
    lastKeptAlive = lastActivity;
    api.keepAlive().catch(() => {});
  }
}
for (const type of ["keydown", "mousedown", "mousemove", "wheel", "touchstart"]) {
  window.addEventListener(type, activity, { capture: true, passive: true });
}
setInterval(() => {
  if (session?.user && lockBox.hidden && Date.now() - lastActivity > session.lock_minutes * 60_000) lockNow();
}, 10_000);
document.getElementById("lock-button").addEventListener("click", lockNow);
document.getElementById("switch-button").addEventListener("click", lockNow);
document.addEventListener("alongside:sign-in-needed", async () => {
  if (!lockBox.hidden) return;
  if (session?.user) lockedBy = session.user.username;
  session = await api.sessionState();
  cover(session);
});

// A setting or the signed-in user's own account changed: the lock minutes and menu follow.
document.addEventListener("alongside:session-changed", async () => {
  const s = await api.sessionState();
  if (s.user && !s.locked) {
    session = s;
    showUser(s);
  }
});

function markNav(hash) {
  const route = routes.find((r) => r.pattern.test(hash));
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (route && link.dataset.nav === route.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function show() {
  const hash = window.location.hash || home();
  const route = routes.find((r) => r.pattern.test(hash));
  if (!route) {
    window.location.hash = home();
    return;
  }
  markNav(hash);
  const params = hash.match(route.pattern).slice(1).filter((p) => p !== undefined);
  // Each screen draws into its own view, put in place at once; going on to another screen puts
  // that one's view in place instead, so a slow screen finishing late draws into a view no
  // longer shown and never replaces the screen the person went on to.
  const view = document.createElement("div");
  view.className = "view";
  replace(main, view);
  try {
    await route.screen.render(view, ...params);
  } catch (error) {
    replace(view, errorBox(error.message));
  }
}

async function begin() {
  try {
    const info = await api.appInfo();
    const name = info.practice_name ?? "";
    document.getElementById("practice-name").textContent = name;
    document.title = name ? `Alongside — ${name}` : "Alongside";
    document.getElementById("demo-banner").hidden = !info.is_demo;
    await backup.showHeaderNotice(info);
    if (info.upgraded) {
      const u = info.upgraded;
      const notice = document.getElementById("upgrade-notice");
      notice.textContent = `This database was brought up to date for Alongside ${info.version} (database version ${u.from} to ${u.to}). A copy from before was kept at ${u.kept}.`;
      notice.hidden = false;
    }
  } catch (error) {
    replace(main, errorBox(error.message));
    return;
  }
  window.addEventListener("hashchange", show);
  await show();
}

async function start() {
  try {
    session = await api.sessionState();
  } catch (error) {
    app.hidden = false;
    replace(main, errorBox(error.message));
    return;
  }
  if (session.user && !session.locked) await signedIn(session);
  else cover(session);
}

start();
