// The HCA's screen for contact 1: the person's checklist, grouped, with units, previous values
// and what is still missing. Every value is saved the moment it is entered (Enter or leaving
// the field); a saved value is never overwritten, only corrected with a reason.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

export async function render(main, nhsNumber) {
  const view = await api.getChecklist(nhsNumber);
  show(main, view);
}

/** Draws the checklist; `focusItem` gets the keyboard focus afterwards. */
function show(main, view, focusItem = null, notice = null) {
  const status = h("div", { id: "contact1-status", "aria-live": "polite" }, notice);
  const save = async (action, nextItem) => {
    try {
      const updated = await action();
      show(main, updated, nextItem);
      return true;
    } catch (error) {
      return error;
    }
  };
  const ctx = { view, save, main };

  const order = view.groups.flatMap((g) => g.lines.map((l) => l.item));
  const nextAfter = (item) => order[order.indexOf(item) + 1] ?? null;
  ctx.nextAfter = nextAfter;

  const finish = h("button", { type: "button", id: "finish-contact1", class: "primary" }, "Finish appointment");
  finish.addEventListener("click", async () => {
    finish.disabled = true;
    try {
      const updated = await api.finishAppointment(view.nhs_number);
      const f = updated.finished;
      const message = f.results_complete
        ? "Contact 1 recorded as attended. Nothing is outstanding: the results are complete."
        : `Contact 1 recorded as attended. Waiting for the lab: ${f.awaiting_lab.join(", ")}.`;
      show(main, updated, null, h("div", { class: "message message-success", role: "status", id: "finished" }, message));
      document.getElementById("finished")?.scrollIntoView();
    } catch (error) {
      finish.disabled = false;
      replace(status, errorBox(error.message));
    }
  });

  const summary = view.complete
    ? h("p", { class: "message message-success", id: "checklist-summary" }, "Everything on the checklist is done.")
    : h(
        "div",
        { class: "message message-warning", id: "checklist-summary" },
        view.missing.length ? h("p", {}, h("strong", {}, "Still to do: "), view.missing.join(", ")) : null,
        view.awaiting_lab.length ? h("p", {}, h("strong", {}, "Waiting for the lab: "), view.awaiting_lab.join(", ")) : null,
      );

  replace(
    main,
    h("p", { class: "back" }, h("a", { href: `#/patient/${view.nhs_number}` }, "← Back to the record"), " · ", h("a", { href: "#/clinic" }, "Today's clinic")),
    h("h1", { id: "contact1-heading", tabindex: "-1" }, `Contact 1: ${view.name}`),
    h(
      "p",
      { class: "identity" },
      `Born ${view.date_of_birth} (${view.age}) · `,
      view.conditions.join(", "),
      view.review ? h("span", { class: "tag", id: "review-status" }, `${view.review.status_label} · review due ${view.review.due}`) : null,
    ),
    summary,
    status,
    view.groups.map((group) => groupSection(ctx, group)),
    view.can_finish
      ? h(
          "div",
          { class: "actions finish" },
          finish,
          h("p", { class: "hint" }, "Finish when every item has a value or is marked not done with a reason. Bloods marked as sent to the lab follow by import."),
        )
      : null,
  );
  if (focusItem) {
    const next = main.querySelector(`[data-item="${focusItem}"] input:not([type=radio]), [data-item="${focusItem}"] textarea, [data-item="${focusItem}"] input[type=radio]`);
    if (next) next.focus();
  } else if (!notice) {
    main.querySelector("#contact1-heading").focus();
  }
}

function groupSection(ctx, group) {
  const bulk =
    group.id === "lab"
      ? (() => {
          const pending = group.lines.filter((l) => l.state === "missing").map((l) => l.item);
          if (!pending.length) return null;
          const button = h("button", { type: "button", id: "all-sent-to-lab" }, `Mark ${pending.length === 1 ? "it" : `all ${pending.length}`} as sent to the lab`);
          button.addEventListener("click", async () => {
            const result = await ctx.save(() => api.markNotDone(ctx.view.nhs_number, pending, "sent_to_lab", ""), null);
            if (result !== true) button.after(errorBox(result.message));
          });
          return h("div", { class: "actions" }, button);
        })()
      : null;
  return h(
    "section",
    { class: "checklist-group", "aria-labelledby": `group-${group.id}` },
    h("h2", { id: `group-${group.id}` }, group.label),
    bulk,
    h("ol", { class: "checklist" }, group.lines.map((line) => lineItem(ctx, line))),
  );
}

