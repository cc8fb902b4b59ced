// About Alongside: the version, where the practice's database is and its version, and the
// licences of Alongside, the fonts in its printed documents and every crate it is built from.

import * as api from "../api.js";
import { count, h, replace } from "../dom.js";

export async function render(main) {
  const a = await api.about();
  const row = (term, value, id) => [h("dt", {}, term), h("dd", { id }, value)];
  const facts = h(
    "dl",
    { class: "facts", id: "about-facts" },
    row("Version", a.version, "about-version"),
    row("Database", a.database_path, "about-database"),
    row("Database version", String(a.schema_version), "about-schema"),
    a.upgraded_from ? row("Brought up to date", `from database version ${a.upgraded_from} when it was opened`, "about-upgraded") : null,
    row("Licence", `${a.licence}, with no warranty`, "about-licence"),
  );
  const fonts = h(
    "section",
    { "aria-labelledby": "about-fonts-heading" },
    h("h2", { id: "about-fonts-heading" }, "Fonts"),
    a.fonts.map((f) =>
      h(
        "details",
        { class: "licence" },
        h("summary", {}, `${f.name}, used for ${f.used_for}: ${f.licence}`),
        h("pre", { class: "licence-text" }, f.text),
      ),
    ),
  );
  // A crate's licence files are put in the page only when opened: there are hundreds.
  const crateRow = (c) => {
    const details = h("details", { class: "licence", "data-crate": c.name }, h("summary", {}, `${c.name} ${c.version}: ${c.licence}`));
    details.addEventListener(
      "toggle",
      () => {
        if (details.open && details.children.length === 1) {
          details.append(
            ...(c.texts.length
              ? c.texts.map((i) => h("pre", { class: "licence-text" }, a.texts[i]))
              : [h("p", { class: "hint" }, `The crate ships no licence file; its licence is ${c.licence}.`)]),
          );
        }
      },
    );
    return h("li", {}, details);
  };
  const crates = h(
    "section",
    { "aria-labelledby": "about-crates-heading" },
    h("h2", { id: "about-crates-heading" }, "Crates"),
    h("p", { class: "hint" }, `Alongside is built from ${count(a.crates.length)} open-source Rust crates (some only on Windows or macOS). Open one to read its licence.`),
    h("ul", { class: "licence-list", id: "about-crates" }, a.crates.map(crateRow)),
  );
  replace(
    main,
    h("h1", {}, "About Alongside"),
    h("p", { class: "lead" }, "Personalised care and support planning for people with long-term conditions, the Year of Care way. Everything stays on this computer; nothing is sent anywhere."),
    facts,
    fonts,
    crates,
  );
}
