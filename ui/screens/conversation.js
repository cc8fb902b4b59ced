// The care and support planning conversation (contact 2), on one screen that can be turned
// towards the person. Left: what the clinician needs at a glance (results with trends and
// findings, triage notes, the medication review, the last plan). Centre, in the order a
// conversation flows: the person's agenda, about them, needs → goals → actions, support and
// signposting from the directory, the contingency plan, looking ahead, the review; then the
// last plan's goals reviewed, and agreeing the plan. Every change is saved within a second;
// the plan stays a draft until it is agreed.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

const SAVE_AFTER_MS = 400;

const WHO_KINDS = [
  ["me", "The person"],
  ["professional", "A professional"],
  ["service", "A service"],
  ["someone", "Family, a friend or carer"],
];
const STATUSES = [
  ["planned", "Planned"],
  ["in_progress", "In progress"],
  ["done", "Done"],
  ["stopped", "Stopped"],
];
const OUTCOMES = [
  ["", "Not yet reviewed"],
  ["achieved", "Achieved"],
  ["partly_achieved", "Partly achieved"],
  ["not_achieved", "Not achieved"],
  ["changed", "Changed"],
  ["no_longer_relevant", "No longer relevant"],
];
const REVIEW_HOW = [
  ["appointment", "Appointment at the practice"],
  ["phone", "Phone"],
  ["video", "Video call"],
  ["home_visit", "Home visit"],
];

export async function render(main, nhsNumber) {
  const view = await api.getConversation(nhsNumber);
  let triage = null;
  if (view.review) {
    try {
      triage = await api.getTriage(nhsNumber);
    } catch {
      triage = null;
    }
  }
  draw(main, view, triage);
}

function draw(main, view, triage, notice = null) {
  const latest = view.versions[0] ?? null;
  const header = [
    h("p", { class: "back" }, h("a", { href: `#/patient/${view.nhs_number}` }, "← The record")),
    h(
      "h1",
      { id: "conversation-person", tabindex: "-1" },
      `Care and support plan: ${view.name}`,
      " ",
      h("span", { class: `tag ${view.draft ? "tag-draft" : "tag-agreed"}`, id: "plan-state" }, view.draft ? "Draft" : latest ? `Agreed: version ${latest.version}` : "No plan yet"),
    ),
    h(
      "p",
      { class: "identity" },
      `Born ${view.date_of_birth} (${view.age}) · NHS number ${view.nhs_number}`,
      view.conditions.length ? ` · ${view.conditions.join(", ")}` : "",
      view.communication.length ? ` · ${view.communication.join(", ")}` : "",
    ),
    view.review
      ? h("p", { class: "hint", id: "conversation-review" }, `Review: ${view.review.status_label}`, view.review.conversation ? ` · conversation ${view.review.conversation}` : "")
      : null,
    notice ? h("div", { class: "message message-success", role: "status", id: "conversation-notice" }, notice) : null,
  ];
  const centre = h("div", { class: "plan-work" });
  const layout = h("div", { class: "conversation" }, glance(view, triage), centre);
  replace(main, ...header, layout);
  if (view.draft) {
    workOn(centre, main, view, triage);
  } else {
    notWorking(centre, main, view, triage);
  }
  main.querySelector("#conversation-person").focus();
}

