// The Backup screen in Settings: when the last backup was made (with a warning after 7 days
// without one, or when there has never been one), making a backup, optionally protected with
// a passphrase typed twice, and the automatic snapshots kept on this PC.

import * as api from "../api.js";
import { errorBox, h, inFolder, people, replace } from "../dom.js";
import { may } from "../session.js";

/** The status line, shared with Settings: a warning, or when the last backup was made. */
export function statusNotice(status, id) {
  if (status.warning) {
    return h("div", { class: "message message-warning", role: "status", id }, status.warning);
  }
  const when = status.days_since === 0 ? "today" : status.days_since === 1 ? "yesterday" : `${status.days_since} days ago`;
  return h(
    "div",
    { class: "message message-success", role: "status", id },
    `The last backup was made ${when}, on ${status.last_backup_at}, to ${status.last_backup_file}.`,
  );
}

/**
 * Under the header, a practice's own database (not the demonstration) says when it has gone
 * more than a week without a backup, linking to this screen.
 */
export async function showHeaderNotice(info) {
  const notice = document.getElementById("backup-notice");
  const status = info.is_demo || !may("backup.make") ? null : await api.backupStatus();
  if (status && status.warning) replace(notice, h("a", { href: "#/settings/backup" }, status.warning));
  notice.hidden = !(status && status.warning);
}

export async function render(main, notice = null) {
  const [status, info] = await Promise.all([api.backupStatus(), api.appInfo()]);
  const result = h("div", { id: "backup-result", "aria-live": "polite" }, notice);
  const target = h("input", {
    id: "backup-target",
    type: "text",
    spellcheck: "false",
    value: inFolder(info, status.suggested_name),
    "aria-describedby": "backup-target-hint",
  });
  const choose = h("button", { type: "button", id: "choose-backup-target" }, "Choose…");
  choose.addEventListener("click", async () => {
    try {
      const chosen = await api.chooseBackupTarget(target.value);
      if (chosen) target.value = chosen;
    } catch (error) {
      replace(result, errorBox(error.message));
    }
  });

  const encrypt = h("input", { type: "checkbox", id: "backup-encrypt", "aria-controls": "backup-passphrases" });
  const passphrase = h("input", { id: "backup-passphrase", type: "password", autocomplete: "new-password", "aria-describedby": "backup-passphrase-hint" });
  const again = h("input", { id: "backup-passphrase-again", type: "password", autocomplete: "new-password" });
  const passphrases = h(
    "div",
    { id: "backup-passphrases", hidden: true },
    h(
      "p",
      { class: "hint", id: "backup-passphrase-hint" },
      "At least 8 characters; a few unrelated words are easy to remember and hard to guess. Keep the passphrase somewhere other than the backup: without it the backup cannot be restored, and nobody can recover it.",
    ),
    h("div", { class: "field" }, h("label", { for: "backup-passphrase" }, "Passphrase"), passphrase),
    h("div", { class: "field" }, h("label", { for: "backup-passphrase-again" }, "The passphrase again"), again),
  );
  encrypt.addEventListener("change", () => {
    passphrases.hidden = !encrypt.checked;
    if (encrypt.checked) passphrase.focus();
  });

  const make = h("button", { type: "button", id: "make-backup", class: "primary" }, "Make the backup");
  make.addEventListener("click", async () => {
    const file = target.value.trim();
    if (!file) {
      replace(result, errorBox("Say where to save the backup."));
      target.focus();
      return;
    }
    let secret = null;
    if (encrypt.checked) {
      if (passphrase.value !== again.value) {
        replace(result, errorBox("The two passphrases are not the same. Type them again; no backup was made."));
        passphrase.focus();
        return;
      }
      secret = passphrase.value;
    }
    make.disabled = true;
    replace(result, h("p", { class: "hint" }, "Making the backup…"));
    try {
      const made = await api.makeBackup(file, secret);
      await showHeaderNotice(info);
      await render(
        main,
        h(
          "div",
          { class: "message message-success", role: "status", id: "backup-made" },
          `Backup made: ${people(made.people)} written to ${made.file}${made.encrypted ? ", protected by the passphrase" : ""}. Keep it somewhere other than this PC.`,
        ),
      );
      document.getElementById("backup-heading").focus();
    } catch (error) {
      make.disabled = false;
      replace(result, errorBox(error.message));
    }
  });

  const snapshots = status.snapshots
    ? `${status.snapshots} kept; the latest is from ${status.latest_snapshot}.`
    : "None yet: the first is kept the next time Alongside opens.";
  replace(
    main,
    h("p", { class: "back" }, h("a", { href: "#/settings" }, "← Settings")),
    h("h1", { id: "backup-heading", tabindex: "-1" }, "Backup"),
    statusNotice(status, "backup-status"),
    result,
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "make-backup-heading" },
      h("h2", { id: "make-backup-heading" }, "Make a backup"),
      h(
        "p",
        { class: "hint" },
        "The backup is the whole database as it is now, taken while everyone goes on working, compressed and checked. Save it on a memory stick or a network drive and keep it away from this PC.",
      ),
      h("label", { for: "backup-target" }, "Save the backup as"),
      h("p", { class: "hint", id: "backup-target-hint" }, "A file ending .alongside-backup."),
      h("div", { class: "inline" }, target, choose),
      h("label", { class: "choice" }, encrypt, " Protect the backup with a passphrase (recommended when it leaves the building)"),
      passphrases,
      h("div", { class: "actions" }, make),
    ),
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "snapshots-heading" },
      h("h2", { id: "snapshots-heading" }, "Automatic snapshots"),
      h(
        "p",
        {},
        `Each day, the first time Alongside opens, it keeps a snapshot of the database in ${status.snapshots_folder}, and keeps the last ${status.snapshots_kept}. They stay on this PC, so they are no substitute for a backup kept elsewhere; any of them can be restored like a backup.`,
      ),
      h("p", { id: "snapshots-count" }, snapshots),
    ),
    h(
      "section",
      { class: "letters-panel", "aria-labelledby": "restore-link-heading" },
      h("h2", { id: "restore-link-heading" }, "Restore"),
      h("p", { class: "hint" }, "Put the database back as it was when a backup was made. The database as it is now is kept beside it."),
      h("a", { href: "#/settings/restore", id: "open-restore", class: "button-link" }, "Restore from a backup"),
    ),
  );
}
