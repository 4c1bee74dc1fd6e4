"""The shared names in guidesite/vocabularies.py are the only spelling of them: stylesheets
(which spell some literally) and mkdocs.yml agree with them, and no template or browser
script writes them out on its own. Field ids in Python and JavaScript are compared in
tests/browser/test_calculators.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.config import load_config

from guidesite import PACKAGE_DIR
from guidesite.vocabularies import (
    AUDIENCE_NAMES,
    CITATION_MARK_CLASS,
    STATUS_NAMES,
    field_id,
    reference_anchor,
)
from tests.conftest import ROOT

STYLESHEETS = sorted((PACKAGE_DIR / "assets").rglob("*.css"))
CSS = "\n".join(path.read_text() for path in STYLESHEETS)
TEMPLATES_AND_SCRIPTS = sorted(
    [*(PACKAGE_DIR / "templates").rglob("*.html"), *(PACKAGE_DIR / "assets").rglob("*.js")]
)


def test_every_audience_has_a_badge_and_the_stylesheets_name_no_other() -> None:
    assert set(re.findall(r"\.gs-badge--([\w-]+)", CSS)) == set(AUDIENCE_NAMES)
    spelled = re.findall(r'\[data-gs-(?:page-|counterpart-)?audience="([^"]*)"\]', CSS)
    assert spelled and set(spelled) <= set(AUDIENCE_NAMES)
    for name in AUDIENCE_NAMES:
        # The reader's chosen audience comes first in question lists.
        assert f'[data-gs-audience="{name}"] .gs-questions__item[data-gs-audience="{name}"]' in CSS


def test_every_status_has_a_navigation_icon_and_a_title_in_mkdocs_yml() -> None:
    assert set(re.findall(r"\.md-status--([\w-]+)", CSS)) == set(STATUS_NAMES)
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    assert tuple(config.extra["status"]) == STATUS_NAMES


def test_stylesheets_style_the_declared_citation_mark() -> None:
    marks = re.findall(r"sup\.([\w-]+)", CSS)
    assert marks and set(marks) == {CITATION_MARK_CLASS}


@pytest.mark.parametrize("path", TEMPLATES_AND_SCRIPTS, ids=lambda p: p.name)
def test_templates_and_scripts_take_the_names_from_vocabularies(path: Path) -> None:
    text = path.read_text()
    literal = re.compile(
        r"""["'](?:clinician|patient|submitted|under-review|approved)["']"""
        rf"""|["'#]ref-|\b{CITATION_MARK_CLASS}["'\s]|\}}\}}--\{{\{{|\}}--\$\{{"""
    )
    assert not literal.findall(text), "use `vocab` (templates) or the embedded `names` (scripts)"


def test_ids_and_anchors() -> None:
    assert field_id("calc-mme-1", "medicines.0.daily_dose") == "calc-mme-1--medicines.0.daily_dose"
    assert reference_anchor("nice-ng59") == "ref-nice-ng59"
