/**
 * One calculator form: reads it as its embedded spec describes, asks the engine (Python in
 * a worker) for the view of its result, shows it or the field messages, keeps the inputs
 * in the URL hash, and handles Copy, Reset, records rows and the compact summary.
 *
 * The result on screen, and what Copy puts on the clipboard, are those worked out for
 * exactly the inputs on screen; until the answer for them is back (while the engine
 * loads, or if it never starts), the result is marked not current and Copy says why it
 * will not copy. An instrument's form can also copy or download the result as FHIR: the
 * Bundle the view carries, made by the Python; it never leaves the page otherwise.
 */

import { fieldId } from "../engine/contracts.js";
import { getEngine } from "../engine/engine-client.js";
import { addRow, readObject, renumber, writeAll } from "./controls.js";
import { checkLinked } from "./link-state.js";
import { drawView, el, fhirText, noteText, renderSummary } from "./results.js";

/**
 * @typedef {import("./results.js").View} View
 * @typedef {import("./results.js").Drawn} Drawn
 * @typedef {import("./controls.js").Field} Field
 * @typedef {import("./controls.js").Values} Values
 * @typedef {{field?: string | null, message: string, label?: string}} FieldError
 * @typedef {{ok: false, errors: FieldError[]}} Failure  the engine's error envelope
 * @typedef {{name: string, inputs: Field[], groups: {title: string, fields: string[]}[]}} Spec
 * @typedef {import("../engine/contracts.js").Names} Names
 * @typedef {import("./link-state.js").Notice} Notice
 * @typedef {import("../engine/engine-client.js").EngineStatus} EngineStatus
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
 * What the URL hash holds for this form, unchecked: `null` if nothing, `{raw: undefined}`
 * if it is not JSON.
 * @param {HTMLFormElement} form
 * @returns {{raw: unknown} | null}
 */
function linkedInputs(form) {
  const text = hashParts().get(form.id);
  if (!text) return null;
  try {
    return { raw: JSON.parse(decodeURIComponent(text)) };
  } catch {
    return { raw: undefined };
  }
}

// Writing the address takes Chromium a synchronous style and layout of the whole page
// (`history.replaceState`: 9 ms on average and over 20 ms at times on the planner page,
// measured in a trace), which made a change that came soon after another wait behind it.
// So the inputs reach the URL once the reader has paused for ADDRESS_QUIET_MS, and at once
// whenever the address may be read or left behind: printing stamps it, leaving the page
// (or following a link) keeps it, and going to the browser's address bar or menu takes the
// focus from the page.
const ADDRESS_QUIET_MS = 500;
/** @type {Map<HTMLFormElement, Values>} */
const unsaved = new Map();
let addressTimer = 0;

/**
 * @param {HTMLFormElement} form
 * @param {Values} inputs
 */
function saveInputs(form, inputs) {
  unsaved.set(form, inputs);
  clearTimeout(addressTimer);
  addressTimer = setTimeout(writeAddress, ADDRESS_QUIET_MS);
}

function writeAddress() {
  clearTimeout(addressTimer);
  if (!unsaved.size) return;
  const parts = hashParts();
  // A form that instant navigation has taken away no longer owns the address.
  for (const [form, inputs] of unsaved) {
    if (form.isConnected) parts.set(form.id, encodeURIComponent(JSON.stringify(inputs)));
  }
  unsaved.clear();
  const hash = [...parts].map(([key, value]) => `${key}=${value}`).join("&");
  history.replaceState(history.state, "", `${location.pathname}${location.search}#${hash}`);
  // guidesite.js's beforeprint listener, registered first, may already have stamped the
  // printout with the address: the stamp follows the inputs.
  for (const stamped of document.querySelectorAll("[data-gs-address]")) {
    stamped.setAttribute("data-gs-address", location.href);
  }
}

