// A batch of letters written to one PDF and waiting for the person to say whether it printed:
// the same step for invitations (Recall) and preparation packs (Packs). Nothing counts as sent
// until they confirm it.

import { errorBox, h, replace } from "./dom.js";

/**
 * Writes a batch with `o.write()`, then shows what is in it with buttons to open the PDF,
 * confirm it printed, or record nothing. `o.ids` names the elements (tests and focus use them):
 * `{ heading, summary, skipped, open, confirm, cancel, done }`.
 */
export async function writeBatch(panel, o) {
  replace(panel, h("p", {}, o.writing));
  let prepared;
  try {
    prepared = await o.write();
  } catch (error) {
    replace(panel, errorBox(error.message));
    return;
  }
  const status = h("div", { "aria-live": "polite" });
  const open = h("button", { type: "button", id: o.ids.open }, "Open the PDF to print it");
  open.addEventListener("click", async () => {
    try {
      await o.open(prepared.batch);
    } catch (error) {
      replace(status, errorBox(error.message));
    }
  });
  const confirm = h("button", { type: "button", id: o.ids.confirm, class: "primary" }, o.confirmLabel);
  const cancel = h("button", { type: "button", id: o.ids.cancel }, "They did not print: record nothing");
  const done = async (action) => {
    confirm.disabled = cancel.disabled = true;
    try {
      if (action === "confirm") {
        const result = await o.confirm(prepared.batch);
        const refused = result.refused.map((r) => h("li", {}, `${r.nhs_number}: ${r.reason}`));
        replace(
          panel,
          h("div", { class: "message message-success", role: "status", id: o.ids.done }, o.confirmed(result)),
          refused.length ? h("div", { class: "message message-warning" }, h("p", {}, "Not recorded as sent:"), h("ul", {}, refused)) : null,
        );
      } else {
        await o.cancel(prepared.batch);
        replace(panel, h("div", { class: "message", role: "status", id: o.ids.done }, o.cancelled));
      }
      await o.refresh();
    } catch (error) {
      confirm.disabled = cancel.disabled = false;
      replace(status, errorBox(error.message));
    }
  };
  confirm.addEventListener("click", () => done("confirm"));
  cancel.addEventListener("click", () => done("cancel"));
  const skipped = o.skipped(prepared);
  replace(
    panel,
    h(
      "section",
      { class: "batch", "aria-labelledby": o.ids.heading },
      h("h2", { id: o.ids.heading, tabindex: "-1" }, o.heading),
      h("p", { id: o.ids.summary }, o.summary(prepared)),
      skipped.length
        ? h(
            "div",
            { class: "message message-warning" },
            h("p", {}, o.skippedIntro),
            h("ul", { id: o.ids.skipped }, skipped.map((s) => h("li", {}, `${s.nhs_number}: ${s.reason}`))),
          )
        : null,
      h("p", {}, o.notice),
      h("div", { class: "actions" }, open, confirm, cancel),
      status,
    ),
  );
  panel.querySelector(`#${o.ids.heading}`).focus();
  return { prepared, status };
}
