// Importing the register file or results from the lab: choose a file, see exactly what would
// happen (counts, every rejected row with its line and reason), save the rejected rows, then
// confirm.

import * as api from "../api.js";
import { count, errorBox, h, people, replace } from "../dom.js";

let lastPath = "";
let kind = "register";

const KINDS = {
  register: {
    heading: "Import the register",
    lead: "Export the long-term conditions register from EMIS Web or SystmOne as a CSV file, then choose it here. ",
    file: "Register file",
    added: "New people",
  },
  results: {
    heading: "Import results from the lab",
    lead: "Choose a CSV file of results with the columns nhs_number, code (SNOMED CT code or item id), value, unit, taken_on and, if you like, comment. Each result joins the person's review. ",
    file: "Results file",
    added: "New results",
  },
};

export async function render(main) {
  const pathInput = h("input", { id: "import-path", type: "text", value: lastPath, spellcheck: "false", "aria-describedby": "import-path-hint" });
  const outcome = h("div", { id: "import-outcome", "aria-live": "polite" });

  const choose = async () => {
    try {
      const chosen = await api.chooseCsvFile(`Choose the ${KINDS[kind].file.toLowerCase()}`);
      if (chosen) {
        pathInput.value = chosen;
        await check();
      }
    } catch (error) {
      replace(outcome, errorBox(error.message));
    }
  };

  const check = async () => {
    const path = pathInput.value.trim();
    lastPath = path;
    if (!path) {
      replace(outcome, errorBox(`Choose the ${KINDS[kind].file.toLowerCase()} first.`));
      pathInput.focus();
      return;
    }
    replace(outcome, h("p", {}, "Checking the file…"));
    try {
      const preview = await api.previewImport(kind, path);
      showPreview(outcome, preview);
    } catch (error) {
      replace(outcome, errorBox(error.message));
    }
  };

  const kindChoice = (value, text) =>
    h(
      "label",
      { class: "choice" },
      h("input", {
        type: "radio",
        name: "import-kind",
        id: `import-kind-${value}`,
        value,
        checked: kind === value,
        onchange: () => {
          kind = value;
          render(main);
        },
      }),
      ` ${text}`,
    );
  const k = KINDS[kind];
  replace(
    main,
    h("h1", {}, k.heading),
    h(
      "fieldset",
      { class: "import-kind" },
      h("legend", {}, "What are you importing?"),
      kindChoice("register", "The register of people with long-term conditions"),
      kindChoice("results", "Results from the lab"),
    ),
    h(
      "p",
      { class: "lead" },
      k.lead,
      "Alongside checks every row and shows you what will change before anything is saved.",
    ),
    h(
      "form",
      { class: "import-form", onsubmit: (e) => { e.preventDefault(); check(); } },
      h("label", { for: "import-path" }, k.file),
      h("p", { id: "import-path-hint", class: "hint" }, "Choose the file, or type or paste where it is saved."),
      h(
        "div",
        { class: "inline" },
        pathInput,
        h("button", { type: "button", id: "choose-file", onclick: choose }, "Choose file…"),
        h("button", { type: "submit", id: "check-file", class: "primary" }, "Check file"),
      ),
    ),
    outcome,
  );
  pathInput.focus();
}

function showPreview(outcome, preview) {
  const r = preview.report;
  const changes = r.imported + r.updated;
  const confirm = h(
    "button",
    { type: "button", id: "confirm-import", class: "primary" },
    changes > 0 ? `Import: add ${count(r.imported)}, update ${count(r.updated)}` : "Record this import",
  );
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      const done = await api.confirmImport(kind, preview.file, preview.fingerprint);
      replace(
        outcome,
        h(
          "div",
          { class: "message message-success", role: "status", id: "import-done" },
          kind === "register"
            ? `Imported. ${people(done.imported)} added, ${count(done.updated)} updated, ${count(done.unchanged)} unchanged, ${count(done.rejected.length)} rejected.`
            : `Imported. ${count(done.imported)} results added, ${count(done.updated)} corrected, ${count(done.unchanged)} unchanged, ${count(done.rejected.length)} rejected.`,
        ),
        done.rejected.length ? rejectedSection(preview.file, done) : null,
      );
    } catch (error) {
      confirm.disabled = false;
      outcome.prepend(errorBox(error.message));
    }
  });

  replace(
    outcome,
    h("h2", { tabindex: "-1", id: "preview-heading" }, "What this import will do"),
    h(
      "dl",
      { class: "counts", id: "import-counts" },
      h("div", {}, h("dt", {}, KINDS[kind].added), h("dd", { id: "count-imported" }, count(r.imported))),
      h("div", {}, h("dt", {}, "Updated"), h("dd", { id: "count-updated" }, count(r.updated))),
      h("div", {}, h("dt", {}, "Unchanged"), h("dd", { id: "count-unchanged" }, count(r.unchanged))),
      h("div", {}, h("dt", {}, "Rejected rows"), h("dd", { id: "count-rejected" }, count(r.rejected.length))),
    ),
    r.warnings.length
      ? h("ul", { class: "message message-warning", id: "import-warnings" }, r.warnings.map((w) => h("li", {}, w)))
      : null,
    r.rejected.length ? rejectedSection(preview.file, r) : null,
    h("div", { class: "actions" }, confirm),
  );
  outcome.querySelector("#preview-heading").focus();
}

function rejectedSection(file, report) {
  const status = h("p", { "aria-live": "polite" });
  const save = h("button", { type: "button", id: "save-rejected" }, "Save rejected rows as CSV…");
  save.addEventListener("click", async () => {
    try {
      const target = await api.chooseSaveTarget("rejected-rows.csv");
      if (!target) return;
      const saved = await api.saveRejectedRows(kind, file, target);
      status.textContent = `Saved ${count(saved)} rejected rows to ${target}.`;
    } catch (error) {
      replace(status, errorBox(error.message));
    }
  });
  return h(
    "section",
    { "aria-labelledby": "rejected-heading" },
    h("h3", { id: "rejected-heading" }, "Rows that will not be imported"),
    h("p", {}, "Correct these in the clinical system, or in a copy of the file, and import it again."),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "rejected", id: "rejected-rows" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Line"), h("th", { scope: "col" }, "NHS number"), h("th", { scope: "col" }, "Reason"))),
        h(
          "tbody",
          {},
          report.rejected.map((row) =>
            h("tr", {}, h("td", {}, row.line), h("td", { class: "nowrap" }, row.nhs_number ?? "—"), h("td", {}, row.reason)),
          ),
        ),
      ),
    ),
    h("div", { class: "actions" }, save),
    status,
  );
}
