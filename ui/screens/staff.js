// Staff accounts, for administrators: who may sign in and in which role. Accounts are added,
// given another role, disabled and enabled again, and given a new password when one is
// forgotten; none is ever deleted. Every change is recorded in the audit trail.

import * as api from "../api.js";
import { errorBox, h, replace, sentence } from "../dom.js";

const success = (text) => h("div", { class: "message message-success", role: "status" }, text);

export async function render(main, notice = null) {
  const staff = await api.listAccounts();
  const status = h("div", { id: "staff-status", "aria-live": "polite" }, notice ? success(notice) : null);
  const passwordPanel = h("div", { id: "staff-password-panel" });
  const again = async (text) => {
    await render(main, text);
    document.getElementById("staff-status")?.focus();
  };
  const attempt = async (action, text) => {
    try {
      await action();
      await again(text);
    } catch (error) {
      replace(status, errorBox(sentence(error.message)));
      status.scrollIntoView({ block: "nearest" });
    }
  };
  const roleOptions = (chosen) => staff.roles.map((r) => h("option", { value: r.id, selected: r.id === chosen }, r.name));

  const row = (a) => {
    const you = a.username === staff.you;
    const roleSelect = h("select", { id: `role-${a.username}`, "aria-label": `Role of ${a.full_name}` }, roleOptions(a.role));
    const changeRole = h("button", { type: "button", "data-role-change": a.username }, "Change role");
    changeRole.addEventListener("click", () => {
      if (roleSelect.value === a.role) {
        replace(status, errorBox(`Choose another role for ${a.full_name} first.`));
        return;
      }
      const name = staff.roles.find((r) => r.id === roleSelect.value).name;
      attempt(async () => {
        await api.setStaffRole(a.username, roleSelect.value);
        if (you) document.dispatchEvent(new CustomEvent("alongside:session-changed"));
      }, `${a.full_name} is now ${name}.`);
    });
    const toggle = h(
      "button",
      { type: "button", "data-active-change": a.username, disabled: you && a.active },
      a.active ? `Disable ${a.username}` : `Enable ${a.username}`,
    );
    toggle.addEventListener("click", () =>
      attempt(() => api.setStaffActive(a.username, !a.active), a.active ? `${a.full_name} can no longer sign in.` : `${a.full_name} can sign in again.`),
    );
    const newPassword = h("button", { type: "button", "data-password-change": a.username }, `New password for ${a.username}…`);
    newPassword.addEventListener("click", () => showPasswordForm(a));
    return h(
      "tr",
      { "data-account": a.username, class: a.active ? null : "retired" },
      h("th", { scope: "row" }, a.full_name, you ? " (you)" : null),
      h("td", {}, a.username),
      h("td", {}, h("div", { class: "inline" }, roleSelect, changeRole)),
      h("td", {}, a.active ? "Active" : h("span", { class: "tag" }, "Disabled")),
      h("td", {}, h("div", { class: "inline" }, toggle, newPassword)),
    );
  };

  const showPasswordForm = (a) => {
    const input = h("input", { id: "staff-new-password", type: "password", autocomplete: "new-password", "aria-describedby": "staff-new-password-hint" });
    const form = h(
      "form",
      { class: "letters-panel", id: "staff-password-form" },
      h("h2", { id: "staff-password-heading", tabindex: "-1" }, `A new password for ${a.full_name}`),
      h("p", { class: "hint", id: "staff-new-password-hint" }, "At least 10 characters, not the username. Tell them in person; they can change it themselves under Password."),
      h("div", { class: "field" }, h("label", { for: "staff-new-password" }, "New password"), input),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "primary", id: "staff-save-password" }, "Set the password"),
        h("button", { type: "button", id: "staff-cancel-password", onclick: () => replace(passwordPanel) }, "Cancel"),
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      attempt(() => api.setStaffPassword(a.username, input.value), `${a.full_name} has a new password.`);
    });
    replace(passwordPanel, form);
    input.focus();
  };

  const field = (id, label, control, hint = null) =>
    h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null, control);
  const username = h("input", { id: "new-username", type: "text", autocomplete: "off", spellcheck: "false", "aria-describedby": "new-username-hint" });
  const fullName = h("input", { id: "new-full-name", type: "text", autocomplete: "off" });
  const role = h("select", { id: "new-role" }, roleOptions("receptionist"));
  const password = h("input", { id: "new-password", type: "password", autocomplete: "new-password", "aria-describedby": "new-password-hint" });
  const add = h(
    "form",
    { class: "letters-panel", id: "add-account-form" },
    h("h2", {}, "Add an account"),
    field("new-username", "Username", username, "Letters, digits, dots, hyphens or underscores, such as j.hart."),
    field("new-full-name", "Full name", fullName),
    field("new-role", "Role", role),
    field("new-password", "First password", password, "At least 10 characters, not the username."),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "add-account" }, "Add the account")),
  );
  add.addEventListener("submit", (event) => {
    event.preventDefault();
    attempt(
      () => api.addStaffAccount(username.value, fullName.value, role.value, password.value),
      `${fullName.value.trim()} can now sign in as ${username.value.trim().toLowerCase()}.`,
    );
  });

  status.tabIndex = -1;
  replace(
    main,
    h("p", {}, h("a", { href: "#/settings" }, "← Settings")),
    h("h1", {}, "Staff accounts"),
    h("p", { class: "hint" }, "Accounts are never deleted: disable an account when someone leaves, and what they did stays theirs in the audit trail."),
    status,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { id: "staff-table", class: "results" },
        h("thead", {}, h("tr", {}, ["Name", "Username", "Role", "Status", ""].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, staff.accounts.map(row)),
      ),
    ),
    passwordPanel,
    add,
    h(
      "details",
      { class: "letters-panel", id: "role-table" },
      h("summary", {}, "What each role may do"),
      staff.roles.map((r) => h("section", { "data-role": r.id }, h("h3", {}, r.name), h("ul", {}, r.may.map((what) => h("li", {}, what))))),
    ),
  );
}
