/**
 * Shapes the browser modules share, written once: the engine's error envelope (the same
 * `{ok: false, errors}` that `calculators.run` returns), and the ids and anchors the page's
 * HTML uses, built from the names guidesite/vocabularies.py declares. Those names arrive as
 * data (each calculator's embedded data carries `names`), so Python and the templates stay
 * their only source; tests/browser/test_calculators.py checks both sides give the same ids.
 *
 * @typedef {{citationMarkClass: string, referenceAnchorPrefix: string, fieldIdSeparator: string}} Names
 *   what `vocabularies.browser_names()` returns
 */

/**
 * An answer carrying one error about no particular field, as `run()` gives for a bad name.
 * @param {string} message
 */
export function engineError(message) {
  return { ok: false, errors: [{ field: null, message }] };
}

/**
 * The id of the control (or group) for input `path` in form `formId`, as
 * `vocabularies.field_id` makes it.
 * @param {Names} names
 * @param {string} formId
 * @param {string} path
 */
export function fieldId(names, formId, path) {
  return `${formId}${names.fieldIdSeparator}${path}`;
}

/**
 * The id of bibliography entry `key` in the page's References, as
 * `vocabularies.reference_anchor` makes it.
 * @param {Names} names
 * @param {string} key
 */
export function referenceAnchor(names, key) {
  return `${names.referenceAnchorPrefix}${key}`;
}
