// Back Pain Pathways: Material's search worker starts when the reader first goes to the
// search box, not on every page load. Building the search index takes a few hundred
// milliseconds of CPU, which otherwise competes with the calculator engine's start on a
// two-core PC or a phone. Loaded from <head> (partials/javascripts/base.html), before
// Material's bundle creates the worker; every other worker is created as usual.
(function () {
  "use strict";
  const NativeWorker = window.Worker;
  if (typeof NativeWorker !== "function" || typeof EventTarget !== "function") return;

  function isSearchWorker(url) {
    return /\/workers\/search\.[^/]*\.js$/.test(new URL(String(url), location.href).pathname);
  }

  // Stands in for the search worker until the reader focuses the search box, keeping
  // Material's messages for it and passing its answers back.
  class SearchWorkerOnDemand extends EventTarget {
    constructor(url, options) {
      super();
      this.pending = [];
      this.worker = null;
      const start = (event) => {
        if (!event.target.closest || !event.target.closest(".md-search")) return;
        document.removeEventListener("focusin", start, true);
        this.start(url, options);
      };
      document.addEventListener("focusin", start, true);
    }

    start(url, options) {
      this.worker = new NativeWorker(url, options);
      for (const type of ["message", "messageerror", "error"]) {
        this.worker.addEventListener(type, (event) => {
          const copy = type === "error" ? new Event("error") : new MessageEvent(type, event);
          this.dispatchEvent(copy);
        });
      }
      for (const message of this.pending) this.worker.postMessage(message);
      this.pending = null;
    }

    postMessage(message) {
      if (this.worker) this.worker.postMessage(message);
      else this.pending.push(message);
    }

    terminate() {
      if (this.worker) this.worker.terminate();
    }
  }

  window.Worker = function Worker(url, options) {
    return isSearchWorker(url)
      ? new SearchWorkerOnDemand(url, options)
      : new NativeWorker(url, options);
  };
  window.Worker.prototype = NativeWorker.prototype;
})();
