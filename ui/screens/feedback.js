// A patient feedback form, entered from paper: the date on the form, collaboRATE's three
// questions and the CARE measure's ten, exactly as ticked (blank where the person left it
// blank). A form already entered is shown to check, and corrected with a reason.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

export async function render(main, nhsNumber, year = null, notice = null, correcting = false) {
  const f = await api.feedbackFor(nhsNumber);
  const heading = h("h1", { id: "feedback-heading", tabindex: "-1" }, "Patient feedback form");
  const status = h("div", { id: "feedback-status", "aria-live": "polite" }, notice);
  const back = h(
    "p",
    { class: "back" },
    h("a", { href: `#/patient/${f.nhs_number}`, id: "back-to-record" }, `← Back to ${f.name}'s record`),
  );
  const identity = h(
    "p",
    { class: "identity" },
    h("strong", { id: "feedback-name" }, f.name),
    h("span", {}, ` · NHS number ${f.nhs_number_display}`),
  );
  const intro = h(
    "p",
    { class: "lead" },
    "Enter the form the person filled in after their care and support planning conversation, exactly as they ticked it. Leave a question blank if they left it blank. Feedback is reported only in aggregate: nobody's answers appear in the reports.",
  );

  if (f.reviews.length === 0) {
    replace(main, back, heading, identity, h("div", { class: "message message-warning", role: "status" }, `No care and support planning conversation has been held with ${f.name} yet: the form is about that conversation.`));
    heading.focus();
    return;
  }

  const chosen = f.reviews.find((r) => r.year === year) ?? f.reviews[0];
  const redraw = (nextYear, nextNotice = null, nextCorrecting = false) => render(main, nhsNumber, nextYear, nextNotice, nextCorrecting);

  let chooser = null;
  if (f.reviews.length > 1) {
    const select = h(
      "select",
      { id: "feedback-review" },
      f.reviews.map((r) =>
        h(
          "option",
          { value: r.year, selected: r === chosen },
          `Conversation held ${r.conversation_on_display} (${r.year} review)${r.form ? ", form entered" : ""}`,
        ),
      ),
    );
    select.addEventListener("change", () => redraw(Number(select.value)));
    chooser = h("div", { class: "field" }, h("label", { for: "feedback-review" }, "The conversation the form is about"), select);
  } else {
    chooser = h("p", { id: "feedback-conversation" }, `About the conversation held on ${chosen.conversation_on_display} (${chosen.year} review).`);
  }

  const notRegistered = f.registered
    ? null
    : h("div", { class: "message message-warning", role: "status" }, `${f.name} is no longer registered with the practice: no more forms are entered for them.`);

  let content;
  if (chosen.form && !correcting) {
    content = enteredForm(f, chosen, () => redraw(chosen.year, null, true));
  } else if (f.registered) {
    content = formEntry(f, chosen, correcting, status, redraw);
  } else {
    content = h("p", {}, "No form was entered for this conversation.");
  }

  replace(main, back, heading, identity, intro, notRegistered, chooser, status, content);
  window.scrollTo(0, 0);
  if (notice) status.querySelector(".message")?.focus();
  else if (correcting) document.getElementById("feedback-date")?.focus();
  else heading.focus();
}

/** The label of one answer, as the form words it. */
function answerLabel(wording, part, answer) {
  if (answer === "") return "Left blank";
  if (answer === "n") return "Does not apply";
  const score = Number(answer);
  return part === "collaborate" ? `${wording.collaborate_answers[score]} (${score})` : `${wording.care_answers[score - 1]} (${score})`;
}

/** The form that counts, answer by answer, to check against the paper. */
function enteredForm(f, review, correct) {
  const w = f.wording;
  const form = review.form;
  const rows = (part, items, answers, stem) => [
    h("tr", {}, h("th", { scope: "colgroup", colspan: 2, class: "part" }, stem)),
    ...items.map((item, i) =>
      h(
        "tr",
        { "data-question": `${part}-${i}` },
        h("th", { scope: "row" }, `${i + 1}. ${item}`),
        h("td", {}, answerLabel(w, part, answers[i])),
      ),
    ),
  ];
  const button = h("button", { type: "button", id: "correct-form" }, "Correct this form");
  button.addEventListener("click", correct);
  return h(
    "section",
    { class: "feedback-entered", "aria-labelledby": "entered-heading" },
    h("h2", { id: "entered-heading" }, "The form as entered"),
    h(
      "dl",
      { class: "details", id: "entered-details" },
      h("dt", {}, "Date on the form"),
      h("dd", { id: "entered-date" }, form.completed_on_display),
      h("dt", {}, "Entered by"),
      h("dd", {}, `${form.entered_by}, ${form.entered_at}`),
      review.replaced
        ? [h("dt", {}, "Corrections"), h("dd", {}, `This form corrects ${review.replaced === 1 ? "an earlier one" : `${review.replaced} earlier ones`}, kept with the reason.`)]
        : null,
    ),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "answers-table", id: "entered-answers" },
        h("caption", { class: "visually-hidden" }, "Each question and its answer"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Question"), h("th", { scope: "col" }, "Answer"))),
        h(
          "tbody",
          {},
          rows("collaborate", w.collaborate, form.collaborate, `collaboRATE: ${w.collaborate_stem}`),
          rows("care", w.care, form.care, `CARE measure: ${w.care_stem}`),
        ),
      ),
    ),
    h("div", { class: "actions" }, button),
  );
}

