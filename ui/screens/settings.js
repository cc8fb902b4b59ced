// The practice's settings: the letterhead on every letter, the name of the review, which
// people the practice works with, and the recall timings. Every change is audited.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";
import { statusNotice } from "./backup.js";
import { may } from "../session.js";

export async function render(main) {
  const [s, conditions, backupStatus] = await Promise.all([
    api.getSettings(),
    api.listConditions(),
    may("backup.make") ? api.backupStatus() : null,
  ]);
  const message = h("div", { id: "settings-message", "aria-live": "polite" });
  const text = (id, label, value, hint) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
      h("input", { id, type: "text", value, "aria-describedby": hint ? `${id}-hint` : null }),
    );
  const area = (id, label, value, hint) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
      h("textarea", { id, rows: 4, "aria-describedby": hint ? `${id}-hint` : null }, value),
    );
  const number = (id, label, value, min = 7, max = 60, hint = null) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
      h("input", { id, type: "number", min, max, value, "aria-describedby": hint ? `${id}-hint` : null }),
    );
  const everyone = s.cohort.length === 0;
  const cohort = h(
    "fieldset",
    { class: "cohort" },
    h("legend", {}, "Who the practice works with"),
    h(
      "label",
      { class: "choice" },
      h("input", { type: "radio", name: "cohort", value: "all", id: "cohort-all", checked: everyone }),
      " Everyone with a long-term condition",
    ),
    h(
      "label",
      { class: "choice" },
      h("input", { type: "radio", name: "cohort", value: "chosen", id: "cohort-chosen", checked: !everyone }),
      " Only people with these conditions:",
    ),
    h(
      "div",
      { class: "choices" },
      conditions.map((c) =>
        h(
          "label",
          { class: "choice" },
          h("input", { type: "checkbox", name: "cohort-condition", value: c.id, checked: s.cohort.includes(c.id) }),
          ` ${c.name}`,
        ),
      ),
    ),
  );
  const form = h(
    "form",
    { class: "settings-form", id: "settings-form" },
    h("h2", {}, "Letterhead"),
    text("practice-name", "Practice name", s.practice_name),
    area("practice-address", "Address", s.address, "One line of the address on each line."),
    text("practice-phone", "Phone", s.phone),
    text("practice-email", "Email", s.email),
    h("h2", {}, "Letters"),
    text("review-name", "What the practice calls the review", s.review_name, "As it reads in a sentence: \"It is time for your …\"."),
    area("booking-instructions", "How to book", s.booking_instructions),
    h("h2", {}, "Recall"),
    cohort,
    number("reinvite-days", "Days without a booking before the next invitation", s.reinvite_after_days),
    number("pack-minimum", "Least days between the preparation pack and the conversation", s.pack_minimum_days),
    number("pack-target", "Target days between the preparation pack and the conversation", s.pack_target_days),
    h("h2", {}, "Shared computers"),
    number("lock-minutes", "Minutes without use before the screen locks", s.lock_minutes, 1, 60, "From 1 to 60. What was being typed is saved and kept; the same or another person signs in to carry on."),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "save-settings" }, "Save settings")),
  );
  const logoPath = h("input", { id: "logo-path", type: "text", spellcheck: "false", "aria-describedby": "logo-hint" });
  const logoMessage = h("div", { "aria-live": "polite" });
  const logoAction = async (path) => {
    try {
      await api.setLogo(path);
      await render(main);
      document.getElementById("logo-heading").focus();
    } catch (error) {
      replace(logoMessage, errorBox(error.message));
    }
  };
  const chooseLogo = h("button", { type: "button", id: "choose-logo" }, "Choose…");
  chooseLogo.addEventListener("click", async () => {
    try {
      const chosen = await api.choosePngFile();
      if (chosen) logoPath.value = chosen;
    } catch (error) {
      replace(logoMessage, errorBox(error.message));
    }
  });
  const useLogo = h("button", { type: "button", id: "use-logo" }, "Use this logo");
  useLogo.addEventListener("click", () => logoAction(logoPath.value.trim() || null));
  const removeLogo = h("button", { type: "button", id: "remove-logo" }, "Remove the logo");
  removeLogo.addEventListener("click", () => logoAction(null));
  const logo = h(
    "section",
    { class: "letters-panel", "aria-labelledby": "logo-heading" },
    h("h2", { id: "logo-heading", tabindex: "-1" }, "Logo"),
    h("p", { id: "logo-hint", class: "hint" }, s.has_logo ? "Letters carry the practice's logo at the top left." : "Letters have no logo. A PNG image can be added; it prints up to 20 mm tall."),
    h("label", { for: "logo-path" }, "PNG file"),
    h("div", { class: "inline" }, logoPath, chooseLogo, useLogo, s.has_logo ? removeLogo : null),
    logoMessage,
  );

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = (id) => form.querySelector(`#${id}`).value;
    const chosen = form.querySelector("#cohort-chosen").checked
      ? [...form.querySelectorAll("input[name=cohort-condition]:checked")].map((i) => i.value)
      : [];
    try {
      const changed = await api.saveSettings({
        practice_name: value("practice-name"),
        address: value("practice-address"),
        phone: value("practice-phone"),
        email: value("practice-email"),
        review_name: value("review-name"),
        booking_instructions: value("booking-instructions"),
        cohort: chosen,
        reinvite_after_days: Number(value("reinvite-days")),
        pack_minimum_days: Number(value("pack-minimum")),
        pack_target_days: Number(value("pack-target")),
        lock_minutes: Number(value("lock-minutes")),
      });
      // The idle lock goes by the new minutes at once.
      document.dispatchEvent(new CustomEvent("alongside:session-changed"));
      replace(message, h("div", { class: "message message-success", role: "status" }, changed ? `Saved: ${changed} setting${changed === 1 ? "" : "s"} changed.` : "Nothing had changed."));
    } catch (error) {
      replace(message, errorBox(error.message));
    }
    message.scrollIntoView({ block: "nearest" });
  });
  const rules = h(
    "section",
    { class: "letters-panel", "aria-labelledby": "rules-link-heading" },
    h("h2", { id: "rules-link-heading" }, "Triage rules"),
    h("p", { class: "hint" }, "The thresholds for red and amber results, with their sources. Changes are recorded with who made them and why."),
    h("a", { href: "#/settings/rules", id: "open-rules", class: "button-link" }, "See and change the triage rules"),
  );
  const directory = h(
    "section",
    { class: "letters-panel", "aria-labelledby": "directory-link-heading" },
    h("h2", { id: "directory-link-heading" }, "More than medicine"),
    h("p", { class: "hint" }, "Local services and groups a care plan can point people to: add, edit and retire them, or share the list as CSV."),
    h("a", { href: "#/settings/directory", id: "open-directory", class: "button-link" }, "See and change the directory"),
  );
  const backups = backupStatus && h(
    "section",
    { class: "letters-panel", "aria-labelledby": "backup-link-heading" },
    h("h2", { id: "backup-link-heading" }, "Backups"),
    statusNotice(backupStatus, "settings-backup-status"),
    h("div", { class: "actions" },
      h("a", { href: "#/settings/backup", id: "open-backup", class: "button-link" }, "Make a backup"),
      h("a", { href: "#/settings/restore", id: "open-restore", class: "button-link" }, "Restore from a backup"),
    ),
  );
  const staff = h(
    "section",
    { class: "letters-panel", "aria-labelledby": "staff-link-heading" },
    h("h2", { id: "staff-link-heading" }, "Staff accounts"),
    h("p", { class: "hint" }, "Who may sign in, and in which role. Accounts are never deleted: they are disabled."),
    h("a", { href: "#/settings/staff", id: "open-staff", class: "button-link" }, "See and change staff accounts"),
  );
  const manages = may("settings.manage");
  replace(
    main,
    h("h1", {}, "Settings"),
    backups,
    manages ? [message, form, logo] : null,
    may("users.manage") ? staff : null,
    rules,
    may("directory.view") ? directory : null,
  );
}
