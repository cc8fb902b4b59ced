// One person's triage: every result of the review with earlier values, the finding and the
// rule behind it (rationale and source), the target that applied, and the clinician's actions:
// acknowledge red findings, route the conversation, medication review, notes, personal targets,
// and approving the preparation pack. Every action is saved at once and audited.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

export async function render(main, nhsNumber) {
  const view = await api.getTriage(nhsNumber);
  show(main, view);
}

/** Draws the review; `notice` is `{ section, text }`: a saved action's confirmation, shown in
 * its section, whose heading gets the focus so the clinician stays where they were. */
function show(main, view, notice = null) {
  const status = h("div", { id: "triage-status", "aria-live": "polite" });
  const act = async (section, call, done, fail) => {
    try {
      const updated = await call();
      show(main, updated, { section, text: done });
    } catch (error) {
      replace(fail ?? status, errorBox(error.message));
    }
  };
  const feedback = (section) =>
    h(
      "div",
      { "aria-live": "polite" },
      notice?.section === section ? h("div", { class: "message message-success", role: "status" }, notice.text) : null,
    );
  const ctx = { view, act, feedback };
  const reds = view.results.flatMap((r) => r.findings.filter((f) => f.severity === "red").map((f) => ({ result: r, finding: f })));

  replace(
    main,
    h("p", { class: "back" }, h("a", { href: "#/triage" }, "← Triage worklist"), " · ", h("a", { href: `#/patient/${view.nhs_number}` }, "The record")),
    h("h1", { id: "triage-person", tabindex: "-1" }, `Triage: ${view.name}`),
    h(
      "p",
      { class: "identity" },
      `Born ${view.date_of_birth} (${view.age}) · `,
      view.conditions.join(", "),
      view.frailty ? ` · ${view.frailty} frailty` : "",
      h("span", { class: "tag", id: "triage-review-status" }, `${view.status_label} · review due ${view.due}`),
    ),
    view.contact1 ? h("p", { class: "hint" }, `Contact 1: ${view.contact1}`) : null,
    status,
    redSection(ctx, reds),
    resultsSection(view),
    medicationSection(ctx),
    routeSection(ctx),
    notesSection(ctx),
    targetsSection(ctx),
    approveSection(ctx),
  );
  const heading = notice ? main.querySelector(`#${notice.section}-heading`) : null;
  if (heading) {
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  } else {
    main.querySelector("#triage-person").focus();
  }
}

function redSection(ctx, reds) {
  if (!reds.length) return h("section", { "aria-labelledby": "red-heading" }, h("h2", { id: "red-heading" }, "Red findings"), h("p", { id: "no-red" }, "No red finding in this review."));
  return h(
    "section",
    { "aria-labelledby": "red-heading" },
    h("h2", { id: "red-heading", tabindex: "-1" }, "Red findings"),
    ctx.feedback("red"),
    reds.map(({ result, finding }) => redCard(ctx, result, finding)),
  );
}

function redCard(ctx, result, finding) {
  const key = `${finding.observation}-${finding.rule}`;
  const feedback = h("div", { "aria-live": "polite" });
  const body = [
    h("h3", {}, `${result.label}: ${result.value}`, h("span", { class: "hint" }, ` (${result.taken_on})`)),
    h("p", {}, h("strong", {}, finding.title), ` — ${finding.rule_words}`),
    h("p", {}, finding.rationale),
    h("p", { class: "hint" }, `Source: ${finding.source}`),
  ];
  if (finding.acknowledged) {
    return h("div", { class: "finding finding-red acknowledged", "data-finding": key }, body, h("p", { class: "message message-success" }, `Acknowledged: ${finding.acknowledged}`));
  }
  const name = `ack-${key}`;
  const note = h("textarea", { id: `${name}-note`, rows: 2 });
  const button = h("button", { type: "button", class: "primary", id: `${name}-save` }, "Acknowledge");
  button.addEventListener("click", () => {
    const chosen = button.closest(".finding").querySelector(`input[name="${name}"]:checked`);
    if (!chosen) {
      replace(feedback, errorBox("Choose what was done about this finding."));
      return;
    }
    ctx.act(
      "red",
      () => api.acknowledgeFinding(ctx.view.nhs_number, { observation: finding.observation, rule: finding.rule, action: chosen.value, note: note.value }),
      `Acknowledged: ${result.label} ${result.value}.`,
      feedback,
    );
  });
  return h(
    "div",
    { class: "finding finding-red", "data-finding": key },
    body,
    h(
      "fieldset",
      { class: "choices-inline" },
      h("legend", {}, "What was done"),
      ctx.view.actions.map((a) =>
        h("label", { class: "choice" }, h("input", { type: "radio", name, value: a.id, id: `${name}-${a.id}` }), ` ${a.label}`),
      ),
    ),
    h("label", { for: `${name}-note` }, "Note (needed for \"No action\": say why)"),
    note,
    h("div", { class: "actions" }, button),
    feedback,
  );
}

