"""Site shape: navigation, related questions, topics, home groups."""

from __future__ import annotations

import datetime

from guidesite.content.schema import PageMeta
from guidesite.site.pages import SiteIndex, nav, with_bottom_line


def meta(
    page_id: str, audience: str = "clinician", tags: tuple[str, ...] = ("a",), **extra: object
) -> PageMeta:
    values: dict[str, object] = {
        "page_id": page_id,
        "path": f"content/{page_id}.md",
        "title": page_id.upper(),
        "question": f"{page_id}?",
        "audience": audience,
        "status": "submitted",
        "last_updated": datetime.date(2026, 1, 1),
        "next_review": datetime.date(2027, 1, 1),
        "reviewers": ("R",),
        "tags": tags,
        "related": (),
        "summary": "S.",
        **extra,
    }
    return PageMeta(**values)  # type: ignore[arg-type]


def test_nav_groups_pages_by_audience_then_calculators_and_generated_pages() -> None:
    pages = {
        m.page_id: m for m in (meta("b"), meta("a"), meta("p", "patient"), meta("calculators/odi"))
    }
    assert nav(pages) == [
        {"Home": "index.md"},
        {"For clinicians": ["a.md", "b.md"]},
        {"For patients": ["p.md"]},
        {"Calculators": ["calculators/odi.md"]},
        {"Topics": "topics.md"},
        {"All references": "references.md"},
        {"What's new": "whats-new.md"},
    ]


def test_a_large_audience_menu_is_split_by_topic() -> None:
    pages = {
        f"q{n:02}": meta(f"q{n:02}", tags=("epidural" if n % 2 else "post-surgical",))
        for n in range(13)
    }
    menu = nav(pages)[1]["For clinicians"]
    assert [next(iter(group)) for group in menu] == ["Epidural", "Post surgical"]
    assert menu[0]["Epidural"] == [f"q{n:02}.md" for n in range(1, 13, 2)]
    assert sum(len(uris) for group in menu for uris in group.values()) == 13


def test_a_large_topic_is_split_into_runs_of_titles_at_most_30_entries_a_level() -> None:
    pages = {f"q{n:04}": meta(f"q{n:04}", tags=("epidural",)) for n in range(1000)}
    topic = nav(pages)[1]["For clinicians"][0]["Epidural"]
    # 1 000 pages: two runs of 500 (a run of 900 or fewer needs one level fewer), each in
    # 17 runs of 30 or fewer, each listing its pages.
    assert [next(iter(run)) for run in topic] == ["Q0000 to Q0499", "Q0500 to Q0999"]
    first = topic[0]["Q0000 to Q0499"]
    assert len(first) == 17 and next(iter(first[-1])) == "Q0480 to Q0499"

    def leaves(entries: list[object]) -> list[str]:
        found: list[str] = []
        for entry in entries:
            if isinstance(entry, dict):
                for inner in entry.values():
                    assert len(inner) <= 30
                    found += leaves(inner)
            else:
                found.append(str(entry))
        return found

    # Every page once, still in title order.
    assert leaves(topic) == [f"q{n:04}.md" for n in range(1000)]


def test_a_run_is_named_by_the_first_words_of_its_first_and_last_titles() -> None:
    pages = {
        f"q{n:02}": meta(f"q{n:02}", tags=("t",), title=f"Question {n:02} about back pain")
        for n in range(31)
    }
    topic = nav(pages)[1]["For clinicians"][0]["T"]
    # 31 pages: two runs, of 16 and 15.
    assert [next(iter(run)) for run in topic] == [
        "Question 00 about … to Question 15 about …",
        "Question 16 about … to Question 30 about …",
    ]


def test_related_puts_explicit_pages_first_then_most_shared_tags() -> None:
    index = SiteIndex(
        pages={
            "x": meta("x", tags=("a", "b"), related=("z",)),
            "one": meta("one", tags=("a",)),
            "two": meta("two", tags=("a", "b")),
            "z": meta("z", tags=("c",)),
            "none": meta("none", tags=("d",)),
        }
    )
    assert [m.page_id for m in index.related(index.pages["x"], limit=6)] == ["z", "two", "one"]
    assert [m.page_id for m in index.related(index.pages["x"], limit=2)] == ["z", "two"]


def test_pages_with_the_same_tags_each_get_the_others_never_themselves() -> None:
    # The ranking is worked out once per tag set: each page still leaves itself out, and a
    # page's explicit choices still come first and are not repeated.
    same = ("a", "b")
    index = SiteIndex(
        pages={
            "p1": meta("p1", tags=same, related=("q",)),
            "p2": meta("p2", tags=same),
            "p3": meta("p3", tags=same),
            "p4": meta("p4", tags=same),
            "q": meta("q", tags=("a",)),
        }
    )
    related = {
        page_id: [m.page_id for m in index.related(index.pages[page_id], limit=3)]
        for page_id in ("p2", "p4", "p1", "p3", "q")
    }
    assert related == {
        "p2": ["p1", "p3", "p4"],
        "p4": ["p1", "p2", "p3"],
        "p1": ["q", "p2", "p3"],
        "p3": ["p1", "p2", "p4"],
        "q": ["p1", "p2", "p3"],
    }


def test_topics_and_home_groups() -> None:
    index = SiteIndex(
        pages={
            "x": meta("x", tags=("b", "a")),
            "y": meta("y", tags=("a",)),
            "calculators/odi": meta("calculators/odi", tags=("a",)),
        }
    )
    assert {t: [m.page_id for m in ms] for t, ms in index.topics().items()} == {
        "a": ["calculators/odi", "x", "y"],
        "b": ["x"],
    }
    assert [(t, [m.page_id for m in ms]) for t, ms in index.home_groups()] == [
        ("a", ["y"]),
        ("b", ["x"]),
        ("calculators", ["calculators/odi"]),
    ]


def test_bottom_line_goes_first_and_counts_its_lines() -> None:
    text, added = with_bottom_line("Body.\n", " The answer [@k].\n")
    assert text == "/// bottom-line\nThe answer [@k].\n///\n\nBody.\n"
    assert added == 4
