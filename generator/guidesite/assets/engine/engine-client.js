/**
 * Calculator engine client: the main-thread side of the in-browser calculator engine.
 *
 * One engine per browser tab. It lives in a module Web Worker running Pyodide and the
 * `calculators` package, and it survives Material's instant navigation (the document is
 * never unloaded, and the engine is kept on `globalThis`), so moving between calculator
 * pages never starts it twice. Nothing here runs until the forms runtime asks for it: at
 * once on a calculator page, and on other pages only after their `load` event (see
 * prewarm.js), so no engine byte is on any other page's critical path.
 *
 * API (the forms runtime codes against this and nothing else):
 *
 *   import { getEngine } from "<site>/assets/engine/engine-client.js";
 *
 *   const engine = getEngine();
 *     Returns the tab's engine, starting it on the first call. Each call also writes the
 *     current status into every `[data-engine-status]` element now in the document (as
 *     does every page change under Material's instant navigation).
 *
 *   engine.status -> { state, message, mode, startupMs, timeline }
 *     state: "loading" | "ready" | "error"
 *     message: a sentence for the reader ("Loading calculator engine…", ...)
 *     mode: "snapshot" | "wheel" | null  (how the engine started, once ready)
 *     startupMs: milliseconds from start to ready, or null
 *     timeline: what the start spent its time on, [[what, epoch ms], ...] in order, once
 *       ready (epoch ms: `performance.timeOrigin + performance.now()`), or null
 *
 *   engine.onStatus(callback) -> unsubscribe()
 *     Calls `callback(status)` on every later change (the offline copy waits for a
 *     starting engine this way, guidesite/offline.js).
 *
 *   engine.run(name, inputs) -> Promise<{ ok: true, result } | { ok: false, errors }>
 *     Exactly `calculators.run(name, inputs)` as computed by Python. Never rejects: if
 *     the engine cannot run, it resolves to `{ ok: false, errors: [{ field: null,
 *     message }] }` with the engine's error message. Calls made while the engine is
 *     loading wait for it.
 *
 *   engine.view(name, inputs) -> Promise<view>
 *     What the page draws for that answer: `guidesite.kit.presentation.present()` as
 *     computed by Python, with the same error envelope when the engine cannot run.
 *
 * Status element hook: the forms template places `<p class="gs-engine-status"
 * data-engine-status role="status">` inside each calculator form; this module writes its
 * text and sets `data-engine-state` on it to the state above (for styling). When the site
 * is opened from file://, module scripts never run, so the classic script
 * `file-guard.js` writes the explanation into the same elements instead.
 *
 * @typedef {import("./worker.js").WorkerMessage} WorkerMessage
 * @typedef {import("./worker.js").Timeline} Timeline
 * @typedef {import("../calculators/results.js").View} View
 * @typedef {import("../calculators/calculator-form.js").Failure} Failure  the error envelope
 * @typedef {{ok: true, result: Record<string, unknown>} | Failure} RunAnswer
 * @typedef {{
 *   state: "loading" | "ready" | "error",
 *   message: string,
 *   mode: "snapshot" | "wheel" | null,
 *   startupMs: number | null,
 *   timeline: Timeline | null,
 * }} EngineStatus
 * @typedef {typeof globalThis & {[ENGINE_KEY]?: Engine}} Tab  the tab's global object
 * @typedef {Engine} TabEngine  the tab's engine, as other scripts find it under ENGINE_KEY
 */

import { engineError } from "./contracts.js";

const ENGINE_KEY = Symbol.for("guidesite.calculator-engine");

// A cold start takes 1-3 s on an ordinary PC; past this the reader is told something is wrong
// (a later success still switches the status to ready).
const START_TIMEOUT_MS = 8000;

const MESSAGES = {
  loading: "Loading calculator engine…",
  ready: "Calculator engine ready.",
  timeout:
    "The calculator engine did not start within 8 seconds. Reload the page to try again; " +
    "if it keeps failing, tell the site's administrator. The guidance on this page does " +
    "not depend on the calculator.",
  workerFailed:
    "The calculator engine could not start: its worker script did not load. Tell the " +
    "site's administrator. The guidance on this page does not depend on the calculator.",
  noWorkers:
    "The calculator engine needs a browser that supports module Web Workers. The " +
    "guidance on this page does not depend on the calculator.",
};

