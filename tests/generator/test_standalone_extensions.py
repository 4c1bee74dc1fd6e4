"""The extensions as any Python-Markdown renderer (Zensical) loads them: by name, with
their options from configuration alone, and no MkDocs plugin."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import markdown
import pytest
from bs4 import BeautifulSoup

from guidesite.extensions.reporting import PageProblemsError
from tests.generator.conftest import FIXTURES, THIS_SITE

NAMES = [
    "guidesite.extensions.citations",
    "guidesite.extensions.callouts",
    "guidesite.extensions.calculator_block",
    "guidesite.extensions.reading",
    "guidesite.extensions.recommendations",
    "guidesite.extensions.body_check",
]
CONFIGS = {
    "guidesite.extensions.citations": {"bibliography": str(FIXTURES / "references.bib")},
    "guidesite.extensions.calculator_block": THIS_SITE,
}

PAGE = """\
/// bottom-line
Refer early [@beta-guide].
///

/// red-flag | Same day
- Saddle numbness [@alpha2020]
///

/// recommendation
    id: refer-early
    strength: offer
    certainty: consensus
Refer disabling pain within 2 weeks [@beta-guide].
///

/// calculator | odi
///
"""


def convert(text: str) -> BeautifulSoup:
    html = markdown.markdown(dedent(text), extensions=NAMES, extension_configs=CONFIGS)
    return BeautifulSoup(html, "html.parser")


def test_a_page_gets_citations_callouts_recommendations_and_a_calculator() -> None:
    page = convert(PAGE)
    assert [a.text for a in page.select("sup.gs-cite a")][:2] == ["1", "2"]
    assert [li["id"] for li in page.select("#references li")][:2] == [
        "ref-beta-guide",
        "ref-alpha2020",
    ]
    assert page.select_one(".gs-callout.red-flag .admonition-title").text == "Red flag: Same day"
    assert page.select_one("#rec-refer-early .gs-rec__number").text == "Recommendation 1"
    assert page.select_one(".gs-glance") is not None
    assert page.select_one("form.gs-calculator[data-calculator=odi]") is not None
    assert "///" not in page.get_text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Claim [@nobody].\n", "line 1: unknown citation key 'nobody'"),
        ("Text.\n\n/// red-flags\nx\n///\n", "line 3: unknown block '/// red-flags'"),
        ("/// calculator | odi\n    prefill:\n      items: [9]\n///\n", "line 1: calculator 'odi'"),
        ("Text.\n\n# A second title\n", "line 3: level-1 heading in the body"),
    ],
)
def test_a_mistake_fails_the_conversion_with_its_line(text: str, expected: str) -> None:
    with pytest.raises(PageProblemsError) as raised:
        convert(text)
    assert str(raised.value).startswith("1 mistake in this page:\n" + expected)


def test_every_mistake_of_the_page_is_listed_once() -> None:
    with pytest.raises(PageProblemsError) as raised:
        convert("/// pitfall\n    colour: red\nx\n///\n\nClaim [@nobody].\n\n/// disagreement\nx\n")
    assert str(raised.value).splitlines() == [
        "4 mistakes in this page:",
        "line 1: '/// pitfall': unknown option 'colour'; allowed: attrs",
        "line 6: unknown citation key 'nobody'; add it to references.bib or correct the key",
        "line 8: '/// disagreement' needs a title: '/// disagreement | <title>'",
        "line 8: '/// disagreement' is never closed; add a line '///' after its content",
    ]


def test_a_bibliography_with_mistakes_fails_at_the_first_conversion(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text("@misc{no-kind,\n  title = {Something},\n}\n")
    configs = {"guidesite.extensions.citations": {"bibliography": str(bib)}}
    md = markdown.Markdown(extensions=NAMES, extension_configs=configs)  # configuring reads nothing
    with pytest.raises(ValueError, match="entry 'no-kind' has no kind"):
        md.convert("Text.\n")
