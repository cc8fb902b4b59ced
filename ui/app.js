// Starts the app: reads who this practice is, then shows the screen the address names.
// Routes: #/register, #/patient/<NHS number>, #/recall[/<YYYY-MM>], #/clinic[/<YYYY-MM-DD>],
// #/contact1/<NHS number>, #/triage[/all], #/triage/<NHS number>, #/packs, #/import,
// #/settings, #/settings/rules, #/settings/directory, #/settings/backup, #/settings/restore,
// #/conversation/<NHS number>, #/reports, #/feedback/<NHS number>.

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
];

async function show() {
  const hash = window.location.hash || "#/register";
  const route = routes.find((r) => r.pattern.test(hash));
  if (!route) {
    window.location.hash = "#/register";
    return;
  }
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === route.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
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

async function start() {
  try {
    const info = await api.appInfo();
    const name = info.practice_name ?? "";
    document.getElementById("practice-name").textContent = name;
    document.title = name ? `Alongside — ${name}` : "Alongside";
    document.getElementById("demo-banner").hidden = !info.is_demo;
    await backup.showHeaderNotice(info);
  } catch (error) {
    replace(main, errorBox(error.message));
    return;
  }
  window.addEventListener("hashchange", show);
  await show();
}

start();
