"""The editorial dashboard: the generated page and `guidesite status` (table and JSON)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from bs4 import BeautifulSoup

from guidesite.content.bibliography import Reference
from guidesite.content.schema import parse_front_matter
from guidesite.site import dashboard
from tests.generator.projects import replace_key, run_cli
from tests.generator.test_site import GUIDE_PAGES

PAGE = "content/recurrence-after-epidural.md"


def ref(key: str, kind: str, line: int) -> Reference:
    return Reference(key, kind, "", f"Title of {key}", "", "2020", "", line)


def test_citations_resting_only_on_summaries_are_counted_per_citation() -> None:
    references = {k: ref(k, kind, n) for n, (k, kind) in enumerate(
        [("s1", "summary"), ("s2", "summary"), ("g1", "guideline")], 1)}  # fmt: skip
    text = (
        "One [@s1]. Two [@s1; @s2]. Backed [@s1; @g1]. Primary [@g1].\n"
        "```text\nIn code [@s2] is not a citation.\n```\nUnknown [@nope].\n"
    )
    assert dashboard.summary_only_citations(text, dashboard.summary_keys(references)) == 2


def test_pages_are_ordered_overdue_first_and_uncited_references_listed() -> None:
    def meta(page_id: str, due: str) -> object:
        text = (
            f"---\ntitle: {page_id}\nquestion: {page_id}?\naudience: patient\nstatus: submitted\n"
            f"last_updated: 2020-01-01\nnext_review: {due}\nreviewers: [A]\ntags: [x]\n"
            "related: []\nsummary: S.\n---\n\nBody.\n"
        )
        parsed, problems = parse_front_matter(page_id, f"content/{page_id}.md", text)
        assert problems == []
        return parsed

    dues = [("later", "2027-01-01"), ("late", "2026-11-20"), ("latest", "2026-01-01")]
    metas = {page_id: meta(page_id, due) for page_id, due in dues}
    references = {"a": ref("a", "guideline", 3), "b": ref("b", "summary", 9)}
    board = dashboard.make(
        metas,
        {"late": "[@b]"},
        references,
        {"b"},
        datetime.date(2026, 11, 25),  # type: ignore[arg-type]
    )
    assert [(r.page_id, r.days_to_review, r.due) for r in board.pages] == [
        ("latest", -328, "overdue by 328 days"),
        ("late", -5, "overdue by 5 days"),
        ("later", 37, "due in 37 days"),
    ]
    assert [r.summary_only_citations for r in board.pages] == [0, 1, 0]
    assert [r.key for r in board.uncited] == ["a"]


def test_status_lists_every_page_overdue_first_with_json_and_site_version(
    project_copy: Path,
) -> None:
    page = project_copy / PAGE
    text = replace_key(page.read_text(), "last_updated", "last_updated: 2020-01-01\n")
    history = "history:\n  - {date: 2020-01-01, change: First version.}\n"
    text = replace_key(text, "history", history)
    page.write_text(replace_key(text, "next_review", "next_review: 2020-06-01\n"))
    bib = project_copy / "content/references.bib"
    bib.write_text(bib.read_text() + "\n@misc{not-cited,\n  title = {T},\n  kind = {summary},\n}\n")
    (project_copy / "site").mkdir()
    (project_copy / "site" / "version.json").write_text('{"version": "2026.11.1"}')

    result = run_cli(project_copy, "status", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pages = report["pages"]
    assert len(pages) == len(GUIDE_PAGES)
    first = pages[0]
    assert first["page_id"] == "recurrence-after-epidural" and first["days_to_review"] < 0
    assert first["counterpart"] == "when-epidurals-do-not-work"
    assert first["audience"] == "clinician" and first["reviewers"]
    assert [p["days_to_review"] for p in pages] == sorted(p["days_to_review"] for p in pages)
    assert [u["key"] for u in report["uncited"]] == ["not-cited"]
    assert report["site_version"] == {"version": "2026.11.1"}

    table = run_cli(project_copy, "status")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["page", "audience", "status"]
    assert lines[2].startswith("recurrence-after-epidural ") and "OVERDUE BY" in lines[2]
    assert "  not-cited (summary, references.bib line " in table.stdout
    assert "2026.11.1" in table.stdout


def test_the_dashboard_page_is_built_but_in_no_menu_and_not_searchable(built_site: Path) -> None:
    board = BeautifulSoup((built_site / "dashboard.html").read_text(), "html.parser")
    rows = board.select(".gs-dashboard table tbody tr")
    assert len(rows) == len(GUIDE_PAGES)
    assert board.select_one("h1").get_text() == "Editorial dashboard"
    home = (built_site / "index.html").read_text()
    assert "dashboard.html" not in home
    assert "dashboard" not in (built_site / "search" / "search_index.json").read_text()