/**
 * One question as a group of radio buttons: every answer on the paper, then "Left blank"
 * (chosen at first). `answers`: `[[value, words]]`.
 */
function question(name, number, text, answers, current) {
  return h(
    "fieldset",
    { class: "scale", id: `${name}-group` },
    h("legend", {}, h("span", { class: "question-number" }, `${number}.`), ` ${text}`),
    h(
      "div",
      { class: "scale-answers" },
      [...answers, ["", "Left blank"]].map(([value, words]) => {
        const id = `${name}-${value === "" ? "blank" : value}`;
        return h(
          "label",
          { class: `scale-answer${value === "" ? " scale-blank" : ""}`, for: id },
          h("input", { type: "radio", name, id, value, checked: current === value }),
          h("span", {}, words),
        );
      }),
    ),
  );
}

function formEntry(f, review, correcting, status, redraw) {
  const w = f.wording;
  const old = correcting ? review.form : null;
  const date = h("input", {
    id: "feedback-date",
    type: "date",
    min: review.conversation_on,
    max: f.today,
    value: old ? old.completed_on : "",
    required: true,
    "aria-describedby": "feedback-date-hint",
  });
  const collaborate = w.collaborate.map((text, i) =>
    question(
      `collaborate-${i}`,
      i + 1,
      text,
      w.collaborate_answers.map((words, score) => [String(score), `${score} ${words}`]),
      old ? old.collaborate[i] : "",
    ),
  );
  const care = w.care.map((text, i) =>
    question(
      `care-${i}`,
      i + 1,
      text,
      [...w.care_answers.map((words, k) => [String(k + 1), `${k + 1} ${words}`]), ["n", "Does not apply"]],
      old ? old.care[i] : "",
    ),
  );
  const reason = correcting
    ? h(
        "div",
        { class: "field" },
        h("label", { for: "feedback-reason" }, "Why is the form being corrected?"),
        h("textarea", { id: "feedback-reason", required: true, "aria-describedby": "feedback-reason-hint" }),
        h("p", { class: "hint", id: "feedback-reason-hint" }, "The form as first entered is kept with this reason; only the correction counts."),
      )
    : null;
  const save = h("button", { type: "submit", class: "primary", id: "save-feedback" }, correcting ? "Save the correction" : "Save the form");
  const cancel = correcting ? h("button", { type: "button", id: "cancel-correction", onclick: () => redraw(review.year) }, "Cancel") : null;

  const form = h(
    "form",
    { class: "feedback-form", id: "feedback-form", "aria-labelledby": "form-heading", novalidate: true },
    h("h2", { id: "form-heading" }, correcting ? "Correct this form" : "Enter the form"),
    h(
      "div",
      { class: "field" },
      h("label", { for: "feedback-date" }, "Date on the form"),
      date,
      h("p", { class: "hint", id: "feedback-date-hint" }, `The date the person wrote, or the day the form came back if they wrote none: from ${review.conversation_on_display} to today.`),
    ),
    h("fieldset", { class: "questionnaire-part", id: "collaborate-part" }, h("legend", {}, "collaboRATE"), h("p", { class: "stem" }, `${w.collaborate_stem}:`), collaborate),
    h("fieldset", { class: "questionnaire-part", id: "care-part" }, h("legend", {}, "CARE measure"), h("p", { class: "stem" }, w.care_stem), care),
    reason,
    h("div", { class: "actions" }, save, cancel),
  );

  const chosenAnswers = (prefix, total) =>
    Array.from({ length: total }, (_, i) => form.querySelector(`input[name='${prefix}-${i}']:checked`)?.value ?? "");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const entry = {
      year: review.year,
      completedOn: date.value,
      collaborate: chosenAnswers("collaborate", w.collaborate.length),
      care: chosenAnswers("care", w.care.length),
    };
    if (correcting) {
      entry.replaces = old.id;
      entry.reason = form.querySelector("#feedback-reason").value;
    }
    save.disabled = true;
    try {
      await api.enterFeedback(f.nhs_number, entry);
    } catch (error) {
      save.disabled = false;
      replace(status, h("div", { class: "message message-error", role: "alert", tabindex: "-1" }, capitalise(error.message)));
      focusProblem(form, error.message);
      return;
    }
    const words = correcting
      ? `Corrected: the form of ${longDate(entry.completedOn)} now counts for the conversation on ${review.conversation_on_display}. The form as first entered is kept with your reason.`
      : `Saved: the form of ${longDate(entry.completedOn)} for the conversation on ${review.conversation_on_display}. It counts in the practice's feedback figures.`;
    await redraw(review.year, h("div", { class: "message message-success", role: "status", tabindex: "-1", id: "feedback-saved" }, words));
  });
  return form;
}

/** Moves the focus to what a refusal names: a question, the date or the reason. */
function focusProblem(form, message) {
  const question = message.match(/(collaboRATE|CARE) question (\d+)/);
  if (question) {
    const name = `${question[1] === "CARE" ? "care" : "collaborate"}-${Number(question[2]) - 1}`;
    form.querySelector(`input[name='${name}']:checked, input[name='${name}']`)?.focus();
  } else if (/date/.test(message)) {
    form.querySelector("#feedback-date").focus();
  } else if (/why/.test(message)) {
    form.querySelector("#feedback-reason")?.focus();
  } else {
    document.querySelector("#feedback-status .message")?.focus();
  }
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function longDate(text) {
  const [year, month, day] = text.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
