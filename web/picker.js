// A form with one control per issue: a select for up to SELECT_LIMIT values,
// a number input beyond (an issue may have a million values). Used by the
// package builder and by the counter-offer of Play.
import { el, fill } from "./dom.js";
import { issueValues, issueSize, valueKey, parseValue } from "./model.js";

const SELECT_LIMIT = 500;

/**
 * Fills `form` with controls for `scenario`'s issues, set to `pkg`; calls
 * `onChange(pkg)` with the new package after every change. `prefix` makes
 * the ids unique on the page. Returns {get(), set(pkg)}.
 */
export function packagePicker(form, scenario, pkg, onChange, prefix) {
  fill(form);
  const controls = [];
  scenario.issues.forEach((issue, i) => {
    const id = prefix + "-issue-" + i;
    const label = el("label", { for: id }, issue.name);
    let control;
    if (issueSize(issue) <= SELECT_LIMIT) {
      control = el(
        "select",
        { id, name: issue.name, "data-issue": issue.name },
        issueValues(issue).map((v) => el("option", { value: valueKey(issue, v) }, String(v)))
      );
    } else {
      control = el("input", {
        id,
        name: issue.name,
        "data-issue": issue.name,
        type: "number",
        min: issue.min,
        max: issue.max,
        step: issue.type === "integer" ? issue.step || 1 : "any",
      });
    }
    control.addEventListener("change", () => onChange(get()));
    form.appendChild(label);
    form.appendChild(control);
    controls.push({ issue, control });
  });
  function get() {
    const out = {};
    for (const { issue, control } of controls) out[issue.name] = parseValue(issue, control.value);
    return out;
  }
  function set(p) {
    for (const { issue, control } of controls) {
      if (p && p[issue.name] !== undefined) control.value = valueKey(issue, p[issue.name]);
    }
  }
  set(pkg);
  return { get, set };
}
