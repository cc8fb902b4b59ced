// Preparation packs: approved reviews whose packs are ready, chosen and printed into one PDF in
// surname order; packs held with the reason (never printed); the batch recorded as sent only
// when the person confirms it printed and was posted; one person's pack printed again.

import * as api from "../api.js";
import { writeBatch as writeLetters } from "../batch.js";
import { count, errorBox, h, inFolder, replace } from "../dom.js";

function todayIso() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

const packs = (n) => `${count(n)} pack${n === 1 ? "" : "s"}`;

function days(n) {
  if (n === null || n === undefined) return "";
  if (n < 0) return "passed";
  if (n === 0) return "today";
  return n === 1 ? "1 day" : `${count(n)} days`;
}

export async function render(main) {
  const info = await api.appInfo();
  const summary = h("p", { id: "packs-summary", "aria-live": "polite" });
  const panel = h("div", { id: "packs-batch" });
  const ready = h("div", { id: "packs-ready" });
  const held = h("div", { id: "packs-held" });
  const target = h("input", {
    id: "packs-target",
    type: "text",
    spellcheck: "false",
    value: inFolder(info, `packs-${todayIso()}.pdf`),
  });
  const choose = h("button", { type: "button", id: "choose-packs-target" }, "Choose…");
  choose.addEventListener("click", async () => {
    try {
      const chosen = await api.choosePdfTarget(target.value);
      if (chosen) target.value = chosen;
    } catch (error) {
      replace(panel, errorBox(error.message));
    }
  });
  const print = h("button", { type: "button", id: "print-packs", class: "primary" }, "Print the chosen packs");
  print.addEventListener("click", () => {
    const chosen = [...ready.querySelectorAll("input[data-cycle]:checked")].map((box) => Number(box.dataset.cycle));
    writeBatch(chosen, target.value.trim(), panel, refresh);
  });

  const reprintNhs = h("input", { id: "reprint-nhs", type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false" });
  const reprintStatus = h("div", { id: "reprint-status", "aria-live": "polite" });
  const reprint = h("button", { type: "button", id: "reprint-pack" }, "Print this person's pack again");
  reprint.addEventListener("click", async () => {
    const nhs = reprintNhs.value.replace(/\s/g, "");
    if (!/^\d{10}$/.test(nhs)) {
      replace(reprintStatus, errorBox("Type the person's 10-digit NHS number."));
      reprintNhs.focus();
      return;
    }
    const file = inFolder(info, `pack-${nhs}-${todayIso()}.pdf`);
    reprint.disabled = true;
    try {
      const done = await api.reprintPack(nhs, file);
      const open = h("button", { type: "button", id: "open-reprint" }, "Open the PDF to print it");
      open.addEventListener("click", () => api.openPackBatch(done.batch).catch((e) => replace(reprintStatus, errorBox(e.message))));
      replace(
        reprintStatus,
        h("div", { class: "message message-success", role: "status" }, `The pack was written to ${done.file}${done.large_print ? " in large print" : ""}. Printing it again is recorded in the audit trail; nothing else changes.`),
        open,
      );
    } catch (error) {
      replace(reprintStatus, errorBox(error.message));
    } finally {
      reprint.disabled = false;
    }
  });

  replace(
    main,
    h("h1", {}, "Preparation packs"),
    h(
      "p",
      { class: "hint" },
      "Each approved person gets their results explained, with questions to help them get ready for their conversation. ",
      "Packs are printed in surname order, each starting on a new sheet, so they can be printed on both sides.",
    ),
    summary,
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "packs-print-heading" },
      h("h2", { id: "packs-print-heading" }, "Print packs"),
      h("label", { for: "packs-target" }, "Save the PDF to"),
      h("div", { class: "inline" }, target, choose, print),
    ),
    panel,
    h("section", { "aria-labelledby": "packs-ready-heading" }, h("h2", { id: "packs-ready-heading" }, "Ready to print"), ready),
    h("section", { "aria-labelledby": "packs-held-heading" }, h("h2", { id: "packs-held-heading" }, "Held"), held),
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "reprint-heading" },
      h("h2", { id: "reprint-heading" }, "Print a sent pack again"),
      h("p", { class: "hint" }, "For a pack lost in the post or left at home. The same checks apply: nothing is printed for anyone with a red finding waiting, or who has left or died."),
      h("label", { for: "reprint-nhs" }, "NHS number"),
      h("div", { class: "inline" }, reprintNhs, reprint),
      reprintStatus,
    ),
  );
  await refresh();

  async function refresh() {
    let page;
    try {
      page = await api.packsList();
    } catch (error) {
      replace(ready, errorBox(error.message));
      return;
    }
    replace(summary, `${packs(page.ready)} ready to print, ${count(page.held)} held. Today is ${page.today}; a pack goes at least ${count(page.minimum_days)} days before the conversation.`);
    print.disabled = page.ready === 0;
    const readyRows = page.rows.filter((r) => r.state === "ready");
    const heldRows = page.rows.filter((r) => r.state !== "ready");
    if (readyRows.length === 0) {
      replace(ready, h("p", {}, "No packs are ready. A pack is ready once a clinician has approved it at triage."));
    } else {
      const all = h("input", { type: "checkbox", id: "packs-all", checked: true, "aria-label": "Choose every pack" });
      all.addEventListener("change", () => {
        for (const box of ready.querySelectorAll("input[data-cycle]")) box.checked = all.checked;
      });
      ready.addEventListener("change", (event) => {
        if (!event.target.dataset.cycle) return;
        const boxes = [...ready.querySelectorAll("input[data-cycle]")];
        all.checked = boxes.every((box) => box.checked);
        all.indeterminate = !all.checked && boxes.some((box) => box.checked);
      });
      replace(
        ready,
        h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { class: "results", id: "packs-ready-table" },
            h("caption", { class: "visually-hidden" }, "Packs ready to print"),
            h(
              "thead",
              {},
              h("tr", {}, h("th", { scope: "col" }, all), ...["Name", "Conversation", "Days until it", "Print"].map((t) => h("th", { scope: "col" }, t))),
            ),
            h("tbody", {}, readyRows.map(readyRow)),
          ),
        ),
      );
    }
    replace(
      held,
      heldRows.length === 0
        ? h("p", {}, "Nothing is held.")
        : h(
            "div",
            { class: "table-scroll" },
            h(
              "table",
              { class: "results", id: "packs-held-table" },
              h("caption", { class: "visually-hidden" }, "Packs held, with the reason"),
              h("thead", {}, h("tr", {}, ["Name", "Review", "Conversation", "Why it is held"].map((t) => h("th", { scope: "col" }, t)))),
              h("tbody", {}, heldRows.map(heldRow)),
            ),
          ),
    );
  }
}

