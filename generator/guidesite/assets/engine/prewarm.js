/**
 * Warm the calculator engine up on pages without a calculator whose content links to one,
 * so that the calculator, reached by in-site navigation, answers at once instead of after
 * a 1-2 s start. The build marks those links (guidesite/site/calculator_links.py); pages
 * such as the editorial policy or accessibility statement, whose readers are not about to
 * compute, never download the engine's 9 MB.
 *
 * The forms runtime imports this only after the page's `load` event, so no engine byte is
 * on such a page's critical path. The start then waits a little longer and for an idle
 * moment: a reader who is only passing through costs nothing, and the page's own work
 * (search index) goes first. Readers who asked their browser to save data, slow
 * connections (3G or slower: minutes for the engine), and devices with little memory (the
 * engine holds about 100 MB) are left alone: for them the engine starts when they open a
 * calculator, as before.
 */

// After `load`: long enough for a page's own late work, well under the few seconds a reader
// spends on a page before following a link to a calculator.
const SETTLE_MS = 1000;
// requestIdleCallback may wait for ever on a busy page; start by then regardless.
const IDLE_TIMEOUT_MS = 2000;
// navigator.deviceMemory (GB, rounded down to a power of two; Chromium only).
const MIN_DEVICE_MEMORY_GB = 2;

let scheduled = false;

/** The reader asked to save data, or the connection is too slow for large downloads. */
export function savingData(nav = navigator) {
  return Boolean(nav.connection?.saveData) || /(^|-)[23]g$/.test(nav.connection?.effectiveType ?? "");
}

export function worthPrewarming(nav = navigator) {
  if (savingData(nav)) return false;
  if (nav.deviceMemory !== undefined && nav.deviceMemory < MIN_DEVICE_MEMORY_GB) return false;
  return true;
}

/** The page has a calculator, or its article links to a page with one. */
export function nearCalculator() {
  return document.querySelector("form.gs-calculator, article a[data-gs-calculator-link]") !== null;
}

/** Start the tab's engine once the page has settled; once per tab, and only if worth it
 * on this device and from this page (asked again after each in-site navigation). */
export function prewarmEngine() {
  if (scheduled || !worthPrewarming() || !nearCalculator()) return;
  scheduled = true;
  const whenIdle = globalThis.requestIdleCallback ?? ((callback) => setTimeout(callback, 0));
  setTimeout(() => whenIdle(start, { timeout: IDLE_TIMEOUT_MS }), SETTLE_MS);
}

async function start() {
  const { getEngine } = await import("./engine-client.js");
  getEngine();
}
