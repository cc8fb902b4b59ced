// Signing in, and the first administrator of a practice with no accounts yet. Both draw into
// the lock screen, which covers (and hides) whatever view is underneath.

import * as api from "../api.js";
import { h, replace, errorBox, sentence } from "../dom.js";

const field = (id, label, type, autocomplete) =>
  h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, type, autocomplete, required: true }));

/** The sign-in form; `signedIn(session)` is called once someone has signed in. */
export function renderSignIn(box, { practiceName, locked, who, isDemo }, signedIn) {
  const message = h("div", { id: "sign-in-message", "aria-live": "assertive" });
  const form = h(
    "form",
    { id: "sign-in-form", class: "sign-in" },
    h("span", { class: "brand-name" }, "Alongside"),
    h("h1", {}, locked ? "The screen is locked" : "Sign in to Alongside"),
    practiceName ? h("p", {}, practiceName) : null,
    locked && who ? h("p", {}, `${who} locked it. Sign in to carry on, or sign in as yourself to switch user.`) : null,
    isDemo
      ? h(
          "p",
          { class: "hint", id: "demo-accounts" },
          "Demonstration practice: sign in as reception, hca, nurse, gp, pharmacist, manager or admin. Each password is alongside- and the username, such as alongside-nurse.",
        )
      : null,
    field("sign-in-username", "Username", "text", "username"),
    field("sign-in-password", "Password", "password", "current-password"),
    message,
    h("button", { type: "submit", id: "sign-in-button", class: "primary" }, "Sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("#sign-in-button");
    button.disabled = true;
    replace(message);
    try {
      const session = await api.signIn(form.querySelector("#sign-in-username").value, form.querySelector("#sign-in-password").value);
      await signedIn(session);
    } catch (error) {
      replace(message, errorBox(sentence(error.message)));
      form.querySelector("#sign-in-password").value = "";
      form.querySelector("#sign-in-password").focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(box, form);
  form.querySelector("#sign-in-username").focus();
}

/** The first administrator's account, on a database with no accounts. */
export function renderFirstAdministrator(box, signedIn) {
  const message = h("div", { id: "first-admin-message", "aria-live": "assertive" });
  const form = h(
    "form",
    { id: "first-admin-form", class: "sign-in" },
    h("span", { class: "brand-name" }, "Alongside"),
    h("h1", {}, "Set up the first administrator"),
    h("p", {}, "This practice has no staff accounts yet. The first is an administrator, who then adds everyone else."),
    field("first-admin-username", "Username", "text", "username"),
    field("first-admin-name", "Full name", "text", "name"),
    field("first-admin-password", "Password (at least 10 characters)", "password", "new-password"),
    field("first-admin-password-again", "Password again", "password", "new-password"),
    message,
    h("button", { type: "submit", id: "first-admin-button", class: "primary" }, "Create the account and sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(message);
    // No one else can set a new password for the first administrator: a typing slip is caught.
    if (form.querySelector("#first-admin-password").value !== form.querySelector("#first-admin-password-again").value) {
      replace(message, errorBox("The two passwords are not the same: type them again."));
      return;
    }
    try {
      const session = await api.createFirstAdministrator(
        form.querySelector("#first-admin-username").value,
        form.querySelector("#first-admin-name").value,
        form.querySelector("#first-admin-password").value,
      );
      await signedIn(session);
    } catch (error) {
      replace(message, errorBox(sentence(error.message)));
    }
  });
  replace(box, form);
  form.querySelector("#first-admin-username").focus();
}

/** The practice's database could not be opened: why, and what to do. Nothing else is offered. */
export function renderProblem(box, problem) {
  replace(
    box,
    h(
      "section",
      { class: "sign-in wide", id: "open-problem", role: "alert" },
      h("span", { class: "brand-name" }, "Alongside"),
      h("h1", {}, "The practice's database could not be opened"),
      h("p", { id: "open-problem-why" }, sentence(problem)),
      h("p", {}, "Nothing was changed. Close this window when you have read this, or written it down."),
    ),
  );
}
