// The clinician's triage worklist: open reviews with red findings nobody has acknowledged yet
// first, then reviews whose results are complete and wait for a clinician, oldest first.

import * as api from "../api.js";
import { h, people, replace } from "../dom.js";

export async function render(main, all) {
  const everything = all === "all";
  const view = await api.triageWorklist(everything);
  const urgent = view.rows.filter((r) => r.group === "urgent");
  const awaiting = view.rows.filter((r) => r.group === "awaiting_review");
  const other = view.rows.filter((r) => r.group === "other");

  const table = (id, rows) =>
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { id },
        h("thead", {}, h("tr", {}, ["Person", "Conditions", "Findings", "Since contact 1", "Review"].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              { class: r.red_waiting ? "row-red" : null, "data-nhs": r.nhs_number },
              h(
                "td",
                {},
                h("a", { href: `#/triage/${r.nhs_number}`, class: "person-link" }, r.name),
                r.waiting.length ? h("div", { class: "finding-words" }, r.waiting.join("; ")) : null,
              ),
              h("td", {}, r.conditions.join(", ")),
              h(
                "td",
                { class: "nowrap" },
                r.red ? h("span", { class: "tag tag-red" }, r.red_waiting === r.red ? `${r.red} red to act on` : `${r.red} red, ${r.red_waiting || "none"} to act on`) : null,
                " ",
                r.amber ? h("span", { class: "tag tag-amber" }, `${r.amber} amber`) : null,
                !r.red && !r.amber ? h("span", { class: "hint" }, "All on target") : null,
              ),
              h("td", { class: "nowrap" }, r.days_since_contact1 === null ? "Not yet" : `${r.days_since_contact1} day${r.days_since_contact1 === 1 ? "" : "s"}`),
              h("td", {}, h("span", { class: "tag" }, r.status_label)),
            ),
          ),
        ),
      ),
    );

  replace(
    main,
    h("h1", { tabindex: "-1", id: "triage-heading" }, "Triage"),
    h(
      "p",
      { class: "lead" },
      "Results to look at before each person's preparation pack. Red findings cannot wait: act on them and record what was done. A pack cannot be approved while a red finding is waiting.",
    ),
    h(
      "p",
      {},
      everything
        ? h("a", { href: "#/triage" }, "Show only the reviews waiting for a clinician")
        : h("a", { href: "#/triage/all", id: "show-all" }, "Show every open review with a finding"),
    ),
    h("h2", { id: "urgent-heading" }, `Red findings to act on: ${people(urgent.length)}`),
    urgent.length ? table("urgent-list", urgent) : h("p", { id: "no-urgent" }, "No red finding is waiting."),
    h("h2", { id: "awaiting-heading" }, `Results complete, waiting for review: ${people(awaiting.length)}`),
    awaiting.length ? table("awaiting-list", awaiting) : h("p", {}, "No review is waiting."),
    everything ? [h("h2", {}, `Other open reviews with findings: ${people(other.length)}`), other.length ? table("other-list", other) : h("p", {}, "None.")] : null,
  );
  main.querySelector("#triage-heading").focus();
}
