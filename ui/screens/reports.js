// Reports: is personalised care and support planning really happening? The practice manager
// picks a range of dates and a condition group and sees every fidelity figure with what it
// counts out of, charts of the pack-to-conversation days and the months, the people behind
// each figure, and saves the figures or the anonymised rows as spreadsheets.

import * as api from "../api.js";
import { barChart, groupedBars, percentLine, shareBar } from "../charts.js";
import { count, errorBox, h, people, replace } from "../dom.js";
import { statusLabel } from "./register.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const GROUPS = [
  ["all", "Everyone"],
  ["single", "One long-term condition"],
  ["multiple", "Two or more long-term conditions"],
  ["frailty", "Living with frailty"],
];

/** The most people a list shows before asking. */
const FIRST_PEOPLE = 200;

// Kept while the app is open, so coming back from a person's record shows the same report.
const state = { preset: "last_12_months", from: "", to: "", group: "all" };
let latestRequest = 0;

const pad = (number) => String(number).padStart(2, "0");
const iso = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** "1 December 2025" from "2025-12-01". */
export function longDate(text) {
  const [year, month, day] = text.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** "March 2026" from "2026-03". */
function monthName(text) {
  const [year, month] = text.split("-").map(Number);
  return `${MONTHS[month - 1]} ${year}`;
}

/** The ranges a practice asks for most, from today: quarters are Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec. */
function presets() {
  const today = new Date();
  const year = today.getFullYear();
  const quarter = Math.floor(today.getMonth() / 3);
  const range = (label, from, to) => ({ label, from: iso(from), to: iso(to) });
  return {
    this_quarter: range("This quarter", new Date(year, quarter * 3, 1), today),
    last_quarter: range("Last quarter", new Date(year, (quarter - 1) * 3, 1), new Date(year, quarter * 3, 0)),
    last_12_months: range("Last 12 months", new Date(year, today.getMonth() - 11, 1), today),
  };
}

/** A figure's number with what it counts out of, as the screen and the test read it. */
function valueText(f) {
  const number = (value) => Number(value).toLocaleString("en-GB", { maximumFractionDigits: 1 });
  switch (f.kind) {
    case "share":
      return f.out_of > 0 ? `${number(f.percent)}% — ${count(f.count)} of ${count(f.out_of)}` : "Nothing to count — 0 of 0";
    case "mean":
      return f.value !== null ? `${number(f.value)} — mean of ${count(f.count)}` : "Nothing to count — mean of 0";
    case "median":
      return f.value !== null ? `${number(f.value)} — median of ${count(f.count)}` : "Nothing to count — median of 0";
    default:
      return count(f.count);
  }
}

export async function render(main) {
  const ranges = presets();
  // A preset follows today; dates the manager chose stay as chosen.
  if (state.preset !== "custom") Object.assign(state, { from: ranges[state.preset].from, to: ranges[state.preset].to });

  const preset = h(
    "select",
    { id: "report-preset" },
    Object.entries(ranges).map(([key, r]) =>
      h("option", { value: key, selected: state.preset === key }, `${r.label} (${longDate(r.from)} to ${longDate(r.to)})`),
    ),
    h("option", { value: "custom", selected: state.preset === "custom" }, "Other dates"),
  );
  const from = h("input", { id: "report-from", type: "date", value: state.from, required: true });
  const to = h("input", { id: "report-to", type: "date", value: state.to, required: true });
  const group = h(
    "select",
    { id: "report-group" },
    GROUPS.map(([key, label]) => h("option", { value: key, selected: state.group === key }, label)),
  );
  const field = (id, label, control) => h("div", { class: "field" }, h("label", { for: id }, label), control);

  const exportStatus = h("div", { id: "report-export-status", "aria-live": "polite" });
  const printReport = h("button", { type: "button", id: "print-report", class: "primary" }, "Print the steering group's report…");
  const saveFigures = h("button", { type: "button", id: "save-report-figures" }, "Save the figures as a spreadsheet…");
  const saveRows = h("button", { type: "button", id: "save-report-rows" }, "Save the anonymised rows…");
  const summary = h("p", { id: "report-summary", class: "report-summary", "aria-live": "polite" });
  const body = h("div", { id: "report-body" });
  const heading = h("h1", { tabindex: "-1" }, "Reports");

  replace(
    main,
    heading,
    h(
      "p",
      { class: "lead" },
      "Is personalised care and support planning really happening? Every figure is worked out from what was recorded for each review, and says what it counts out of.",
    ),
    h(
      "form",
      { class: "search-panel report-controls", id: "report-controls", onsubmit: (e) => e.preventDefault() },
      h(
        "div",
        { class: "filters" },
        field("report-preset", "Dates", preset),
        field("report-from", "From", from),
        field("report-to", "To", to),
        field("report-group", "Condition group", group),
      ),
      h("p", { class: "hint" }, "Both days are included. Figures about the people due count everyone whose review fell due in a month of the range; the others count what happened within it."),
    ),
    h("div", { class: "actions", id: "report-actions" }, printReport, saveFigures, saveRows),
    exportStatus,
    summary,
    body,
  );

  let report = null;
  const refresh = async () => {
    const request = ++latestRequest;
    summary.textContent = "Working out the figures…";
    body.setAttribute("aria-busy", "true");
    try {
      report = await api.report(state.from, state.to);
    } catch (error) {
      if (request !== latestRequest) return;
      report = null;
      summary.textContent = "";
      body.removeAttribute("aria-busy");
      replace(body, errorBox(capitalise(error.message)));
      return;
    }
    if (request !== latestRequest) return;
    body.removeAttribute("aria-busy");
    show(report, summary, body);
  };

  preset.addEventListener("change", () => {
    state.preset = preset.value;
    if (preset.value !== "custom") {
      state.from = from.value = ranges[preset.value].from;
      state.to = to.value = ranges[preset.value].to;
      refresh();
    } else {
      from.focus();
    }
  });
  const dateChanged = () => {
    if (state.from === from.value && state.to === to.value) return;
    state.from = from.value;
    state.to = to.value;
    state.preset = "custom";
    preset.value = "custom";
    refresh();
  };
  for (const input of [from, to]) {
    input.addEventListener("change", dateChanged);
    input.addEventListener("input", dateChanged);
  }
  group.addEventListener("change", () => {
    state.group = group.value;
    if (report) show(report, summary, body);
  });

  const save = async (kind) => {
    const figures = kind === "figures";
    const printed = kind === "pdf";
    const range = { from: state.from, to: state.to };
    try {
      const target = printed
        ? await api.chooseSaveTarget(
            `steering-group-report-${range.from}-to-${range.to}.pdf`,
            "Save the steering group's report",
            { name: "PDF", extensions: ["pdf"] },
          )
        : await api.chooseSaveTarget(
            `${figures ? "fidelity-figures" : "anonymised-rows"}-${range.from}-to-${range.to}.csv`,
            figures ? "Save the figures as a spreadsheet" : "Save the anonymised rows",
          );
      if (!target) return;
      const write = printed ? api.exportReportPdf : figures ? api.exportReportFigures : api.exportReportRows;
      const saved = await write(range.from, range.to, target);
      const dates = `${longDate(range.from)} to ${longDate(range.to)}`;
      replace(
        exportStatus,
        h(
          "div",
          { class: "message message-success", role: "status" },
          printed
            ? `The steering group's report for ${dates} was saved to ${saved.file}: one A4 page, landscape. Open it to print.`
            : figures
              ? `The figures for every condition group, ${dates}, were saved to ${saved.file}.`
              : `The anonymised rows for ${dates} were saved to ${saved.file}: one row for each review behind the figures, with no name, NHS number, date of birth or address, months instead of days, and no feedback.`,
        ),
      );
    } catch (error) {
      replace(exportStatus, errorBox(capitalise(error.message)));
    }
  };
  printReport.addEventListener("click", () => save("pdf"));
  saveFigures.addEventListener("click", () => save("figures"));
  saveRows.addEventListener("click", () => save("rows"));

  window.scrollTo(0, 0);
  heading.focus();
  await refresh();
}

/** Draws the report for the group chosen. */
function show(r, summary, body) {
  const groupKey = state.group;
  const group = r.groups[groupKey];
  summary.textContent = `${r.practice}: ${longDate(r.from)} to ${longDate(r.to)}, ${group.label.toLowerCase()}.`;
  const sections = r.sections.map((section) => sectionView(r, section, groupKey));
  replace(body, sections, trendView(r, groupKey));
  body.dataset.from = r.from;
  body.dataset.to = r.to;
  body.dataset.group = groupKey;
}

function sectionView(r, section, groupKey) {
  const figures = r.groups[groupKey].figures;
  const keys = r.figure_keys.filter((key) => figures[key].section === section.key);
  const headingId = `section-${section.key}-heading`;
  const list = h("ul", { class: "figures" }, keys.map((key) => figureRow(r, key, figures[key], groupKey)));
  return h(
    "section",
    { class: "report-section", "aria-labelledby": headingId, "data-section": section.key },
    h("h2", { id: headingId }, section.label),
    section.key === "feedback"
      ? h(
          "p",
          { class: "hint" },
          "From the paper forms people fill in after their conversation. Reported only in aggregate: who said what is never shown.",
        )
      : null,
    list,
    section.key === "patient_preparation" ? packDaysView(r, groupKey) : null,
  );
}

function figureRow(r, key, f, groupKey) {
  const value = valueText(f);
  const row = h(
    "li",
    { class: `figure figure-${f.kind}`, "data-figure": key },
    h("span", { class: "figure-label", id: `figure-${key}-label` }, f.label),
    h("span", { class: "figure-value", id: `figure-${key}-value` }, value),
    f.kind === "share" ? shareBar(f.out_of > 0 ? f.percent : null, `${f.label}: ${value}`) : h("span", { class: "share-none" }),
  );
  if (!f.drillable) {
    row.append(h("span", { class: "aggregate" }, "Reported only in aggregate"));
    return row;
  }
  const button = h(
    "button",
    {
      type: "button",
      class: "people-button",
      id: `people-${key}`,
      "aria-expanded": "false",
      "aria-label": `People behind this: ${f.label}`,
    },
    "People behind this",
  );
  button.addEventListener("click", () => togglePeople(r, key, f, groupKey, row, button));
  row.append(button);
  return row;
}

/** Opens the list of people behind a figure under it (closing any other), or closes it. */
async function togglePeople(r, key, f, groupKey, row, button) {
  const open = document.getElementById("people-panel");
  const wasThis = open && open.dataset.figure === key;
  if (open) closePeople(false);
  if (wasThis) {
    button.focus();
    return;
  }
  const panel = h("li", { class: "people-panel", id: "people-panel", "data-figure": key }, h("p", {}, "Finding the people…"));
  row.after(panel);
  button.setAttribute("aria-expanded", "true");
  button.setAttribute("aria-controls", "people-panel");
  let list;
  try {
    list = await api.reportPeople(r.from, r.to, groupKey, key);
  } catch (error) {
    replace(panel, errorBox(capitalise(error.message)));
    return;
  }
  if (!panel.isConnected) return;
  const heading = h("h3", { id: "people-heading", tabindex: "-1" }, `${f.label}: ${people(list.people.length)}`);
  const close = h("button", { type: "button", id: "close-people" }, "Close the list");
  close.addEventListener("click", () => closePeople(true));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePeople(true);
  });
  const groupLabel = r.groups[groupKey].label.toLowerCase();
  const notCounted = list.people.length - list.counted;
  const explain =
    f.kind === "share" && list.people.some((p) => p.of > 1)
      ? `Each person with what the figure counts of theirs, for ${groupLabel}, ${longDate(r.from)} to ${longDate(r.to)}.`
      : f.kind === "share"
        ? `Everyone the figure counts out of, for ${groupLabel}, ${longDate(r.from)} to ${longDate(r.to)}: ${count(list.counted)} counted, ${count(notCounted)} not.`
        : `Everyone the figure counts, for ${groupLabel}, ${longDate(r.from)} to ${longDate(r.to)}.`;
  const table = (shown) =>
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "results people-table", id: "people-table" },
        h("caption", { class: "visually-hidden" }, `The people behind: ${f.label}`),
        h(
          "thead",
          {},
          h("tr", {}, ["NHS number", "Name", "Registration", "Review due", "Counted"].map((t) => h("th", { scope: "col" }, t))),
        ),
        h("tbody", {}, shown.map(personRow)),
      ),
    );
  const holder = h("div", {}, table(list.people.slice(0, FIRST_PEOPLE)));
  let more = null;
  if (list.people.length > FIRST_PEOPLE) {
    more = h("button", { type: "button", id: "show-all-people" }, `Show all ${count(list.people.length)}`);
    more.addEventListener("click", () => {
      replace(holder, table(list.people));
      more.remove();
      holder.querySelector("tbody tr:nth-child(" + (FIRST_PEOPLE + 1) + ") a")?.focus();
    });
  }
  replace(
    panel,
    heading,
    h("p", { class: "hint" }, explain),
    list.people.length ? holder : h("p", {}, "No one is behind this figure for this range and group."),
    h("div", { class: "actions" }, more, close),
  );
  heading.focus();
}

