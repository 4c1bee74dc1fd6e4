"""Build-time and live results agree, element for element, for every worked example.

Each calculator page shows its worked examples as drawn at build time (Jinja). For each
example the test opens the page with the example's inputs in the URL, as a reader's
shared link would, waits for the engine's answer to replace the build-time result, and
compares the two drawings: tags, classes and other attributes, and text. Citation links
are the one allowed difference: only the build-time ones carry the `id` their reference's
back-link returns to, since ids must be unique on the page.
"""

from __future__ import annotations

import difflib
import json
from typing import Any
from urllib.parse import quote

import pytest

import calculators
from guidesite.kit.presentation import present
from tests.browser.test_calculators import PAGES, READY
from tests.conftest import SITE_NAME

pytestmark = pytest.mark.browser

# An element as [tag, {attribute: value}, ...children]; text with its spaces collapsed;
# whitespace-only text (template indentation) left out. Links by the address they go to:
# Material rewrites the page's own `#ref-…` links as absolute addresses.
DESCRIBE = """(root) => {
  const describe = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent.replace(/\\s+/g, " ");
    const attributes = Object.fromEntries(
      [...node.attributes].filter((a) => a.name !== "id")
        .map((a) => [a.name, a.name === "href" ? node.href : a.value]));
    const children = [...node.childNodes]
      .filter((child) => child.nodeType === Node.ELEMENT_NODE
        || (child.nodeType === Node.TEXT_NODE && child.textContent.trim()))
      .map(describe);
    return [node.tagName.toLowerCase(), attributes, ...children];
  };
  return describe(root);
}"""
# The live result is on screen once the build-time note about it is gone.
LIVE = "(box) => !box.querySelector('[data-result-origin]') && !box.hasAttribute('aria-busy')"


def tidy(tree: Any) -> Any:
    """Text runs trimmed where they meet an element's edge, as the two drawings differ only
    in template line breaks there."""
    if not isinstance(tree, list):
        return tree
    tag, attributes, *children = tree
    children = [tidy(child) for child in children]
    if children and isinstance(children[0], str):
        children[0] = children[0].lstrip()
    if children and isinstance(children[-1], str):
        children[-1] = children[-1].rstrip()
    return [tag, attributes, *[child for child in children if child != ""]]


def diff(built: Any, live: Any) -> str:
    lines = [json.dumps(tree, indent=1, ensure_ascii=False).splitlines() for tree in (built, live)]
    return "\n".join(difflib.unified_diff(*lines, "build time", "live", lineterm="", n=2))


@pytest.mark.parametrize("name", PAGES)
def test_live_results_match_the_build_time_worked_examples(
    browser: Any, base: str, name: str
) -> None:
    examples = calculators.spec(name)["examples"]
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + PAGES[name])
    form_id = page.locator("form.gs-calculator").first.get_attribute("id")
    built = [tidy(box.evaluate(DESCRIBE)) for box in page.locator(".gs-example-result > div").all()]
    assert len(built) == len(examples)
    for number, (example, expected) in enumerate(zip(examples, built, strict=True), start=1):
        state = quote(json.dumps(example["inputs"]))
        page.goto("about:blank")
        page.goto(f"{base}{PAGES[name]}#{form_id}={state}")
        page.wait_for_selector(READY, timeout=30_000)
        box = page.locator(f"#{form_id} [data-result]")
        page.wait_for_function(LIVE, arg=box.element_handle(), timeout=10_000)
        live = tidy(box.locator(":scope > div").evaluate(DESCRIBE))
        assert live == expected, f"{name} example {number} ({example['title']}):\n" + diff(
            expected, live
        )
        # The compact summary follows the live result, in the view's words.
        outcome = calculators.run(name, example["inputs"])
        summary = present(calculators.spec(name), example["inputs"], outcome, SITE_NAME)
        shown = page.locator(f"#{form_id} [data-summary-content]").text_content()
        assert shown == f"{summary['summary']['label']} {summary['summary']['text']}"
    assert errors == []
    context.close()


# Draws each worked example's view over each other's, as the form redraws a result after a
# change, and beside it draws the same view afresh; returns every pair whose drawings
# differ, and whether a block the change left alone kept its nodes.
REDRAWS = """async ([assets, name, examples, describe]) => {
  const { drawView } = await import(assets + "calculators/results.js");
  const { getEngine } = await import(assets + "engine/engine-client.js");
  const form = document.querySelector("form.gs-calculator");
  const data = JSON.parse(form.querySelector("template[data-calculator-data]").content.textContent);
  const where = { form, names: data.names };
  const views = [];
  for (const inputs of examples) views.push(await getEngine().view(name, inputs));
  const toTree = eval(describe);
  const [redrawn, fresh] = [document.createElement("div"), document.createElement("div")];
  form.append(redrawn, fresh);
  const differ = [];
  let kept = 0;
  for (const [i, before] of views.entries()) {
    for (const [j, after] of views.entries()) {
      const first = drawView(where, redrawn, before, null);
      const second = drawView(where, redrawn, after, first);
      drawView(where, fresh, after, null);
      if (JSON.stringify(toTree(redrawn)) !== JSON.stringify(toTree(fresh))) differ.push([i, j]);
      kept += second.blocks.filter((block, k) => first.blocks[k] === block
        && block.nodes.every((node) => node.isConnected)).length;
    }
  }
  return { differ, kept };
}"""


@pytest.mark.parametrize("name", PAGES)
def test_a_redrawn_result_matches_one_drawn_afresh(browser: Any, base: str, name: str) -> None:
    """The form redraws only the blocks of a result that a change alters: going from any
    worked example's result to any other's gives exactly the drawing of the second alone,
    and the blocks a change leaves as they were keep their nodes (a rules trace the reader
    opened stays open)."""
    examples = [example["inputs"] for example in calculators.spec(name)["examples"]]
    context = browser.new_context(bypass_csp=True)  # the check evaluates DESCRIBE's text
    page = context.new_page()
    page.goto(base + PAGES[name])
    page.wait_for_selector(READY, timeout=30_000)
    outcome = page.evaluate(REDRAWS, [base + "assets/", name, examples, DESCRIBE])
    context.close()
    assert outcome["differ"] == []
    # Every example drawn over itself keeps all its blocks, so a broken reuse shows here.
    assert outcome["kept"] >= len(examples)
