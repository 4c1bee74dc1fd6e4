"""`guidesite new`: a page with valid front matter whose placeholders `check` reports."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from guidesite.cli.skeleton import next_review
from guidesite.content.schema import parse_front_matter
from tests.generator.projects import run_check, run_cli

NEW = "content/leg-pain-what-next.md"


def test_new_page_has_valid_front_matter_and_check_lists_each_placeholder(
    project_copy: Path,
) -> None:
    result = run_cli(
        project_copy,
        "new",
        "leg-pain-what-next",
        "--audience",
        "patient",
        "--title",
        "Leg pain: next",
    )
    assert result.returncode == 0, result.stderr
    text = (project_copy / NEW).read_text()
    meta, problems = parse_front_matter("leg-pain-what-next", NEW, text)
    assert problems == [] and meta is not None
    today = datetime.date.today()
    assert (meta.title, meta.audience, meta.status) == ("Leg pain: next", "patient", "submitted")
    assert (meta.last_updated, meta.next_review) == (today, next_review(today))

    placeholders = [n for n, line in enumerate(text.splitlines(), 1) if "FILL IN:" in line]
    assert len(placeholders) == 5  # question, reviewers, tags, summary, body
    check = run_check(project_copy)
    assert check.returncode != 0
    reported = [
        int(n)
        for n in re.findall(rf"^{NEW}:(\d+): placeholder not filled in \(", check.stderr, re.M)
    ]
    assert reported == placeholders, check.stderr

    filled = (
        text.replace('"FILL IN: the question', '"What next for leg pain? The question', 1)
        .replace("FILL IN: who will review the page, e.g. ", "", 1)
        .replace("tags: []  # FILL IN:", "tags: [leg-pain]  #", 1)
        .replace("FILL IN: the bottom line in one to three sentences", "See your doctor.", 1)
    )
    filled = re.sub(r"\nFILL IN: the answer.*\n", "\nThe answer.\n", filled)
    (project_copy / NEW).write_text(filled)
    check = run_check(project_copy)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    ("page_id", "message"),
    [
        ("recurrence-after-epidural", "already exists; choose another page id"),
        ("Leg Pain", "'Leg Pain' is not a page id; use lowercase words joined by hyphens"),
    ],
)
def test_new_refuses_an_existing_page_or_a_bad_id(
    project_copy: Path, page_id: str, message: str
) -> None:
    before = sorted(p.name for p in (project_copy / "content").iterdir())
    result = run_cli(project_copy, "new", page_id, "--audience", "clinician", "--title", "T")
    assert result.returncode == 1
    assert message in result.stderr
    assert sorted(p.name for p in (project_copy / "content").iterdir()) == before


def test_next_review_is_a_year_on() -> None:
    assert next_review(datetime.date(2026, 11, 25)) == datetime.date(2027, 11, 25)
    assert next_review(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
