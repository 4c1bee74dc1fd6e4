/*
 * Imported by the service worker (sw.js, `importScripts`). A release switched to with
 * `guidesite deploy --urgent` (or `rollback --urgent`) is marked by `urgent.json` at the
 * site root, which the server configs publish from outside the release folders. A worker
 * that finds the marker while installing takes over as soon as it has copied and checked
 * the whole release, instead of waiting for the reader to press Reload: new pages then
 * come from it at once. Open pages are not reloaded under the reader (a half-filled
 * calculator would be lost); guidesite/offline.js sees the new worker take over, shows
 * the Reload notice and loads every link as a whole page of the new release.
 */
(function () {
  "use strict";
  // The service worker's global scope; this file is type-checked with the page's types.
  var worker = /** @type {any} */ (self);
  worker.addEventListener(
    "install",
    /** @param {any} event */ function (event) {
      var marker = new URL("urgent.json", worker.registration.scope).href;
      event.waitUntil(
        fetch(marker, { cache: "no-store" })
          .then(function (response) {
            if (response.ok) return worker.skipWaiting();
          })
          .catch(function () {
            // Offline or refused: the release waits for the reader, as usual.
          })
      );
    }
  );
})();