/** The left column: results, triage notes, medication review, and the last plan. */
function glance(view, triage) {
  const trend = { rising: "↑", falling: "↓", steady: "→" };
  const latest = view.versions[0] ?? null;
  return h(
    "aside",
    { class: "glance", "aria-labelledby": "glance-heading" },
    h("h2", { id: "glance-heading" }, "At a glance"),
    triage
      ? [
          h("h3", {}, "Results"),
          triage.results.length
            ? h(
                "ul",
                { class: "glance-results", id: "glance-results" },
                triage.results.map((r) =>
                  h(
                    "li",
                    { class: r.severity ? `row-${r.severity}` : null },
                    h("strong", {}, r.label),
                    " ",
                    h("span", { class: "result-value" }, r.value),
                    r.trend ? ` ${trend[r.trend]}` : "",
                    h("div", { class: "hint" }, r.taken_on, r.previous.length ? ` · before: ${r.previous.join("; ")}` : ""),
                    r.target ? h("div", { class: "hint" }, `Target ${r.target}${r.target_personal ? " (personal)" : ""}`) : null,
                    r.findings.map((f) => h("div", {}, h("span", { class: `tag tag-${f.severity}` }, f.severity === "red" ? "Red" : "Amber"), ` ${f.title}`)),
                  ),
                ),
              )
            : h("p", { class: "hint" }, "No results in this review."),
          h("h3", {}, "Medication review"),
          h(
            "p",
            { id: "glance-medication" },
            triage.medication_review ? (triage.medication_review.needed ? "Needed" : "Not needed") + (triage.medication_review.note ? `: ${triage.medication_review.note}` : "") : "Not decided at triage",
          ),
          triage.notes.length ? [h("h3", {}, "Triage notes"), h("ul", { id: "glance-notes" }, triage.notes.map((n) => h("li", {}, n.note, h("div", { class: "hint" }, `${n.by}, ${n.at}`))))] : null,
        ]
      : h("p", { class: "hint" }, "No open review: no results to show."),
    h("h3", {}, "The last plan"),
    latest
      ? h(
          "div",
          { id: "glance-last-plan" },
          h("p", { class: "hint" }, `Version ${latest.version}, agreed ${latest.agreed_on}`),
          h(
            "ul",
            {},
            latest.plan.needs.flatMap((n) =>
              n.goals.map((g) =>
                h(
                  "li",
                  {},
                  g.words,
                  g.importance ? h("span", { class: "hint" }, ` (importance ${g.importance}/10)`) : "",
                  g.actions.length ? h("ul", {}, g.actions.map((a) => h("li", {}, `${a.what} — ${whoWords(a.who)}, ${a.when}`))) : null,
                ),
              ),
            ),
          ),
        )
      : h("p", { class: "hint" }, "No agreed plan yet."),
  );
}

function whoWords(who) {
  if (who.kind === "me") return "the person";
  return who.name || WHO_KINDS.find(([k]) => k === who.kind)?.[1] || "";
}

/** No plan is being worked on: start one, print the agreed one, read earlier versions. */
function notWorking(centre, main, view, triage) {
  const status = h("div", { "aria-live": "polite", id: "start-status" });
  const latest = view.versions[0] ?? null;
  const start = h(
    "button",
    { type: "button", id: "start-plan", class: "primary", disabled: !view.registered },
    latest ? (view.review && view.review.status !== "plan_agreed" ? "Start this review's plan" : "Change the plan") : "Start the conversation",
  );
  start.addEventListener("click", async () => {
    try {
      draw(main, await api.startPlan(view.nhs_number), triage);
    } catch (error) {
      replace(status, errorBox(error.message));
    }
  });
  replace(
    centre,
    view.registered ? null : h("p", { class: "message message-error" }, "This person is no longer registered: nothing can be recorded."),
    h("p", {}, start),
    status,
    view.review?.can_decline && view.registered ? declineSection(main, view, triage) : null,
    versionsSection(view),
  );
}

