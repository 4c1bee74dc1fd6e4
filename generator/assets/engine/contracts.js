/**
 * Shapes the browser modules share, written once: the engine's error envelope (the same
 * `{ok: false, errors}` that `calculators.run` returns) and the id of a form field, which
 * templates/calculator/fields.html writes as `{form id}--{dotted input path}`.
 */

/**
 * An answer carrying one error about no particular field, as `run()` gives for a bad name.
 * @param {string} message
 */
export function engineError(message) {
  return { ok: false, errors: [{ field: null, message }] };
}

/**
 * The id of the control (or group) for input `path` in form `formId`.
 * @param {string} formId
 * @param {string} path
 */
export function fieldId(formId, path) {
  return `${formId}--${path}`;
}