function closePeople(returnFocus) {
  const panel = document.getElementById("people-panel");
  if (!panel) return;
  const button = document.getElementById(`people-${panel.dataset.figure}`);
  panel.remove();
  if (button) {
    button.setAttribute("aria-expanded", "false");
    button.removeAttribute("aria-controls");
    if (returnFocus) button.focus();
  }
}

function personRow(p) {
  const digits = p.nhs_number;
  const spaced = `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  const counted = p.of > 1 ? `${count(p.count)} of ${count(p.of)}` : p.counted ? "Yes" : "No";
  return h(
    "tr",
    { "data-nhs": digits, class: p.counted ? "counted" : "not-counted" },
    h("td", { "data-label": "NHS number", class: "nowrap" }, h("a", { class: "person-link", href: `#/patient/${digits}` }, spaced)),
    h("td", { "data-label": "Name" }, p.name),
    h("td", { "data-label": "Registration" }, statusLabel(p.registration)),
    h("td", { "data-label": "Review due", class: "nowrap" }, monthName(p.due_month)),
    h("td", { "data-label": "Counted" }, counted),
  );
}

/** Conversations held in the range by days from the pack going, with the practice's minimum marked. */
function packDaysView(r, groupKey) {
  const minimum = r.pack_minimum_days;
  let at = null;
  r.pack_days.forEach((bar, i) => {
    const inside = bar.from_days !== null && bar.from_days <= minimum && (bar.to_days === null || minimum <= bar.to_days);
    if (at === null && inside) {
      at = bar.to_days === null ? i : i + (minimum - bar.from_days) / (bar.to_days - bar.from_days + 1);
    }
  });
  const bars = r.pack_days.map((bar) => ({
    label: bar.label,
    value: bar.conversations,
    className: bar.from_days === null ? "bar-none" : bar.to_days !== null && bar.to_days < minimum ? "bar-late" : "",
  }));
  const words = r.pack_days.map((bar) => `${bar.label}: ${count(bar.conversations)}`).join("; ");
  const held = r.pack_days.reduce((sum, bar) => sum + bar.conversations, 0);
  return h(
    "figure",
    { class: "chart-figure", id: "pack-days-chart" },
    h("figcaption", {}, `Days from the preparation pack to the conversation: the ${count(held)} conversations held in the range, everyone`),
    barChart({
      bars,
      name: `Conversations held by days from the pack going to the conversation. ${words}. The practice's minimum is ${minimum} days.`,
      marker: at === null ? null : { at, label: `${minimum}-day minimum` },
    }),
    h(
      "p",
      { class: "hint" },
      `The dashed line is the practice's minimum of ${minimum} days between the pack and the conversation: bars to its left had their pack too late.`,
      groupKey === "all" ? "" : " This chart covers everyone, whatever the group chosen.",
    ),
  );
}

