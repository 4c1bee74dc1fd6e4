/**
 * Reading and writing a calculator form's controls, driven by the field spec alone.
 * Control names are the dotted input paths `run()` reports errors at (`items.3`,
 * `medications.0.drug`); records rows are renumbered after every change.
 *
 * @typedef {object} Field  One input of `spec()["inputs"]` (declared in calculators/).
 * @property {string} name
 * @property {string} type
 * @property {unknown} [default]
 * @property {boolean} [nullable]
 * @property {number | null} [min]  a number's range
 * @property {number | null} [max]
 * @property {{value: string, label: string}[] | null} [choices]
 * @property {Field[] | null} [items]  a tuple's members
 * @property {Field[] | null} [fields]  a records row's fields
 * @property {number | null} [min_items]  how many rows a records field takes
 * @property {number | null} [max_items]
 *
 * @typedef {{[name: string]: unknown}} Values  Inputs by field name, as `run()` takes them.
 */

// The numbers a text box passes on as numbers; anything else goes to Python as typed.
export const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/**
 * The control named `path`: an input or select, or a group of radio buttons.
 * @param {HTMLFormElement} form
 * @param {string} path
 */
function control(form, path) {
  return /** @type {HTMLInputElement | HTMLSelectElement | RadioNodeList | null} */ (
    form.elements.namedItem(path)
  );
}

/**
 * The inputs named `path` (a group of checkboxes) that match `state` (a pseudo-class or "").
 * @param {HTMLFormElement} form
 * @param {string} path
 * @param {string} state
 * @returns {NodeListOf<HTMLInputElement>}
 */
function inputsNamed(form, path, state) {
  return form.querySelectorAll(`input[name="${CSS.escape(path)}"]${state}`);
}

/**
 * A checkbox by name.
 * @param {HTMLFormElement} form
 * @param {string} path
 */
function checkbox(form, path) {
  return /** @type {HTMLInputElement | null} */ (form.elements.namedItem(path));
}

/**
 * How one field type's control is read into a value and written from one.
 * @typedef {object} Control
 * @property {(form: HTMLFormElement, field: Field, path: string) => unknown} read
 *   undefined when nothing is entered, so the input is left out of what Python receives
 * @property {(form: HTMLFormElement, field: Field, path: string, value: any) => void} write
 *   `value` is whatever the URL hash or the spec held; controls take it as text
 */

/** @type {Control} */
const numberBox = {
  read(form, _field, path) {
    const raw = (control(form, path)?.value ?? "").trim();
    if (raw === "") return undefined;
    // Python's message for what was typed applies.
    return NUMBER_RE.test(raw) ? Number(raw) : raw;
  },
  write(form, _field, path, value) {
    /** @type {HTMLInputElement} */ (control(form, path)).value = value ?? "";
  },
};

/**
 * The control of each field type `fields.py` declares, in one place: reading and writing a
 * form both go through it.
 * @type {Record<string, Control>}
 */
const CONTROLS = {
  integer: numberBox,
  number: numberBox,
  boolean: {
    read: (form, _field, path) => Boolean(checkbox(form, path)?.checked),
    write(form, _field, path, value) {
      /** @type {HTMLInputElement} */ (checkbox(form, path)).checked = Boolean(value);
    },
  },
  choice: {
    read(form, _field, path) {
      const value = control(form, path)?.value ?? "";
      return value === "" ? undefined : value;
    },
    write(form, _field, path, value) {
      const target = /** @type {HTMLSelectElement | RadioNodeList} */ (control(form, path));
      // A radio group without a "Not answered" choice cannot be cleared through `.value`.
      if (target instanceof RadioNodeList) {
        for (const radio of /** @type {Iterable<HTMLInputElement>} */ (target)) {
          radio.checked = radio.value === (value ?? "");
        }
      } else {
        target.value = value ?? "";
      }
    },
  },
  multi_choice: {
    read: (form, _field, path) => [...inputsNamed(form, path, ":checked")].map((box) => box.value),
    write(form, _field, path, value) {
      for (const box of inputsNamed(form, path, "")) {
        box.checked = Array.isArray(value) && value.includes(box.value);
      }
    },
  },
  tuple: {
    read: (form, field, path) =>
      (field.items ?? []).map((item, index) => readField(form, item, `${path}.${index}`) ?? null),
    write(form, field, path, value) {
      (field.items ?? []).forEach((item, index) =>
        writeField(form, item, `${path}.${index}`, Array.isArray(value) ? value[index] : null),
      );
    },
  },
  records: {
    read: (form, field, path) =>
      rows(form, path).map((_, index) => readObject(form, field.fields ?? [], `${path}.${index}.`)),
    write(form, field, path, value) {
      const list = Array.isArray(value) ? value : [];
      const group = /** @type {HTMLElement} */ (recordsGroup(form, path));
      setRowCount(group, Math.max(list.length, Number(group.dataset.minItems) || 1));
      rows(form, path).forEach((_, index) => {
        for (const sub of field.fields ?? []) {
          writeField(form, sub, `${path}.${index}.${sub.name}`, list[index]?.[sub.name] ?? sub.default);
        }
      });
    },
  },
};

