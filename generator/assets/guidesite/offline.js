/*
 * Offline after the first visit: registers the site's service worker (sw.js, written at
 * build time by Workbox) and tells the reader when a newer release has been published.
 *
 * A new release's worker installs in the background and then waits: the open pages keep
 * every file of the release they started with. The reader sees "A newer version of this
 * site is available" and chooses when to reload; only then does the new release take
 * over, so a page never mixes the files of two releases. Other open tabs of the site then
 * show the same notice, and their links load whole pages instead of Material's instant
 * navigation (which would put a new page into the old one's scripts).
 */
(function () {
  "use strict";
  // Service workers need a secure context (https, or http on localhost / 127.0.0.1).
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  // After `load`: about the time a calculator's engine takes to start on a PC.
  var SETTLE_MS = 2000;
  var IDLE_TIMEOUT_MS = 5000;
  var container = navigator.serviceWorker;
  var script = document.currentScript.src;
  var root = new URL("../../", script);
  var hadController = Boolean(container.controller);
  var reloadRequested = false;
  var waiting = null;

  function banner() {
    return document.querySelector("[data-guidesite-update]");
  }

  function offer(worker) {
    waiting = worker;
    var element = banner();
    if (element) element.hidden = false;
  }

  function watch(registration) {
    if (registration.waiting && container.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", function () {
      var installing = registration.installing;
      installing.addEventListener("statechange", function () {
        // Without a controller this is the first install, not an update.
        if (installing.state === "installed" && container.controller) offer(installing);
      });
    });
    // Instant navigation never reloads the page, so the browser's own update check (on
    // each page load) would not run: look for a new release as the reader moves around.
    var check = function () {
      registration.update().catch(function () {
        // offline, or the server is down: the cached release keeps working
      });
    };
    if (window.document$) window.document$.subscribe(check);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") check();
    });
  }

  container.addEventListener("controllerchange", function () {
    if (!hadController) {
      hadController = true; // the first install took over this page: nothing changed
      return;
    }
    if (reloadRequested) {
      location.reload();
      return;
    }
    // Another tab chose to reload: the new release now answers this tab's requests too.
    waiting = null;
    offer(null);
    window.addEventListener("click", loadWholePage, true);
  });

  function loadWholePage(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.origin !== location.origin || link.target) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation(); // before Material's instant navigation sees the click
    location.assign(link.href);
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-guidesite-update-reload]")) return;
    if (waiting) {
      reloadRequested = true;
      // The new release takes over only once the old one has answered every request in
      // flight; the page reloads anyway, so its calculator engine stops asking now.
      var engine = window[Symbol.for("back-pain-pathways.calculator-engine")];
      if (engine && engine.worker) engine.worker.terminate();
      waiting.postMessage({ type: "SKIP_WAITING" }); // then controllerchange reloads
    } else {
      location.reload();
    }
  });

  function register() {
    container
      .register(new URL("sw.js", root).href, { scope: root.pathname, updateViaCache: "none" })
      .then(watch)
      .catch(function (error) {
        console.warn("Offline mode unavailable: the service worker did not register.", error);
      });
  }

  // The first install copies the whole site (about 28 MB, 20 of them the calculator
  // engine) into the cache: not for readers saving data or on devices with little
  // memory (the rule prewarm.js applies to the engine), and only once the page, and a calculator starting on it, have settled,
  // so that the copy neither slows them down nor downloads the engine twice (its files,
  // named by content hash, then come from the browser's HTTP cache).
  function registerWhenSettled() {
    import(new URL("../engine/prewarm.js", script).href).then(function (prewarm) {
      if (!prewarm.worthPrewarming()) return;
      var whenIdle = window.requestIdleCallback || function (callback) { callback(); };
      setTimeout(function () {
        whenIdle(
          function () {
            whenEngineStarted(register);
          },
          { timeout: IDLE_TIMEOUT_MS }
        );
      }, SETTLE_MS);
    });
  }

  // A calculator engine still starting (slow phones, busy PCs) needs the CPU more.
  function whenEngineStarted(callback) {
    var engine = window[Symbol.for("back-pain-pathways.calculator-engine")];
    if (!engine || engine.status.state !== "loading") {
      callback();
      return;
    }
    var unsubscribe = engine.onStatus(function (status) {
      if (status.state === "loading") return;
      unsubscribe();
      callback();
    });
  }

  if (hadController) {
    register(); // installed before: this only looks for a newer release
  } else if (document.readyState === "complete") {
    registerWhenSettled();
  } else {
    window.addEventListener("load", registerWhenSettled);
  }
})();
