/*
 * Offline after the first visit: registers the site's service worker (sw.js, written at
 * build time by Workbox) and tells the reader when a newer release has been published.
 *
 * A new release's worker installs in the background and then waits: the open pages keep
 * every file of the release they started with. The reader sees "A newer version of this
 * site is available" and chooses when to reload; only then does the new release take
 * over, so a page never mixes the files of two releases. Other open tabs of the site then
 * show the same notice, and their links load whole pages instead of Material's instant
 * navigation (which would put a new page into the old one's scripts). A release marked
 * urgent on the server takes over without waiting (guidesite/urgent-release.js), which
 * open pages see the same way.
 *
 * An install fails as a whole when any file it copies is not the release's own (each is
 * checked against the hash the worker lists for it), as happens when the server switches
 * releases during the copy: the install is then tried again, which fetches the new
 * release's worker and copies that release whole.
 */
(function () {
  "use strict";
  // Service workers need a secure context (https, or http on localhost / 127.0.0.1).
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  // After `load`: about the time a calculator's engine takes to start on a PC.
  var SETTLE_MS = 2000;
  var IDLE_TIMEOUT_MS = 5000;
  // How often Chromium is asked again to let the new release take over (activateWaiting).
  var ACTIVATE_RETRY_MS = 1000;
  // A failed install is tried again after 1 s, 2 s, 4 s ... (a server switching releases
  // settles at once; one serving a damaged release should not be asked in a tight loop).
  var INSTALL_RETRY_MS = 1000;
  var INSTALL_RETRIES = 5;
  var installRetries = 0;
  var ENGINE_KEY = Symbol.for("guidesite.calculator-engine");
  var container = navigator.serviceWorker;
  var script = /** @type {HTMLScriptElement} */ (document.currentScript).src;
  var root = new URL("../../", script);
  var hadController = Boolean(container.controller);
  var reloadRequested = false;
  /** @type {ServiceWorkerRegistration | null} */
  var registration = null;
  /** @type {HTMLIFrameElement | null} The hidden frame of activateWaiting. */
  var nudgeFrame = null;

  /**
   * The page's calculator engine (assets/engine/engine-client.js), when one was started.
   * @typedef {import("../engine/engine-client.js").TabEngine} Engine
   * @returns {Engine | undefined}
   */
  function pageEngine() {
    return /** @type {Record<symbol, Engine | undefined>} */ (/** @type {unknown} */ (window))[
      ENGINE_KEY
    ];
  }

  function offer() {
    var element = /** @type {HTMLElement | null} */ (
      document.querySelector("[data-guidesite-update]")
    );
    if (element) element.hidden = false;
  }

  /** @param {ServiceWorkerRegistration} found */
  function watch(found) {
    if (found === registration) return;
    var first = registration === null;
    registration = found;
    if (found.waiting && container.controller) offer();
    // A first install may have started before this page heard of the registration.
    if (found.installing) follow(found.installing);
    found.addEventListener("updatefound", function () {
      follow(/** @type {ServiceWorker} */ (found.installing)); // set whenever this fires
    });
    if (first) checkAsTheReaderMovesOn();
  }

  /** @type {WeakSet<ServiceWorker>} */
  var followed = new WeakSet();

  /** @param {ServiceWorker} installing */
  function follow(installing) {
    if (followed.has(installing)) return;
    followed.add(installing);
    var installed = false;
    installing.addEventListener("statechange", function () {
      if (installing.state === "installed") {
        installed = true;
        installRetries = 0;
        // Without a controller this is the first install, not an update.
        if (container.controller) offer();
      } else if (installing.state === "redundant" && !installed) {
        retryInstall();
      }
    });
  }

  // Instant navigation never reloads the page, so the browser's own update check (on
  // each page load) would not run: look for a new release as the reader moves around.
  function checkAsTheReaderMovesOn() {
    var check = function () {
      if (!registration) return;
      registration.update().catch(function () {
        // offline, or the server is down: the cached release keeps working
      });
    };
    if (window.document$) window.document$.subscribe(check);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") check();
    });
  }

  // Registering again also covers a failed first install, which takes its registration
  // with it; an existing registration is then asked to look for its worker again.
  function retryInstall() {
    if (installRetries >= INSTALL_RETRIES) return;
    var delay = INSTALL_RETRY_MS * Math.pow(2, installRetries);
    installRetries += 1;
    setTimeout(function () {
      register(function (found) {
        if (!found.installing && !found.waiting) return found.update();
      });
    }, delay);
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
    offer();
    window.addEventListener("click", loadWholePage, true);
  });

  /** @param {MouseEvent} event */
  function loadWholePage(event) {
    var target = /** @type {Element} */ (event.target);
    var link = /** @type {HTMLAnchorElement | null} */ (
      target.closest && target.closest("a[href]")
    );
    if (!link || link.origin !== location.origin || link.target) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation(); // before Material's instant navigation sees the click
    location.assign(link.href);
  }

  /**
   * Asks the waiting release to take over (Workbox's SKIP_WAITING message); controllerchange
   * then reloads the page. Chromium swaps releases by stopping the old worker as soon as it
   * is idle, and asks only once; a request reaching the old worker while it stops (the
   * page's engine was still fetching its files when Reload was pressed) starts it again,
   * and the swap then waits until it falls idle by itself: 30 s, or never while DevTools
   * is attached. Chromium asks again on each navigation inside the site, so until the new
   * release has taken over, a hidden frame opens a small precached file once a second.
   */
  function activateWaiting() {
    var waiting = registration && registration.waiting;
    if (!waiting) return;
    waiting.postMessage({ type: "SKIP_WAITING" });
    setTimeout(askAgain, ACTIVATE_RETRY_MS);
  }

  function askAgain() {
    if (!(registration && registration.waiting)) return; // taken over
    if (!nudgeFrame) {
      nudgeFrame = document.createElement("iframe");
      nudgeFrame.hidden = true;
      document.body.appendChild(nudgeFrame);
    }
    nudgeFrame.src = new URL("version.json", root).href; // navigates again each time
    setTimeout(askAgain, ACTIVATE_RETRY_MS);
  }

  document.addEventListener("click", function (event) {
    var target = /** @type {Element} */ (event.target);
    if (!target.closest || !target.closest("[data-guidesite-update-reload]")) return;
    if (reloadRequested) return; // already on its way
    if (registration && registration.waiting) {
      reloadRequested = true;
      // The page reloads anyway: its calculator engine stops asking the old release now.
      var engine = pageEngine();
      if (engine && engine.worker) engine.worker.terminate();
      activateWaiting();
    } else {
      location.reload(); // another tab already let the new release take over
    }
  });

  /** @param {(found: ServiceWorkerRegistration) => unknown} [then] */
  function register(then) {
    container
      .register(new URL("sw.js", root).href, { scope: root.pathname, updateViaCache: "none" })
      .then(function (found) {
        watch(found);
        return then && then(found);
      })
      .catch(function (error) {
        console.warn("Offline mode unavailable: the service worker did not register.", error);
      });
  }

  // The first install copies the whole site (about 22 MB, most of it the calculator
  // engine) into the cache: only where prewarm.js would start the engine (not for
  // readers saving data, on slow connections or on devices with little memory, nor on a
  // page that neither has a calculator nor links to one, such as the editorial policy:
  // the next page that does installs it), and only once the page, and a calculator
  // starting on it, have settled, so that the copy neither slows them down nor
  // downloads the engine twice (its files, named by content hash, then come from the
  // browser's HTTP cache).
  function registerWhenSettled() {
    import(new URL("../engine/prewarm.js", script).href).then(function (prewarm) {
      if (!prewarm.worthPrewarming() || !prewarm.nearCalculator()) return;
      var whenIdle =
        window.requestIdleCallback ||
        /** @param {() => void} callback */ function (callback) {
          callback();
        };
      setTimeout(function () {
        whenIdle(
          function () {
            whenEngineStarted(function () {
              register();
            });
          },
          { timeout: IDLE_TIMEOUT_MS }
        );
      }, SETTLE_MS);
    });
  }

  /**
   * A calculator engine still starting (slow phones, busy PCs) needs the CPU more.
   * @param {() => void} callback
   */
  function whenEngineStarted(callback) {
    var engine = pageEngine();
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
