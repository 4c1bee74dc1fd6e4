/**
 * Calculator forms runtime, loaded on every page and kept tiny: it only looks for
 * `form.gs-calculator` after each page view (Material swaps pages without reloading)
 * and, where there is a calculator, starts the engine and loads the form code.
 *
 * The runtime knows nothing about any single calculator. Each form carries its `spec()`
 * as JSON in a `<template data-calculator-data>` (not a JSON `<script>`: Material's instant
 * navigation re-creates every script in new content without its `type`).
 */

async function bindAll() {
  if (!document.querySelector("form.gs-calculator")) {
    prewarmAfterLoad();
    return;
  }
  /** @type {NodeListOf<HTMLFormElement>} */
  const forms = document.querySelectorAll("form.gs-calculator:not([data-bound])");
  if (!forms.length) return;
  startEngine();
  for (const form of forms) form.dataset.bound = "";
  /** @type {typeof import("./calculator-form.js").CalculatorForm} */
  let CalculatorForm;
  try {
    ({ CalculatorForm } = await import("./calculator-form.js"));
  } catch (error) {
    for (const form of forms) notStarted(form, error);
    return;
  }
  for (const form of forms) {
    try {
      new CalculatorForm(form);
    } catch (error) {
      notStarted(form, error);
    }
  }
}

// A form whose code did not start cannot follow its inputs, which a link may already have
// changed: its build-time result must not stay beside them.
/**
 * @param {HTMLFormElement} form
 * @param {unknown} error
 */
function notStarted(form, error) {
  console.error("Calculator form not started:", error);
  const box = form.querySelector("[data-result]");
  const message = document.createElement("p");
  message.className = "gs-result-pending";
  message.textContent =
    "The calculator could not start in this browser, so it shows no result. Reload the " +
    "page to try again. The guidance on this page does not depend on the calculator.";
  box?.replaceChildren(message);
  form.querySelector("[data-result-summary]")?.setAttribute("hidden", "");
  form.querySelector("[data-actions]")?.setAttribute("hidden", "");
}

// The engine takes longest: start it before the form code has loaded (a failure to load
// shows in the form, which imports the same client). Started once per document.
function startEngine() {
  import("../engine/engine-client.js")
    .then(({ getEngine }) => getEngine())
    .catch(() => {});
}

// Pages without a calculator warm the engine up for the next page, but only after their
// own `load`, so it costs them nothing (assets/engine/prewarm.js says when and for whom).
function prewarmAfterLoad() {
  const prewarm = () =>
    import("../engine/prewarm.js")
      .then(({ prewarmEngine }) => prewarmEngine())
      .catch((error) => console.warn("Calculator engine not warmed up:", error));
  if (document.readyState === "complete") prewarm();
  else addEventListener("load", prewarm, { once: true });
}

function bindAllLogged() {
  bindAll().catch((error) => console.error("Calculator form not started:", error));
}

// This module runs once the page is parsed, before DOMContentLoaded: Material's work on
// that event (and so document$'s first page view) would otherwise delay the engine.
if (document.querySelector("form.gs-calculator")) startEngine();
if (window.document$) window.document$.subscribe(bindAllLogged);
else bindAllLogged();