function versionsSection(view) {
  if (!view.versions.length) return null;
  const printStatus = h("div", { "aria-live": "polite", id: "print-status" });
  const print = async (version) => {
    try {
      const printed = await api.printPlan(view.nhs_number, version);
      replace(printStatus, h("div", { class: "message message-success", role: "status" }, `Version ${printed.version} written to ${printed.file}${printed.large_print ? " (large print)" : ""} and opened for printing.`));
    } catch (error) {
      replace(printStatus, errorBox(error.message));
    }
  };
  // For another health or care service: the plan as a FHIR R4 document, saved where the user says.
  const exportPlan = async (version) => {
    try {
      const name = `care-plan-${view.nhs_number}${version ? `-version-${version}` : ""}.json`;
      const target = await api.chooseSaveTarget(name, "Save the care plan for another service", { name: "FHIR documents (JSON)", extensions: ["json"] });
      if (!target) return;
      const exported = await api.exportPlanFhir(view.nhs_number, version, target);
      replace(printStatus, h("div", { class: "message message-success", role: "status" }, `Version ${exported.version} saved as a FHIR document to ${exported.file}. It can be sent to a community team or another service that reads FHIR.`));
    } catch (error) {
      replace(printStatus, errorBox(error.message));
    }
  };
  return h(
    "section",
    { "aria-labelledby": "versions-heading" },
    h("h2", { id: "versions-heading" }, "Agreed plans"),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", id: "print-plan", onclick: () => print(null) }, "Print “My care and support plan”"),
      " ",
      h("button", { type: "button", id: "export-plan-fhir", onclick: () => exportPlan(null) }, "Save for another service (FHIR)…"),
    ),
    printStatus,
    h(
      "ul",
      { id: "plan-versions", class: "versions" },
      view.versions.map((v) =>
        h(
          "li",
          { "data-version": v.version },
          h(
            "details",
            {},
            h("summary", {}, `Version ${v.version}: agreed ${v.agreed_on} with ${v.agreed_with}, ${v.clinician}${v.reason ? ` (why: ${v.reason})` : ""}`),
            readOnly(v.plan),
            h("button", { type: "button", onclick: () => print(v.version) }, `Print version ${v.version}`),
            " ",
            h("button", { type: "button", onclick: () => exportPlan(v.version) }, `Save version ${v.version} for another service (FHIR)…`),
          ),
        ),
      ),
    ),
  );
}

function readOnly(plan) {
  const para = (label, text) => (text && text.trim() ? [h("h4", {}, label), h("p", { class: "own-words" }, text)] : null);
  return h(
    "div",
    { class: "plan-read" },
    para("What matters to me", plan.what_matters),
    para("People important to me", plan.people),
    para("How to communicate with me", plan.communication),
    plan.needs.length
      ? [
          h("h4", {}, "Goals"),
          h(
            "ul",
            {},
            plan.needs.flatMap((n) => n.goals.map((g) => h("li", {}, g.words, g.actions.map((a) => h("div", { class: "hint" }, `${a.what} — ${whoWords(a.who)}, ${a.when}`))))),
          ),
        ]
      : null,
    plan.support.length ? [h("h4", {}, "Support and signposting"), h("ul", {}, plan.support.map((a) => h("li", {}, `${a.who.name}: ${a.what}`)))] : null,
    para("Warning signs", plan.contingency.triggers),
    para("What to do", plan.contingency.what_to_do),
    plan.earlier_goals.length ? [h("h4", {}, "Earlier goals"), h("ul", {}, plan.earlier_goals.map((g) => h("li", {}, `${g.words}: ${OUTCOMES.find(([k]) => k === (g.outcome ?? ""))[1]}${g.note ? ` (${g.note})` : ""}`)))] : null,
    plan.review.date ? h("p", {}, `Review on ${plan.review.date} with ${plan.review.who || "the practice"}`) : null,
  );
}

function declineSection(main, view, triage) {
  const reason = h("input", { id: "decline-reason", type: "text", autocomplete: "off" });
  const status = h("div", { "aria-live": "polite", id: "decline-status" });
  const button = h("button", { type: "button", id: "decline-conversation" }, "Record that the person declined");
  button.addEventListener("click", async () => {
    try {
      const updated = await api.declineConversation(view.nhs_number, reason.value);
      draw(main, updated, triage, "Recorded: the person declined the conversation. The review is closed.");
    } catch (error) {
      replace(status, errorBox(error.message));
    }
  });
  return h(
    "details",
    { class: "decline", id: "decline" },
    h("summary", {}, "The person declines a care and support planning conversation"),
    h("div", { class: "field" }, h("label", { for: "decline-reason" }, "Their reason, if they gave one"), reason),
    button,
    status,
  );
}

