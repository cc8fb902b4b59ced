// The audit trail, for administrators: who looked at or changed what, and when, filtered by
// person, user, action and dates; saved as CSV (the saving is itself recorded); and the check
// that no entry was changed or removed.

import * as api from "../api.js";
import { count, errorBox, h, replace, sentence } from "../dom.js";

const when = (at) => {
  const time = new Date(at);
  return Number.isNaN(time.getTime()) ? at : time.toLocaleString("en-GB");
};
const spaced = (nhs) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;

export async function render(main) {
  const choices = await api.auditChoices();
  const status = h("div", { id: "audit-status", "aria-live": "polite" });
  const field = (id, label, control, hint = null) =>
    h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, control);
  const nhs = h("input", { id: "audit-nhs", type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", "aria-describedby": "audit-nhs-hint" });
  const user = h("input", { id: "audit-user", type: "text", list: "audit-users", autocomplete: "off", spellcheck: "false" });
  const users = h("datalist", { id: "audit-users" }, choices.users.map((u) => h("option", { value: u })));
  const families = [...new Set(choices.actions.map((a) => a.split(".")[0]))];
  const action = h(
    "select",
    { id: "audit-action" },
    h("option", { value: "" }, "Any action"),
    h("optgroup", { label: "Kinds of action" }, families.map((f) => h("option", { value: f }, `${f} (all)`))),
    h("optgroup", { label: "Actions" }, choices.actions.map((a) => h("option", { value: a }, a))),
  );
  const from = h("input", { id: "audit-from", type: "date" });
  const to = h("input", { id: "audit-to", type: "date" });
  const filter = () => ({ nhs_number: nhs.value.replace(/\s/g, ""), user: user.value, action: action.value, from: from.value, to: to.value });

  const body = h("tbody", {});
  const more = h("button", { type: "button", id: "audit-more", hidden: true }, "Show older entries");
  const table = h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { id: "audit-table", class: "results" },
      h("caption", { class: "visually-hidden" }, "Audit entries, newest first"),
      h("thead", {}, h("tr", {}, ["When", "User", "Action", "Person", "What"].map((t) => h("th", { scope: "col" }, t)))),
      body,
    ),
  );
  const row = (e) =>
    h(
      "tr",
      { "data-entry": e.id },
      h("td", { class: "nowrap", "data-label": "When" }, when(e.at)),
      h("td", { "data-label": "User" }, e.user),
      h("td", { "data-label": "Action" }, e.action),
      h("td", { "data-label": "Person" }, e.nhs_number ? [h("a", { href: `#/patient/${e.nhs_number}`, class: "nowrap" }, spaced(e.nhs_number)), h("div", {}, e.name)] : "—"),
      h("td", { "data-label": "What" }, e.summary),
    );

  let shown = { filter: filter(), offset: 0 };
  const tableElement = table.querySelector("table");
  // Only the latest request draws: an earlier answer arriving late is dropped.
  let latest = 0;
  const load = async (append) => {
    const request = ++latest;
    const wanted = shown.filter;
    tableElement.setAttribute("aria-busy", "true");
    try {
      const page = await api.auditTrail(wanted, shown.offset);
      if (request !== latest) return;
      if (!append) replace(body);
      // Which person's entries are shown (empty: everyone's), once they are.
      tableElement.dataset.nhs = wanted.nhs_number;
      body.append(...page.entries.map(row));
      shown.offset += page.entries.length;
      more.hidden = !page.more;
      replace(status, shown.offset === 0 ? h("p", { id: "audit-count" }, "No entries match.") : h("p", { id: "audit-count" }, `Showing the newest ${count(shown.offset)} matching ${shown.offset === 1 ? "entry" : "entries"}${page.more ? "; there are older ones" : ""}.`));
    } catch (error) {
      if (request === latest) replace(status, errorBox(sentence(error.message)));
    } finally {
      if (request === latest) tableElement.setAttribute("aria-busy", "false");
    }
  };
  more.addEventListener("click", () => load(true));

  const form = h(
    "form",
    { class: "search-panel", id: "audit-filter" },
    h(
      "div",
      { class: "filters" },
      field("audit-nhs", "NHS number", nhs, "Everyone when empty."),
      field("audit-user", "User", h("span", {}, user, users)),
      field("audit-action", "Action", action),
      field("audit-from", "From", from),
      field("audit-to", "To", to),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "audit-show" }, "Show entries")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    shown = { filter: filter(), offset: 0 };
    load(false);
  });

  const saved = h("div", { id: "audit-saved", "aria-live": "polite" });
  const save = h("button", { type: "button", id: "audit-save" }, "Save these entries as CSV…");
  save.addEventListener("click", async () => {
    try {
      const path = await api.chooseSaveTarget("audit-trail.csv", "Save the audit entries");
      if (!path) return;
      const done = await api.exportAuditTrail(shown.filter, path);
      replace(saved, h("div", { class: "message message-success", role: "status" }, `Saved ${count(done.entries)} ${done.entries === 1 ? "entry" : "entries"} to ${done.file}. Saving them is recorded in the trail.`));
    } catch (error) {
      replace(saved, errorBox(sentence(error.message)));
    }
  });

  const checked = h("div", { id: "audit-check-result", "aria-live": "polite" });
  const check = h("button", { type: "button", id: "audit-check" }, "Check the trail");
  check.addEventListener("click", async () => {
    check.disabled = true;
    replace(checked, h("p", {}, "Checking every entry…"));
    try {
      const c = await api.verifyAuditTrail();
      replace(
        checked,
        c.intact
          ? h("div", { class: "message message-success", role: "status" }, `All ${count(c.checked)} entries are as they were written: none was changed or removed. The last is number ${c.last_id}; its seal is ${c.last_hash}. Writing the seal down lets a later check show nothing was removed from the end.`)
          : errorBox(`The trail is not whole: ${c.first_break}. ${count(c.checked)} entries before it are as they were written. Tell the practice's data protection lead, and keep this database and its backups as they are: a backup from before shows what the entry said.`),
      );
    } catch (error) {
      replace(checked, errorBox(sentence(error.message)));
    } finally {
      check.disabled = false;
    }
  });

  replace(
    main,
    h("h1", {}, "Audit trail"),
    h("p", { class: "lead" }, "Every look at a person's record and every change, with who did it and when. Entries are never changed or removed; each is sealed to the one before, so the check below would find any that were."),
    h("section", { class: "letters-panel", "aria-labelledby": "audit-check-heading" }, h("h2", { id: "audit-check-heading" }, "Is the trail whole?"), check, checked),
    form,
    status,
    h("div", { class: "actions" }, save),
    saved,
    table,
    more,
  );
  await load(false);
}
