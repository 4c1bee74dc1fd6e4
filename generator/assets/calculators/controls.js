/**
 * Reading and writing a calculator form's controls, driven by the field spec alone.
 * Control names are the dotted input paths `run()` reports errors at (`items.3`,
 * `medications.0.drug`); records rows are renumbered after every change.
 */

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)$/;

function control(form, path) {
  return form.elements.namedItem(path);
}

function readField(form, field, path) {
  switch (field.type) {
    case "integer":
    case "number": {
      const raw = (control(form, path)?.value ?? "").trim();
      if (raw === "") return undefined;
      // Anything that is not a plain number goes to Python as typed, so its message applies.
      return NUMBER_RE.test(raw) ? Number(raw) : raw;
    }
    case "boolean":
      return Boolean(control(form, path)?.checked);
    case "choice": {
      const value = control(form, path)?.value ?? "";
      return value === "" ? undefined : value;
    }
    case "multi_choice":
      return [...form.querySelectorAll(`input[name="${CSS.escape(path)}"]:checked`)].map(
        (box) => box.value,
      );
    case "tuple":
      return field.items.map((item, index) => readField(form, item, `${path}.${index}`) ?? null);
    case "records":
      return rows(form, path).map((_, index) => readObject(form, field.fields, `${path}.${index}.`));
    default:
      return undefined;
  }
}

export function readObject(form, fields, prefix) {
  const values = {};
  for (const field of fields) {
    const value = readField(form, field, prefix + field.name);
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}

function writeField(form, field, path, value) {
  switch (field.type) {
    case "integer":
    case "number":
      control(form, path).value = value ?? "";
      break;
    case "boolean":
      control(form, path).checked = Boolean(value);
      break;
    case "choice": {
      const target = control(form, path);
      // A radio group without a "Not answered" choice cannot be cleared through `.value`.
      if (target instanceof RadioNodeList) {
        for (const radio of target) radio.checked = radio.value === (value ?? "");
      } else {
        target.value = value ?? "";
      }
      break;
    }
    case "multi_choice":
      for (const box of form.querySelectorAll(`input[name="${CSS.escape(path)}"]`)) {
        box.checked = Array.isArray(value) && value.includes(box.value);
      }
      break;
    case "tuple":
      field.items.forEach((item, index) =>
        writeField(form, item, `${path}.${index}`, Array.isArray(value) ? value[index] : null),
      );
      break;
    case "records": {
      const list = Array.isArray(value) ? value : [];
      const group = recordsGroup(form, path);
      setRowCount(group, Math.max(list.length, Number(group.dataset.minItems) || 1));
      rows(form, path).forEach((_, index) => {
        for (const sub of field.fields) {
          writeField(form, sub, `${path}.${index}.${sub.name}`, list[index]?.[sub.name] ?? sub.default);
        }
      });
      break;
    }
  }
}

export function writeAll(form, spec, values) {
  for (const field of spec.inputs) {
    writeField(form, field, field.name, values[field.name] ?? field.default);
  }
}

/* ---------- records (rows the reader can add and remove) ---------- */

function recordsGroup(form, path) {
  return form.querySelector(`[data-records="${CSS.escape(path)}"]`);
}

function rows(form, path) {
  const group = recordsGroup(form, path);
  return group ? [...group.querySelector("[data-record-rows]").children] : [];
}

// Row positions live in ids, names and label targets; rewrite them after any change.
export function renumber(group) {
  const path = group.dataset.records;
  const position = new RegExp(`${path.replace(/[.]/g, "\\.")}\\.(\\d+|__index__)\\.`, "g");
  const rowList = [...group.querySelector("[data-record-rows]").children];
  rowList.forEach((row, index) => {
    for (const element of row.querySelectorAll("*")) {
      for (const name of ["id", "name", "for", "aria-describedby", "data-error-for"]) {
        const old = element.getAttribute(name);
        if (old) element.setAttribute(name, old.replace(position, `${path}.${index}.`));
      }
    }
    for (const element of row.querySelectorAll("legend, [data-remove-row]")) {
      element.textContent = element.textContent.replace(/(\d+|__number__)$/, String(index + 1));
    }
  });
  const min = Number(group.dataset.minItems) || 1;
  const max = Number(group.dataset.maxItems) || Infinity;
  for (const button of group.querySelectorAll("[data-remove-row]")) {
    button.disabled = rowList.length <= min;
  }
  group.querySelector("[data-add-row]").disabled = rowList.length >= max;
}

export function addRow(group) {
  const template = group.querySelector("template[data-record-template]");
  const row = template.content.firstElementChild.cloneNode(true);
  group.querySelector("[data-record-rows]").append(row);
  renumber(group);
  return row;
}

function setRowCount(group, count) {
  const container = group.querySelector("[data-record-rows]");
  while (container.children.length > count) container.lastElementChild.remove();
  while (container.children.length < count) addRow(group);
  renumber(group);
}
