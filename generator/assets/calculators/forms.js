/**
 * Calculator forms runtime: binds every `form.bpp-calculator` on the page.
 *
 * It knows nothing about any single calculator. Each form carries its `spec()` as JSON in
 * a `<template data-calculator-data>` (not a JSON `<script>`: Material's instant navigation
 * re-creates every script in new content without its `type`); this module reads the
 * controls as that spec describes, sends the inputs to the engine (Python `run()` in a
 * worker) and draws whatever comes back: a plan (next_step) or scored outputs. All data
 * goes into the page as text nodes, never as markup.
 */

import { getEngine } from "../engine/engine-client.js";

const UPDATE_DELAY_MS = 120;
const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/* ---------- reading and writing controls, driven by the spec ---------- */

function control(form, path) {
  return form.elements.namedItem(path);
}

function readField(form, field, path) {
  switch (field.type) {
    case "integer":
    case "number": {
      const raw = (control(form, path)?.value ?? "").trim();
      if (raw === "") return undefined;
      // Anything that is not a plain number goes to Python as typed, so its message applies.
      return NUMBER_RE.test(raw) ? Number(raw) : raw;
    }
    case "boolean":
      return Boolean(control(form, path)?.checked);
    case "choice": {
      const value = control(form, path)?.value ?? "";
      return value === "" ? undefined : value;
    }
    case "multi_choice":
      return [...form.querySelectorAll(`input[name="${CSS.escape(path)}"]:checked`)].map(
        (box) => box.value,
      );
    case "tuple":
      return field.items.map((item, index) => readField(form, item, `${path}.${index}`) ?? null);
    case "records":
      return rows(form, path).map((_, index) => readObject(form, field.fields, `${path}.${index}.`));
    default:
      return undefined;
  }
}

