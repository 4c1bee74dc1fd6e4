/**
 * Draws a presentation view (guidesite/kit/presentation.py, computed by the engine) in the
 * build's own markup: templates/calculator/result.html puts each part of a result in a
 * `<template data-result-part>` inside the form, and this module clones and fills them. All
 * words, numbers and units come from the view, and only ever enter as text.
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
 * @typedef {{ok: true, kind: string, summary: Summary, blocks: Block[], note: string,
 *   fhir: object | null}} View  `fhir`: the result as a FHIR Bundle, for an instrument
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

/**
 * The page's numbered links to each source the form can cite, by their `#` target: read
 * once per form, as every citation of every result looks its number up there.
 * @type {WeakMap<HTMLFormElement, Map<string, HTMLAnchorElement>>}
 */
const sourceLinks = new WeakMap();

/**
 * @param {HTMLFormElement} form
 * @returns {Map<string, HTMLAnchorElement>}
 */
function numberedSources(form) {
  let links = sourceLinks.get(form);
  if (!links) {
    // The target only: Material may have made the page's own links absolute.
    /** @type {NodeListOf<HTMLAnchorElement>} */
    const numbered = form.querySelectorAll(".gs-calc-sources a[href*='#']");
    links = new Map([...numbered].map((link) => [link.hash.slice(1), link]));
    sourceLinks.set(form, links);
  }
  return links;
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
    const numbered = numberedSources(form).get(anchor);
    const link = el("a", null, numbered ? numbered.textContent : key);
    link.href = `#${anchor}`;
    if (numbered?.title) link.title = numbered.title;
    if (index > 0) mark.append(",");
    mark.append(link);
  });
  return mark;
}

/**
 * A copy of one part of a result as the build drew it, its `{slot}` classes filled in.
 * @param {Where} where
 * @param {string} name
 * @param {{[slot: string]: string}} [slots]
 */
function part({ form }, name, slots = {}) {
  /** @type {HTMLTemplateElement | null} */
  const template = form.querySelector(`template[data-result-part="${name}"]`);
  if (!template) throw new Error(`the page has no result part "${name}" for this calculator`);
  const copy = /** @type {DocumentFragment} */ (template.content.cloneNode(true));
  for (const element of copy.querySelectorAll("[class*='{']")) {
    element.className = element.className.replace(/\{(\w+)\}/g, (_, slot) => {
      if (!(slot in slots)) throw new Error(`result part "${name}" needs "${slot}"`);
      return slots[slot];
    });
  }
  return copy;
}

/**
 * The element of `copy` that `selector` finds; the template always has it.
 * @param {ParentNode} copy
 * @param {string} selector
 */
function piece(copy, selector) {
  const element = copy.querySelector(selector);
  if (!element) throw new Error(`a result part has no ${selector}`);
  return element;
}

/**
 * Puts `text` into the element `selector` finds.
 * @param {ParentNode} copy
 * @param {string} selector
 * @param {string} text
 */
function fill(copy, selector, text) {
  const element = piece(copy, selector);
  element.textContent = text;
  return element;
}

/**
 * Puts `text` into an optional piece, or removes the piece (and the space after it, as the
 * template leaves none) when the view has no text for it, as the template's `if` does.
 * @param {ParentNode} copy
 * @param {string} selector
 * @param {string | null | undefined} text
 */
function optional(copy, selector, text) {
  const element = piece(copy, selector);
  if (text) {
    element.textContent = text;
    return;
  }
  if (element.nextSibling?.nodeType === Node.TEXT_NODE && !element.nextSibling.textContent?.trim()) {
    element.nextSibling.remove();
  }
  element.remove();
}

/**
 * A list's one template row, cloned and filled once for each entry, in place of itself.
 * @template T
 * @param {ParentNode} list
 * @param {string} selector  the template row, found within `list`
 * @param {T[]} entries
 * @param {(row: Element, entry: T) => void} fillRow
 */
function repeat(list, selector, entries, fillRow) {
  const row = piece(list, selector);
  for (const entry of entries) {
    const copy = /** @type {Element} */ (row.cloneNode(true));
    fillRow(copy, entry);
    row.before(copy);
  }
  row.remove();
}

/** @param {Where} where @param {BannerBlock} block */
function banner(where, block) {
  const copy = part(where, "banner", { tone: block.tone });
  optional(copy, ".gs-urgency-label", block.label);
  fill(copy, ".gs-headline", block.text);
  return copy;
}

/** @param {Where} where @param {Item} item */
function item(where, item) {
  const copy = part(where, "item", { code: item.strength?.code ?? "" });
  optional(copy, ".gs-strength", item.strength?.label);
  const title = fill(copy, ".gs-item-title", item.title);
  if (item.refs.length) title.after(citeLinks(where, item.refs));
  optional(copy, ".gs-when", item.when);
  const record = piece(copy, ".gs-fill-in");
  if (item.record) {
    const link = /** @type {HTMLAnchorElement} */ (piece(record, "a"));
    link.textContent = item.record.text;
    link.href = `#${fieldId(where.names, where.form.id, item.record.field)}`;
  } else record.remove();
  const why = piece(copy, ".gs-why");
  if (item.why.length) repeat(why, "li", item.why, (li, reason) => (li.textContent = reason));
  else why.remove();
  return copy;
}

