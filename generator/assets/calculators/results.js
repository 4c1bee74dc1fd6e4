/**
 * Draws a presentation view (calculators/presentation.py, computed by the engine) with the
 * same elements and classes as templates/calculator/result.html; all words, numbers and
 * units come from the view. Data only ever enters as text nodes.
 */

export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

// Same shape as the page's own citations: the page numbered every source this calculator
// can cite (its "Sources" line), so each key's number and title are read from there.
function citeLinks(form, keys) {
  const mark = el("sup", "gs-cite");
  keys.forEach((key, index) => {
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

function banner(form, block) {
  const p = el("p", `bpp-urgency bpp-urgency--${block.tone}`);
  if (block.label) p.append(el("strong", "bpp-urgency-label", block.label), " ");
  p.append(el("span", "bpp-headline", block.text));
  return [p];
}

function items(form, block) {
  const list = el(block.ordered ? "ol" : "ul", `bpp-${block.name}`);
  for (const item of block.items) {
    const li = el("li", "bpp-item");
    if (item.strength) {
      li.append(el("span", `bpp-strength bpp-strength--${item.strength.code}`, item.strength.label), " ");
    }
    li.append(el("span", "bpp-item-title", item.title));
    if (item.refs.length) li.append(citeLinks(form, item.refs));
    if (item.when) li.append(el("p", "bpp-when", item.when));
    if (item.why.length) {
      const why = el("ul", "bpp-why");
      for (const reason of item.why) why.append(el("li", null, reason));
      li.append(why);
    }
    list.append(li);
  }
  return [el("p", "bpp-result-heading", block.heading), list];
}

function trace(form, block) {
  const details = el("details", "bpp-trace");
  const fired = el("ol");
  for (const rule of block.rules) {
    const li = el("li");
    li.append(el("code", null, rule.id), ` ${rule.text}`);
    fired.append(li);
  }
  details.append(el("summary", null, block.heading), fired);
  return [details];
}

function table({ columns, rows }) {
  const element = el("table", "bpp-rows");
  const head = el("tr");
  for (const column of columns) {
    const th = el("th", null, column);
    th.scope = "col";
    head.append(th);
  }
  const body = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) tr.append(el("td", null, cell));
    body.append(tr);
  }
  element.append(el("thead"), body);
  element.tHead.append(head);
  return element;
}

function values(form, block) {
  const list = el("dl", "bpp-outputs");
  for (const row of block.rows) {
    const entry = el("div", `bpp-output bpp-output--${row.name}`);
    const dd = el("dd");
    dd.append(row.table ? table(row.table) : row.text);
    entry.append(el("dt", null, row.label), dd);
    list.append(entry);
  }
  return [list];
}

function text(form, block) {
  return [el("p", `bpp-${block.name}`, block.text)];
}

const DRAW = { banner, items, trace, values, text };

/** A successful view as one element; `form` holds the numbered sources citations link to. */
export function renderView(form, view) {
  const box = el("div", `bpp-${view.kind}`);
  for (const block of view.blocks) box.append(...DRAW[block.kind](form, block));
  return box;
}

/** The compact summary's content: its label in bold, then its text. */
export function renderSummary(view) {
  return [el("strong", "bpp-summary-label", view.summary.label), " ", el("span", "bpp-summary-text", view.summary.text)];
}

/** The note for a clinical record, dated today. */
export function noteText(view) {
  return view.note.replace("{today}", new Date().toISOString().slice(0, 10));
}
