"""Fixtures for the generator tests: the `md` converter for extensions used standalone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import markdown
import pytest

from guidesite.content.problems import LineProblem
from guidesite.extensions.callouts import CalloutsExtension
from guidesite.extensions.citations import CitationsExtension
from guidesite.extensions.recommendations import Recommendation, RecommendationsExtension
from guidesite.extensions.reporting import ProblemLog
from tests.conftest import SITE_NAME

FIXTURES = Path(__file__).parent / "fixtures"
# The calculator_block options this site's mkdocs.yml gives (the plugin adds site_name).
THIS_SITE = {"calculators": "calculators", "site_name": SITE_NAME}


@dataclass
class Converted:
    html: str
    problems: list[LineProblem]
    cited: list[str]
    recommendations: list[Recommendation]


@pytest.fixture
def md() -> Callable[[str], Converted]:
    """Convert Markdown with our extensions and nothing from MkDocs."""

    def convert(text: str) -> Converted:
        # A log each, as the plugin's log for one page is read in one place.
        citations = CitationsExtension(
            bibliography=str(FIXTURES / "references.bib"), problems=ProblemLog()
        )
        callouts = CalloutsExtension(problems=ProblemLog())
        recommendations = RecommendationsExtension(problems=ProblemLog())
        html = markdown.Markdown(extensions=[citations, callouts, recommendations]).convert(
            dedent(text)
        )
        problems = [*citations.problems, *callouts.problems, *recommendations.problems]
        return Converted(html, problems, citations.cited, recommendations.recommendations)

    return convert
