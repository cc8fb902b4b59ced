// The yearly review on a person's record: where it has got to, its story, and the forms the
// recall coordinator uses (log a contact, record a booking, a decline or an adjustment).

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function todayText() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** The review section for one person; `reload` redraws the record after a change. */
export async function reviewSection(nhsNumber, mayBeContacted, reload) {
  const r = await api.getReview(nhsNumber);
  const message = h("div", { id: "review-message", "aria-live": "polite" });
  const act = async (action, form) => {
    try {
      const warnings = await api.recordReviewAction(nhsNumber, r.month, action);
      await reload(warnings);
    } catch (error) {
      replace(message, errorBox(error.message));
      form?.querySelector("input, select, textarea")?.focus();
    }
  };
  const field = (id, label, control) => h("div", { class: "field" }, h("label", { for: id }, label), control);
  const options = (choices) => choices.map((c) => h("option", { value: c.code }, c.label));

  const contactForm = h(
    "form",
    { class: "review-form", id: "contact-form", "aria-labelledby": "contact-heading" },
    h("h3", { id: "contact-heading" }, "Log a contact attempt"),
    h(
      "div",
      { class: "filters" },
      field("contact-on", "Date", h("input", { id: "contact-on", type: "date", value: todayText(), max: todayText(), required: true })),
      field("contact-method", "How", h("select", { id: "contact-method" }, options(r.contact_methods))),
      field("contact-outcome", "Outcome", h("select", { id: "contact-outcome" }, options(r.contact_outcomes))),
      field("contact-note", "Note", h("input", { id: "contact-note", type: "text" })),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "log-contact" }, "Log contact")),
  );
  contactForm.addEventListener("submit", (e) => {
    e.preventDefault();
    act(
      {
        kind: "contact",
        on: contactForm.querySelector("#contact-on").value,
        method: contactForm.querySelector("#contact-method").value,
        outcome: contactForm.querySelector("#contact-outcome").value,
        note: contactForm.querySelector("#contact-note").value,
      },
      contactForm,
    );
  });

  const bookingForm = (contact, title, withDefault) => {
    const prefix = `book${contact}`;
    const form = h(
      "form",
      { class: "review-form", id: `${prefix}-form`, "aria-labelledby": `${prefix}-heading` },
      h("h3", { id: `${prefix}-heading` }, title),
      h("p", { class: "hint" }, "Book in the clinical system first; record here what was booked."),
      h(
        "div",
        { class: "filters" },
        field(`${prefix}-at`, "Date and time", h("input", { id: `${prefix}-at`, type: "datetime-local", required: true })),
        field(`${prefix}-with`, "With", h("input", { id: `${prefix}-with`, type: "text", placeholder: withDefault, required: true })),
        field(`${prefix}-place`, "Where", h("input", { id: `${prefix}-place`, type: "text" })),
      ),
      h("div", { class: "actions" }, h("button", { type: "submit", id: `${prefix}-save` }, "Record booking")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      act(
        {
          kind: contact === 1 ? "book_contact1" : "book_conversation",
          starts_at: form.querySelector(`#${prefix}-at`).value,
          with_whom: form.querySelector(`#${prefix}-with`).value,
          place: form.querySelector(`#${prefix}-place`).value,
        },
        form,
      );
    });
    return form;
  };

  const closeForm = h(
    "form",
    { class: "review-form", id: "close-form", "aria-labelledby": "close-heading" },
    h("h3", { id: "close-heading" }, "Declined, or a personalised care adjustment"),
    h(
      "div",
      { class: "filters" },
      field(
        "close-kind",
        "Record",
        h("select", { id: "close-kind" }, h("option", { value: "decline" }, "Declined the review"), options(r.pca_reasons).map((o) => {
          o.textContent = `Adjustment: ${o.textContent}`;
          return o;
        })),
      ),
      field("close-note", "Note", h("input", { id: "close-note", type: "text" })),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "close-review" }, "Record and close this review")),
  );
  closeForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const kind = closeForm.querySelector("#close-kind").value;
    const note = closeForm.querySelector("#close-note").value;
    act(kind === "decline" ? { kind: "decline", note } : { kind: "adjust", reason: kind, note }, closeForm);
  });

  const monthSelect = h(
    "select",
    { id: "review-month" },
    h("option", { value: "" }, "Birth month"),
    MONTHS.map((name, i) => h("option", { value: String(i + 1), selected: r.review_month === i + 1 }, name)),
  );
  monthSelect.addEventListener("change", async () => {
    try {
      await api.setReviewMonth(nhsNumber, monthSelect.value ? Number(monthSelect.value) : null);
      await reload([]);
    } catch (error) {
      replace(message, errorBox(error.message));
    }
  });

  // Contact 1 is recorded on the HCA's checklist, which records attendance when it is finished.
  const checklistLink = h("a", { href: `#/contact1/${nhsNumber}`, id: "open-checklist", class: "button-link" }, "Open the contact 1 checklist");

  const facts = [
    ["Status", r.status_label],
    ["Invitations", r.invitations.length ? r.invitations.join(", ") : "None yet"],
    ["Contact 1", r.contact1 ?? "Not booked"],
    ["Conversation", r.conversation ?? "Not booked"],
    ["Preparation pack", r.pack_sent_on ? `Sent ${r.pack_sent_on}` : "Not sent"],
  ];
  const can = (action) => r.available.includes(action);
  const forms = r.available.length
    ? [
        can("contact") ? contactForm : null,
        can("book_contact1") ? bookingForm(1, "Record the booking of contact 1", "the healthcare assistant") : null,
        mayBeContacted ? h("div", { class: "actions" }, checklistLink) : null,
        can("book_conversation")
          ? bookingForm(2, "Record the booking of the conversation (contact 2)", "the nurse or doctor")
          : null,
        can("decline") || can("adjust") ? closeForm : null,
      ]
    : [h("p", { class: "hint" }, mayBeContacted ? "This review is closed." : "Nothing can be recorded for someone who has left or died.")];

  return h(
    "section",
    { class: "review", "aria-labelledby": "review-heading", id: "review" },
    h("h2", { id: "review-heading", tabindex: "-1" }, `Review due ${r.month_label}`),
    message,
    h("dl", { class: "details", id: "review-facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    r.no_response_adjustment
      ? h("p", { class: "message message-warning" }, "No response to two invitations at least 7 days apart: an adjustment can be recorded.")
      : null,
    h("div", { class: "field" }, h("label", { for: "review-month" }, "Review month"), monthSelect),
    forms,
    h("h3", {}, "What has happened"),
    r.history.length
      ? h("ol", { class: "timeline", id: "review-history" }, r.history.map((e) => h("li", {}, h("strong", {}, e.on), ` ${e.what}`, h("span", { class: "hint" }, ` · ${e.who}`))))
      : h("p", { class: "hint" }, "Nothing yet this year."),
    h("h3", {}, "Contact attempts"),
    r.attempts.length
      ? h("ol", { class: "timeline", id: "review-attempts" }, r.attempts.map((e) => h("li", {}, e.what, h("span", { class: "hint" }, ` · ${e.who}`))))
      : h("p", { class: "hint" }, "None logged."),
    r.earlier.length
      ? [h("h3", {}, "Earlier reviews"), h("ul", {}, r.earlier.map((e) => h("li", {}, `${e.month_label}: ${e.status_label}`)))]
      : null,
  );
}
