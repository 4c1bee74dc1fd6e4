/*
 * Classic (non-module) script: browsers do not run module scripts for pages opened from
 * file://, so the calculators cannot start there. This says so in each calculator's
 * status line instead of leaving "Loading…" forever.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var message =
    "The calculators do not run when this site is opened as a file (an address starting " +
    "with file://), because browsers block the scripts they need. Open the site from its " +
    "web server, or run `guidesite serve` and open the address it prints. The guidance " +
    "on this page does not depend on the calculator.";
  function show() {
    var elements = document.querySelectorAll("[data-engine-status]");
    for (var i = 0; i < elements.length; i++) {
      elements[i].textContent = message;
      elements[i].setAttribute("data-engine-state", "error");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
