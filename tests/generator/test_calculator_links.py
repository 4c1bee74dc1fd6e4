"""Which links the build marks as leading to a calculator (site/calculator_links.py)."""

from __future__ import annotations

from guidesite.site.calculator_links import (
    has_calculator,
    mark_calculator_links,
    mark_in_article,
)

CALCULATORS = {"calculators/next-step.html", "calculators/odi.html"}


def test_relative_links_to_calculator_pages_are_marked_and_others_not() -> None:
    html = (
        '<p><a href="calculators/next-step.html#calc-next-step-1">plan</a> '
        '<a class="x" href="./calculators/odi.html">odi</a> '
        '<a href="editorial-policy.html">policy</a> <a href="#top">top</a> '
        '<a href="https://example.org/calculators/odi.html">outside</a></p>'
    )
    marked = mark_calculator_links(html, "index.html", CALCULATORS)
    assert marked.count("data-gs-calculator-link") == 2
    assert (
        '<a data-gs-calculator-link href="calculators/next-step.html#calc-next-step-1">' in marked
    )
    assert '<a data-gs-calculator-link class="x" href="./calculators/odi.html">' in marked


def test_links_resolve_from_the_page_and_a_page_does_not_mark_itself() -> None:
    html = '<a href="../calculators/odi.html">odi</a> <a href="next-step.html">self</a>'
    marked = mark_calculator_links(html, "calculators/next-step.html", CALCULATORS)
    assert marked == '<a data-gs-calculator-link href="../calculators/odi.html">odi</a> ' + (
        '<a href="next-step.html">self</a>'
    )


def test_a_page_has_a_calculator_when_it_holds_a_calculator_form() -> None:
    assert has_calculator('<form aria-labelledby="t" class="gs-calculator" id="c">')
    assert not has_calculator('<form class="md-search__form">')


def test_only_the_article_of_a_built_page_is_marked() -> None:
    link = '<a href="calculators/odi.html">odi</a>'
    page = f"<nav>{link}</nav><article>{link}</article><footer>{link}</footer>"
    marked = mark_in_article(page, "index.html", CALCULATORS)
    assert marked == page.replace(
        f"<article>{link}",
        '<article><a data-gs-calculator-link href="calculators/odi.html">odi</a>',
    )
