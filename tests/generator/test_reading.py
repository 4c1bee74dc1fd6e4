"""`/// reading`: the sections below a calculator folded under their headings, and what
must never be folded refused at its line."""

from __future__ import annotations

from textwrap import dedent

import markdown
from bs4 import BeautifulSoup
from markdown.extensions.toc import TocExtension

from guidesite.content.problems import LineProblem
from guidesite.extensions.calculator_block import CalculatorExtension
from guidesite.extensions.callouts import CalloutsExtension
from guidesite.extensions.citations import CitationsExtension
from guidesite.extensions.reading import ReadingExtension
from guidesite.extensions.reporting import ProblemLog
from tests.generator.conftest import FIXTURES, THIS_SITE


def convert(text: str) -> tuple[BeautifulSoup, list[LineProblem]]:
    log = ProblemLog()
    extensions = [
        CitationsExtension(bibliography=str(FIXTURES / "references.bib"), problems=log),
        CalloutsExtension(problems=log),
        CalculatorExtension(**THIS_SITE, problems=log),
        ReadingExtension(problems=log),
        TocExtension(permalink=True),
    ]
    html = markdown.Markdown(extensions=extensions).convert(dedent(text))
    return BeautifulSoup(html, "html.parser"), list(log.problems)


PAGE = """\
/// bottom-line
The summary [@beta-guide].
///

/// calculator | odi
///

/// reading
## When to use

Before and after treatment [@alpha2020].

/// pitfall | Licensed wording
Use the licensed form.
///

### On paper

Score each section.

## Evidence

A review.
///
"""


def test_each_section_folds_under_its_own_heading() -> None:
    soup, problems = convert(PAGE)
    assert problems == []
    folds = soup.select("div.gs-reading > details.gs-fold")
    assert [fold.summary.h2["id"] for fold in folds] == [
        "when-to-use",
        "evidence",
        "references-heading",
    ]
    assert all(fold.get("open") is None for fold in folds)
    # The heading is the toggle: no permalink inside it (a control inside a control).
    assert all(fold.summary.select("a") == [] for fold in folds)
    assert soup.select_one("h3#on-paper a.headerlink") is not None
    first = folds[0]
    # Everything up to the next heading of its level, nested blocks and subheadings too.
    assert first.select_one(".pitfall") is not None
    assert first.select_one("h3#on-paper") is not None
    assert "Score each section." in first.get_text()
    assert "A review." not in first.get_text()


def test_the_form_comes_first_and_the_bottom_line_moves_below_it() -> None:
    soup, _ = convert(PAGE)
    top_level = [child for child in soup.children if getattr(child, "name", None)]
    classes = [" ".join(child.get("class", [])) for child in top_level]
    assert classes == ["gs-calculator-embed", "admonition gs-callout bottom-line", "gs-reading"]
    # Numbered in the order the page now shows them: the bottom line's first.
    marks = [a["href"] for a in soup.select("sup.gs-cite a")]
    assert marks[:2] == ["#ref-beta-guide", "#ref-alpha2020"]
    # The references list, its id kept for links to it, is the last fold.
    assert soup.select("details.gs-fold")[-1].select_one("section#references ol") is not None


def test_a_red_flag_or_a_form_inside_the_reading_is_refused_at_its_line() -> None:
    _, problems = convert(
        """\
        /// reading
        ## When to use

        /// red-flag | Same day
        Saddle numbness.
        ///

        /// calculator | odi
        ///
        ///
        """
    )
    assert [(p.line, p.message.split(" inside")[0]) for p in problems] == [
        (4, "'/// red-flag'"),
        (8, "'/// calculator'"),
    ]
    assert all("move it above the '/// reading' block" in p.message for p in problems)


def test_text_before_the_first_heading_is_refused_once_at_the_block() -> None:
    _, problems = convert(
        "Intro.\n\n/// reading\nNo heading yet.\n\n/// pitfall\nx\n///\n\n## A\n\ny\n///\n"
    )
    assert [p.line for p in problems] == [3]
    assert "must start with a '## Heading'" in problems[0].message


def test_a_page_without_reading_keeps_its_bottom_line_first() -> None:
    soup, _ = convert("/// bottom-line\nSummary.\n///\n\n/// calculator | odi\n///\n")
    first = next(child for child in soup.children if getattr(child, "name", None))
    assert "bottom-line" in first["class"]
