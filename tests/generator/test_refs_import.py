"""`guidesite refs add`: RIS, CSL JSON (Zotero) and BibTeX into the bibliography."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidesite.content import bibliography
from guidesite.content.refs_import import ImportRefused, add
from tests.generator.projects import run_check, run_cli

EXISTING = """\
@article{lee2013,
\ttitle = {An older paper},
\tauthor = {Lee, Joon Ho},
\tyear = {2013},
\tdoi = {10.1000/OLD.1},
\tkind = {research},
}
"""
RIS = """\
TY  - JOUR
AU  - Lee, Joon Ho
AU  - Smith, A. B.
TI  - Epidural steroids: 50% & more
T2  - Spine Journal
PY  - 2013/05/01/
VL  - 13
IS  - 5
SP  - 10
EP  - 20
DO  - 10.1000/new.2
ER  -

TY  - RPRT
AU  - National Institute for Health and Care Excellence
TI  - A guideline
PB  - NICE
PY  - 2016
UR  - https://example.org/ng
ER  -
"""
CSL_JSON = [
    {
        "id": "http://zotero.org/users/1/items/ABCD1234",
        "type": "article-journal",
        "title": "Pulsed radiofrequency for radicular pain",
        "container-title": "Pain Medicine",
        "volume": "17",
        "issue": "4",
        "page": "600-612",
        "DOI": "10.1093/pm/pnv000",
        "author": [
            {"family": "Berg", "given": "Anna", "non-dropping-particle": "van den"},
            {"family": "Ortiz", "given": "María"},
        ],
        "issued": {"date-parts": [[2016, 4]]},
    },
    {
        "id": "item-2",
        "type": "webpage",
        "title": "Local coverage determination",
        "author": [{"literal": "Centers for Medicare & Medicaid Services"}],
        "URL": "https://example.org/lcd",
    },
]
BIBTEX = """\
@article{Ortiz2019,
  title = {A {BibTeX} title},
  author = {Ortiz, Maria and Chen, Li},
  journal = {Spine},
  year = {2019},
  kind = {guideline},
}
"""


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(EXISTING)
    return path


def export(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(bib: Path) -> dict[str, bibliography.Reference]:
    references, problems = bibliography.load(bib, "references.bib")
    assert problems == []
    return references


def test_ris_records_become_entries_with_stable_keys(bib: Path, tmp_path: Path) -> None:
    keys = add(export(tmp_path, "a.ris", RIS), bib, "research", "references.bib")
    # lee2013 is taken by the existing entry; organisations give their first word.
    assert keys == ["lee2013b", "national2016"]
    paper = load(bib)["lee2013b"]
    assert paper.title == "Epidural steroids: 50% & more"
    assert paper.authors == "Lee JH, Smith AB"
    assert (paper.source, paper.year, paper.kind) == (
        "Spine Journal 13(5):10\u201320",
        "2013",
        "research",
    )
    assert paper.url == "https://doi.org/10.1000/new.2"
    report = load(bib)["national2016"]
    assert (report.source, report.url) == ("NICE", "https://example.org/ng")
    assert bib.read_text().startswith(EXISTING)  # nothing before changed

    again = tmp_path / "again.bib"
    again.write_text(EXISTING)
    assert add(export(tmp_path, "a.ris", RIS), again, "research", "references.bib") == keys


def test_zotero_csl_json(bib: Path, tmp_path: Path) -> None:
    keys = add(export(tmp_path, "z.json", json.dumps(CSL_JSON)), bib, "policy", "references.bib")
    assert keys == ["berg2016", "centers"]
    paper = load(bib)["berg2016"]
    assert paper.authors == "van den Berg A, Ortiz M"
    assert (paper.source, paper.year, paper.kind) == (
        "Pain Medicine 17(4):600\u2013612",
        "2016",
        "policy",
    )
    page = load(bib)["centers"]
    assert (page.authors, page.title, page.url) == (
        "Centers for Medicare & Medicaid Services",
        "Local coverage determination",
        "https://example.org/lcd",
    )


def test_bibtex_keeps_its_keys_and_takes_the_given_kind(bib: Path, tmp_path: Path) -> None:
    assert add(export(tmp_path, "b.bib", BIBTEX), bib, "research", "references.bib") == [
        "Ortiz2019"
    ]
    entry = load(bib)["Ortiz2019"]
    assert (entry.kind, entry.title, entry.authors) == (
        "research",
        "A BibTeX title",
        "Ortiz M, Chen L",
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "doi.ris",
            "TY  - JOUR\nAU  - Kim, S\nTI  - Copy\nPY  - 2020\n"
            "DO  - https://doi.org/10.1000/old.1\nER  -\n",
            "record 1 ('Copy') has DOI 10.1000/old.1, already in references.bib as 'lee2013'",
        ),
        (
            "key.bib",
            "@article{LEE2013,\n  title = {Same key},\n  year = {2020},\n}\n",
            "record 1 ('Same key') has key 'LEE2013', already used in references.bib at line 1",
        ),
        (
            "twice.json",
            json.dumps([{"title": "A", "DOI": "10.1/x"}, {"title": "B", "DOI": "10.1/X"}]),
            "record 2 ('B') has the same DOI as record 1 ('A')",
        ),
        (
            "no-year.ris",
            "TY  - JOUR\nAU  - Kim, S\nTI  - Undated\nER  -\n",
            "references.bib:9: entry 'kim' has no year; kind = {research} needs year = {YYYY}",
        ),
        ("a.txt.docx", "x", "unknown file type '.docx'; export as RIS (.ris), CSL JSON"),
        ("bad.json", "{not json", "cannot read it as CSL-JSON"),
    ],
)
def test_duplicates_and_bad_files_are_refused_and_nothing_is_written(
    bib: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        add(export(tmp_path, name, text), bib, "research", "references.bib")
    assert message in str(refused.value)
    assert bib.read_text() == EXISTING
    assert sorted(p.name for p in bib.parent.iterdir() if p.name.startswith(".")) == []


def test_refs_add_command_then_the_site_checks(project_copy: Path, tmp_path: Path) -> None:
    source = export(tmp_path, "new.ris", RIS.split("\n\n")[0] + "\n")
    result = run_cli(project_copy, "refs", "add", str(source), "--kind", "research")
    assert result.returncode == 0, result.stderr
    assert "Added 'lee2013b' to content/references.bib; cite it as [@lee2013b]" in result.stderr
    check = run_check(project_copy, "--no-strict")
    assert check.returncode == 0, check.stderr
    assert "entry 'lee2013b' is cited by no page" in check.stderr