addEventListener("beforeprint", writeAddress);
addEventListener("pagehide", writeAddress);
addEventListener("blur", writeAddress);
document.addEventListener("visibilitychange", writeAddress);
// Material's instant navigation leaves the page without `pagehide`: a link followed within
// the quiet time writes the address first, so Back restores the latest inputs.
document.addEventListener(
  "click",
  (event) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) writeAddress();
  },
  { capture: true }
);
// Tests wait for the address rather than for a time (tests/support/pages.py).
Object.defineProperty(globalThis, Symbol.for("guidesite.address-pending"), {
  get: () => unsaved.size > 0,
  configurable: true,
});

/**
 * The same inputs give the same text: `readObject` writes keys in the spec's order.
 * @param {Values} inputs
 */
function inputsKey(inputs) {
  return JSON.stringify(inputs);
}

/**
 * Why the result on screen is not the one for the inputs on screen, by the engine's state.
 * @type {{[state in EngineStatus["state"]]: string}}
 */
const NOT_CURRENT = {
  loading: "the inputs changed while the calculator engine loads, and this result is for the earlier ones",
  ready: "the result for the changed inputs is being worked out",
  error: "the calculator engine has not started, and this result is for earlier inputs",
};

// How long a ready engine's answer may take before the result is marked not current.
const NOT_CURRENT_AFTER_MS = 300;

/**
 * Removes every link notice inside `root`.
 * @param {ParentNode} root
 */
