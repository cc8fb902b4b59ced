// The recall coordinator's main screen: a month's list with counts at the top, filters, each
// person's next step and last contact, and the month's invitation letters printed in one go.

import * as api from "../api.js";
import { writeBatch as writeLetters } from "../batch.js";
import { count, errorBox, filterSelect, h, inFolder, people, replace } from "../dom.js";

const state = { group: "all", step: "", sort: "name", page: 0 };

function thisMonth() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

export async function render(main, month = thisMonth()) {
  const monthInput = h("input", { id: "recall-month", type: "month", value: month, required: true });
  monthInput.addEventListener("change", () => {
    if (/^\d{4}-\d{2}$/.test(monthInput.value)) {
      state.page = 0;
      window.location.hash = `#/recall/${monthInput.value}`;
    }
  });
  const select = (id, label, key, options) => filterSelect(id, label, state, key, options, () => refresh());
  const counts = h("div", { id: "recall-counts", class: "count-cards", "aria-live": "polite" });
  const batch = h("div", { id: "batch-panel" });
  const list = h("div", { id: "recall-rows" });
  const info = await api.appInfo();
  const target = h("input", {
    id: "batch-target",
    type: "text",
    spellcheck: "false",
    value: inFolder(info, `invitations-${month}.pdf`),
  });
  const choose = h("button", { type: "button", id: "choose-batch-target" }, "Choose…");
  choose.addEventListener("click", async () => {
    try {
      const chosen = await api.choosePdfTarget(target.value);
      if (chosen) target.value = chosen;
    } catch (error) {
      replace(batch, errorBox(error.message));
    }
  });
  const prepare = h("button", { type: "button", id: "prepare-invitations", class: "primary" }, "Write invitations");
  prepare.addEventListener("click", () => writeBatch(month, target.value.trim(), batch, refresh));

  replace(
    main,
    h("h1", {}, "Recall"),
    h(
      "form",
      { class: "search-panel", onsubmit: (e) => e.preventDefault() },
      h(
        "div",
        { class: "filters" },
        h("div", { class: "field" }, h("label", { for: "recall-month" }, "Month"), monthInput),
        select("recall-group", "Conditions", "group", [
          ["all", "Everyone"],
          ["single", "One long-term condition"],
          ["multiple", "Two or more"],
          ["frailty", "Frailty"],
        ]),
        select("recall-step", "Next step", "step", [
          ["", "Any"],
          ["first_invitation", "Due: invite"],
          ["awaiting_reply", "Waiting for a reply"],
          ["second_invitation", "Second invitation due"],
          ["third_invitation", "Third invitation due"],
          ["no_response_after_two", "No response after two (adjustment)"],
          ["booked", "Booked or further on"],
          ["closed", "Closed"],
        ]),
        select("recall-sort", "Order", "sort", [
          ["name", "By name"],
          ["date", "By last contact, latest first"],
        ]),
      ),
    ),
    counts,
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "letters-heading" },
      h("h2", { id: "letters-heading" }, "Invitation letters"),
      h("label", { for: "batch-target" }, "Save the PDF to"),
      h("div", { class: "inline" }, target, choose, prepare),
    ),
    batch,
    list,
  );
  await refresh();

  async function refresh() {
    let page;
    try {
      page = await api.recallList({ month, group: state.group, step: state.step, sort: state.sort, page: state.page });
    } catch (error) {
      replace(list, errorBox(error.message));
      return;
    }
    showCounts(counts, page);
    prepare.textContent = page.invitations_due
      ? `Write ${count(page.invitations_due)} invitation${page.invitations_due === 1 ? "" : "s"}`
      : "No invitations due today";
    prepare.disabled = page.invitations_due === 0;
    showRows(list, page);
  }

  function showRows(list, page) {
    if (page.total === 0) {
      replace(list, h("p", { class: "result-count" }, "No one on this month's list matches."));
      return;
    }
    const pages = Math.ceil(page.total / page.page_size);
    replace(
      list,
      h("p", { class: "result-count" }, `${people(page.total)} shown.`),
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "results", id: "recall-table" },
          h("caption", { class: "visually-hidden" }, `Recall list for ${page.month_label}`),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Name", "Conditions", "Review", "Next step", "Invitations", "Last contact"].map((t) =>
                h("th", { scope: "col" }, t),
              ),
            ),
          ),
          h("tbody", {}, page.rows.map(recallRow)),
        ),
      ),
      pages > 1
        ? h(
            "nav",
            { class: "pager", "aria-label": "Pages of the list" },
            h("button", { type: "button", disabled: page.page === 0, onclick: () => { state.page -= 1; refresh(); } }, "Previous"),
            h("span", {}, `Page ${count(page.page + 1)} of ${count(pages)}`),
            h("button", { type: "button", disabled: page.page + 1 >= pages, onclick: () => { state.page += 1; refresh(); } }, "Next"),
          )
        : null,
    );
  }
}

