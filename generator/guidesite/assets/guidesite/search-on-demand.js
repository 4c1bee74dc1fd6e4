// guidesite: Material's search worker starts when the reader first goes to the
// search box, not on every page load. Building the search index takes a few hundred
// milliseconds of CPU, which otherwise competes with the calculator engine's start on a
// two-core PC or a phone. Loaded from <head> (partials/javascripts/base.html), before
// Material's bundle creates the worker; every other worker is created as usual.
(function () {
  "use strict";
  const NativeWorker = window.Worker;
  if (typeof NativeWorker !== "function" || typeof EventTarget !== "function") return;

  /** @param {string | URL} url */
  function isSearchWorker(url) {
    return /\/workers\/search\.[^/]*\.js$/.test(new URL(String(url), location.href).pathname);
  }

  // Stands in for the search worker until the reader focuses the search box, keeping
  // Material's messages for it and passing its answers back.
  class SearchWorkerOnDemand extends EventTarget {
    /**
     * @param {string | URL} url
     * @param {WorkerOptions} [options]
     */
    constructor(url, options) {
      super();
      /** @type {unknown[] | null} Material's messages until the worker starts */
      this.pending = [];
      /** @type {Worker | null} */
      this.worker = null;
      /** @param {FocusEvent} event */
      const start = (event) => {
        const target = /** @type {Element} */ (event.target);
        if (!target.closest || !target.closest(".md-search")) return;
        document.removeEventListener("focusin", start, true);
        this.start(url, options);
      };
      document.addEventListener("focusin", start, true);
    }

    /**
     * @param {string | URL} url
     * @param {WorkerOptions} [options]
     */
    start(url, options) {
      const worker = new NativeWorker(url, options);
      this.worker = worker;
      for (const type of ["message", "messageerror", "error"]) {
        worker.addEventListener(type, (event) => {
          // A dedicated worker's messages carry only data.
          const copy =
            type === "error"
              ? new Event("error")
              : new MessageEvent(type, { data: /** @type {MessageEvent} */ (event).data });
          this.dispatchEvent(copy);
        });
      }
      for (const message of this.pending ?? []) worker.postMessage(message);
      this.pending = null;
    }

    /** @param {unknown} message */
    postMessage(message) {
      if (this.worker) this.worker.postMessage(message);
      else this.pending?.push(message);
    }

    terminate() {
      if (this.worker) this.worker.terminate();
    }
  }

  // `new Worker(...)` returns the object this function returns.
  window.Worker = /** @type {typeof NativeWorker} */ (
    /** @type {unknown} */ (
      /**
       * @param {string | URL} url
       * @param {WorkerOptions} [options]
       */
      function Worker(url, options) {
        return isSearchWorker(url)
          ? new SearchWorkerOnDemand(url, options)
          : new NativeWorker(url, options);
      }
    )
  );
  window.Worker.prototype = NativeWorker.prototype;
})();