function resultsSection(view) {
  const trendWords = { rising: "↑ rising", falling: "↓ falling", steady: "→ steady" };
  return h(
    "section",
    { "aria-labelledby": "results-heading" },
    h("h2", { id: "results-heading" }, "Results"),
    view.results.length
      ? h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { id: "triage-results" },
            h("thead", {}, h("tr", {}, ["Test", "Result", "Before", "Target", "Finding"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              view.results.map((r) =>
                h(
                  "tr",
                  { class: r.severity ? `row-${r.severity}` : null, "data-item": r.item },
                  h("th", { scope: "row" }, r.label),
                  h("td", {}, h("span", { class: "result-value" }, r.value), h("div", { class: "hint" }, r.taken_on), r.trend ? h("div", { class: "hint" }, trendWords[r.trend]) : null),
                  h("td", {}, r.previous.length ? r.previous.map((p) => h("div", { class: "nowrap" }, p)) : h("span", { class: "hint" }, "None")),
                  h(
                    "td",
                    {},
                    r.target ?? h("span", { class: "hint" }, r.target_source ? "—" : "No target"),
                    r.target_personal ? h("div", { class: "tag tag-personal" }, "Personal target") : null,
                    r.target_source ? h("div", { class: "hint" }, r.target_source) : null,
                  ),
                  h(
                    "td",
                    {},
                    r.findings.length
                      ? r.findings.map((f) =>
                          h(
                            "details",
                            { class: `finding-detail finding-${f.severity}` },
                            h("summary", {}, h("span", { class: `tag tag-${f.severity}` }, f.severity === "red" ? "Red" : "Amber"), ` ${f.title}`),
                            h("p", {}, f.rationale),
                            h("p", { class: "hint" }, `Rule: ${f.rule_words}. Source: ${f.source}`),
                          ),
                        )
                      : h("span", { class: "hint" }, r.target ? "On target" : "—"),
                  ),
                ),
              ),
            ),
          ),
        )
      : h("p", {}, "No results recorded in this review yet."),
  );
}

function medicationSection(ctx) {
  const { view } = ctx;
  const feedback = ctx.feedback("medication");
  const needed = h("input", { type: "checkbox", id: "medication-needed", checked: view.medication_review?.needed ?? false });
  const note = h("textarea", { id: "medication-note", rows: 2 }, view.medication_review?.note ?? "");
  const save = h("button", { type: "button", id: "save-medication" }, "Save");
  save.addEventListener("click", () =>
    ctx.act("medication", () => api.recordTriage(view.nhs_number, { kind: "medication_review", needed: needed.checked, note: note.value }), needed.checked ? "Medication review marked as needed." : "No medication review needed.", feedback),
  );
  return h(
    "section",
    { "aria-labelledby": "medication-heading" },
    h("h2", { id: "medication-heading", tabindex: "-1" }, "Medicines"),
    h("p", {}, h("strong", {}, "Asked at contact 1: "), view.medication_answer ?? "Not asked"),
    view.medication_review ? h("p", { class: "hint" }, `Recorded by ${view.medication_review.by}`) : null,
    h("label", { class: "choice" }, needed, " A medication review is needed"),
    h("label", { for: "medication-note" }, "What it should look at"),
    note,
    h("div", { class: "actions" }, save),
    feedback,
  );
}

function routeSection(ctx) {
  const { view } = ctx;
  const feedback = ctx.feedback("route");
  const role = h("select", { id: "route-role" }, h("option", { value: "" }, "Choose…"), view.roles.map((r) => h("option", { value: r.id, selected: view.route?.role === r.id }, r.label)));
  const clinician = h("input", { type: "text", id: "route-clinician", value: view.route?.clinician ?? "" });
  const save = h("button", { type: "button", id: "save-route" }, "Save");
  save.addEventListener("click", () =>
    ctx.act("route", () => api.recordTriage(view.nhs_number, { kind: "route", role: role.value, clinician: clinician.value }), "Conversation routed.", feedback),
  );
  return h(
    "section",
    { "aria-labelledby": "route-heading" },
    h("h2", { id: "route-heading", tabindex: "-1" }, "Who the conversation is with"),
    view.route ? h("p", { id: "current-route" }, `${view.route.role_label}${view.route.clinician ? `: ${view.route.clinician}` : ""}`, h("span", { class: "hint" }, ` (routed by ${view.route.by})`)) : h("p", { class: "hint" }, "Not routed yet."),
    h("div", { class: "inline" }, h("div", { class: "field" }, h("label", { for: "route-role" }, "Role"), role), h("div", { class: "field" }, h("label", { for: "route-clinician" }, "Named clinician (optional)"), clinician)),
    h("div", { class: "actions" }, save),
    feedback,
  );
}

