// One person's record: registration details, communication needs, conditions, status and the
// timeline of everything recorded about them.

import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { statusLabel } from "./register.js";
import { reviewSection } from "./review.js";

export async function render(main, nhsNumber, warnings = [], afterChange = false) {
  const p = await api.getPatient(nhsNumber);
  const reload = (shown) => render(main, nhsNumber, shown, true);
  const review = await reviewSection(nhsNumber, p.may_be_contacted, reload);
  // The paper feedback form is about a conversation: offered once one has been held.
  const feedback = await api.feedbackFor(nhsNumber).catch(() => null);
  const field = (label, value) =>
    value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)
      ? null
      : [h("dt", {}, label), h("dd", {}, Array.isArray(value) ? value.map((line) => h("div", {}, line)) : value)];

  const notices = [];
  if (!p.may_be_contacted) {
    notices.push(
      h(
        "div",
        { class: "message message-warning", role: "status", id: "contact-warning" },
        `${statusLabel(p.status)}: Alongside will not send this person any letter or invitation.`,
      ),
    );
  }
  if (p.missing_from_latest_import) {
    notices.push(
      h(
        "div",
        { class: "message message-warning" },
        "This person was not in the latest register file imported from the clinical system. Check whether they are still on the register there.",
      ),
    );
  }

  const heading = h("h1", { id: "patient-name", tabindex: "-1" }, `${p.given_name} ${p.family_name}`);
  replace(
    main,
    h("p", { class: "back" }, h("a", { href: "#/register", id: "back-to-register" }, "← Back to the register")),
    heading,
    h(
      "p",
      { class: "identity" },
      h("span", {}, "NHS number "),
      h("strong", { id: "patient-nhs-number" }, p.nhs_number_display),
      p.is_test_number ? h("span", { class: "tag" }, "Test number") : null,
      h("span", {}, ` · Born ${p.date_of_birth} (${p.age})`),
    ),
    warnings.length
      ? h("ul", { class: "message message-warning", role: "status", id: "action-warnings" }, warnings.map((w) => h("li", {}, w)))
      : null,
    notices,
    h(
      "p",
      { class: "actions" },
      h("a", { href: `#/conversation/${nhsNumber}`, id: "open-conversation", class: "button-link" }, "Care and support plan"),
      feedback && feedback.reviews.length
        ? h("a", { href: `#/feedback/${nhsNumber}`, id: "open-feedback", class: "button-link" }, "Patient feedback form")
        : null,
    ),
    p.communication_needs.length
      ? h(
          "section",
          { class: "needs", "aria-labelledby": "needs-heading" },
          h("h2", { id: "needs-heading" }, "Communication needs"),
          h("ul", { id: "patient-needs" }, p.communication_needs.map((n) => h("li", {}, n))),
        )
      : null,
    h(
      "div",
      { class: "record-columns" },
      h(
        "section",
        { "aria-labelledby": "details-heading" },
        h("h2", { id: "details-heading" }, "Details"),
        h(
          "dl",
          { class: "details", id: "patient-details" },
          field("Sex", capitalise(p.sex)),
          field("Address", p.address),
          field("Phone", p.phone),
          field("Email", p.email),
          field("Usual clinician", p.usual_clinician),
          field("Registration", statusLabel(p.status)),
          field("Review month", p.recall_month),
        ),
      ),
      h(
        "section",
        { "aria-labelledby": "conditions-heading" },
        h("h2", { id: "conditions-heading" }, "Long-term conditions"),
        h(
          "ul",
          { class: "conditions", id: "patient-conditions" },
          p.conditions.map((c) =>
            h(
              "li",
              {},
              h("strong", {}, c.name),
              h("span", { class: "hint" }, ` ${c.term} (SNOMED CT ${c.code})`),
              c.diagnosed_on ? h("div", { class: "hint" }, `Diagnosed ${c.diagnosed_on}`) : null,
            ),
          ),
        ),
      ),
    ),
    review,
    h(
      "section",
      { "aria-labelledby": "timeline-heading" },
      h("h2", { id: "timeline-heading" }, "Timeline"),
      h(
        "ol",
        { class: "timeline", id: "patient-timeline" },
        p.timeline.map((t) =>
          h(
            "li",
            {},
            h("div", { class: "timeline-what" }, h("strong", {}, t.what), h("span", { class: "hint" }, ` ${t.at} · ${t.actor}`)),
            h("div", { class: "timeline-detail" }, t.detail),
          ),
        ),
      ),
    ),
  );
  if (afterChange) {
    document.getElementById("review-heading").focus();
  } else {
    heading.focus();
  }
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
