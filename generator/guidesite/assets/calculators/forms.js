/**
 * Calculator forms runtime, loaded on every page and kept tiny: it only looks for
 * `form.bpp-calculator` after each page view (Material swaps pages without reloading)
 * and, where there is a calculator, starts the engine and loads the form code.
 *
 * The runtime knows nothing about any single calculator. Each form carries its `spec()`
 * as JSON in a `<template data-calculator-data>` (not a JSON `<script>`: Material's instant
 * navigation re-creates every script in new content without its `type`).
 */

async function bindAll() {
  if (!document.querySelector("form.bpp-calculator")) {
    prewarmAfterLoad();
    return;
  }
  /** @type {NodeListOf<HTMLFormElement>} */
  const forms = document.querySelectorAll("form.bpp-calculator:not([data-bound])");
  if (!forms.length) return;
  startEngine();
  const { CalculatorForm } = await import("./calculator-form.js");
  for (const form of forms) {
    if (form.dataset.bound !== undefined) continue;
    form.dataset.bound = "";
    new CalculatorForm(form);
  }
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
if (document.querySelector("form.bpp-calculator")) startEngine();
if (window.document$) window.document$.subscribe(bindAllLogged);
else bindAllLogged();