function readObject(form, fields, prefix) {
  const values = {};
  for (const field of fields) {
    const value = readField(form, field, prefix + field.name);
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}

function writeField(form, field, path, value) {
  switch (field.type) {
    case "integer":
    case "number":
      control(form, path).value = value ?? "";
      break;
    case "boolean":
      control(form, path).checked = Boolean(value);
      break;
    case "choice": {
      const target = control(form, path);
      // A radio group without a "Not answered" choice cannot be cleared through `.value`.
      if (target instanceof RadioNodeList) {
        for (const radio of target) radio.checked = radio.value === (value ?? "");
      } else {
        target.value = value ?? "";
      }
      break;
    }
    case "multi_choice":
      for (const box of form.querySelectorAll(`input[name="${CSS.escape(path)}"]`)) {
        box.checked = Array.isArray(value) && value.includes(box.value);
      }
      break;
    case "tuple":
      field.items.forEach((item, index) =>
        writeField(form, item, `${path}.${index}`, Array.isArray(value) ? value[index] : null),
      );
      break;
    case "records": {
      const list = Array.isArray(value) ? value : [];
      const group = recordsGroup(form, path);
      setRowCount(group, Math.max(list.length, Number(group.dataset.minItems) || 1));
      rows(form, path).forEach((_, index) => {
        for (const sub of field.fields) {
          writeField(form, sub, `${path}.${index}.${sub.name}`, list[index]?.[sub.name] ?? sub.default);
        }
      });
      break;
    }
  }
}

function writeAll(form, spec, values) {
  for (const field of spec.inputs) {
    writeField(form, field, field.name, values[field.name] ?? field.default);
  }
}

/* ---------- records (rows the reader can add and remove) ---------- */

function recordsGroup(form, path) {
  return form.querySelector(`[data-records="${CSS.escape(path)}"]`);
}

function rows(form, path) {
  const group = recordsGroup(form, path);
  return group ? [...group.querySelector("[data-record-rows]").children] : [];
}

// Row positions live in ids, names and label targets; rewrite them after any change.
function renumber(group) {
  const path = group.dataset.records;
  const position = new RegExp(`${path.replace(/[.]/g, "\\.")}\\.(\\d+|__index__)\\.`, "g");
  const rowList = [...group.querySelector("[data-record-rows]").children];
  rowList.forEach((row, index) => {
    for (const element of row.querySelectorAll("*")) {
      for (const name of ["id", "name", "for", "aria-describedby", "data-error-for"]) {
        const old = element.getAttribute(name);
        if (old) element.setAttribute(name, old.replace(position, `${path}.${index}.`));
      }
    }
    for (const element of row.querySelectorAll("legend, [data-remove-row]")) {
      element.textContent = element.textContent.replace(/(\d+|__number__)$/, String(index + 1));
    }
  });
  const min = Number(group.dataset.minItems) || 1;
  const max = Number(group.dataset.maxItems) || Infinity;
  for (const button of group.querySelectorAll("[data-remove-row]")) {
    button.disabled = rowList.length <= min;
  }
  group.querySelector("[data-add-row]").disabled = rowList.length >= max;
}

function addRow(group) {
  const template = group.querySelector("template[data-record-template]");
  const row = template.content.firstElementChild.cloneNode(true);
  group.querySelector("[data-record-rows]").append(row);
  renumber(group);
  return row;
}

function setRowCount(group, count) {
  const container = group.querySelector("[data-record-rows]");
  while (container.children.length > count) container.lastElementChild.remove();
  while (container.children.length < count) addRow(group);
  renumber(group);
}

/* ---------- building result elements (same classes as result.html) ---------- */

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

function humanise(code) {
  return String(code).replace(/[_-]/g, " ");
}

// Same shape as the page's own citations: the page numbered every source this calculator
// can cite (its "Sources" line), so each key's number and title are read from there.
function citeLinks(form, keys) {
  const mark = el("sup", "gs-cite");
  (keys ?? []).forEach((key, index) => {
    // `$=`: Material may have made the page's own links absolute.
    const numbered = form.querySelector(`.bpp-calc-sources a[href$="#ref-${CSS.escape(key)}"]`);
    const link = el("a", null, numbered ? numbered.textContent : key);
    link.href = `#ref-${key}`;
    if (numbered?.title) link.title = numbered.title;
    if (index > 0) mark.append(",");
    mark.append(link);
  });
  return mark;
}

function planItem(form, item) {
  const li = el("li", "bpp-item");
  li.append(el("span", "bpp-item-title", item.title), citeLinks(form, item.refs));
  if (item.why?.length) {
    const why = el("ul", "bpp-why");
    for (const reason of item.why) why.append(el("li", null, reason));
    li.append(why);
  }
  return li;
}

function renderPlan(form, spec, result) {
  const rules = Object.fromEntries((spec.rules ?? []).map((rule) => [rule.id, rule.when]));
  const box = el("div", "bpp-plan");
  const banner = el("p", `bpp-urgency bpp-urgency--${result.urgency}`);
  const label = humanise(result.urgency);
  // The label is left out when the headline already starts with the urgency.
  if (!result.headline.toLowerCase().startsWith(label.toLowerCase())) {
    banner.append(
      el("strong", "bpp-urgency-label", label.charAt(0).toUpperCase() + label.slice(1)),
      " ",
    );
  }
  banner.append(el("span", "bpp-headline", result.headline));
  const steps = el("ol", "bpp-steps");
  for (const item of result.steps) steps.append(planItem(form, item));
  box.append(banner, el("p", "bpp-result-heading", "Next steps, most important first"), steps);
  if (result.avoid.length) {
    const avoid = el("ul", "bpp-avoid");
    for (const item of result.avoid) avoid.append(planItem(form, item));
    box.append(el("p", "bpp-result-heading", "Avoid for now"), avoid);
  }
  const trace = el("details", "bpp-trace");
  const fired = el("ol");
  for (const id of result.trace) {
    const li = el("li");
    li.append(el("code", null, id), ` ${rules[id] ?? ""}`);
    fired.append(li);
  }
  trace.append(el("summary", null, "Why: the rules that applied, in order"), fired);
  box.append(trace);
  return box;
}

function outputValue(value) {
  if (Array.isArray(value)) {
    const table = el("table", "bpp-rows");
    const head = el("tr");
    for (const key of Object.keys(value[0] ?? {})) {
      const th = el("th", null, humanise(key));
      th.scope = "col";
      head.append(th);
    }
    const body = el("tbody");
    for (const row of value) {
      const tr = el("tr");
      for (const cell of Object.values(row)) tr.append(el("td", null, cell));
      body.append(tr);
    }
    table.append(el("thead"), body);
    table.tHead.append(head);
    return table;
  }
  if (value && typeof value === "object") {
    return Object.entries(value)
      .map(([key, inner]) => `${humanise(key)}: ${inner}`)
      .join("; ");
  }
  return typeof value === "string" ? humanise(value) : String(value);
}

function renderScores(spec, result) {
  const list = el("dl", "bpp-outputs");
  for (const output of spec.outputs) {
    const value = result[output.name];
    if (output.name === "interpretation" || value === undefined || value === null) continue;
    const row = el("div", `bpp-output bpp-output--${output.name}`);
    const dd = el("dd");
    dd.append(outputValue(value));
    row.append(el("dt", null, output.label), dd);
    list.append(row);
  }
  const parts = [list];
  if (result.interpretation) parts.push(el("p", "bpp-interpretation", result.interpretation));
  return parts;
}

/* ---------- plain-text summary for a clinical note ---------- */

function describe(field, value) {
  if (value === undefined || value === null) return "not answered";
  switch (field.type) {
    case "boolean":
      return value ? "yes" : "no";
    case "choice":
    case "multi_choice": {
      const labels = Object.fromEntries(field.choices.map((c) => [c.value, c.label]));
      const list = Array.isArray(value) ? value : [value];
      return list.map((v) => labels[v] ?? v).join("; ") || "none";
    }
    case "tuple":
      return value.map((v, i) => describe(field.items[i], v)).join(", ");
    case "records":
      return value
        .map((row) => field.fields.map((f) => describe(f, row[f.name])).join(", "))
        .join("; ");
    default:
      return field.unit ? `${value} ${field.unit}` : String(value);
  }
}

function summary(spec, inputs, result) {
  const lines = [spec.title];
  for (const field of spec.inputs) {
    if (field.name in inputs) lines.push(`- ${field.label}: ${describe(field, inputs[field.name])}`);
  }
  lines.push("Result:");
  if ("steps" in result) {
    lines.push(`${humanise(result.urgency).toUpperCase()}: ${result.headline}`);
    result.steps.forEach((item, i) => lines.push(`${i + 1}. ${item.title}`));
    if (result.avoid.length) lines.push("Avoid for now:", ...result.avoid.map((i) => `- ${i.title}`));
    lines.push(`Rules applied: ${result.trace.join(", ")}`);
  } else {
    for (const output of spec.outputs) {
      const value = result[output.name];
      if (output.name === "interpretation" || value === undefined || value === null) continue;
      const text = Array.isArray(value)
        ? value.map((row) => Object.values(row).join(" ")).join("; ")
        : outputValue(value);
      lines.push(`${output.label}: ${text}`);
    }
    if (result.interpretation) lines.push(result.interpretation);
  }
  const day = new Date().toISOString().slice(0, 10);
  lines.push(`(Back Pain Pathways calculator, ${day}; decision support only: verify against the sources.)`);
  return lines.join("\n");
}

/* ---------- URL hash: one `formid=<json>` part per form ---------- */

function hashParts() {
  return new Map(
    location.hash
      .slice(1)
      .split("&")
      .filter((part) => part.includes("="))
      .map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)]),
  );
}

