"""Front-matter schema: what is accepted, and each mistake with its file line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from guidesite.content.problems import Problem
from guidesite.content.schema import (
    QUESTION_FIELDS,
    OrdinaryPage,
    PageMeta,
    parse_front_matter,
)
from guidesite.content.site_checks import check_links
from guidesite.content.sources import read_source

GOOD = """\
---
title: Short title
question: What next?
audience: clinician
status: under-review
last_updated: 2026-11-22
next_review: 2027-11-22
reviewers: ["A reviewer"]
tags: [epidural, radicular-pain]
related: []
summary: >
  The bottom line.
---

Body.
"""


def parse(text: str) -> tuple[PageMeta | OrdinaryPage | None, list[Problem]]:
    return parse_front_matter("page", "content/page.md", text)


def test_a_complete_page_parses_with_key_lines() -> None:
    meta, problems = parse(GOOD)
    assert problems == []
    assert isinstance(meta, PageMeta)
    assert meta.last_updated == datetime.date(2026, 11, 22)
    assert meta.tags == ("epidural", "radicular-pain")
    assert meta.summary == "The bottom line."
    assert meta.counterpart is None
    assert meta.lines["title"] == 2 and meta.lines["summary"] == 11
    assert meta.topic == "epidural"


def test_schema_declares_every_key_of_the_content_model() -> None:
    assert list(QUESTION_FIELDS) == [
        "kind", "title", "question", "audience", "status", "last_updated", "next_review",
        "reviewers", "tags", "related", "summary", "counterpart", "history",
    ]  # fmt: skip
    assert [k for k, f in QUESTION_FIELDS.items() if not f.required] == [
        "kind",
        "counterpart",
        "history",
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("audience: clinician", "audience: nurse", 4, "audience: must be one of clinician"),
        ("last_updated: 2026-11-22", "last_updated: 2026-02-30", 6, "last_updated: must be a real"),
        ("next_review: 2027-11-22", "next_review: 22/11/2027", 7, "next_review: must be a real"),
        ("next_review: 2027-11-22", "next_review: 2025-01-01", 7, "next_review is before"),
        ('reviewers: ["A reviewer"]', "reviewers: one person", 8, "reviewers: must be a list"),
        ("tags: [epidural, radicular-pain]", "tags:\n  - epidural\n  - Radicular_Pain", 11,
         "tags: 'Radicular_Pain' has an unknown format"),
        ("related: []", "related: [other.md]", 10, "'other.md' is not a page id"),
        ("title: Short title", "title: Short title\ncolour: blue", 3, "unknown front-matter key"),
        ("question: What next?\n", "", 1, "front matter has no 'question'"),
        ("title: Short title", "title: Short: title", 2, "front matter is not valid YAML"),
        ("status: under", "status under", 5, "this front-matter line has no ':' after its key"),
        ("title: Short", "title Short", 2, "this front-matter line has no ':' after its key"),
        ("related: []", "related: []\nsummary x", 11, "this front-matter line has no ':'"),
        ("tags: [epidural, radicular-pain]", "tags:\n\t- epidural", 10,
         "front matter has a tab character here; YAML allows only spaces"),
        ("related: []", "related: []\ntags: [other]", 11,
         "'tags' is given twice (lines 9 and 11); keep one of them"),
    ],
)  # fmt: skip
def test_each_mistake_is_reported_at_its_line(old: str, new: str, line: int, message: str) -> None:
    assert old in GOOD
    meta, problems = parse(GOOD.replace(old, new))
    assert meta is None
    assert len(problems) == 1
    assert problems[0].path == "content/page.md"
    assert problems[0].line == line
    assert message in problems[0].message


def test_all_mistakes_of_a_page_are_reported_together() -> None:
    text = GOOD.replace("audience: clinician", "audience: nurse").replace("2026-11-22", "soon")
    _, problems = parse(text)
    assert [p.line for p in problems] == [4, 6]


def test_a_file_without_front_matter() -> None:
    _, problems = parse("# Just a heading\n")
    assert problems == [
        Problem(
            "content/page.md",
            1,
            "no front matter; start the file with a '---' line, the keys, and '---'",
        )
    ]


def _page(page_id: str, audience: str, **extra: object) -> PageMeta:
    text = GOOD.replace("audience: clinician", f"audience: {audience}")
    meta, _ = parse_front_matter(page_id, f"content/{page_id}.md", text)
    assert isinstance(meta, PageMeta)
    lines = {**meta.lines, "related": 10, "counterpart": 12}
    return PageMeta(**{**meta.__dict__, "lines": lines, **extra})  # type: ignore[arg-type]


def test_links_must_name_pages_and_counterparts_pair_across_audiences() -> None:
    pages = {
        "a": _page("a", "clinician", counterpart="b", related=("missing",)),
        "b": _page("b", "patient", counterpart="a"),
        "c": _page("c", "clinician", counterpart="a"),
        "d": _page("d", "patient", counterpart="nowhere"),
    }
    messages = [(p.path, p.line, p.message.split(";")[0]) for p in check_links(pages, set(pages))]
    assert messages == [
        ("content/a.md", 10, "related names no page: 'missing'"),
        ("content/c.md", 12, "counterpart 'a' is also for clinicians"),
        ("content/d.md", 12, "counterpart names no page: 'nowhere'"),
    ]


def test_related_and_counterpart_never_name_an_ordinary_page() -> None:
    pages = {"a": _page("a", "clinician", counterpart="policy", related=("policy",))}
    messages = [p.message for p in check_links(pages, {"a", "policy"}, {"policy"})]
    assert messages == [
        "related names 'policy', an ordinary page (kind: page); related lists questions "
        "only, so link it from the text instead",
        "counterpart names 'policy', an ordinary page (kind: page); name the page that "
        "answers the same question for the other audience",
    ]


def test_a_one_sided_counterpart_is_an_error() -> None:
    pages = {"a": _page("a", "clinician", counterpart="b"), "b": _page("b", "patient")}
    (problem,) = check_links(pages, set(pages))
    assert problem.message == (
        "counterpart 'b' does not name this page back; add 'counterpart: a' to content/b.md"
    )


@pytest.mark.parametrize(
    ("summary", "accepted"),
    [
        ("Relief of 50 % or more, e.g. after an epidural. Repeat it [@a; @b]. Then review.", True),
        ("Offer it (see NICE NG59). Dose 2.5 mg. Review at 6 weeks. Stop if no help.", False),
        ("One. Two? Three! Four.", False),
    ],
)
def test_the_summary_is_one_to_three_sentences(summary: str, accepted: bool) -> None:
    meta, problems = parse(GOOD.replace("  The bottom line.", f"  {summary}"))
    assert (meta is not None) is accepted
    assert [p.line for p in problems] == ([] if accepted else [11])


def test_windows_and_old_mac_line_endings_read_like_unix_ones(tmp_path: Path) -> None:
    for name, ending in (("crlf.md", "\r\n"), ("cr.md", "\r")):
        source = tmp_path / name
        source.write_bytes(GOOD.replace("\n", ending).encode())
        text, problems = read_source(source, name, 100_000)
        assert problems == [] and text == GOOD
        meta, problems = parse(text)
        assert problems == [] and meta is not None and meta.lines["summary"] == 11


HISTORY = """\
history:
  - date: 2026-11-22
    change: Referral times checked against the pathway.
  - {date: 2026-03-01, change: First version.}
