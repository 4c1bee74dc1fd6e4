// guidesite: the storage helpers Material's bundle expects as globals.
// Material defines them in an inline <script>, which the site's Content-Security-Policy
// forbids; this file is loaded in its place, just before the bundle (main.html, block
// scripts), and keeps the same names and call signatures.
(function () {
  "use strict";

  // Always set: this file runs as a classic script.
  var script = /** @type {HTMLScriptElement} */ (document.currentScript);
  // Preferences are stored per site: keys start with the site root's path. This file sits
  // at <root>/assets/guidesite/, unless mkdocs.yml sets `extra.scope` (resolved as Material does).
  window.__md_scope = script.dataset.mdScope
    ? new URL(script.dataset.mdScope, location.href)
    : new URL("../../", script.src);

  // A short numeric fingerprint of a string (Material compares banner texts with it).
  /** @param {string} text */
  window.__md_hash = function (text) {
    var hash = 0;
    for (var character of text) {
      hash = (hash << 5) - hash + character.charCodeAt(0);
    }
    return hash;
  };

  /**
   * @param {string} key
   * @param {Storage} [storage]
   * @param {URL} [scope]
   */
  window.__md_get = function (key, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    return JSON.parse(/** @type {string} */ (storage.getItem(scope.pathname + "." + key)));
  };

  /**
   * @param {string} key
   * @param {unknown} value
   * @param {Storage} [storage]
   * @param {URL} [scope]
   */
  window.__md_set = function (key, value, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    try {
      storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // storage full or disabled: the preference lasts for this page only
    }
  };
})();