function lineItem(ctx, line) {
  const id = `item-${line.item}`;
  const feedback = h("div", { class: "item-feedback", "aria-live": "polite", id: `${id}-feedback` });
  const fail = (error) => {
    const parts = [error.message];
    if (error.suggestion) {
      const use = h("button", { type: "button", class: "use-suggestion" }, `Record ${error.suggestion}${line.unit ? ` ${line.unit}` : ""}`);
      use.addEventListener("click", async () => {
        const result = await ctx.save(() => api.recordValue(ctx.view.nhs_number, { item: line.item, value: error.suggestion }), ctx.nextAfter(line.item));
        if (result !== true) replace(feedback, errorBox(result.message));
      });
      parts.push(" ", use);
    }
    replace(feedback, h("div", { class: "message message-error", role: "alert" }, parts));
    document.getElementById(`${id}-input`)?.focus();
  };
  const record = async (entry) => {
    const result = await ctx.save(() => api.recordValue(ctx.view.nhs_number, { item: line.item, ...entry }), ctx.nextAfter(line.item));
    if (result !== true) fail(result);
  };

  const previous = line.previous.length
    ? h("p", { class: "previous" }, "Before: ", line.previous.map((p, i) => [i ? "; " : "", h("span", { class: "nowrap" }, `${p.text} (${p.taken_on})`)]))
    : h("p", { class: "previous" }, "No earlier value");

  const done = line.current && (line.state === "recorded" || line.state === "still_valid");
  const body = done ? currentValue(ctx, line, feedback) : line.kind === "computed" ? null : entryFor(line, id, record, fail);
  const notDone = !done && line.kind !== "computed" ? notDoneControl(ctx, line, feedback) : null;

  return h(
    "li",
    { class: `checklist-item state-${line.state}`, "data-item": line.item, id },
    h(
      "div",
      { class: "item-head" },
      h("span", { class: "item-label", id: `${id}-label` }, line.label),
      line.unit ? h("span", { class: "unit" }, line.unit) : null,
      h("span", { class: `tag item-state state-${line.state}` }, line.state_label),
      h("span", { class: "wanted-by" }, `for ${line.wanted_by.join(", ")}`),
    ),
    body,
    notDone,
    feedback,
    previous,
    line.history.filter((o) => o.retracted).length
      ? h(
          "details",
          { class: "history" },
          h("summary", {}, "History of this item"),
          h("ul", {}, line.history.map((o) => h("li", {}, `${o.text} (${o.taken_on}, ${o.source.toLowerCase()} by ${o.recorded_by})`, o.retracted ? h("div", { class: "hint" }, o.retracted) : null))),
        )
      : null,
  );
}

function currentValue(ctx, line, feedback) {
  const c = line.current;
  const correctButton = h("button", { type: "button", class: "link-button", id: `correct-${line.item}` }, "Correct…");
  const box = h("div", { class: "current" }, h("strong", { class: "current-value", id: `value-${line.item}` }, c.text), ` ${c.taken_on} · ${c.source}`, c.note ? ` · ${c.note}` : "", " ", line.state === "recorded" && line.kind !== "computed" ? correctButton : null);
  if (line.red_flag.length) {
    box.append(
      h(
        "div",
        { class: "message message-error red-flag", role: "alert", id: `red-${line.item}` },
        h("strong", {}, "Red flag: tell a clinician today, before the person leaves. "),
        line.red_flag.join("; "),
        ". It is on the triage worklist.",
      ),
    );
  }
  correctButton.addEventListener("click", () => {
    const reason = h("input", { type: "text", id: `correct-reason-${line.item}`, placeholder: "Why (for example: typed the wrong number)" });
    const id = `correct-input-${line.item}`;
    let pendingEntry = null;
    const fail = (error) => replace(feedback, errorBox(error.message));
    const entry = entryFor(line, id, async (e) => { pendingEntry = e; }, fail, true);
    const saveNew = h("button", { type: "button", class: "primary" }, "Save the corrected value");
    const inError = h("button", { type: "button" }, "Mark entered in error");
    const submit = async (asError) => {
      if (!asError) {
        const value = collect(entry);
        if (value) pendingEntry = value;
        if (!pendingEntry) return fail({ message: "Type or choose the corrected value first." });
      }
      const result = await ctx.save(
        () => api.correctValue(ctx.view.nhs_number, c.id, asError ? null : { item: line.item, ...pendingEntry }, reason.value),
        line.item,
      );
      if (result !== true) fail(result);
    };
    saveNew.addEventListener("click", () => submit(false));
    inError.addEventListener("click", () => submit(true));
    box.after(
      h(
        "div",
        { class: "correction" },
        h("p", { class: "hint" }, "The value recorded stays in the history; the correction is saved with your name and reason."),
        entry,
        h("label", { for: `correct-reason-${line.item}` }, "Reason"),
        reason,
        h("div", { class: "actions" }, saveNew, inError),
      ),
    );
    correctButton.disabled = true;
    entry.querySelector("input, textarea, select")?.focus();
  });
  return box;
}