/** @param {Where} where @param {ItemsBlock} block */
function items(where, block) {
  const copy = part(where, block.ordered ? "items-ordered" : "items-unordered", { name: block.name });
  fill(copy, ".gs-result-heading", block.heading);
  piece(copy, "ul, ol").append(...block.items.map((entry) => item(where, entry)));
  return copy;
}

/** @param {Where} where @param {TraceBlock} block */
function trace(where, block) {
  const copy = part(where, "trace");
  fill(copy, "summary", block.heading);
  repeat(copy, "ol > li", block.rules, (li, rule) => {
    const code = piece(li, "code");
    code.textContent = rule.id;
    // The template puts the rule's words in the text right after its id.
    if (code.nextSibling) code.nextSibling.textContent = ` ${rule.text}`;
  });
  return copy;
}

/** @param {Where} where @param {Table} table */
function table(where, { columns, rows }) {
  const copy = part(where, "table");
  repeat(copy, "thead th", columns, (th, column) => (th.textContent = column));
  repeat(copy, "tbody tr", rows, (tr, row) => repeat(tr, "td", row, (td, cell) => (td.textContent = cell)));
  return copy;
}

/** @param {Where} where @param {ValuesBlock} block */
function values(where, block) {
  const copy = part(where, "values");
  const list = piece(copy, "dl");
  for (const row of block.rows) {
    const entry = part(where, "value-row", { name: row.name });
    fill(entry, "dt", row.label);
    const dd = piece(entry, "dd");
    if (row.table) dd.replaceChildren(table(where, row.table));
    else dd.textContent = row.text;
    list.append(entry);
  }
  return copy;
}

/** @param {Where} where @param {TextBlock} block */
function text(where, block) {
  const copy = part(where, "text", { name: block.name });
  fill(copy, "p", block.text);
  return copy;
}

/** @type {{[K in Block["kind"]]: (where: Where, block: Extract<Block, {kind: K}>) => DocumentFragment}} */
const DRAW = { banner, items, trace, values, text };

/**
 * @typedef {{key: string, nodes: ChildNode[]}} DrawnBlock  one block on screen, by its view's JSON
 * @typedef {{kind: string, box: HTMLElement, blocks: DrawnBlock[]}} Drawn  what `drawView` drew
 */

/**
 * One block's nodes, drawn.
 * @param {Where} where
 * @param {Block} block
 */
function drawBlock(where, block) {
  // Each drawer takes its own kind of block; TypeScript cannot pair them through the index.
  const draw = /** @type {(where: Where, block: Block) => DocumentFragment} */ (DRAW[block.kind]);
  return draw(where, block);
}

/**
 * Shows a successful view in `resultBox`, redrawing only the blocks that differ from
 * `drawn` (what the box shows, as this function last returned it; null: something else).
 * Most changes alter one block of a result or none (a pain score moving one step), and
 * building the others again cost the reader most of a recompute on a long result, and the
 * page a layout of everything after it. `where.form` holds the result's templates and the
 * numbered sources citations link to.
 * @param {Where} where
 * @param {HTMLElement} resultBox
 * @param {View} view
 * @param {Drawn | null} drawn
 * @returns {Drawn}
 */
export function drawView(where, resultBox, view, drawn) {
  let shown = drawn;
  if (shown === null || shown.kind !== view.kind || !shown.box.isConnected) {
    const box = /** @type {HTMLElement} */ (piece(part(where, "view", { kind: view.kind }), "div"));
    resultBox.replaceChildren(box);
    shown = { kind: view.kind, box, blocks: [] };
  }
  const { box, blocks: before } = shown;
  const blocks = view.blocks.map((block, index) => {
    const key = JSON.stringify(block);
    const old = before[index];
    if (old?.key === key) return old;
    const copy = drawBlock(where, block);
    const nodes = [...copy.childNodes];
    if (old) {
      old.nodes[0].before(copy);
      for (const node of old.nodes) node.remove();
    } else box.append(copy);
    return { key, nodes };
  });
  for (const old of before.slice(view.blocks.length)) for (const node of old.nodes) node.remove();
  return { kind: view.kind, box, blocks };
}

/**
 * The compact summary's content: its label in bold, then its text.
 * @param {Where} where
 * @param {View} view
 */
export function renderSummary(where, view) {
  const copy = part(where, "summary");
  fill(copy, ".gs-summary-label", view.summary.label);
  fill(copy, ".gs-summary-text", view.summary.text);
  return copy;
}

/**
 * The note for a clinical record, dated today.
 * @param {View} view
 */
export function noteText(view) {
  return view.note.replace("{today}", new Date().toISOString().slice(0, 10));
}

/**
 * The result as FHIR JSON text (a Bundle); only an instrument's form offers it.
 * @param {View} view
 */
export function fhirText(view) {
  return JSON.stringify(view.fhir, null, 2);
}
