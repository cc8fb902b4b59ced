// Changing one's own password: the current one, then the new one twice.

import * as api from "../api.js";
import { errorBox, h, replace, sentence } from "../dom.js";

export async function render(main) {
  const message = h("div", { id: "password-message", "aria-live": "polite" });
  const input = (id, label, autocomplete, hint = null) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
      h("input", { id, type: "password", autocomplete, required: true, "aria-describedby": hint ? `${id}-hint` : null }),
    );
  const form = h(
    "form",
    { class: "settings-form", id: "password-form" },
    input("current-password", "Your password now", "current-password"),
    input("changed-password", "New password", "new-password", "At least 10 characters, not your username. A few words you will remember are better than one short word."),
    input("changed-password-again", "New password again", "new-password"),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "change-password" }, "Change my password")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (id) => form.querySelector(`#${id}`).value;
    if (value("changed-password") !== value("changed-password-again")) {
      replace(message, errorBox("The two new passwords are not the same: type them again."));
      return;
    }
    try {
      await api.changeMyPassword(value("current-password"), value("changed-password"));
      form.reset();
      replace(message, h("div", { class: "message message-success", role: "status" }, "Your password is changed. Use the new one next time you sign in."));
    } catch (error) {
      replace(message, errorBox(sentence(error.message)));
    }
  });
  replace(main, h("h1", {}, "Change my password"), message, form);
  form.querySelector("#current-password").focus();
}