/** The plan being worked on: every field saves itself. */
function workOn(centre, main, view, triage) {
  const draft = view.draft;
  const plan = structuredClone(draft.plan);
  const saver = {
    revision: draft.revision,
    timer: null,
    inFlight: null,
    dirty: false,
    status: h("p", { id: "plan-save-status", class: "save-status", "aria-live": "polite" }, `Draft · saved`),
  };
  const say = (text, error = false) => {
    saver.status.textContent = text;
    saver.status.classList.toggle("save-error", error);
  };
  const save = async () => {
    saver.timer = null;
    if (saver.inFlight) {
      saver.dirty = true;
      return;
    }
    saver.dirty = false;
    saver.inFlight = api.savePlan(draft.id, saver.revision, plan);
    try {
      const saved = await saver.inFlight;
      saver.revision = saved.revision;
      if (!saver.timer && !saver.dirty) say(`Draft · saved at ${new Date().toLocaleTimeString("en-GB")}`);
    } catch (error) {
      say(`Not saved: ${error.message}`, true);
    } finally {
      saver.inFlight = null;
      if (saver.dirty) schedule(0);
    }
  };
  const schedule = (delay = SAVE_AFTER_MS) => {
    clearTimeout(saver.timer);
    if (!saver.inFlight) say("Draft · saving…");
    saver.timer = setTimeout(save, delay);
  };
  // A window closed within the moment before a save still sends it.
  window.addEventListener("pagehide", () => saver.timer && save(), { once: true });
  // Locking the screen saves what was typed a moment before; the lock waits for the answer.
  const beforeLock = () => {
    if (!centre.isConnected) {
      document.removeEventListener("alongside:before-lock", beforeLock);
    } else if (saver.timer) {
      clearTimeout(saver.timer);
      save();
    }
  };
  document.addEventListener("alongside:before-lock", beforeLock);
  const flush = async () => {
    if (saver.timer) {
      clearTimeout(saver.timer);
      await save();
    }
    while (saver.inFlight) await saver.inFlight.catch(() => {});
  };
  const ctx = { plan, changed: () => schedule(), redraw: null };
  const body = h("div", {});
  ctx.redraw = (focusId) => {
    schedule(0);
    replace(body, sections(ctx, view));
    const target = focusId ? body.querySelector(`#${focusId}`) : null;
    if (target) target.focus();
  };
  replace(body, sections(ctx, view));
  const kind = {
    review: "This year's plan starts from the last one: check what carried over and review the earlier goals.",
    change: `Changing version ${draft.based_on_version}: agreeing makes a new version.`,
    first: "A first plan.",
  }[draft.kind];
  replace(centre, h("p", { class: "hint" }, kind), saver.status, body, agreeSection(main, view, triage, ctx, saver, flush), versionsSection(view));
}

function sections(ctx, view) {
  const plan = ctx.plan;
  return [
    agendaSection(ctx),
    h(
      "section",
      { "aria-labelledby": "about-heading" },
      h("h2", { id: "about-heading" }, "About the person, in their words"),
      area(ctx, "what-matters", "What matters to me", plan, "what_matters"),
      area(ctx, "people", "People who are important to me", plan, "people"),
      area(ctx, "communication", "How to communicate with me", plan, "communication"),
    ),
    plan.earlier_goals.length ? earlierSection(ctx) : null,
    needsSection(ctx),
    supportSection(ctx),
    contingencySection(ctx),
    aheadSection(ctx),
    reviewSection(ctx, view),
  ];
}

function field(id, label, control, hint = null) {
  return h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("div", { class: "hint", id: `${id}-hint` }, hint) : null, control);
}

