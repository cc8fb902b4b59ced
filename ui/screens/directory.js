// The "more than medicine" directory in Settings: every local service and group a care plan can
// point to; add, edit and retire (never delete) them; import a neighbour's list or export this
// one as CSV. Every change is audited.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

const FIELDS = [
  ["name", "Name"],
  ["offers", "What it offers"],
  ["forWhom", "Who it is for"],
  ["access", "How to get there (Self-referral; Referral by the practice; Social prescriber)"],
  ["phone", "Phone"],
  ["email", "Email"],
  ["website", "Website"],
  ["address", "Address"],
  ["openingTimes", "Opening times"],
  ["cost", "Cost"],
  ["accessibility", "Accessibility"],
  ["lastChecked", "Last checked (YYYY-MM-DD)"],
];

export async function render(main, notice = null) {
  const state = { query: "", retired: false };
  const list = h("div", { id: "directory-list" });
  const status = h("div", { "aria-live": "polite", id: "directory-status" }, notice ? h("div", { class: "message message-success", role: "status" }, notice) : null);
  const editor = h("div", { id: "service-editor" });
  let categories = [];

  const refresh = async () => {
    const found = await api.searchDirectory(state.query, state.retired);
    categories = found.categories;
    replace(
      list,
      h("p", { class: "hint" }, `${found.services.length} service(s)`),
      h(
        "table",
        { id: "directory-table" },
        h("thead", {}, h("tr", {}, ["Name", "Category", "Contact", "Last checked", ""].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          found.services.map((s) =>
            h(
              "tr",
              { "data-service": s.id, class: s.retired ? "retired" : null },
              h("th", { scope: "row" }, s.name, s.retired ? [" ", h("span", { class: "tag" }, "Retired")] : null, h("div", { class: "hint" }, s.offers)),
              h("td", {}, s.category_label),
              h("td", {}, s.contact),
              h("td", {}, s.last_checked || "—"),
              h(
                "td",
                {},
                s.retired ? null : h("button", { type: "button", "data-edit": s.id, onclick: () => edit(s) }, `Edit ${s.name}`),
                s.retired
                  ? null
                  : h("button", { type: "button", "data-retire": s.id, onclick: async () => {
                      try {
                        await api.retireService(s.id);
                        replace(status, h("div", { class: "message message-success", role: "status" }, `${s.name} was retired. Plans that name it keep it.`));
                        await refresh();
                      } catch (error) {
                        replace(status, errorBox(error.message));
                      }
                    } }, `Retire ${s.name}`),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const edit = (service) => {
    const values = service
      ? { name: service.name, category: service.category, offers: service.offers, forWhom: service.for_whom, access: service.access, phone: service.phone, email: service.email, website: service.website, address: service.address, openingTimes: service.opening_times, cost: service.cost, accessibility: service.accessibility, lastChecked: service.last_checked }
      : { category: "other" };
    const inputs = {};
    const fields = FIELDS.map(([key, label]) => {
      const id = `service-${key}`;
      inputs[key] = key === "offers" ? h("textarea", { id, rows: 2 }, values[key] ?? "") : h("input", { id, type: "text", value: values[key] ?? "", autocomplete: "off" });
      return h("div", { class: "field" }, h("label", { for: id }, label), inputs[key]);
    });
    inputs.category = h("select", { id: "service-category" }, categories.map(([code, label]) => h("option", { value: code, selected: code === values.category }, label)));
    const save = h("button", { type: "button", id: "save-service", class: "primary" }, service ? "Save the changes" : "Add the service");
    const problems = h("div", { "aria-live": "polite" });
    save.addEventListener("click", async () => {
      const fieldsValue = Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, input.value]));
      try {
        await api.saveService(service ? service.id : null, fieldsValue);
        replace(editor);
        replace(status, h("div", { class: "message message-success", role: "status" }, `${fieldsValue.name} was saved.`));
        await refresh();
      } catch (error) {
        replace(problems, errorBox(error.message));
      }
    });
    replace(
      editor,
      h(
        "section",
        { class: "card", "aria-labelledby": "editor-heading" },
        h("h2", { id: "editor-heading", tabindex: "-1" }, service ? `Edit ${service.name}` : "Add a service"),
        fields[0],
        h("div", { class: "field" }, h("label", { for: "service-category" }, "Category"), inputs.category),
        fields.slice(1),
        problems,
        save,
        h("button", { type: "button", onclick: () => replace(editor) }, "Cancel"),
      ),
    );
    editor.querySelector("#editor-heading").focus();
  };

  const search = h("input", { id: "directory-filter", type: "search", autocomplete: "off" });
  search.addEventListener("input", async () => {
    state.query = search.value;
    await refresh();
  });
  const retired = h("input", { type: "checkbox", id: "directory-retired" });
  retired.addEventListener("change", async () => {
    state.retired = retired.checked;
    await refresh();
  });
  const importButton = h("button", { type: "button", id: "import-directory" }, "Import a CSV file…");
  importButton.addEventListener("click", async () => {
    const path = await api.chooseCsvFile("Choose the directory file");
    if (!path) return;
    try {
      const report = await api.importDirectory(path);
      replace(status, h("div", { class: "message message-success", role: "status" }, `Imported: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged} unchanged.`));
      await refresh();
    } catch (error) {
      replace(status, h("div", { class: "message message-error", role: "alert" }, error.message.split("\n").map((l) => h("div", {}, l))));
    }
  });
  const exportButton = h("button", { type: "button", id: "export-directory" }, "Export as CSV…");
  exportButton.addEventListener("click", async () => {
    const target = await api.chooseSaveTarget("more-than-medicine.csv", "Save the directory");
    if (!target) return;
    try {
      const count = await api.exportDirectory(target);
      replace(status, h("div", { class: "message message-success", role: "status" }, `${count} services written to ${target}.`));
    } catch (error) {
      replace(status, errorBox(error.message));
    }
  });

  replace(
    main,
    h("p", { class: "back" }, h("a", { href: "#/settings" }, "← Settings")),
    h("h1", { tabindex: "-1", id: "directory-heading" }, "More than medicine: the local directory"),
    h("p", { class: "hint" }, "Services are retired, never deleted, so every plan that names one can still show it."),
    status,
    h("div", { class: "inline" }, h("div", { class: "field" }, h("label", { for: "directory-filter" }, "Search"), search), h("label", { class: "check" }, retired, " Show retired services"), h("button", { type: "button", id: "add-service", onclick: () => edit(null) }, "Add a service"), importButton, exportButton),
    editor,
    list,
  );
  await refresh();
  main.querySelector("#directory-heading").focus();
}
