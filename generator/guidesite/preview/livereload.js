// `guidesite serve` only (never in a built site): reload the page once the preview server
// has finished a newer build of the site (a failed one too: its banner lists the mistakes).
// A file, not an inline script, so the page's Content-Security-Policy (script-src 'self')
// allows it.
(function () {
  "use strict";
  // Always set: this file runs as a classic script.
  var script = /** @type {HTMLScriptElement} */ (document.currentScript);
  var build = Number(script.dataset.build);
  // The server answers with the latest build's number once it is newer, or after a minute.
  var url = new URL("poll/" + build, script.src).href;
  /** @type {XMLHttpRequest | null} */
  var request = null;
  /** @type {number | null} */
  var timer = null;

  function poll() {
    stop();
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (Number(this.responseText) > build) {
        location.reload();
      } else {
        // An answer with nothing new comes after a minute; an error waits a little.
        timer = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", url);
    request.send();
  }

  function stop() {
    if (request) {
      request.onloadend = null;
      request.abort();
    }
    clearTimeout(timer ?? undefined);
    request = timer = null;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      stop();
    }
  });
  window.addEventListener("pagehide", stop);
  if (document.visibilityState === "visible") {
    poll();
  }
})();