function line(ctx, id, label, object, key, attributes = {}) {
  const input = h("input", { id, type: "text", value: object[key] ?? "", autocomplete: "off", ...attributes });
  input.addEventListener("input", () => {
    object[key] = input.value;
    ctx.changed();
  });
  return field(id, label, input);
}

function area(ctx, id, label, object, key, hint = null) {
  const input = h("textarea", { id, rows: 3 }, object[key] ?? "");
  input.addEventListener("input", () => {
    object[key] = input.value;
    ctx.changed();
  });
  return field(id, label, input, hint);
}

function choice(ctx, id, label, object, key, options, after = null) {
  const select = h("select", { id }, options.map(([value, text]) => h("option", { value, selected: (object[key] ?? "") === value }, text)));
  select.addEventListener("change", () => {
    object[key] = select.value === "" ? null : select.value;
    if (after) after();
    else ctx.changed();
  });
  return field(id, label, select);
}

function score(ctx, id, label, object, key) {
  const options = [["", "Not said"], ...Array.from({ length: 10 }, (_, i) => [String(i + 1), String(i + 1)])];
  const select = h("select", { id }, options.map(([value, text]) => h("option", { value, selected: String(object[key] ?? "") === value }, text)));
  select.addEventListener("change", () => {
    object[key] = select.value === "" ? null : Number(select.value);
    ctx.changed();
  });
  return field(id, label, select);
}

function nextId(plan) {
  const ids = [0];
  for (const n of plan.needs) {
    ids.push(n.id);
    for (const g of n.goals) {
      ids.push(g.id);
      for (const a of g.actions) ids.push(a.id);
    }
  }
  for (const a of plan.support) ids.push(a.id);
  return Math.max(...ids) + 1;
}

function removeButton(label, onRemove) {
  return h("button", { type: "button", class: "link-button", onclick: onRemove }, label);
}

function agendaSection(ctx) {
  const plan = ctx.plan;
  return h(
    "section",
    { "aria-labelledby": "agenda-heading" },
    h("h2", { id: "agenda-heading" }, "What the person brought to talk about"),
    h("p", { class: "hint" }, "Start here. Type each thing as they said it."),
    plan.agenda.map((_, i) =>
      h("div", { class: "row-item" }, line(ctx, `agenda-${i}`, `Thing ${i + 1}`, plan.agenda, i), removeButton(`Remove thing ${i + 1}`, () => {
        plan.agenda.splice(i, 1);
        ctx.redraw("add-agenda");
      })),
    ),
    h("button", { type: "button", id: "add-agenda", onclick: () => {
      plan.agenda.push("");
      ctx.redraw(`agenda-${plan.agenda.length - 1}`);
    } }, "Add something they want to talk about"),
  );
}

function earlierSection(ctx) {
  return h(
    "section",
    { "aria-labelledby": "earlier-heading" },
    h("h2", { id: "earlier-heading" }, "Goals from the last plan"),
    ctx.plan.earlier_goals.map((g, i) =>
      h(
        "div",
        { class: "card", "data-earlier": i },
        h("p", { class: "own-words" }, `“${g.words}”`),
        choice(ctx, `earlier-${i}-outcome`, "How it went", g, "outcome", OUTCOMES),
        line(ctx, `earlier-${i}-note`, "Note", g, "note"),
      ),
    ),
  );
}

