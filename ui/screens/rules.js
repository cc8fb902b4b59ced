// The triage rules the practice runs: each rule's thresholds, where it comes from and why,
// with the practice's own changes (who, when and why) and the shipped values to go back to.

import * as api from "../api.js";
import { errorBox, h, replace } from "../dom.js";

export async function render(main) {
  show(main, await api.listRules());
}

function show(main, view, notice = null, focusId = null) {
  const message = h("div", { id: "rules-message", "aria-live": "polite" }, notice);
  const areas = view.files.map((f) => {
    const rules = view.rules.filter((r) => r.file === f.name);
    return h("section", { "aria-labelledby": `area-${f.name}` }, h("h2", { id: `area-${f.name}` }, `${f.area}`, h("span", { class: "hint" }, ` (${f.name}, version ${f.version})`)), rules.map((r) => ruleCard(main, r, message)));
  });
  replace(
    main,
    h("p", { class: "back" }, h("a", { href: "#/settings" }, "← Settings")),
    h("h1", { tabindex: "-1", id: "rules-heading" }, "Triage rules"),
    h(
      "p",
      { class: "lead" },
      "The thresholds that make a result red (act before the pack is sent) or amber (not on target: talk about it in the conversation). A change applies to every review from now on and is recorded with who made it and why; the shipped thresholds can always be restored.",
    ),
    message,
    areas,
  );
  if (focusId) main.querySelector(`#${focusId}`)?.focus();
  else main.querySelector("#rules-heading").focus();
}

function ruleCard(main, rule, message) {
  const inputs = rule.thresholds.map((t, i) =>
    h("div", { class: "field" }, h("label", { for: `rule-${rule.id}-${i}` }, t.label), h("input", { type: "text", inputmode: "decimal", class: "value-input", id: `rule-${rule.id}-${i}`, value: t.value }), t.value !== t.shipped ? h("p", { class: "hint" }, `Shipped: ${t.shipped}`) : null),
  );
  const reason = h("input", { type: "text", id: `rule-${rule.id}-reason` });
  const feedback = h("div", { "aria-live": "polite" });
  const run = async (thresholds, done) => {
    try {
      const updated = await api.changeRule(rule.id, thresholds, reason.value);
      show(main, updated, h("div", { class: "message message-success", role: "status" }, done), `rule-${rule.id}-heading`);
    } catch (error) {
      replace(feedback, errorBox(error.message));
    }
  };
  const save = h("button", { type: "button", id: `rule-${rule.id}-save` }, "Save thresholds");
  save.addEventListener("click", () => run(inputs.map((_, i) => document.getElementById(`rule-${rule.id}-${i}`).value), `Rule "${rule.title}" changed.`));
  const restore = h("button", { type: "button", id: `rule-${rule.id}-restore` }, "Restore the shipped thresholds");
  restore.addEventListener("click", () => run(null, `Rule "${rule.title}" is back to its shipped thresholds.`));
  const changedByPractice = rule.thresholds.some((t) => t.value !== t.shipped);
  return h(
    "article",
    { class: `rule rule-${rule.severity}`, "data-rule": rule.id },
    h("h3", { id: `rule-${rule.id}-heading`, tabindex: "-1" }, h("span", { class: `tag tag-${rule.severity}` }, rule.severity === "red" ? "Red" : "Amber"), ` ${rule.title}`),
    h("p", {}, `${rule.reads.join(", ")}: ${rule.words}`),
    rule.shipped_words ? h("p", { class: "tag tag-personal", id: `rule-${rule.id}-shipped` }, `The practice's own threshold. As shipped: ${rule.shipped_words}`) : null,
    h("p", { class: "hint" }, `${rule.rationale} Source: ${rule.source}.`),
    rule.changed ? h("p", { class: "hint" }, rule.changed) : null,
    inputs.length
      ? h(
          "details",
          {},
          h("summary", {}, "Change thresholds"),
          h("div", { class: "inline" }, inputs),
          h("label", { for: `rule-${rule.id}-reason` }, "Why (recorded with your name)"),
          reason,
          h("div", { class: "actions" }, save, changedByPractice ? restore : null),
          feedback,
        )
      : null,
  );
}
