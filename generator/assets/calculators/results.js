/**
 * Result elements (the same shapes and classes as templates/calculator/result.html) and
 * the plain-text summary for a clinical note. Data only ever enters as text nodes.
 */

export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

function humanise(code) {
  return String(code).replace(/[_-]/g, " ");
}

// Same shape as the page's own citations: the page numbered every source this calculator
// can cite (its "Sources" line), so each key's number and title are read from there.
function citeLinks(form, keys) {
  const mark = el("sup", "gs-cite");
  (keys ?? []).forEach((key, index) => {
    // `$=`: Material may have made the page's own links absolute.
    const numbered = form.querySelector(`.bpp-calc-sources a[href$="#ref-${CSS.escape(key)}"]`);
    const link = el("a", null, numbered ? numbered.textContent : key);
    link.href = `#ref-${key}`;
    if (numbered?.title) link.title = numbered.title;
    if (index > 0) mark.append(",");
    mark.append(link);
  });
  return mark;
}

function planItem(form, item) {
  const li = el("li", "bpp-item");
  li.append(el("span", "bpp-item-title", item.title), citeLinks(form, item.refs));
  if (item.why?.length) {
    const why = el("ul", "bpp-why");
    for (const reason of item.why) why.append(el("li", null, reason));
    li.append(why);
  }
  return li;
}

export function renderPlan(form, spec, result) {
  const rules = Object.fromEntries((spec.rules ?? []).map((rule) => [rule.id, rule.when]));
  const box = el("div", "bpp-plan");
  const banner = el("p", `bpp-urgency bpp-urgency--${result.urgency}`);
  const label = humanise(result.urgency);
  // The label is left out when the headline already starts with the urgency.
  if (!result.headline.toLowerCase().startsWith(label.toLowerCase())) {
    banner.append(
      el("strong", "bpp-urgency-label", label.charAt(0).toUpperCase() + label.slice(1)),
      " ",
    );
  }
  banner.append(el("span", "bpp-headline", result.headline));
  const steps = el("ol", "bpp-steps");
  for (const item of result.steps) steps.append(planItem(form, item));
  box.append(banner, el("p", "bpp-result-heading", "Next steps, most important first"), steps);
  if (result.avoid.length) {
    const avoid = el("ul", "bpp-avoid");
    for (const item of result.avoid) avoid.append(planItem(form, item));
    box.append(el("p", "bpp-result-heading", "Avoid for now"), avoid);
  }
  const trace = el("details", "bpp-trace");
  const fired = el("ol");
  for (const id of result.trace) {
    const li = el("li");
    li.append(el("code", null, id), ` ${rules[id] ?? ""}`);
    fired.append(li);
  }
  trace.append(el("summary", null, "Why: the rules that applied, in order"), fired);
  box.append(trace);
  return box;
}

function outputValue(value) {
  if (Array.isArray(value)) {
    const table = el("table", "bpp-rows");
    const head = el("tr");
    for (const key of Object.keys(value[0] ?? {})) {
      const th = el("th", null, humanise(key));
      th.scope = "col";
      head.append(th);
    }
    const body = el("tbody");
    for (const row of value) {
      const tr = el("tr");
      for (const cell of Object.values(row)) tr.append(el("td", null, cell));
      body.append(tr);
    }
    table.append(el("thead"), body);
    table.tHead.append(head);
    return table;
  }
  if (value && typeof value === "object") {
    return Object.entries(value)
      .map(([key, inner]) => `${humanise(key)}: ${inner}`)
      .join("; ");
  }
  return typeof value === "string" ? humanise(value) : String(value);
}

function withUnit(text, output) {
  return output.unit ? `${text} ${output.unit}` : text;
}

export function renderScores(spec, result) {
  const list = el("dl", "bpp-outputs");
  for (const output of spec.outputs) {
    const value = result[output.name];
    if (output.name === "interpretation" || value === undefined || value === null) continue;
    const row = el("div", `bpp-output bpp-output--${output.name}`);
    const dd = el("dd");
    dd.append(withUnit(outputValue(value), output));
    row.append(el("dt", null, output.label), dd);
    list.append(row);
  }
  const parts = [list];
  if (result.interpretation) parts.push(el("p", "bpp-interpretation", result.interpretation));
  return parts;
}

/* ---------- plain-text summary for a clinical note ---------- */

function describe(field, value) {
  if (value === undefined || value === null) return "not answered";
  switch (field.type) {
    case "boolean":
      return value ? "yes" : "no";
    case "choice":
    case "multi_choice": {
      const labels = Object.fromEntries(field.choices.map((c) => [c.value, c.label]));
      const list = Array.isArray(value) ? value : [value];
      return list.map((v) => labels[v] ?? v).join("; ") || "none";
    }
    case "tuple":
      return value.map((v, i) => describe(field.items[i], v)).join(", ");
    case "records":
      return value
        .map((row) => field.fields.map((f) => describe(f, row[f.name])).join(", "))
        .join("; ");
    default:
      return field.unit ? `${value} ${field.unit}` : String(value);
  }
}

export function summary(spec, inputs, result) {
  const lines = [spec.title];
  for (const field of spec.inputs) {
    if (field.name in inputs) lines.push(`- ${field.label}: ${describe(field, inputs[field.name])}`);
  }
  lines.push("Result:");
  if ("steps" in result) {
    lines.push(`${humanise(result.urgency).toUpperCase()}: ${result.headline}`);
    result.steps.forEach((item, i) => lines.push(`${i + 1}. ${item.title}`));
    if (result.avoid.length) lines.push("Avoid for now:", ...result.avoid.map((i) => `- ${i.title}`));
    lines.push(`Rules applied: ${result.trace.join(", ")}`);
  } else {
    for (const output of spec.outputs) {
      const value = result[output.name];
      if (output.name === "interpretation" || value === undefined || value === null) continue;
      const text = Array.isArray(value)
        ? value.map((row) => Object.values(row).join(" ")).join("; ")
        : withUnit(outputValue(value), output);
      lines.push(`${output.label}: ${text}`);
    }
    if (result.interpretation) lines.push(result.interpretation);
  }
  const day = new Date().toISOString().slice(0, 10);
  lines.push(`(Back Pain Pathways calculator, ${day}; decision support only: verify against the sources.)`);
  return lines.join("\n");
}