function needsSection(ctx) {
  const plan = ctx.plan;
  return h(
    "section",
    { "aria-labelledby": "needs-heading" },
    h("h2", { id: "needs-heading" }, "Needs, goals and actions"),
    h("p", { class: "hint" }, "A need or concern, then what the person hopes for (in their words), then what will be done, by whom and when."),
    plan.needs.map((need, n) =>
      h(
        "div",
        { class: "card need", "data-need": n },
        line(ctx, `need-${n}-text`, `Need, concern or problem ${n + 1}`, need, "text"),
        need.goals.map((goal, g) => goalCard(ctx, need, n, goal, g)),
        h("button", { type: "button", id: `add-goal-${n}`, onclick: () => {
          need.goals.push({ id: nextId(plan), words: "", own_words: true, importance: null, actions: [] });
          ctx.redraw(`goal-${n}-${need.goals.length - 1}-words`);
        } }, "Add a goal for this"),
        removeButton(`Remove need ${n + 1}`, () => {
          plan.needs.splice(n, 1);
          ctx.redraw("add-need");
        }),
      ),
    ),
    h("button", { type: "button", id: "add-need", onclick: () => {
      const id = nextId(plan);
      plan.needs.push({ id, text: "", goals: [{ id: id + 1, words: "", own_words: true, importance: null, actions: [] }] });
      ctx.redraw(`need-${plan.needs.length - 1}-text`);
    } }, "Add a need or concern"),
  );
}

function goalCard(ctx, need, n, goal, g) {
  const plan = ctx.plan;
  const prefix = `goal-${n}-${g}`;
  const own = h("input", { type: "checkbox", id: `${prefix}-own`, checked: goal.own_words });
  own.addEventListener("change", () => {
    goal.own_words = own.checked;
    ctx.changed();
  });
  return h(
    "div",
    { class: "goal", "data-goal": `${n}-${g}` },
    line(ctx, `${prefix}-words`, "Goal or hope, in the person's words", goal, "words"),
    h("div", { class: "inline" }, h("label", { class: "check" }, own, " These are the person's own words"), score(ctx, `${prefix}-importance`, "How important to them (1–10)", goal, "importance")),
    goal.actions.map((action, a) => actionCard(ctx, `action-${n}-${g}-${a}`, action, () => {
      goal.actions.splice(a, 1);
      ctx.redraw(`add-action-${n}-${g}`);
    })),
    h("button", { type: "button", id: `add-action-${n}-${g}`, onclick: () => {
      goal.actions.push(newAction(plan));
      ctx.redraw(`action-${n}-${g}-${goal.actions.length - 1}-what`);
    } }, "Add an action for this goal"),
    removeButton("Remove this goal", () => {
      need.goals.splice(g, 1);
      ctx.redraw(`add-goal-${n}`);
    }),
  );
}

function newAction(plan) {
  return { id: nextId(plan), what: "", who: { kind: "me", name: "", role: "", contact: "", service: null }, when: "", confidence: null, status: "planned" };
}

function actionCard(ctx, prefix, action, remove) {
  const whoFields = h("div", { class: "inline" });
  const drawWho = () =>
    replace(
      whoFields,
      action.who.kind === "me"
        ? null
        : [line(ctx, `${prefix}-who-name`, "Who (name)", action.who, "name"), line(ctx, `${prefix}-who-role`, "Role", action.who, "role"), line(ctx, `${prefix}-who-contact`, "How to contact them", action.who, "contact")],
    );
  drawWho();
  return h(
    "div",
    { class: "action", "data-action": prefix },
    line(ctx, `${prefix}-what`, "What", action, "what"),
    h(
      "div",
      { class: "inline" },
      choice(ctx, `${prefix}-who-kind`, "Who", action.who, "kind", WHO_KINDS, () => {
        drawWho();
        ctx.changed();
      }),
      line(ctx, `${prefix}-when`, "When", action, "when"),
      score(ctx, `${prefix}-confidence`, "How confident they feel (1–10)", action, "confidence"),
      choice(ctx, `${prefix}-status`, "Status", action, "status", STATUSES),
    ),
    whoFields,
    removeButton("Remove this action", remove),
  );
}

