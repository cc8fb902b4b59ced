// The register: search as you type by name, NHS number or date of birth, with filters,
// counts and pages. The search is kept when a record is opened and the person comes back.

import * as api from "../api.js";
import { count, errorBox, filterSelect, h, people, replace } from "../dom.js";

const state = {
  text: "",
  condition_id: "",
  condition_count: "any",
  frailty: "any",
  status: "registered",
  page: 0,
};

let conditions = null;
let latestRequest = 0;

export async function render(main) {
  conditions ??= await api.listConditions();
  const search = h("input", {
    id: "search",
    type: "search",
    value: state.text,
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "search-hint",
  });
  const select = (id, label, key, options) => filterSelect(id, label, state, key, options, () => refresh());
  const summary = h("p", { id: "result-count", class: "result-count", "aria-live": "polite" });
  const results = h("div", { id: "results" });

  replace(
    main,
    h("h1", {}, "Register"),
    h(
      "form",
      { class: "search-panel", role: "search", onsubmit: (e) => e.preventDefault() },
      h(
        "div",
        { class: "field field-wide" },
        h("label", { for: "search" }, "Find a person"),
        search,
        h("p", { id: "search-hint", class: "hint" }, "Name, NHS number or date of birth (DD/MM/YYYY). Press / to come back here."),
      ),
      h(
        "div",
        { class: "filters" },
        select("filter-condition", "Condition", "condition_id", [
          ["", "Any condition"],
          ...conditions.map((c) => [c.id, c.name]),
        ]),
        select("filter-count", "Long-term conditions", "condition_count", [
          ["any", "Any number"],
          ["one", "One only"],
          ["two_or_more", "Two or more"],
        ]),
        select("filter-frailty", "Frailty", "frailty", [
          ["any", "Any"],
          ["frail", "Any frailty"],
          ["moderate_or_severe", "Moderate or severe"],
          ["not_frail", "No frailty recorded"],
        ]),
        select("filter-status", "Registration", "status", [
          ["registered", "Registered"],
          ["left", "Left the practice"],
          ["deceased", "Deceased"],
          ["all", "Everyone"],
        ]),
      ),
    ),
    summary,
    results,
    exportSection(),
  );

  let timer = null;
  search.addEventListener("input", () => {
    state.text = search.value;
    state.page = 0;
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      const first = results.querySelector("a.person-link");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === "Enter") {
      // Search now rather than after the pause, and open the record if only one person matches.
      event.preventDefault();
      clearTimeout(timer);
      refresh().then(() => {
        const links = results.querySelectorAll("a.person-link");
        if (links.length === 1) links[0].click();
      });
    }
  });
  results.addEventListener("keydown", (event) => moveBetweenResults(event, results, search));
  search.focus();
  await refresh();

  async function refresh() {
    const request = ++latestRequest;
    let page;
    try {
      page = await api.searchPatients({ ...state, condition_id: state.condition_id || null });
    } catch (error) {
      replace(results, errorBox(error.message));
      return;
    }
    if (request !== latestRequest) return;
    showResults(page);
  }

  function showResults(page) {
    const first = page.total === 0 ? 0 : page.page * page.page_size + 1;
    const last = page.page * page.page_size + page.people.length;
    summary.textContent =
      page.total === 0
        ? "No one matches."
        : `${people(page.total)} match. Showing ${count(first)} to ${count(last)}.`;
    if (page.total === 0) {
      replace(results);
      return;
    }
    const table = h(
      "table",
      { class: "results" },
      h("caption", { class: "visually-hidden" }, "People matching the search"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Name", "NHS number", "Date of birth", "Conditions", "Notes"].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h("tbody", {}, page.people.map(row)),
    );
    const pages = Math.ceil(page.total / page.page_size);
    const pager = h(
      "nav",
      { class: "pager", "aria-label": "Pages of results" },
      h("button", { type: "button", id: "previous-page", disabled: page.page === 0, onclick: () => turn(-1) }, "Previous"),
      h("span", {}, `Page ${count(page.page + 1)} of ${count(pages)}`),
      h("button", { type: "button", id: "next-page", disabled: page.page + 1 >= pages, onclick: () => turn(1) }, "Next"),
    );
    replace(results, h("div", { class: "table-scroll" }, table), pager);
  }

  function turn(step) {
    state.page += step;
    refresh();
  }
}

function row(person) {
  const notes = [];
  if (person.status !== "registered") notes.push(h("span", { class: "tag tag-warning" }, statusLabel(person.status)));
  if (person.frailty) notes.push(h("span", { class: "tag" }, `${capitalise(person.frailty)} frailty`));
  for (const need of person.needs) notes.push(h("span", { class: "tag tag-need" }, need));
  if (person.missing_from_latest_import) notes.push(h("span", { class: "tag tag-warning" }, "Not in latest import"));
  return h(
    "tr",
    { "data-nhs": person.nhs_number },
    h(
      "td",
      { "data-label": "Name" },
      h("a", { class: "person-link", href: `#/patient/${person.nhs_number}` }, `${person.family_name}, ${person.given_name}`),
    ),
    h("td", { "data-label": "NHS number", class: "nowrap" }, person.nhs_number_display),
    h("td", { "data-label": "Date of birth", class: "nowrap" }, `${person.date_of_birth} (${person.age})`),
    h("td", { "data-label": "Conditions" }, person.conditions.join(", ")),
    h("td", { "data-label": "Notes" }, notes),
  );
}

function moveBetweenResults(event, results, search) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = [...results.querySelectorAll("a.person-link")];
  const index = links.indexOf(document.activeElement);
  if (index < 0) return;
  event.preventDefault();
  if (event.key === "ArrowDown" && index + 1 < links.length) links[index + 1].focus();
  if (event.key === "ArrowUp") (index === 0 ? search : links[index - 1]).focus();
}

export function statusLabel(status) {
  return { registered: "Registered", left: "Left the practice", deceased: "Deceased" }[status] ?? status;
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

document.addEventListener("keydown", (event) => {
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName);
  if (event.key === "/" && !typing) {
    event.preventDefault();
    if (window.location.hash !== "#/register") window.location.hash = "#/register";
    else document.getElementById("search")?.focus();
  }
});

// Everyone on the register with where their review has got to, for Excel: a deliberate export,
// saved where the user says and recorded in the audit trail.
function exportSection() {
  const status = h("div", { id: "register-export-status", "aria-live": "polite" });
  const save = async () => {
    try {
      const target = await api.chooseSaveTarget("register-with-reviews.csv", "Save the register as a spreadsheet");
      if (!target) return;
      const people = await api.exportRegister(target);
      replace(status, h("div", { class: "message message-success", role: "status" }, `${people} people saved to ${target}, with where each review has got to.`));
    } catch (error) {
      replace(status, errorBox(error.message));
    }
  };
  return h(
    "section",
    { class: "register-export", "aria-labelledby": "register-export-heading" },
    h("h2", { id: "register-export-heading" }, "Spreadsheet"),
    h("p", { class: "hint" }, "Everyone on the register (including people who have left or died), with their latest review and plan, as a CSV file that Excel opens."),
    h("p", {}, h("button", { type: "button", id: "export-register", onclick: save }, "Save the register as a spreadsheet…")),
    status,
  );
}
