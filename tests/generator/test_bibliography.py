"""Bibliography loading: formatting for readers, and mistakes at their .bib line."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidesite.content.bibliography import Reference, load, unused
from guidesite.content.problems import Problem

FIXTURE = Path(__file__).parent / "fixtures" / "references.bib"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_are_shaped_for_display() -> None:
    references, problems = load(FIXTURE, "refs.bib")
    assert problems == []
    assert references["alpha2020"] == Reference(
        key="alpha2020",
        kind="research",
        authors="Smith AB, Jones C",
        title="A trial of Something useful",
        source="Journal of Tests 12(3):45\u201367",
        year="2020",
        url="https://doi.org/10.1000/xyz",
        line=3,
    )
    assert references["beta-guide"].authors == "National Testing Institute"
    assert references["beta-guide"].source == "National Testing Institute. Guideline T1"
    assert references["gamma-policy"].authors == "Example Payer"
    assert references["gamma-policy"].source == "Example Payer. Policy database"
    assert references["gamma-policy"].url == ""


def test_long_author_lists_are_shortened(tmp_path: Path) -> None:
    names = " and ".join(f"Person{i}, A" for i in range(7))
    text = f"@article{{many, title={{T}}, author={{{names}}}, journal={{J}}, kind={{research}}}}\n"
    references, _ = load(write(tmp_path, text), "x")
    assert references["many"].authors == "Person0 A, Person1 A, Person2 A et al."


def test_missing_and_unknown_kinds_are_errors_at_the_entry_line(tmp_path: Path) -> None:
    text = (
        FIXTURE.read_text()
        + "\n@book{nokind,\n  title = {T},\n}\n\n@book{oddkind, title = {T}, kind = {blog}}\n"
    )
    first = len(FIXTURE.read_text().splitlines()) + 2
    references, problems = load(write(tmp_path, text), "content/references.bib")
    assert references["nokind"].kind == ""
    assert problems == [
        Problem(
            "content/references.bib",
            first,
            "entry 'nokind' has no kind; "
            "add kind = {guideline|evidence-review|research|policy|summary}",
        ),
        Problem(
            "content/references.bib",
            first + 4,
            "entry 'oddkind' has an unknown kind 'blog'; "
            "add kind = {guideline|evidence-review|research|policy|summary}",
        ),
    ]


def test_malformed_bibtex_names_the_line(tmp_path: Path) -> None:
    text = "@article{ok, title={T}, kind={research}}\n\n@article{broken,\n  title = {T\n"
    references, problems = load(write(tmp_path, text), "content/references.bib")
    assert references == {}
    (problem,) = problems
    assert problem.path == "content/references.bib"
    assert 3 <= problem.line <= 5
    assert problem.message.startswith("BibTeX is malformed")


def test_repeated_keys_are_named_at_the_repeat(tmp_path: Path) -> None:
    text = "@misc{same, title={A}, kind={policy}}\n@misc{Same, title={B}, kind={policy}}\n"
    _, problems = load(write(tmp_path, text), "b.bib")
    assert [p.line for p in problems] == [2]


def test_missing_file(tmp_path: Path) -> None:
    assert load(tmp_path / "none.bib", "content/none.bib")[1][0].line == 1


def test_unused_entries_in_file_order() -> None:
    references, _ = load(FIXTURE, "refs.bib")
    assert [r.key for r in unused(references, {"beta-guide"})] == ["alpha2020", "gamma-policy"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "@article{a,\n  title = {Unclosed,\n  year = {2020},\n  kind = {research},\n}\n\n"
            "@article{b,\n  title = {Fine},\n  year = {2020},\n  kind = {research},\n}\n",
            2,
            "BibTeX is malformed in entry 'a': a '{' on this line is never closed; add the "
            "missing '}'",
        ),
        (
            "@article{a,\n  title = {Fine},\n  year = 2020},\n  kind = {research},\n}\n",
            3,
            "BibTeX is malformed in entry 'a': a '}' too many on this line ends the entry "
            "early, so the fields after it would be lost; remove that '}'",
        ),
        (
            "@article{a,\n  title = {Fine},\n  kind = {policy},\n\n% a note\n"
            "@misc{b,\n  title = {Fine},\n  kind = {policy},\n}\n",
            3,
            "BibTeX is malformed in entry 'a': the entry is never closed; add a line with '}' "
            "after its last field",
        ),
    ],
)
def test_unpaired_braces_are_blamed_on_their_own_entry_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    _, problems = load(write(tmp_path, text), "content/references.bib")
    assert [(p.line, p.message) for p in problems] == [(line, message)]


def test_an_evidence_review_is_a_kind_of_its_own_and_needs_a_year(tmp_path: Path) -> None:
    text = (
        "@incollection{chapter, title = {Epidurals}, year = {2016},\n"
        "  url = {https://www.ncbi.nlm.nih.gov/books/NBK0/}, kind = {evidence-review}}\n"
        "@incollection{undated, title = {Drugs}, kind = {evidence-review}}\n"
    )
    references, problems = load(write(tmp_path, text), "content/references.bib")
    assert references["chapter"].kind == "evidence-review"
    assert references["chapter"].url == "https://www.ncbi.nlm.nih.gov/books/NBK0/"
    assert problems == [
        Problem(
            "content/references.bib",
            3,
            "entry 'undated' has no year; kind = {evidence-review} needs year = {YYYY} (the "
            "year published)",
        )
    ]