function supportSection(ctx) {
  const plan = ctx.plan;
  const query = h("input", { id: "directory-search", type: "search", autocomplete: "off", placeholder: "walking, carers, money…" });
  const results = h("div", { id: "directory-results", "aria-live": "polite" });
  let timer = null;
  const find = async () => {
    try {
      const found = await api.searchDirectory(query.value);
      replace(
        results,
        found.services.length
          ? h(
              "ul",
              { class: "directory-results" },
              found.services.slice(0, 8).map((s) =>
                h(
                  "li",
                  {},
                  h("strong", {}, s.name),
                  ` · ${s.category_label}`,
                  h("div", {}, s.offers),
                  h("div", { class: "hint" }, s.contact),
                  h("button", { type: "button", "data-service": s.id, onclick: () => {
                    const action = newAction(plan);
                    action.who = { kind: "service", name: s.name, role: s.category_label, contact: s.contact, service: s.id };
                    plan.support.push(action);
                    ctx.redraw(`support-${plan.support.length - 1}-what`);
                  } }, `Add ${s.name} to the plan`),
                ),
              ),
            )
          : h("p", { class: "hint" }, "Nothing in the directory matches."),
      );
    } catch (error) {
      replace(results, errorBox(error.message));
    }
  };
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(find, 200);
  });
  return h(
    "section",
    { "aria-labelledby": "support-heading" },
    h("h2", { id: "support-heading" }, "Support and signposting"),
    plan.support.map((action, s) =>
      h("div", { class: "card" }, h("p", {}, h("strong", {}, action.who.name), action.who.contact ? h("span", { class: "hint" }, ` · ${action.who.contact}`) : ""), actionCard(ctx, `support-${s}`, action, () => {
        plan.support.splice(s, 1);
        ctx.redraw("directory-search");
      })),
    ),
    field("directory-search", "Find a local service or group (“more than medicine”)", query),
    results,
  );
}

function contingencySection(ctx) {
  const c = ctx.plan.contingency;
  return h(
    "section",
    { "aria-labelledby": "contingency-heading" },
    h("h2", { id: "contingency-heading" }, "If things get worse"),
    area(ctx, "contingency-triggers", "Warning signs (one a line)", c, "triggers"),
    area(ctx, "contingency-what", "What to do", c, "what_to_do"),
    c.contacts.map((contact, i) =>
      h(
        "div",
        { class: "inline" },
        line(ctx, `contingency-contact-${i}-name`, "Who to contact", contact, "name"),
        line(ctx, `contingency-contact-${i}-role`, "Who they are", contact, "role"),
        line(ctx, `contingency-contact-${i}-phone`, "Phone number", contact, "phone"),
        removeButton("Remove", () => {
          c.contacts.splice(i, 1);
          ctx.redraw("add-contingency-contact");
        }),
      ),
    ),
    h("button", { type: "button", id: "add-contingency-contact", onclick: () => {
      c.contacts.push({ name: "", role: "", phone: "" });
      ctx.redraw(`contingency-contact-${c.contacts.length - 1}-name`);
    } }, "Add someone to contact"),
    area(ctx, "contingency-rescue", "Rescue medicines or equipment, and where they are kept", c, "rescue"),
  );
}

function aheadSection(ctx) {
  const a = ctx.plan.looking_ahead;
  const filled = [a.wishes, a.advance_care_planning, a.documents_kept].some((t) => t && t.trim());
  return h(
    "details",
    { class: "looking-ahead", id: "looking-ahead", open: filled },
    h("summary", {}, "Looking ahead (only where it is right to talk about it)"),
    area(ctx, "ahead-wishes", "Wishes and preferences for the future", a, "wishes"),
    area(ctx, "ahead-acp", "Advance care planning notes", a, "advance_care_planning"),
    line(ctx, "ahead-documents", "Where documents are kept", a, "documents_kept"),
  );
}

function reviewSection(ctx, view) {
  const r = ctx.plan.review;
  return h(
    "section",
    { "aria-labelledby": "review-heading" },
    h("h2", { id: "review-heading" }, "When we will look at this again"),
    h("div", { class: "inline" }, line(ctx, "review-date", "Review date", r, "date", { type: "date", min: view.today }), line(ctx, "review-who", "Who is responsible", r, "who"), choice(ctx, "review-how", "How", r, "how", REVIEW_HOW)),
  );
}

