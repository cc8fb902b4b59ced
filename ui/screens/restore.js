// The Restore screen in Settings: choose a backup, check it (with its passphrase when it has
// one) and see what it holds, then restore it. The database as it was is kept beside it, and
// the screen says where.

import * as api from "../api.js";
import { count, errorBox, h, people, replace } from "../dom.js";
import { showHeaderNotice } from "./backup.js";

export async function render(main) {
  const file = h("input", { id: "restore-file", type: "text", spellcheck: "false" });
  const passphrase = h("input", { id: "restore-passphrase", type: "password", autocomplete: "off", "aria-describedby": "restore-passphrase-hint" });
  const found = h("div", { id: "restore-found", "aria-live": "polite" });
  const done = h("div", { id: "restore-done", "aria-live": "polite" });

  const choose = h("button", { type: "button", id: "choose-restore-file" }, "Choose…");
  choose.addEventListener("click", async () => {
    try {
      const chosen = await api.chooseBackupFile();
      if (chosen) {
        file.value = chosen;
        replace(found);
      }
    } catch (error) {
      replace(found, errorBox(error.message));
    }
  });
  // A change to the file or the passphrase means checking again before restoring; Enter checks.
  for (const input of [file, passphrase]) {
    input.addEventListener("input", () => replace(found));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        check.click();
      }
    });
  }

  const restoreButton = (checked) => {
    const button = h("button", { type: "button", id: "restore-backup", class: "primary" }, "Restore this backup");
    button.addEventListener("click", async () => {
      button.disabled = true;
      replace(done, h("p", { class: "hint" }, "Restoring…"));
      try {
        const restored = await api.restoreBackup(checked.file, passphrase.value || null);
        const info = await api.appInfo();
        const name = info.practice_name ?? "";
        document.getElementById("practice-name").textContent = name;
        document.title = name ? `Alongside — ${name}` : "Alongside";
        document.getElementById("demo-banner").hidden = !info.is_demo;
        await showHeaderNotice(info);
        replace(found);
        replace(
          done,
          h(
            "div",
            { class: "message message-success", role: "status", id: "restore-result", tabindex: "-1" },
            h("p", {}, `Restored: the database is now as it was on ${restored.made_at}, with ${people(restored.people)}.`),
            h("p", { id: "restore-kept" }, `The database as it was before the restore is kept as ${restored.replaced}.`),
          ),
        );
        passphrase.value = "";
        done.querySelector("#restore-result").focus();
      } catch (error) {
        button.disabled = false;
        replace(done, errorBox(error.message));
      }
    });
    return button;
  };

  const check = h("button", { type: "button", id: "check-backup" }, "Check this backup");
  check.addEventListener("click", async () => {
    const path = file.value.trim();
    replace(done);
    if (!path) {
      replace(found, errorBox("Choose the backup file first."));
      file.focus();
      return;
    }
    check.disabled = true;
    replace(found, h("p", { class: "hint" }, "Checking…"));
    try {
      const checked = await api.checkBackup(path, passphrase.value || null);
      const facts = [
        ["Practice", checked.practice_name || "(no name set)"],
        ["Made", checked.made_at],
        ["People", count(checked.people)],
        ["Made by", `Alongside ${checked.app_version}, database version ${checked.schema_version}`],
        ["Passphrase", checked.encrypted ? "protected by a passphrase" : "not protected"],
        ["Size", `${count(Math.ceil(checked.file_bytes / 1024))} KB`],
      ];
      replace(
        found,
        h(
          "section",
          { class: "letters-panel", "aria-labelledby": "restore-found-heading" },
          h("h2", { id: "restore-found-heading", tabindex: "-1" }, "This backup holds"),
          h("dl", { class: "details", id: "restore-facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
          checked.checked
            ? [
                h(
                  "div",
                  { class: "message message-success", role: "status", id: "restore-verdict" },
                  "The backup is whole and can be restored. Restoring replaces everything in this database with what the backup holds; the database as it is now is kept beside it.",
                ),
                h("div", { class: "actions" }, restoreButton(checked)),
              ]
            : h(
                "div",
                { class: "message message-warning", role: "status", id: "restore-verdict" },
                "This backup is protected by a passphrase. Type it above and check the backup again.",
              ),
        ),
      );
      found.querySelector("#restore-found-heading").focus();
      if (!checked.checked) passphrase.focus();
    } catch (error) {
      replace(found, errorBox(error.message));
    } finally {
      check.disabled = false;
    }
  });

  replace(
    main,
    h("p", { class: "back" }, h("a", { href: "#/settings/backup" }, "← Backup")),
    h("h1", { id: "restore-heading" }, "Restore from a backup"),
    h(
      "p",
      { class: "lead" },
      "Choose a backup and check it: nothing changes until you restore it. Restoring puts the database back as it was when the backup was made; the database as it is now is kept in the same folder under a dated name.",
    ),
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "restore-choose-heading" },
      h("h2", { id: "restore-choose-heading" }, "The backup"),
      h("label", { for: "restore-file" }, "Backup file"),
      h("div", { class: "inline" }, file, choose),
      h("div", { class: "field" }, h("label", { for: "restore-passphrase" }, "Passphrase"), h("p", { class: "hint", id: "restore-passphrase-hint" }, "Only for a backup protected by a passphrase."), passphrase),
      h("div", { class: "actions" }, check),
    ),
    found,
    done,
  );
}
