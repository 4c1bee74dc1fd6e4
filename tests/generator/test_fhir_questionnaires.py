"""The built site publishes a FHIR Questionnaire for each validated instrument, at
fhir/Questionnaire/<calculator>.json: valid, in the index Bundle, linked from the
instrument's calculator page, draft until that page is approved; the page also shows the
instrument's copyright notice (guidesite/fhir/questionnaire.py, guidesite/kit/instrument.py)."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from fhir.resources.R4B.questionnaire import Questionnaire

import calculators
from tests.conftest import ROOT

# The instruments and their calculator pages.
PAGES = {"odi": "calculators/odi", "start_back": "calculators/start-back"}


def front_matter(page: str) -> dict[str, object]:
    text = (ROOT / "content" / f"{page}.md").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text.split("---")[1]))


def test_one_questionnaire_per_instrument(built_site: Path) -> None:
    written = sorted((built_site / "fhir" / "Questionnaire").glob("*.json"))
    assert [path.stem for path in written] == ["odi", "start-back"]
    index = json.loads((built_site / "fhir" / "index.json").read_text(encoding="utf-8"))
    listed = [
        e["resource"] for e in index["entry"] if e["resource"]["resourceType"] == "Questionnaire"
    ]
    for path, in_index in zip(written, listed, strict=True):
        resource = json.loads(path.read_text(encoding="utf-8"))
        Questionnaire.model_validate(resource)
        assert resource == in_index


def test_each_is_linked_from_its_page_with_its_version_status_and_licence(
    built_site: Path,
) -> None:
    for name, page in PAGES.items():
        stem = posixpath.basename(page)
        resource = json.loads((built_site / "fhir" / "Questionnaire" / f"{stem}.json").read_text())
        meta = front_matter(page)
        assert resource["version"] == str(meta["last_updated"])
        assert resource["status"] == ("active" if meta["status"] == "approved" else "draft")
        html = BeautifulSoup((built_site / f"{page}.html").read_text(), "html.parser")
        [link] = html.find_all("a", string="FHIR Questionnaire (JSON)")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link["href"]))
        assert target == f"fhir/Questionnaire/{stem}.json"
        copyright = calculators.spec(name)["instrument"]["copyright"]
        assert resource["copyright"] == copyright
        assert html.select_one(".gs-calc-licence").get_text() == copyright