/** Reads what is typed or chosen in an entry block without saving it. */
function collect(block) {
  if (!block) return null;
  const text = block.querySelector("input[type=text], textarea");
  const select = block.querySelector("select");
  const radios = [...block.querySelectorAll("input[type=radio]:checked")];
  const questions = block.querySelectorAll(".question");
  if (questions.length) {
    return { answers: [...questions].map((q) => { const r = q.querySelector("input:checked"); return r ? Number(r.value) : null; }) };
  }
  if (text && text.dataset.role === "date") return { value: text.value, option: select ? select.value : null };
  if (text) return { value: text.value };
  if (radios.length) return { value: radios[0].value };
  return null;
}

/** The input for one item. `record(entry)` saves; `deferred` means the caller saves later. */
function entryFor(line, id, record, fail, deferred = false) {
  const labelled = { "aria-labelledby": `item-${line.item}-label` };
  switch (line.kind) {
    case "number":
    case "blood_pressure": {
      const input = h("input", { type: "text", id: `${id}-input`, inputmode: line.kind === "number" ? "decimal" : "text", autocomplete: "off", spellcheck: "false", class: "value-input", ...labelled, "aria-describedby": `${id}-hint` });
      if (!deferred) {
        const commit = () => { if (input.value.trim()) record({ value: input.value }); };
        input.addEventListener("change", commit);
        input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); input.blur(); } });
      }
      return h("div", { class: "entry" }, input, line.unit ? h("span", { class: "unit" }, line.unit) : null, h("span", { class: "hint", id: `${id}-hint` }, line.hint));
    }
    case "choice":
    case "yes_no": {
      const options = line.kind === "yes_no" ? [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }] : line.options;
      return h(
        "fieldset",
        { class: "entry choices-inline", ...labelled },
        options.map((o) =>
          h("label", { class: "choice" }, h("input", { type: "radio", name: `${id}-choice`, value: o.id, onchange: deferred ? null : () => record({ value: o.id }) }), ` ${o.label}`),
        ),
      );
    }
    case "date": {
      const input = h("input", { type: "text", id: `${id}-input`, "data-role": "date", placeholder: "DD/MM/YYYY", class: "value-input", ...labelled });
      const select = line.options.length
        ? h("select", { id: `${id}-result`, "aria-label": `${line.label} result` }, h("option", { value: "" }, "Result…"), line.options.map((o) => h("option", { value: o.id }, o.label)))
        : null;
      const button = deferred ? null : h("button", { type: "button", onclick: () => record({ value: input.value, option: select ? select.value : null }) }, "Save");
      return h("div", { class: "entry" }, input, select, button, h("span", { class: "hint" }, line.hint));
    }
    case "questionnaire": {
      const block = h(
        "div",
        { class: "entry questionnaire" },
        line.questions.map((q, qi) =>
          h(
            "fieldset",
            { class: "question" },
            h("legend", {}, `${qi + 1}. ${q.text}`),
            q.options.map(([label, score], oi) =>
              h("label", { class: "choice" }, h("input", { type: "radio", name: `${id}-q${qi}`, value: oi }), ` ${label} (${score})`),
            ),
          ),
        ),
      );
      if (!deferred) {
        const score = h("span", { class: "score", "aria-live": "polite" });
        const button = h("button", { type: "button", class: "primary" }, `Save ${line.label}`);
        const update = () => {
          const answers = collect(block).answers;
          const answered = answers.filter((a) => a !== null).length;
          const total = answers.reduce((sum, a, qi) => sum + (a === null ? 0 : line.questions[qi].options[a][1]), 0);
          score.textContent = `${answered} of ${answers.length} answered · score so far ${total}`;
        };
        block.addEventListener("change", update);
        button.addEventListener("click", () => record(collect(block)));
        block.append(h("div", { class: "actions" }, button, score));
      }
      return block;
    }
    case "text": {
      const area = h("textarea", { id: `${id}-input`, ...labelled });
      if (!deferred) area.addEventListener("change", () => { if (area.value.trim()) record({ value: area.value }); });
      return h("div", { class: "entry" }, area);
    }
    default:
      return null;
  }
}

function notDoneControl(ctx, line, feedback) {
  const reasons = ctx.view.not_done_reasons.filter((r) => line.lab || r.id !== "sent_to_lab");
  const select = h(
    "select",
    { id: `not-done-${line.item}`, "aria-label": `Mark ${line.label} not done` },
    h("option", { value: "" }, "Not done…"),
    reasons.map((r) => h("option", { value: r.id }, r.label)),
  );
  select.addEventListener("change", async () => {
    if (!select.value) return;
    const result = await ctx.save(() => api.markNotDone(ctx.view.nhs_number, [line.item], select.value, ""), ctx.nextAfter(line.item));
    if (result !== true) replace(feedback, errorBox(result.message));
  });
  return h("div", { class: "not-done" }, select);
}