function savedInputs(form) {
  const raw = hashParts().get(form.id);
  if (!raw) return null;
  try {
    const values = JSON.parse(decodeURIComponent(raw));
    return values && typeof values === "object" && !Array.isArray(values) ? values : null;
  } catch {
    return null;
  }
}

function saveInputs(form, inputs) {
  const parts = hashParts();
  parts.set(form.id, encodeURIComponent(JSON.stringify(inputs)));
  const hash = [...parts].map(([key, value]) => `${key}=${value}`).join("&");
  history.replaceState(history.state, "", `${location.pathname}${location.search}#${hash}`);
}

/* ---------- one form ---------- */

class CalculatorForm {
  constructor(form) {
    const data = JSON.parse(
      form.querySelector("template[data-calculator-data]").content.textContent,
    );
    this.form = form;
    this.spec = data.spec;
    this.initial = data.initial;
    this.resultBox = form.querySelector("[data-result]");
    this.copyStatus = form.querySelector("[data-copy-status]");
    this.touched = new Set();
    this.sequence = 0;
    this.timer = null;

    form.querySelector("[data-actions]").hidden = false;
    for (const group of form.querySelectorAll("[data-records]")) renumber(group);
    const saved = savedInputs(form);
    if (saved) {
      writeAll(form, this.spec, saved);
      for (const name of Object.keys(saved)) this.touched.add(name);
    }

    form.addEventListener("input", (event) => this.changed(event));
    form.addEventListener("change", (event) => this.changed(event));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => this.clicked(event));

