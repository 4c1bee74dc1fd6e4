"""The prefill reference on calculator pages: every input from spec(), a valid example."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

import calculators
from guidesite.extensions.calculator_block import CalculatorExtension
from guidesite.site.prefill_reference import allowed, example
from tests.generator.conftest import THIS_SITE

PAGES = {
    "next_step": "next-step",
    "odi": "odi",
    "start_back": "start-back",
    "pain_relief": "pain-relief",
    "mme": "mme",
}


@pytest.mark.parametrize("name", calculators.names())
def test_the_copyable_example_is_a_block_the_build_accepts(name: str) -> None:
    spec = calculators.spec(name)
    block = example(name, spec)
    extension = CalculatorExtension(**THIS_SITE)
    html = markdown.Markdown(extensions=[extension]).convert(block + "\n")
    assert extension.problems == []
    assert 'class="gs-calculator-embed"' in html
    options = yaml.safe_load("\n".join(line[4:] for line in block.splitlines()[1:-1]))
    assert options == {"prefill": spec["examples"][0]["inputs"]}


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ({"type": "choice", "choices": [{"value": "a"}, {"value": "b"}]}, "one of: a, b"),
        ({"type": "boolean"}, "true or false"),
        (
            {"type": "integer", "min": 0, "max": 5, "nullable": True},
            "a whole number from 0 to 5, or null if not known",
        ),
        (
            {"type": "number", "min": 0.1, "max": 10.0, "unit": "mg/day"},
            "a number from 0.1 to 10, in mg/day",
        ),
        ({"type": "multi_choice", "choices": [{"value": "x"}]}, "a list of any of: x, e.g. []"),
    ],
)
def test_allowed_values_in_an_editors_words(field: dict[str, object], text: str) -> None:
    assert allowed(field) == text or allowed(field).startswith(text)


@pytest.mark.parametrize("name", calculators.names())
def test_each_calculator_page_lists_every_input(built_site: Path, name: str) -> None:
    page = BeautifulSoup(
        (built_site / "calculators" / f"{PAGES[name]}.html").read_text(), "html.parser"
    )
    reference = page.select_one(f"details#prefill-{PAGES[name]}")
    assert reference is not None
    listed = [dt.code.get_text() for dt in reference.select("dt")]
    assert listed == [field["name"] for field in calculators.spec(name)["inputs"]]
    assert reference.select_one("pre code").get_text() == example(name, calculators.spec(name))


def test_guideline_pages_that_embed_a_calculator_do_not_carry_it(built_site: Path) -> None:
    html = (built_site / "recurrence-after-epidural.html").read_text()
    assert "gs-calculator-embed" in html and "gs-prefill-reference" not in html
