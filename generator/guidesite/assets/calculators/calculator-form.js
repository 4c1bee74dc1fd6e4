/**
 * One calculator form: reads it as its embedded spec describes, asks the engine (Python in
 * a worker) for the view of its result, shows it or the field messages, keeps the inputs
 * in the URL hash, and handles Copy, Reset, records rows and the compact summary.
 */

import { fieldId } from "../engine/contracts.js";
import { getEngine } from "../engine/engine-client.js";
import { addRow, readObject, renumber, writeAll } from "./controls.js";
import { el, noteText, renderSummary, renderView } from "./results.js";

/**
 * @typedef {import("./results.js").View} View
 * @typedef {import("./controls.js").Field} Field
 * @typedef {import("./controls.js").Values} Values
 * @typedef {{field?: string | null, message: string, label?: string}} FieldError
 * @typedef {{ok: false, errors: FieldError[]}} Failure  the engine's error envelope
 * @typedef {{name: string, inputs: Field[]}} Spec
 * @typedef {import("../engine/contracts.js").Names} Names
 */

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

/**
 * @param {HTMLFormElement} form
 * @returns {Values | null}
 */
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

/**
 * @param {HTMLFormElement} form
 * @param {Values} inputs
 */
function saveInputs(form, inputs) {
  const parts = hashParts();
  parts.set(form.id, encodeURIComponent(JSON.stringify(inputs)));
  const hash = [...parts].map(([key, value]) => `${key}=${value}`).join("&");
  history.replaceState(history.state, "", `${location.pathname}${location.search}#${hash}`);
}

/* ---------- one form ---------- */

/**
 * The element matching `selector` inside `root`; the form's template always renders it.
 * @param {ParentNode} root
 * @param {string} selector
 */
function part(root, selector) {
  return /** @type {HTMLElement} */ (root.querySelector(selector));
}

export class CalculatorForm {
  /** @param {HTMLFormElement} form */
  constructor(form) {
    const template = /** @type {HTMLTemplateElement} */ (part(form, "template[data-calculator-data]"));
    /** @type {{spec: Spec, initial: Values, view: View | Failure, names: Names}} */
    const data = JSON.parse(template.content.textContent ?? "");
    this.form = form;
    this.spec = data.spec;
    this.initial = data.initial;
    this.names = data.names;
    this.resultBox = part(form, "[data-result]");
    this.copyStatus = part(form, "[data-copy-status]");
    this.summary = part(form, "[data-result-summary]");
    this.summaryContent = part(this.summary, "[data-summary-content]");
    /** @type {Set<string>} */
    this.touched = new Set();
    this.sequence = 0;

    part(form, "[data-actions]").hidden = false;
    for (const group of form.querySelectorAll("[data-records]")) renumber(/** @type {HTMLElement} */ (group));
    const saved = savedInputs(form);
    if (saved) {
      writeAll(form, this.spec, saved);
      for (const name of Object.keys(saved)) this.touched.add(name);
    }

    form.addEventListener("input", (event) => this.changed(event));
    form.addEventListener("change", (event) => this.changed(event));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => this.clicked(event));
    // Not a plain link: the URL hash holds the inputs, so jump without changing it.
    this.summary.addEventListener("click", (event) => {
      event.preventDefault();
      const title = part(/** @type {HTMLElement} */ (this.resultBox.closest("section")), ".bpp-result-title");
      title.scrollIntoView({ block: "start" });
      title.focus({ preventScroll: true });
    });

    // Until the first live run, the result on screen is the one computed at build time.
    /** @type {View | null} */
    this.lastGood = data.view.ok && !saved ? data.view : null;
    this.engine = getEngine();
    // Only recompute over the build-time result when the reader brought their own inputs.
    if (saved) this.update();
  }

  /** @param {Event} event */
  changed(event) {
    const name = /** @type {HTMLInputElement} */ (event.target).name;
    if (name) this.touched.add(name.split(".")[0]);
    // No debounce: the engine answers in about a millisecond, and `update` drops any
    // answer overtaken by a newer change, so every keystroke may ask.
    this.update();
  }

  /** @param {Event} event */
  clicked(event) {
    const fieldLink = /** @type {Element} */ (event.target).closest(".bpp-fill-in a");
    if (fieldLink) {
      // Not a plain link: the URL hash holds the inputs, so go to the field without changing it.
      event.preventDefault();
      const field = document.getElementById((fieldLink.getAttribute("href") ?? "").slice(1));
      field?.scrollIntoView({ block: "center" });
      field?.focus({ preventScroll: true });
      return;
    }
    const button = /** @type {Element} */ (event.target).closest("button");
    if (!button) return;
    if (button.matches("[data-add-row]")) {
      const group = /** @type {HTMLElement} */ (button.closest("[data-records]"));
      const row = addRow(group);
      this.touched.add(group.dataset.records ?? "");
      /** @type {HTMLElement | null} */ (row.querySelector("input, select"))?.focus();
      this.update();
    } else if (button.matches("[data-remove-row]")) {
      const group = /** @type {HTMLElement} */ (button.closest("[data-records]"));
      /** @type {Element} */ (button.closest("[data-record-row]")).remove();
      renumber(group);
      part(group, "[data-add-row]").focus();
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
    const view = await this.engine.view(this.spec.name, inputs);
    if (ticket !== this.sequence) return; // a newer change is on its way
    this.resultBox.removeAttribute("aria-busy");
    this.show(inputs, view);
  }

  /**
   * @param {Values} inputs
   * @param {View | Failure} view
   */
  show(inputs, view) {
    this.clearErrors();
    this.summary.hidden = !view.ok;
    if (view.ok) {
      this.lastGood = view;
      this.resultBox.replaceChildren(renderView({ form: this.form, names: this.names }, view));
      this.summaryContent.replaceChildren(...renderSummary(view));
      this.summary.className = view.summary.tone ? `bpp-urgency--${view.summary.tone}` : "";
      return;
    }
    this.lastGood = null;
    this.summaryContent.replaceChildren();
    /** @type {string[]} */
    const pending = [];
    /** @type {string[]} */
    const general = [];
    for (const error of view.errors) {
      if (error.field === null || error.field === undefined) {
        general.push(error.message);
        continue;
      }
      const top = error.field.split(".")[0];
      if (!this.touched.has(top) && !(top in inputs)) pending.push(error.label ?? top);
      else if (!this.showFieldError(error.field, error.message)) general.push(error.message);
    }
    /** @type {HTMLElement[]} */
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

  /**
   * Shows the message beside the field (or its closest enclosing group); false if none.
   * @param {string} path
   * @param {string} message
   */
  showFieldError(path, message) {
    const parts = path.split(".");
    while (parts.length) {
      const id = fieldId(this.names, this.form.id, parts.join("."));
      /** @type {HTMLElement | null} */
      const slot = this.form.querySelector(`[data-error-for="${CSS.escape(id)}"]`);
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
    for (const slot of /** @type {NodeListOf<HTMLElement>} */ (this.form.querySelectorAll(".bpp-field-error:not([hidden])"))) {
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
      await navigator.clipboard.writeText(noteText(good));
      this.copyStatus.textContent = "Result copied.";
    } catch {
      this.copyStatus.textContent = "Copying was blocked by the browser; select the result and copy it instead.";
    }
  }

}
