/**
 * Inputs from a shared link, checked before any of them reaches the form.
 *
 * The `#formid=<json>` part of a link is whatever someone pasted, shortened or mangled. Each
 * value is checked against its field's declaration, the FIELD JSON of `spec()["inputs"]`
 * that guidesite/kit/fields.py writes and the page embeds: the types, ranges, choices and
 * list lengths Python validates with. A value that does not fit is left out with a notice
 * for its field, which then starts from its default. The checks walk the declaration, not
 * the value: a list is measured before it is read, nothing is converted to text, and only
 * plain numbers, strings and booleans are kept, so no nesting depth, list length or object
 * in a link can stall or break the form's start.
 *
 * Python still checks whatever the form sends (required fields, rules across fields); this
 * only keeps out what the form could not show as it was given.
 *
 * @typedef {import("./controls.js").Field} Field
 * @typedef {import("./controls.js").Values} Values
 * @typedef {{field: string | null, message: string}} Notice
 *   `field`: the dotted path the value was found at, or null for the link as a whole
 */

import { NUMBER_RE } from "./controls.js";

export const UNREADABLE =
  "The calculator inputs in this link could not be read, so the form shows this page's own.";

/** @param {unknown} raw */
function isObject(raw) {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw);
}

/** @param {string} text */
function quoted(text) {
  return `“${text.length <= 40 ? text : `${text.slice(0, 39)}…`}”`;
}

/**
 * The rejected value in a few words; only plain values are quoted.
 * @param {unknown} raw
 */
function describe(raw) {
  if (typeof raw === "string") return quoted(raw);
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  if (raw === null) return "an empty value";
  if (Array.isArray(raw)) return raw.length === 1 ? "a list of 1 entry" : `a list of ${raw.length} entries`;
  return "a group of values";
}

/** @param {Field} field */
function startsAs(field) {
  const empty =
    field.default === null ||
    field.default === undefined ||
    (Array.isArray(field.default) && field.default.length === 0);
  return empty ? "so it starts empty" : "so it starts from its default";
}

/** @param {Field} field */
function choiceValues(field) {
  return (field.choices ?? []).map((choice) => choice.value);
}

/**
 * True for a number in the field's range that its text box shows as typed (1e-7 is in
 * range, but its box would show "1e-7", which the form reads back as text).
 * @param {Field} field
 * @param {unknown} raw
 */
function isNumberFor(field, raw) {
  return (
    typeof raw === "number" &&
    NUMBER_RE.test(String(raw)) &&
    (field.type === "number" || Number.isInteger(raw)) &&
    (field.min ?? -Infinity) <= raw &&
    raw <= (field.max ?? Infinity)
  );
}

/**
 * The value the form takes for `field`, or undefined (with a notice) if `raw` does not fit.
 * @param {Field} field
 * @param {unknown} raw
 * @param {string} path
 * @param {Notice[]} notices
 * @returns {unknown}
 */
function checkValue(field, raw, path, notices) {
  // Empty where the field may be, or starts, empty: the form shows it as it was meant.
  if (raw === null && (field.nullable || field.default === null)) return null;
  switch (field.type) {
    case "integer":
    case "number":
      if (isNumberFor(field, raw)) return raw;
      break;
    case "boolean":
      if (typeof raw === "boolean") return raw;
      break;
    case "choice":
      if (typeof raw === "string" && choiceValues(field).includes(raw)) return raw;
      break;
    case "multi_choice": {
      const allowed = choiceValues(field);
      if (
        Array.isArray(raw) &&
        raw.length <= allowed.length &&
        raw.every((entry) => typeof entry === "string" && allowed.includes(entry)) &&
        new Set(raw).size === raw.length
      ) {
        return [...raw];
      }
      break;
    }
    case "tuple": {
      const items = field.items ?? [];
      if (Array.isArray(raw) && raw.length === items.length) {
        return items.map(
          (item, index) => checkValue(item, raw[index], `${path}.${index}`, notices) ?? item.default ?? null,
        );
      }
      break;
    }
    case "records": {
      const min = field.min_items ?? 0;
      const max = field.max_items ?? Infinity;
      if (Array.isArray(raw) && (raw.length < min || raw.length > max)) {
        notices.push({
          field: path,
          message:
            `Not taken from the link: it lists ${raw.length} entries and this list takes ` +
            `${min} to ${max}, ${startsAs(field)}.`,
        });
        return undefined;
      }
      if (Array.isArray(raw)) return raw.map((row, index) => checkRow(field, row, `${path}.${index}`, notices));
      break;
    }
  }
  notices.push({
    field: path,
    message: `Not taken from the link: it held ${describe(raw)}, which this field does not take, ${startsAs(field)}.`,
  });
  return undefined;
}

/**
 * One entry of a records field: an object of its declared fields (an unreadable entry
 * starts empty).
 * @param {Field} field
 * @param {unknown} raw
 * @param {string} path
 * @param {Notice[]} notices
 */
function checkRow(field, raw, path, notices) {
  const number = Number(path.slice(path.lastIndexOf(".") + 1)) + 1;
  if (!isObject(raw)) {
    notices.push({ field: path, message: `Not taken from the link: entry ${number} could not be read, so it starts empty.` });
    return {};
  }
  const row = /** @type {Values} */ (raw);
  const unknown = unknownNames(field.fields ?? [], row);
  if (unknown) {
    notices.push({ field: path, message: `Not taken from the link: entry ${number} had ${unknown}, which this list does not take.` });
  }
  return checkObject(field.fields ?? [], row, `${path}.`, notices);
}

/**
 * @param {Field[]} fields
 * @param {Values} raw
 * @param {string} prefix
 * @param {Notice[]} notices
 */
function checkObject(fields, raw, prefix, notices) {
  /** @type {Values} */
  const values = {};
  for (const field of fields) {
    // Own keys only: "__proto__" or "constructor" in a link are not fields.
    if (!Object.hasOwn(raw, field.name)) continue;
    const value = checkValue(field, raw[field.name], prefix + field.name, notices);
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}

/**
 * The keys of `raw` that no field declares, quoted and listed (a few at most), or "".
 * @param {Field[]} fields
 * @param {Values} raw
 */
function unknownNames(fields, raw) {
  const declared = new Set(fields.map((field) => field.name));
  const unknown = Object.keys(raw).filter((key) => !declared.has(key));
  const shown = unknown.slice(0, 5).map(quoted).join(", ");
  return unknown.length > 5 ? `${shown} and ${unknown.length - 5} more` : shown;
}

/**
 * The inputs a link holds for a form with these fields, as the form can show them (null if
 * the link holds no set of inputs at all), and a notice for everything left out.
 * @param {Field[]} fields
 * @param {unknown} raw  the link's parsed JSON (undefined if it was not JSON)
 * @returns {{values: Values | null, notices: Notice[]}}
 */
export function checkLinked(fields, raw) {
  if (!isObject(raw)) return { values: null, notices: [{ field: null, message: UNREADABLE }] };
  const given = /** @type {Values} */ (raw);
  /** @type {Notice[]} */
  const notices = [];
  const values = checkObject(fields, given, "", notices);
  const unknown = unknownNames(fields, given);
  if (unknown) {
    notices.push({ field: null, message: `Not taken from the link: ${unknown}, which this calculator does not have.` });
  }
  return { values, notices };
}