/**
 * @param {HTMLFormElement} form
 * @param {Field} field
 * @param {string} path
 * @returns {unknown}
 */
function readField(form, field, path) {
  return CONTROLS[field.type]?.read(form, field, path);
}

/**
 * @param {HTMLFormElement} form
 * @param {Field[]} fields
 * @param {string} prefix
 */
export function readObject(form, fields, prefix) {
  /** @type {Values} */
  const values = {};
  for (const field of fields) {
    const value = readField(form, field, prefix + field.name);
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}

/**
 * @param {HTMLFormElement} form
 * @param {Field} field
 * @param {string} path
 * @param {any} value  whatever the URL hash or the spec held; controls take it as text
 */
function writeField(form, field, path, value) {
  CONTROLS[field.type]?.write(form, field, path, value);
}

/**
 * @param {HTMLFormElement} form
 * @param {{inputs: Field[]}} spec
 * @param {Values} values
 */
export function writeAll(form, spec, values) {
  for (const field of spec.inputs) {
    writeField(form, field, field.name, values[field.name] ?? field.default);
  }
}

/* ---------- records (rows the reader can add and remove) ---------- */

/**
 * @param {HTMLFormElement} form
 * @param {string} path
 * @returns {HTMLElement | null}
 */
function recordsGroup(form, path) {
  return form.querySelector(`[data-records="${CSS.escape(path)}"]`);
}

/**
 * @param {HTMLFormElement} form
 * @param {string} path
 */
function rows(form, path) {
  const group = recordsGroup(form, path);
  return group ? [...rowContainer(group).children] : [];
}

/**
 * The element holding a records group's rows (every group has one).
 * @param {HTMLElement} group
 */
function rowContainer(group) {
  return /** @type {HTMLElement} */ (group.querySelector("[data-record-rows]"));
}

// Row positions live in ids, names and label targets; rewrite them after any change.
/** @param {HTMLElement} group */
export function renumber(group) {
  const path = group.dataset.records ?? "";
  const position = new RegExp(`${path.replace(/[.]/g, "\\.")}\\.(\\d+|__index__)\\.`, "g");
  const rowList = [...rowContainer(group).children];
  rowList.forEach((row, index) => {
    for (const element of row.querySelectorAll("*")) {
      for (const name of ["id", "name", "for", "aria-describedby", "data-error-for"]) {
        const old = element.getAttribute(name);
        if (old) element.setAttribute(name, old.replace(position, `${path}.${index}.`));
      }
    }
    for (const element of row.querySelectorAll("legend, [data-remove-row]")) {
      element.textContent = (element.textContent ?? "").replace(/(\d+|__number__)$/, String(index + 1));
    }
  });
  const min = Number(group.dataset.minItems) || 1;
  const max = Number(group.dataset.maxItems) || Infinity;
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (group.querySelectorAll("[data-remove-row]"))) {
    button.disabled = rowList.length <= min;
  }
  /** @type {HTMLButtonElement} */ (group.querySelector("[data-add-row]")).disabled = rowList.length >= max;
}

/**
 * @param {HTMLElement} group
 * @returns {HTMLElement} the new row
 */
export function addRow(group) {
  const template = /** @type {HTMLTemplateElement} */ (group.querySelector("template[data-record-template]"));
  const row = /** @type {HTMLElement} */ (
    /** @type {Element} */ (template.content.firstElementChild).cloneNode(true)
  );
  rowContainer(group).append(row);
  renumber(group);
  return row;
}

/**
 * @param {HTMLElement} group
 * @param {number} count
 */
function setRowCount(group, count) {
  const container = rowContainer(group);
  while (container.children.length > count) container.lastElementChild?.remove();
  while (container.children.length < count) addRow(group);
  renumber(group);
}
