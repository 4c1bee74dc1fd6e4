// guidesite: Material's search starts when the reader first goes to the search box, not
// on every page load: its worker, and the download of its index (search_index.json, over
// 100 KB), which Material's bundle otherwise asks for at start-up. Building the index takes
// a few hundred milliseconds of CPU and its download competes with the page's own files
// and the calculator engine's on a slow connection, on a two-core PC or a phone. Loaded
// just before Material's bundle (main.html, block scripts); every other worker and
// request is made as usual.
(function () {
  "use strict";
  const NativeWorker = window.Worker;
  if (typeof NativeWorker !== "function" || typeof EventTarget !== "function") return;

  /** @type {(() => void)[] | null} what waits for the search box; null once it was used */
  let waiting = [];
  /** @param {() => void} callback run when the reader first goes to the search box */
  function whenSearchWanted(callback) {
    if (waiting) waiting.push(callback);
    else callback();
  }
  /** @param {FocusEvent} event */
  function searchWanted(event) {
    const target = /** @type {Element} */ (event.target);
    if (!target.closest || !target.closest(".md-search")) return;
    document.removeEventListener("focusin", searchWanted, true);
    const callbacks = waiting ?? [];
    waiting = null;
    for (const callback of callbacks) callback();
  }
  document.addEventListener("focusin", searchWanted, true);

  /** @param {string | URL} url */
  function isSearchIndex(url) {
    return /\/search\/search_index\.json$/.test(new URL(String(url), location.href).pathname);
  }

  // Material asks for the index with XMLHttpRequest; its request is sent once the reader
  // goes to the search box (Material waits for the answer as it would for a slow network).
  const deferredRequests = new WeakSet();
  const nativeOpen = XMLHttpRequest.prototype.open;
  const nativeSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = /** @type {typeof nativeOpen} */ (
    /**
     * @this {XMLHttpRequest}
     * @param {string} method
     * @param {string | URL} url
     * @param {unknown[]} rest
     */
    function (method, url, ...rest) {
      if (method.toUpperCase() === "GET" && isSearchIndex(url)) deferredRequests.add(this);
      else deferredRequests.delete(this);
      return Reflect.apply(nativeOpen, this, [method, url, ...rest]);
    }
  );
  XMLHttpRequest.prototype.send = function (body) {
    if (!deferredRequests.has(this)) return nativeSend.call(this, body);
    whenSearchWanted(() => nativeSend.call(this, body));
  };

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
      whenSearchWanted(() => this.start(url, options));
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