"""


def test_history_is_read_newest_first_with_entry_lines() -> None:
    meta, problems = parse(GOOD.replace("related: []\n", "related: []\n" + HISTORY))
    assert problems == []
    assert meta is not None
    assert [(e.date, e.change, e.line) for e in meta.history] == [
        (datetime.date(2026, 11, 22), "Referral times checked against the pathway.", 12),
        (datetime.date(2026, 3, 1), "First version.", 14),
    ]


@pytest.mark.parametrize(
    ("history", "line", "message"),
    [
        ("history: []\n", 11, "history: must be a list of changes, newest first"),
        ("history:\n  - 2026-11-22\n", 12,
         "history: every entry needs exactly a date and a change"),
        ("history:\n  - {date: 2026-11-22, change: x, by: me}\n", 12,
         "history: every entry needs exactly a date and a change"),
        ("history:\n  - {date: 2026-11-31, change: x}\n", 12,
         "history: entry date must be a real date written YYYY-MM-DD (got '2026-11-31')"),
        ("history:\n  - {date: 2026-11-22, change: ''}\n", 12,
         "history: entry change must be non-empty text"),
        ("history:\n  - {date: 2026-11-22, change: x}\n  - {date: 2026-11-23, change: y}\n", 13,
         "history: entry dated 2026-11-23 is newer than the one above it (2026-11-22)"),
        ("history:\n  - {date: 2026-11-21, change: x}\n", 6,
         "last_updated is 2026-11-22 but the newest history entry is dated 2026-11-21; add a "
         "history entry for this update at the top of 'history', or make the two dates the same"),
    ],
)  # fmt: skip
def test_each_history_mistake_is_reported_at_its_line(
    history: str, line: int, message: str
) -> None:
    _, problems = parse(GOOD.replace("related: []\n", "related: []\n" + history))
    assert [(p.line, p.message.startswith(message)) for p in problems] == [(line, True)], problems


ORDINARY = """\
---
kind: page
title: Editorial policy
footer: true
---