function notesSection(ctx) {
  const { view } = ctx;
  const feedback = ctx.feedback("notes");
  const note = h("textarea", { id: "triage-note", rows: 3 });
  const add = h("button", { type: "button", id: "add-note" }, "Add note");
  add.addEventListener("click", () => ctx.act("notes", () => api.recordTriage(view.nhs_number, { kind: "note", note: note.value }), "Note added.", feedback));
  return h(
    "section",
    { "aria-labelledby": "notes-heading" },
    h("h2", { id: "notes-heading", tabindex: "-1" }, "Notes for the conversation"),
    view.notes.length ? h("ul", { id: "triage-notes" }, view.notes.map((n) => h("li", {}, n.note, h("span", { class: "hint" }, ` (${n.by}, ${n.at})`)))) : null,
    h("label", { for: "triage-note" }, "New note"),
    note,
    h("div", { class: "actions" }, add),
    feedback,
  );
}

function targetsSection(ctx) {
  const { view } = ctx;
  const feedback = ctx.feedback("targets");
  const item = h("select", { id: "target-item" }, view.target_items.map((t) => h("option", { value: t.id }, t.label)));
  const value = h("input", { type: "text", id: "target-value", class: "value-input", "aria-describedby": "target-hint" });
  const hint = h("p", { class: "hint", id: "target-hint" });
  const example = () => {
    const chosen = view.target_items.find((t) => t.id === item.value);
    hint.textContent = chosen ? `In the same unit as the practice's target, e.g. ${chosen.example}. It replaces the practice's target for this person; red findings still apply.` : "";
  };
  item.addEventListener("change", example);
  example();
  const reason = h("textarea", { id: "target-reason", rows: 2 });
  const set = h("button", { type: "button", id: "set-target" }, "Set personal target");
  set.addEventListener("click", () =>
    ctx.act("targets", () => api.recordTriage(view.nhs_number, { kind: "personal_target", item: item.value, target: value.value, note: reason.value }), "Personal target set.", feedback),
  );
  return h(
    "section",
    { "aria-labelledby": "targets-heading" },
    h("h2", { id: "targets-heading", tabindex: "-1" }, "Personal targets"),
    view.personal_targets.length
      ? h(
          "ul",
          { id: "personal-targets" },
          view.personal_targets.map((t) => {
            const end = h("button", { type: "button", class: "link-button" }, "End (uses the reason below)");
            end.addEventListener("click", () =>
              ctx.act("targets", () => api.recordTriage(view.nhs_number, { kind: "personal_target", item: t.item, target: "", note: reason.value }), `The practice's target applies to ${t.label} again.`, feedback),
            );
            return h("li", {}, h("strong", {}, `${t.label}: ${t.target}`), ` — ${t.reason} (${t.set_by}, ${t.set_on}) `, end);
          }),
        )
      : h("p", { class: "hint" }, "None: the practice's targets apply."),
    h("div", { class: "inline" }, h("div", { class: "field" }, h("label", { for: "target-item" }, "Test"), item), h("div", { class: "field" }, h("label", { for: "target-value" }, "Target"), value)),
    hint,
    h("label", { for: "target-reason" }, "Reason"),
    reason,
    h("div", { class: "actions" }, set),
    feedback,
  );
}

function approveSection(ctx) {
  const { view } = ctx;
  const feedback = ctx.feedback("approve");
  const approve = h("button", { type: "button", class: "primary", id: "approve-pack", disabled: !view.can_approve, "aria-describedby": "approve-hint" }, "Approve the preparation pack");
  approve.addEventListener("click", () => ctx.act("approve", () => api.recordTriage(view.nhs_number, { kind: "approve" }), "Preparation pack approved: it can be printed.", feedback));
  return h(
    "section",
    { "aria-labelledby": "approve-heading", class: "letters-panel" },
    h("h2", { id: "approve-heading", tabindex: "-1" }, "Preparation pack"),
    view.approved
      ? h("p", { id: "approve-hint", class: "message message-success" }, "Approved: the preparation pack can be printed.")
      : h("p", { id: "approve-hint", class: view.can_approve ? "hint" : "message message-warning" }, view.can_approve ? "Every red finding has been acted on. Approving lets the pack be printed." : `Not yet: ${view.approval_blocked}.`),
    view.approved ? null : h("div", { class: "actions" }, approve),
    feedback,
  );
}