function nameCell(r) {
  return h(
    "td",
    { "data-label": "Name" },
    h("a", { class: "person-link", href: `#/patient/${r.nhs_number}` }, r.name),
    h("div", { class: "hint nowrap" }, r.nhs_number.replace(/(\d{3})(\d{3})(\d{4})/, "$1 $2 $3")),
  );
}

function readyRow(r) {
  const box = h("input", { type: "checkbox", checked: true, "data-cycle": String(r.cycle_id), "aria-label": `Print the pack for ${r.name}` });
  return h(
    "tr",
    { "data-nhs": r.nhs_number, "data-state": r.state },
    h("td", {}, box),
    nameCell(r),
    h("td", { "data-label": "Conversation" }, r.conversation ?? h("span", { class: "hint" }, "Not booked yet: the letter says how to book")),
    h("td", { "data-label": "Days until it" }, days(r.days_until)),
    h("td", { "data-label": "Print" }, r.large_print ? h("span", { class: "tag tag-need" }, "Large print") : "Standard"),
  );
}

function heldRow(r) {
  const urgent = r.state === "red_finding";
  return h(
    "tr",
    { "data-nhs": r.nhs_number, "data-state": r.state, class: urgent ? "row-red" : "" },
    nameCell(r),
    h("td", { "data-label": "Review" }, r.status),
    h("td", { "data-label": "Conversation" }, r.conversation ?? "", r.days_until !== null && r.days_until !== undefined ? h("div", { class: "hint" }, days(r.days_until)) : null),
    h(
      "td",
      { "data-label": "Why it is held" },
      r.reason,
      urgent ? h("div", {}, h("a", { href: `#/triage/${r.nhs_number}` }, "Open in triage")) : null,
    ),
  );
}

/** Writes the chosen packs to `target`, then asks whether they printed and were posted. */
async function writeBatch(chosen, target, panel, refresh) {
  if (chosen.length === 0) {
    replace(panel, errorBox("Choose at least one pack to print."));
    return;
  }
  if (!target) {
    replace(panel, errorBox("Say where to save the PDF."));
    return;
  }
  const written = await writeLetters(panel, {
    ids: {
      heading: "packs-batch-heading",
      summary: "packs-batch-summary",
      skipped: "packs-batch-held",
      open: "open-packs",
      confirm: "confirm-packs",
      cancel: "cancel-packs",
      done: "packs-done",
    },
    writing: "Writing the packs…",
    write: () => api.printPacks(chosen, target),
    open: api.openPackBatch,
    confirm: api.confirmPacks,
    cancel: api.cancelPacks,
    refresh,
    heading: "Packs ready to print",
    summary: (p) => `${packs(p.packs)} (${count(p.large_print)} in large print) are in ${p.file}. Each pack starts on a new sheet.`,
    skipped: (p) => p.held,
    skippedIntro: "Held, and not in the PDF:",
    notice: "Nothing is recorded as sent until you confirm the packs were printed and posted.",
    confirmLabel: "Yes, printed and posted: record them as sent",
    confirmed: (result) => `${packs(result.recorded)} recorded as sent today.`,
    cancelled: "Nothing was recorded. The packs can be printed again at any time.",
  });
  if (!written) return;
  // The PDF opens in the computer's own viewer, ready to print.
  try {
    await api.openPackBatch(written.prepared.batch);
  } catch (error) {
    replace(written.status, h("p", { class: "hint", id: "packs-not-opened" }, `The PDF could not be opened here (${error.message}). Open ${written.prepared.file} to print it.`));
  }
}