/** The trend figures month by month: bars for conversations and plans, lines for the shares, and a table of every number. */
function trendView(r, groupKey) {
  const rangeStart = r.from.slice(0, 7);
  const rangeEnd = r.to.slice(0, 7);
  const inRange = r.trend.map((m) => m.month >= rangeStart && m.month <= rangeEnd);
  // Only a range shorter than the trend is shaded: the months before it are the year up to it.
  const shading = inRange.some((x) => !x);
  const months = r.trend.map((m, i) => ({ label: m.label, shaded: shading && inRange[i] }));
  const labels = Object.fromEntries(r.trend_keys.map((key) => [key, r.trend[0]?.figures[key].label ?? key]));
  const values = (key) => r.trend.map((m) => m.figures[key].count);
  const percents = (key) => r.trend.map((m) => (m.figures[key].out_of > 0 ? m.figures[key].percent : null));
  const span = r.trend.length ? `${r.trend[0].label} to ${r.trend[r.trend.length - 1].label}` : "";
  const series = [
    { key: "conversations", name: labels.conversations, className: "series-a" },
    { key: "plans_agreed", name: labels.plans_agreed, className: "series-b" },
  ];
  const lines = ["invited", "attended", "pack_in_time"].map((key) =>
    h(
      "figure",
      { class: "chart-figure small-multiple", "data-trend": key },
      h("figcaption", {}, labels[key]),
      percentLine({
        months,
        values: percents(key),
        name: `${labels[key]}, each month from ${span}, as a percentage. The numbers are in the table below.`,
      }),
    ),
  );
  const cell = (f) => {
    if (f.kind !== "share") return count(f.count);
    return f.out_of > 0 ? `${Number(f.percent).toLocaleString("en-GB")}% (${count(f.count)} of ${count(f.out_of)})` : "—";
  };
  return h(
    "section",
    { class: "report-section", "aria-labelledby": "trend-heading", id: "trend" },
    h("h2", { id: "trend-heading" }, "Month by month"),
    h(
      "p",
      { class: "hint" },
      "Everyone, whatever the group chosen above.",
      shading ? " The months of the range are shaded; the months before them show the year up to its end." : "",
    ),
    h(
      "figure",
      { class: "chart-figure", id: "trend-bars" },
      h("figcaption", {}, "Conversations held and plans agreed each month"),
      h(
        "ul",
        { class: "legend" },
        series.map((x) => h("li", {}, h("span", { class: `swatch ${x.className}` }), x.name)),
      ),
      h(
        "div",
        { class: "chart-scroll" },
        groupedBars({
          months,
          series: series.map((x) => ({ name: x.name, className: x.className, values: values(x.key) })),
          name: `Conversations held and plans agreed each month from ${span}. The numbers are in the table below.`,
        }),
      ),
    ),
    h("div", { class: "small-multiples" }, lines),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "trend-table", id: "trend-table" },
        h("caption", {}, "The months in numbers"),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, "Month"), r.trend_keys.map((key) => h("th", { scope: "col" }, labels[key]))),
        ),
        h(
          "tbody",
          {},
          r.trend.map((m, i) =>
            h(
              "tr",
              { "data-month": m.month, class: months[i].shaded ? "in-range" : null },
              h("th", { scope: "row", class: "nowrap" }, m.label),
              r.trend_keys.map((key) => h("td", { class: "nowrap" }, cell(m.figures[key]))),
            ),
          ),
        ),
      ),
    ),
  );
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
