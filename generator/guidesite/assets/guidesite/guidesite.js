// guidesite: the reader's audience preference and the print stamp.
// Loaded as a plain script after Material's bundle; page wiring runs on every `document$`
// emission so it survives instant navigation. No inline scripts or handlers anywhere.
(function () {
  "use strict";

  var STORAGE_KEY = "guidesite.audience";
  // Declared in guidesite/vocabularies.py; main.html writes them into the page's head.
  var audienceList = document.querySelector('meta[name="guidesite:audiences"]');
  var AUDIENCES = audienceList ? (audienceList.getAttribute("content") || "").split(" ") : [];

  function storedAudience() {
    try {
      var value = localStorage.getItem(STORAGE_KEY);
      return value !== null && AUDIENCES.indexOf(value) >= 0 ? value : null;
    } catch (error) {
      return null; // storage disabled: behave as if nothing was chosen
    }
  }

  /** @param {string | null} audience */
  function applyAudience(audience) {
    var root = document.documentElement;
    if (audience) {
      root.setAttribute("data-gs-audience", audience);
    } else {
      root.removeAttribute("data-gs-audience");
    }
    document.querySelectorAll("[data-gs-audience-choice]").forEach(function (button) {
      var chosen = button.getAttribute("data-gs-audience-choice") === audience;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.classList.toggle("md-button--primary", chosen);
    });
  }

  /** @param {Event} event */
  function choose(event) {
    var audience = /** @type {Element} */ (event.currentTarget).getAttribute("data-gs-audience-choice");
    try {
      localStorage.setItem(STORAGE_KEY, /** @type {string} */ (audience));
    } catch (error) {
      // storage disabled: the choice lasts for this page only
    }
    applyAudience(audience);
  }

  // A printout says when and from where it was printed (print.css shows these), so a
  // calculator's printed result carries its date and the address that restores its inputs.
  // Stamped as printing starts, not on load: formatting a date costs a page ~10 ms.
  /** @type {Intl.DateTimeFormatOptions} */
  var PRINT_DATE = { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" };

  function stampForPrint() {
    var printed = new Date().toLocaleString("en-GB", PRINT_DATE);
    document.querySelectorAll(".md-content__inner").forEach(function (article) {
      article.setAttribute("data-gs-printed", printed);
      article.setAttribute("data-gs-address", location.href);
    });
    document.querySelectorAll("form.gs-calculator").forEach(function (form) {
      form.setAttribute("data-gs-printed", printed);
    });
  }
  window.addEventListener("beforeprint", stampForPrint);

  function wirePage() {
    /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".gs-audience-switch")).forEach(function (group) {
      group.hidden = false;
    });
    document.querySelectorAll("[data-gs-audience-choice]").forEach(function (button) {
      button.addEventListener("click", choose);
    });
    applyAudience(storedAudience());
  }

  // Material's search dialog has no accessible name, so screen readers announce a bare
  // "dialog". It lives outside the swapped content, so naming it once is enough.
  var search = document.querySelector(".md-search[role=dialog]");
  if (search) search.setAttribute("aria-label", "Search this site");

  if (typeof document$ !== "undefined") {
    document$.subscribe(wirePage);
  } else {
    document.addEventListener("DOMContentLoaded", wirePage);
  }
})();