Who writes and reviews these pages.
"""


def test_an_ordinary_page_needs_only_a_kind_and_a_title() -> None:
    meta, problems = parse(ORDINARY.replace("footer: true\n", ""))
    assert problems == []
    assert meta == OrdinaryPage("page", "content/page.md", "Editorial policy", False, meta.lines)
    meta, problems = parse(ORDINARY)
    assert isinstance(meta, OrdinaryPage) and meta.footer and meta.lines["footer"] == 4


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("title: Editorial policy\n", "", 1, "front matter has no 'title'; add 'title: ...'"),
        ("footer: true", "footer: yes please", 4, "footer: must be true or false"),
        ("footer: true", "footre: true", 4,
         "unknown front-matter key 'footre' (did you mean 'footer'?); allowed: kind, title, "
         "footer, hide, icon, template, search"),
        ("footer: true", "audience: patient", 4,
         "'audience' is a key of guideline questions, not of an ordinary page (kind: page); "
         "remove it, or remove 'kind: page' to make this a question page"),
        ("kind: page", "kind: pgae", 2, "kind: must be one of question, page (got 'pgae')"),
    ],
)  # fmt: skip
def test_each_ordinary_page_mistake_is_reported_at_its_line(
    old: str, new: str, line: int, message: str
) -> None:
    meta, problems = parse(ORDINARY.replace(old, new))
    assert meta is None
    assert (problems[0].line, problems[0].message[: len(message)]) == (line, message)


@pytest.mark.parametrize("source", [GOOD, ORDINARY], ids=["question", "ordinary"])
def test_any_page_takes_materials_own_page_keys(source: str) -> None:
    keys = "hide: [toc, navigation]\nicon: material/scale-balance\ntemplate: wide.html\n"
    keys += "search: {exclude: false, boost: 2}\n"
    meta, problems = parse(source.replace("---\n", "---\n" + keys, 1))
    assert problems == [] and meta is not None
    assert meta.lines["hide"] == 2 and meta.lines["search"] == 5


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("hide: [tocs]", "hide: must be one of navigation, toc, footer, feedback, tags, path "
         "(got 'tocs') (did you mean 'toc'?)"),
        ("hid: [toc]", "unknown front-matter key 'hid' (did you mean 'hide'?)"),
        ("template: wide", "template: must name an HTML template"),
        ("search: {exclud: true}", "search: takes only exclude (true or false) and boost"),
        ("search: {boost: 0}", "search: boost must be a number above 0"),
        ("icon: ''", "icon: must be non-empty text"),
    ],
)  # fmt: skip
def test_a_misspelt_material_key_is_reported_at_its_line(key: str, message: str) -> None:
    meta, problems = parse(ORDINARY.replace("footer: true", key))
    assert meta is None
    assert [(p.line, p.message[: len(message)]) for p in problems] == [(4, message)]