function removeLinkNotices(root) {
  for (const element of root.querySelectorAll("[data-link-notice]")) element.remove();
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

/**
 * Opens the folded input group holding `element`: a message about one of its fields is
 * never out of sight.
 * @param {HTMLElement} element
 */
function unfold(element) {
  const group = /** @type {HTMLDetailsElement | null} */ (element.closest("details[data-field-group]"));
  if (group) group.open = true;
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
    // Copy, and for an instrument Copy as FHIR and Download FHIR: all hand on the result.
    this.copyButtons = /** @type {NodeListOf<HTMLElement>} */ (
      form.querySelectorAll("[data-copy], [data-copy-fhir], [data-download-fhir]")
    );
    this.copyStatus = part(form, "[data-copy-status]");
    this.summary = part(form, "[data-result-summary]");
    this.summaryContent = part(this.summary, "[data-summary-content]");
    // Shown above the result, and instead of the compact summary, while not current.
    this.notCurrent = el("p", "gs-result-not-current");
    this.notCurrent.id = `${form.id}-not-current`;
    this.notCurrent.hidden = true;
    this.resultBox.before(this.notCurrent);
    this.summaryNotCurrent = el("strong", "gs-summary-not-current", "Result not current");
    this.summaryNotCurrent.hidden = true;
    this.summaryContent.before(this.summaryNotCurrent);
    /** @type {Set<string>} */
    this.touched = new Set();
    this.sequence = 0;
    this.linkNotices = 0; // numbers their ids
    /** @type {Drawn | null} what the result box shows, drawn from a view; null: something else */
    this.drawn = null;
    /** @type {string | null} the summary's JSON the compact bar shows; null: something else */
    this.drawnSummary = null;

    part(form, "[data-actions]").hidden = false;
    for (const group of form.querySelectorAll("[data-records]")) renumber(/** @type {HTMLElement} */ (group));
    // Until the first live run, the result on screen is the one computed at build time for
    // the inputs the page starts with.
    /** @type {View | null} */
    this.lastGood = data.view.ok ? data.view : null;
    this.shownFor = inputsKey(this.inputs());
    const linked = linkedInputs(form);
    if (linked) {
      this.applyLink(linked.raw);
      // Every value the result rests on in view: a group the link fills any of in opens,
      // as the build opens one the page's own inputs fill in (the reader may fold it again).
      this.countFilled(this.inputs()).forEach((filled, index) => {
        const group = /** @type {HTMLDetailsElement | null} */ (this.form.querySelector(`[data-field-group="${index}"]`));
        if (group && filled > 0) group.open = true;
      });
    }

    form.addEventListener("input", (event) => this.changed(event));
    form.addEventListener("change", (event) => this.changed(event));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => this.clicked(event));
    // Not a plain link: the URL hash holds the inputs, so jump without changing it.
    part(this.summary, "[data-summary-go]").addEventListener("click", (event) => {
      event.preventDefault();
      const title = part(/** @type {HTMLElement} */ (this.resultBox.closest("section")), ".gs-result-title");
      title.scrollIntoView({ block: "start" });
      title.focus({ preventScroll: true });
    });

    this.engine = getEngine();
    const unsubscribe = this.engine.onStatus(() => (form.isConnected ? this.markCurrency() : unsubscribe()));
    // Only recompute over the build-time result when the reader brought their own inputs.
    if (linked) this.update();
    else this.markCurrency();
  }

  /**
   * Writes what fits of a link's inputs into the form, with a notice for the rest; a link
   * that holds no set of inputs leaves the page's own.
   * @param {unknown} raw
   */
  applyLink(raw) {
    const { values, notices } = checkLinked(this.spec.inputs, raw);
    if (values) {
      writeAll(this.form, this.spec, values);
      for (const name of Object.keys(values)) this.touched.add(name);
    }
    for (const notice of notices) this.showLinkNotice(notice);
  }

  /**
   * Beside the field (or its closest enclosing group) the notice is about, or above the
   * inputs when it is about the link as a whole. It stays until that field changes.
   * @param {Notice} notice
   */
  showLinkNotice({ field, message }) {
    const element = el("p", "gs-link-notice", message);
    element.dataset.linkNotice = field ?? "";
    const slot = field === null ? null : this.fieldSlot(field);
    if (!slot) {
      part(this.form, ".gs-calc-inputs").prepend(element);
      return;
    }
    slot.after(element);
    unfold(slot);
    element.id = `${this.form.id}-link-notice-${++this.linkNotices}`;
    const target = document.getElementById(/** @type {string} */ (slot.dataset.errorFor));
    target?.setAttribute("aria-describedby", `${target.getAttribute("aria-describedby") ?? ""} ${element.id}`.trim());
  }

  /**
   * Removes the link notices about the input at `path` and the groups holding it.
   * @param {string} path
   */
  clearLinkNotices(path) {
    for (const element of /** @type {NodeListOf<HTMLElement>} */ (this.form.querySelectorAll("[data-link-notice]"))) {
      const about = element.dataset.linkNotice ?? "";
      if (about && (path === about || path.startsWith(`${about}.`))) element.remove();
    }
  }

  /** @param {Event} event */
  changed(event) {
    const name = /** @type {HTMLInputElement} */ (event.target).name;
    if (name) {
      this.touched.add(name.split(".")[0]);
      this.clearLinkNotices(name);
    }
    // No debounce: the engine answers in about a millisecond, and `update` drops any
    // answer overtaken by a newer change, so every keystroke may ask.
    this.update();
  }

  /** @param {Event} event */
  clicked(event) {
    const fieldLink = /** @type {Element} */ (event.target).closest(".gs-fill-in a");
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
      removeLinkNotices(group); // the rows they spoke of are renumbered
      /** @type {HTMLElement | null} */ (row.querySelector("input, select"))?.focus();
      this.update();
    } else if (button.matches("[data-remove-row]")) {
      const group = /** @type {HTMLElement} */ (button.closest("[data-records]"));
      /** @type {Element} */ (button.closest("[data-record-row]")).remove();
      removeLinkNotices(group); // the rows they spoke of are renumbered
      renumber(group);
      part(group, "[data-add-row]").focus();
      this.update();
    } else if (button.matches("[data-reset]")) {
      writeAll(this.form, this.spec, this.initial);
      this.touched.clear();
      removeLinkNotices(this.form);
      this.update();
    } else if (button.matches("[data-copy]")) {
      this.copy((view) => noteText(view), "Result copied.");
    } else if (button.matches("[data-copy-fhir]")) {
      this.copy(fhirText, "Result copied as FHIR (a Bundle: QuestionnaireResponse and score Observations).");
    } else if (button.matches("[data-download-fhir]")) {
      this.download();
    }
  }

  inputs() {
    return readObject(this.form, this.spec.inputs, "");
  }

  /**
   * Each folded input group's count of inputs filled in: those whose value is not the
   * default the spec declares (as the build counted them). Written only when it changes,
   * as it runs on every keystroke.
   * @param {Values} inputs
   * @returns {number[]} the count of each group, in the spec's order
   */
  countFilled(inputs) {
    const defaults = new Map(this.spec.inputs.map((field) => [field.name, JSON.stringify(field.default ?? null)]));
    return this.spec.groups.map((group, index) => {
      const filled = group.fields.filter((name) => JSON.stringify(inputs[name] ?? null) !== defaults.get(name)).length;
      const count = this.form.querySelector(`[data-field-group="${index}"] [data-group-filled]`);
      if (count && count.textContent !== String(filled)) count.textContent = String(filled);
      return filled;
    });
  }

  async update() {
    const inputs = this.inputs();
    this.countFilled(inputs);
    const key = inputsKey(inputs);
    const ticket = ++this.sequence;
    saveInputs(this.form, inputs);
    // What Copy last said is about the result for other inputs (a change event can repeat
    // an input event's inputs: then it still holds).
    if (key !== this.shownFor) this.copyStatus.textContent = "";
    // No style depends on aria-busy, so setting it costs no layout of the page.
    this.resultBox.setAttribute("aria-busy", "true");
    // A ready engine answers within milliseconds: marking the result not current at once
    // would restyle and repaint the page twice per keystroke (most of a recompute's time on
    // a long page), so the marks wait a moment and appear only if the answer has not come.
    // Copy checks currency itself, so it never copies a stale result meanwhile.
    if (this.engine.status.state === "ready") {
      setTimeout(() => ticket === this.sequence && this.resultBox.hasAttribute("aria-busy") && this.markCurrency(), NOT_CURRENT_AFTER_MS);
    } else this.markCurrency();
    const view = await this.engine.view(this.spec.name, inputs);
    if (ticket !== this.sequence) return; // a newer change is on its way
    this.resultBox.removeAttribute("aria-busy");
    this.show(inputs, view);
    if (key !== this.shownFor) this.copyStatus.textContent = ""; // e.g. "Not copied" meanwhile
    this.shownFor = key;
    this.markCurrency();
  }

  /** Why the result on screen is not the one for the inputs on screen, or null if it is. */
  notCurrentReason() {
    return inputsKey(this.inputs()) === this.shownFor ? null : NOT_CURRENT[this.engine.status.state];
  }

  /** Marks the result, the compact summary and Copy as current or not. */
  markCurrency() {
    const reason = this.notCurrentReason();
    this.notCurrent.textContent = reason ? `Not current: ${reason}.` : "";
    this.notCurrent.hidden = !reason;
    // The bar drops the old summary outright: a glance must not take an old urgency for
    // the answer. Not for the milliseconds a ready engine takes, or typing would flicker.
    const waiting = Boolean(reason) && this.engine.status.state !== "ready";
    this.summaryNotCurrent.hidden = !waiting;
    this.summaryContent.hidden = waiting;
    this.summary.toggleAttribute("data-not-current", waiting);
    if (reason) this.resultBox.dataset.notCurrent = this.engine.status.state;
    else delete this.resultBox.dataset.notCurrent;
    // The build-time note says its result is for the inputs shown: true only while current.
    const origin = /** @type {HTMLElement | null} */ (this.resultBox.querySelector("[data-result-origin]"));
    if (origin) origin.hidden = Boolean(reason);
    const copyable = !reason && this.lastGood !== null;
    for (const button of this.copyButtons) {
      button.setAttribute("aria-disabled", String(!copyable));
      if (reason) button.setAttribute("aria-describedby", this.notCurrent.id);
      else button.removeAttribute("aria-describedby");
    }
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
      const where = { form: this.form, names: this.names };
      this.drawn = drawView(where, this.resultBox, view, this.drawn);
      const summary = JSON.stringify(view.summary);
      if (summary === this.drawnSummary) return;
      this.drawnSummary = summary;
      this.summaryContent.replaceChildren(renderSummary(where, view));
      this.summary.className = view.summary.tone ? `gs-urgency--${view.summary.tone}` : "";
      return;
    }
    this.lastGood = null;
    this.drawn = null;
    this.drawnSummary = null;
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
    // Messages about the form as a whole come first: the calculator's alert (an emergency
    // red flag already ticked) must not wait below a list of fields to fill in. The
    // compact bar shows the first of them, in the same red, so a phone keeps it in view too.
    if (general.length) {
      const list = el("ul", "gs-result-errors");
      for (const message of general) list.append(el("li", null, message));
      box.push(list);
      this.summary.className = "gs-summary-alert";
      this.summaryContent.textContent = general[0];
      this.summary.hidden = false;
    }
    if (pending.length) {
      box.push(el("p", "gs-result-pending", `Fill in: ${[...new Set(pending)].join("; ")}.`));
    }
    if (!box.length) box.push(el("p", "gs-result-pending", "Correct the marked fields to see a result."));
    this.resultBox.replaceChildren(...box);
  }

  /**
   * Shows the message beside the field (or its closest enclosing group); false if none.
   * @param {string} path
   * @param {string} message
   */
  showFieldError(path, message) {
    const slot = this.fieldSlot(path);
    if (!slot) return false;
    slot.textContent = message;
    slot.hidden = false;
    unfold(slot);
    document.getElementById(/** @type {string} */ (slot.dataset.errorFor))?.setAttribute("aria-invalid", "true");
    return true;
  }

  /**
   * The error slot of the field at `path`, or of its closest enclosing group; null if none.
   * @param {string} path
   * @returns {HTMLElement | null}
   */
  fieldSlot(path) {
    const parts = path.split(".");
    while (parts.length) {
      const id = fieldId(this.names, this.form.id, parts.join("."));
      /** @type {HTMLElement | null} */
      const slot = this.form.querySelector(`[data-error-for="${CSS.escape(id)}"]`);
      if (slot) return slot;
      parts.pop();
    }
    return null;
  }

  clearErrors() {
    for (const slot of /** @type {NodeListOf<HTMLElement>} */ (this.form.querySelectorAll(".gs-field-error:not([hidden])"))) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const field of this.form.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
    }
  }

  /**
   * The result on screen if it is the one for the inputs on screen; else null, once the
   * status says why nothing is handed on.
   * @param {string} verb  "copied" or "downloaded"
   * @returns {View | null}
   */
  currentResult(verb) {
    const reason = this.notCurrentReason();
    if (reason) {
      this.copyStatus.textContent = `Not ${verb}: ${reason}.`;
      return null;
    }
    if (!this.lastGood) this.copyStatus.textContent = "Nothing to copy until there is a result.";
    return this.lastGood;
  }

  /**
   * @param {(view: View) => string} text  what of the result goes on the clipboard
   * @param {string} done  the status once it is there
   */
  async copy(text, done) {
    const good = this.currentResult("copied");
    if (!good) return;
    try {
      await navigator.clipboard.writeText(text(good));
      this.copyStatus.textContent = done;
    } catch {
      this.copyStatus.textContent = "Copying was blocked by the browser; select the result and copy it instead.";
    }
  }

  /** Saves the result's FHIR Bundle as a file: made here, so nothing is sent anywhere. */
  download() {
    const good = this.currentResult("downloaded");
    if (!good) return;
    const file = new Blob([fhirText(good)], { type: "application/fhir+json" });
    const link = el("a");
    link.href = URL.createObjectURL(file);
    link.download = `${this.spec.name.replaceAll("_", "-")}-result.fhir.json`;
    link.click();
    // Once the browser has taken the file.
    setTimeout(() => URL.revokeObjectURL(link.href));
    this.copyStatus.textContent = "Result downloaded as FHIR.";
  }

}
