// The day's contact 1 clinic: everyone booked for their information-gathering appointment on
// a day, in time order, each opening their checklist.

import * as api from "../api.js";
import { h, people, replace } from "../dom.js";

export async function render(main, date) {
  const day = await api.clinicDay(date ?? null);
  const dateInput = h("input", { type: "date", id: "clinic-date", value: day.date });
  const go = () => {
    if (dateInput.value) window.location.hash = `#/clinic/${dateInput.value}`;
  };
  dateInput.addEventListener("change", go);

  const rows = day.appointments.map((a) =>
    h(
      "tr",
      {},
      h("td", { class: "nowrap" }, a.time),
      h(
        "td",
        {},
        h("a", { href: `#/contact1/${a.nhs_number}`, class: "person-link" }, a.name),
        h("div", { class: "hint" }, `Born ${a.date_of_birth}`),
      ),
      h("td", {}, a.with_whom, a.place ? h("div", { class: "hint" }, a.place) : null),
      h("td", {}, h("span", { class: `tag status-${a.status}` }, a.status_label)),
    ),
  );

  replace(
    main,
    h("h1", { tabindex: "-1", id: "clinic-heading" }, "Contact 1 clinic"),
    h("p", { class: "lead" }, "Everyone booked for their information-gathering appointment. Open a person to record their checks."),
    h(
      "div",
      { class: "inline clinic-day" },
      h("label", { for: "clinic-date" }, "Day"),
      dateInput,
    ),
    h("h2", { id: "clinic-day-label" }, `${day.date_label}: ${people(day.appointments.length)}`),
    day.appointments.length
      ? h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { id: "clinic-list" },
            h(
              "thead",
              {},
              h("tr", {}, ["Time", "Person", "With", "Review"].map((t) => h("th", { scope: "col" }, t))),
            ),
            h("tbody", {}, rows),
          ),
        )
      : h("p", { id: "clinic-empty" }, "No contact 1 appointments are booked for this day."),
  );
  if (!day.appointments.length) {
    main.append(h("p", { class: "hint" }, "Choose another day above, or open a person from the register."));
  }
}