class Engine {
  constructor() {
    /** @type {EngineStatus} */
    this.status = {
      state: "loading",
      message: MESSAGES.loading,
      mode: null,
      startupMs: null,
      timeline: null,
    };
    /** @type {Set<(status: EngineStatus) => void>} */
    this.listeners = new Set();
    /** @type {Map<number, (response: unknown) => void>} callbacks of the unanswered asks */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {Worker | null} */
    this.worker = null;
    // Material's instant navigation swaps the page body without unloading the document:
    // show the status in the new page's status elements too.
    globalThis.document$?.subscribe(() => renderStatus(this.status));
    this.start();
  }

  start() {
    if (typeof Worker === "undefined") {
      this.setStatus({ state: "error", message: MESSAGES.noWorkers });
      return;
    }
    const timer = setTimeout(() => {
      if (this.status.state === "loading") {
        this.setStatus({ state: "error", message: MESSAGES.timeout });
      }
    }, START_TIMEOUT_MS);
    try {
      this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    } catch {
      clearTimeout(timer);
      this.setStatus({ state: "error", message: MESSAGES.noWorkers });
      return;
    }
    this.worker.addEventListener("message", (event) => this.receive(event.data, timer));
    // Fires when the worker script itself cannot be fetched or parsed.
    this.worker.addEventListener("error", () => {
      clearTimeout(timer);
      this.fail(MESSAGES.workerFailed);
    });
  }

  /**
   * @param {WorkerMessage} message
   * @param {number} timer  the start's timeout
   */
  receive(message, timer) {
    if (message.type === "status") {
      clearTimeout(timer);
      if (message.state === "error") {
        this.fail(message.message);
        return;
      }
      this.setStatus({
        state: message.state,
        message: MESSAGES[message.state],
        mode: message.mode ?? null,
        startupMs: message.startupMs ?? null,
        timeline: message.timeline ?? null,
      });
    } else if (message.type === "result") {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.response);
    }
  }

  /** @param {string} text */
  fail(text) {
    this.setStatus({ state: "error", message: text, mode: null, startupMs: null });
    for (const resolve of this.pending.values()) resolve(engineError(text));
    this.pending.clear();
  }

  /** @param {Partial<EngineStatus>} change */
  setStatus(change) {
    this.status = { ...this.status, ...change };
    renderStatus(this.status);
    for (const listener of this.listeners) listener(this.status);
  }

  /**
   * @param {(status: EngineStatus) => void} callback
   * @returns {() => void} unsubscribe
   */
  onStatus(callback) {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  /**
   * @param {string} name
   * @param {unknown} inputs  as the form read them (Python checks them)
   * @returns {Promise<RunAnswer>}
   */
  run(name, inputs) {
    // The worker answers "run" with calculators.run's answer, or the error envelope.
    return /** @type {Promise<RunAnswer>} */ (this.ask("run", name, inputs));
  }

  /**
   * @param {string} name
   * @param {unknown} inputs  as the form read them (Python checks them)
   * @returns {Promise<View | Failure>}
   */
  view(name, inputs) {
    // The worker answers "view" with the presentation view, or the error envelope.
    return /** @type {Promise<View | Failure>} */ (this.ask("view", name, inputs));
  }

  /**
   * @param {"run" | "view"} type
   * @param {string} name
   * @param {unknown} inputs
   * @returns {Promise<unknown>}
   */
  ask(type, name, inputs) {
    // After a timeout the worker may still come up, so only a hard failure answers at once.
    if (this.status.state === "error" && this.status.message !== MESSAGES.timeout) {
      return Promise.resolve(engineError(this.status.message));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      // Not a hard error, so `start` made the worker.
      /** @type {Worker} */ (this.worker).postMessage(
        /** @satisfies {import("./worker.js").EngineRequest} */ ({ type, id, name, inputs }),
      );
    });
  }
}

/** @param {EngineStatus} status */
function renderStatus(status) {
  for (const element of document.querySelectorAll("[data-engine-status]")) {
    element.textContent = status.message;
    // The status elements are <p>s (the forms template).
    /** @type {HTMLElement} */ (element).dataset.engineState = status.state;
  }
}

/** @returns {Engine} */
export function getEngine() {
  /** @type {Tab} */ (globalThis)[ENGINE_KEY] ??= new Engine();
  const engine = /** @type {Engine} */ (/** @type {Tab} */ (globalThis)[ENGINE_KEY]); // set above
  renderStatus(engine.status);
  return engine;
}
