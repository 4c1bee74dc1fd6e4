/**
 * Draws a presentation view (guidesite/kit/presentation.py, computed by the engine) with the
 * same elements and classes as templates/calculator/result.html; all words, numbers and
 * units come from the view. Data only ever enters as text nodes.
 *
 * The typedefs below describe what guidesite/kit/presentation.py returns; the Python is the
 * source of truth and pytest checks it there.
 *
 * @typedef {{tone: string | null, label: string, text: string}} Summary
 * @typedef {{kind: "banner", tone: string, label: string | null, text: string}} BannerBlock
 * @typedef {{code: string, label: string}} Strength
 * @typedef {{field: string, text: string}} Record
 * @typedef {{title: string, strength: Strength | null, when: string | null, record: Record | null, why: string[], refs: string[]}} Item
 * @typedef {{kind: "items", name: string, heading: string, ordered: boolean, items: Item[]}} ItemsBlock
 * @typedef {{kind: "trace", heading: string, rules: {id: string, text: string}[]}} TraceBlock
 * @typedef {{columns: string[], rows: string[][]}} Table
 * @typedef {{name: string, label: string} & ({text: string, table?: undefined} | {table: Table})} ValueRow
 * @typedef {{kind: "values", rows: ValueRow[]}} ValuesBlock
 * @typedef {{kind: "text", name: string, text: string}} TextBlock
 * @typedef {BannerBlock | ItemsBlock | TraceBlock | ValuesBlock | TextBlock} Block
 * @typedef {{ok: true, kind: string, summary: Summary, blocks: Block[], note: string}} View
 *
 * @typedef {import("../engine/contracts.js").Names} Names
 * @typedef {{form: HTMLFormElement, names: Names}} Where  the form drawn into, and the page's names
 */

import { fieldId, referenceAnchor } from "../engine/contracts.js";

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string | null} [className]
 * @param {unknown} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

// Same shape as the page's own citations: the page numbered every source this calculator
// can cite (its "Sources" line), so each key's number and title are read from there.
/**
 * @param {Where} where
 * @param {string[]} keys
 */
function citeLinks({ form, names }, keys) {
  const mark = el("sup", names.citationMarkClass);
  keys.forEach((key, index) => {
    const anchor = referenceAnchor(names, key);
    // `$=`: Material may have made the page's own links absolute.
    /** @type {HTMLAnchorElement | null} */
    const numbered = form.querySelector(`.gs-calc-sources a[href$="#${CSS.escape(anchor)}"]`);
    const link = el("a", null, numbered ? numbered.textContent : key);
    link.href = `#${anchor}`;
    if (numbered?.title) link.title = numbered.title;
    if (index > 0) mark.append(",");
    mark.append(link);
  });
  return mark;
}

/** @param {Where} where @param {BannerBlock} block */
function banner(where, block) {
  const p = el("p", `gs-urgency gs-urgency--${block.tone}`);
  if (block.label) p.append(el("strong", "gs-urgency-label", block.label), " ");
  p.append(el("span", "gs-headline", block.text));
  return [p];
}

/** @param {Where} where @param {ItemsBlock} block */
function items(where, block) {
  const list = el(block.ordered ? "ol" : "ul", `gs-${block.name}`);
  for (const item of block.items) {
    const li = el("li", "gs-item");
    if (item.strength) {
      li.append(el("span", `gs-strength gs-strength--${item.strength.code}`, item.strength.label), " ");
    }
    li.append(el("span", "gs-item-title", item.title));
    if (item.refs.length) li.append(citeLinks(where, item.refs));
    if (item.when) li.append(el("p", "gs-when", item.when));
    if (item.record) {
      const link = el("a", null, item.record.text);
      link.href = `#${fieldId(where.names, where.form.id, item.record.field)}`;
      const record = el("p", "gs-fill-in");
      record.append(link);
      li.append(record);
    }
    if (item.why.length) {
      const why = el("ul", "gs-why");
      for (const reason of item.why) why.append(el("li", null, reason));
      li.append(why);
    }
    list.append(li);
  }
  return [el("p", "gs-result-heading", block.heading), list];
}

/** @param {Where} where @param {TraceBlock} block */
function trace(where, block) {
  const details = el("details", "gs-trace");
  const fired = el("ol");
  for (const rule of block.rules) {
    const li = el("li");
    li.append(el("code", null, rule.id), ` ${rule.text}`);
    fired.append(li);
  }
  details.append(el("summary", null, block.heading), fired);
  return [details];
}

/** @param {Table} table */
function table({ columns, rows }) {
  const element = el("table", "gs-rows");
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
  const thead = el("thead");
  thead.append(head);
  element.append(thead, body);
  return element;
}

/** @param {Where} where @param {ValuesBlock} block */
function values(where, block) {
  const list = el("dl", "gs-outputs");
  for (const row of block.rows) {
    const entry = el("div", `gs-output gs-output--${row.name}`);
    const dd = el("dd");
    dd.append(row.table ? table(row.table) : row.text);
    entry.append(el("dt", null, row.label), dd);
    list.append(entry);
  }
  return [list];
}

/** @param {Where} where @param {TextBlock} block */
function text(where, block) {
  return [el("p", `gs-${block.name}`, block.text)];
}

/** @type {{[K in Block["kind"]]: (where: Where, block: Extract<Block, {kind: K}>) => (Node | string)[]}} */
const DRAW = { banner, items, trace, values, text };

/**
 * A successful view as one element; `where.form` holds the numbered sources citations link to.
 * @param {Where} where
 * @param {View} view
 */
export function renderView(where, view) {
  const box = el("div", `gs-${view.kind}`);
  for (const block of view.blocks) {
    // Each drawer takes its own kind of block; TypeScript cannot pair them through the index.
    const draw = /** @type {(where: Where, block: Block) => (Node | string)[]} */ (DRAW[block.kind]);
    box.append(...draw(where, block));
  }
  return box;
}

/**
 * The compact summary's content: its label in bold, then its text.
 * @param {View} view
 */
export function renderSummary(view) {
  return [el("strong", "gs-summary-label", view.summary.label), " ", el("span", "gs-summary-text", view.summary.text)];
}

/**
 * The note for a clinical record, dated today.
 * @param {View} view
 */
export function noteText(view) {
  return view.note.replace("{today}", new Date().toISOString().slice(0, 10));
}