function agreeSection(main, view, triage, ctx, saver, flush) {
  const plan = ctx.plan;
  const person = h("input", { type: "radio", name: "agreed-with", id: "agreed-with-person", value: "person", checked: true });
  const representative = h("input", { type: "radio", name: "agreed-with", id: "agreed-with-representative", value: "representative" });
  const repName = h("input", { id: "representative-name", type: "text", autocomplete: "off" });
  const repRelationship = h("input", { id: "representative-relationship", type: "text", autocomplete: "off" });
  const repFields = h("div", { class: "inline", hidden: true }, field("representative-name", "Representative's name", repName), field("representative-relationship", "Relationship to the person", repRelationship));
  for (const radio of [person, representative]) radio.addEventListener("change", () => (repFields.hidden = !representative.checked));
  const confirm = h("input", { type: "checkbox", id: "no-contingency-confirmed" });
  const reason = h("input", { id: "change-reason", type: "text", autocomplete: "off" });
  const status = h("div", { "aria-live": "polite", id: "agree-status" });
  const button = h("button", { type: "button", id: "agree-plan", class: "primary" }, "Agree the plan");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await flush();
      const updated = await api.agreePlan(view.nhs_number, view.draft.id, saver.revision, {
        with: representative.checked ? "representative" : "person",
        representativeName: repName.value,
        relationship: repRelationship.value,
        noContingencyConfirmed: confirm.checked,
        reason: reason.value,
      });
      draw(main, updated, triage, `Agreed: version ${updated.versions[0].version} of the plan. Print it for the person to take home.`);
    } catch (error) {
      replace(status, errorBox(error.message));
      button.disabled = false;
    }
  });
  const contingencyEmpty = () => {
    const c = plan.contingency;
    return ![c.triggers, c.what_to_do, c.rescue].some((t) => t && t.trim()) && !c.contacts.some((p) => (p.name && p.name.trim()) || (p.phone && p.phone.trim()));
  };
  const confirmRow = h("label", { class: "check", id: "no-contingency-row" }, confirm, " There is no contingency plan: agree the plan without one");
  const refresh = () => (confirmRow.hidden = !contingencyEmpty());
  refresh();
  const original = ctx.changed;
  ctx.changed = () => {
    refresh();
    original();
  };
  const originalRedraw = ctx.redraw;
  ctx.redraw = (focusId) => {
    originalRedraw(focusId);
    refresh();
  };
  return h(
    "section",
    { "aria-labelledby": "agree-heading", class: "agree" },
    h("h2", { id: "agree-heading" }, "Agreeing the plan"),
    h("p", { class: "hint" }, "A plan needs at least one goal in the person's words, one action with who and when, and a review date."),
    h("fieldset", {}, h("legend", {}, "Agreed with"), h("label", { class: "check" }, person, " The person"), h("label", { class: "check" }, representative, " A representative"), repFields),
    confirmRow,
    view.versions.length ? field("change-reason", "Why the plan is changing (a new version)", reason, view.draft.kind === "review" ? "Leave empty for this year's review." : null) : null,
    button,
    status,
    h(
      "details",
      { class: "set-aside" },
      h("summary", {}, "Set this draft aside without agreeing it"),
      (() => {
        const why = h("input", { id: "set-aside-why", type: "text", autocomplete: "off" });
        const aside = h("button", { type: "button", id: "set-aside-plan" }, "Set aside");
        aside.addEventListener("click", async () => {
          try {
            await flush();
            draw(main, await api.setAsidePlan(view.nhs_number, view.draft.id, why.value), triage, "The draft was set aside; it is kept.");
          } catch (error) {
            replace(status, errorBox(error.message));
          }
        });
        return [field("set-aside-why", "Why", why), aside];
      })(),
    ),
    view.review?.can_decline ? declineSection(main, view, triage) : null,
  );
}