    // Until the first live run, the result on screen is the one computed at build time.
    this.lastGood = data.result && !saved ? { inputs: this.inputs(), result: data.result } : null;
    this.engine = getEngine();
    // Only recompute over the build-time result when the reader brought their own inputs.
    if (saved) this.update();
  }

  changed(event) {
    const name = event.target.name;
    if (name) this.touched.add(name.split(".")[0]);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), UPDATE_DELAY_MS);
  }

  clicked(event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.matches("[data-add-row]")) {
      const group = button.closest("[data-records]");
      const row = addRow(group);
      this.touched.add(group.dataset.records);
      row.querySelector("input, select")?.focus();
      this.update();
    } else if (button.matches("[data-remove-row]")) {
      const group = button.closest("[data-records]");
      button.closest("[data-record-row]").remove();
      renumber(group);
      group.querySelector("[data-add-row]").focus();
      this.update();
    } else if (button.matches("[data-reset]")) {
      writeAll(this.form, this.spec, this.initial);
      this.touched.clear();
      this.update();
    } else if (button.matches("[data-copy]")) {
      this.copy();
    }
  }

  inputs() {
    return readObject(this.form, this.spec.inputs, "");
  }

  async update() {
    const inputs = this.inputs();
    const ticket = ++this.sequence;
    saveInputs(this.form, inputs);
    this.resultBox.setAttribute("aria-busy", "true");
    const outcome = await this.engine.run(this.spec.name, inputs);
    if (ticket !== this.sequence) return; // a newer change is on its way
    this.resultBox.removeAttribute("aria-busy");
    this.show(inputs, outcome);
  }

  show(inputs, outcome) {
    this.clearErrors();
    if (outcome.ok) {
      this.lastGood = { inputs, result: outcome.result };
      const parts =
        "steps" in outcome.result
          ? [renderPlan(this.form, this.spec, outcome.result)]
          : renderScores(this.spec, outcome.result);
      this.resultBox.replaceChildren(...parts);
      return;
    }
    this.lastGood = null;
    const pending = [];
    const general = [];
    for (const error of outcome.errors) {
      const top = error.field?.split(".")[0];
      if (error.field === null || error.field === undefined) general.push(error.message);
      else if (!this.touched.has(top) && !(top in inputs)) pending.push(this.label(top));
      else if (!this.showFieldError(error.field, error.message)) general.push(error.message);
    }
    const box = [];
    if (pending.length) {
      box.push(el("p", "bpp-result-pending", `Fill in: ${[...new Set(pending)].join("; ")}.`));
    }
    if (general.length) {
      const list = el("ul", "bpp-result-errors");
      for (const message of general) list.append(el("li", null, message));
      box.push(list);
    }
    if (!box.length) box.push(el("p", "bpp-result-pending", "Correct the marked fields to see a result."));
    this.resultBox.replaceChildren(...box);
  }

  label(name) {
    return this.spec.inputs.find((field) => field.name === name)?.label ?? name;
  }

  // Shows the message beside the field (or its closest enclosing group); false if none.
  showFieldError(path, message) {
    const parts = path.split(".");
    while (parts.length) {
      const id = `${this.form.id}--${parts.join(".")}`;
      const slot = document.getElementById(`${id}-error`);
      if (slot) {
        slot.textContent = message;
        slot.hidden = false;
        document.getElementById(id)?.setAttribute("aria-invalid", "true");
        return true;
      }
      parts.pop();
    }
    return false;
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll(".bpp-field-error:not([hidden])")) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const field of this.form.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
    }
  }

  async copy() {
    const good = this.lastGood;
    if (!good) {
      this.copyStatus.textContent = "Nothing to copy until there is a result.";
      return;
    }
    try {
      await navigator.clipboard.writeText(summary(this.spec, good.inputs, good.result));
      this.copyStatus.textContent = "Result copied.";
    } catch {
      this.copyStatus.textContent = "Copying was blocked by the browser; select the result and copy it instead.";
    }
  }

}

/* ---------- binding on every page view (Material swaps pages without reloading) ---------- */

function bindAll() {
  for (const form of document.querySelectorAll("form.bpp-calculator:not([data-bound])")) {
    form.dataset.bound = "";
    new CalculatorForm(form);
  }
}

if (window.document$) window.document$.subscribe(bindAll);
else bindAll();