function showCounts(element, page) {
  const c = page.counts;
  const card = (label, value, step) =>
    h(
      "button",
      {
        type: "button",
        class: `count-card${state.step === step ? " selected" : ""}`,
        "data-step": step,
        "aria-pressed": state.step === step ? "true" : "false",
        onclick: () => {
          state.step = state.step === step ? "" : step;
          state.page = 0;
          const select = document.getElementById("recall-step");
          if (select) select.value = state.step;
          select?.dispatchEvent(new Event("change"));
        },
      },
      h("span", { class: "count-value" }, count(value)),
      h("span", { class: "count-label" }, label),
    );
  replace(
    element,
    h("h2", { class: "visually-hidden" }, `Counts for ${page.month_label}`),
    card(`due in ${page.month_label}`, c.everyone, ""),
    card("to invite", c.first_invitation, "first_invitation"),
    card("waiting for a reply", c.awaiting_reply, "awaiting_reply"),
    card("second invitation due", c.second_invitation, "second_invitation"),
    card("third invitation due", c.third_invitation, "third_invitation"),
    card("no response after two", c.no_response_after_two, "no_response_after_two"),
    card("booked or further on", c.booked, "booked"),
    card("closed", c.closed, "closed"),
  );
}

function recallRow(r) {
  const notes = [];
  if (r.large_print) notes.push(h("span", { class: "tag tag-need" }, "Large print"));
  if (r.no_response_adjustment) notes.push(h("span", { class: "tag tag-warning" }, "Adjustment can be offered"));
  return h(
    "tr",
    { "data-nhs": r.nhs_number },
    h(
      "td",
      { "data-label": "Name" },
      h("a", { class: "person-link", href: `#/patient/${r.nhs_number}` }, r.name),
      h("div", { class: "hint nowrap" }, r.nhs_number_display),
    ),
    h("td", { "data-label": "Conditions" }, r.conditions.join(", ")),
    h("td", { "data-label": "Review" }, r.status, r.contact1 ? h("div", { class: "hint" }, `Contact 1: ${r.contact1}`) : null),
    h("td", { "data-label": "Next step" }, r.step_label, notes.length ? h("div", {}, notes) : null),
    h("td", { "data-label": "Invitations" }, r.invitations.length ? r.invitations.map((d) => h("div", { class: "nowrap" }, d)) : ""),
    h("td", { "data-label": "Last contact" }, r.last_contact ?? ""),
  );
}

/** Writes the month's letters to `target`, then asks whether they printed. */
async function writeBatch(month, target, panel, refresh) {
  if (!target) {
    replace(panel, errorBox("Say where to save the PDF."));
    return;
  }
  await writeLetters(panel, {
    ids: {
      heading: "batch-heading",
      summary: "batch-summary",
      skipped: "batch-skipped",
      open: "open-batch",
      confirm: "confirm-batch",
      cancel: "cancel-batch",
      done: "batch-done",
    },
    writing: "Writing the letters…",
    write: () => api.prepareInvitationBatch(month, target),
    open: api.openInvitationBatch,
    confirm: api.confirmInvitationBatch,
    cancel: api.cancelInvitationBatch,
    refresh,
    heading: "Invitations ready to print",
    summary: (p) =>
      `${count(p.letters)} letters (${count(p.large_print)} in large print) are in ${p.file}. Each letter starts on a new sheet, so they can be printed on both sides.`,
    skipped: (p) => p.skipped,
    skippedIntro: "Not in the PDF (send these another way):",
    notice: "Nothing is recorded as sent until you confirm the letters have printed.",
    confirmLabel: "Yes, they printed: record them as sent",
    confirmed: (result) => `${people(result.recorded)} recorded as invited today.`,
    cancelled: "Nothing was recorded. The letters can be printed again at any time.",
  });
}
