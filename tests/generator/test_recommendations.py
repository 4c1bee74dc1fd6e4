"""The recommendation block and "Recommendations at a glance" on their own: exact HTML,
numbering, and each mistake at its line (the site build's messages are in the catalogue)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from guidesite.content.bibliography import Reference
from guidesite.content.problems import LineProblem
from guidesite.extensions.recommendations import (
    CERTAINTIES,
    STRENGTHS,
    Recommendation,
    check_changed_dates,
    check_graded_evidence,
)
from tests.generator.conftest import Converted

Md = Callable[[str], Converted]

PAGE = """\
/// bottom-line
Refer early.
///

Intro.

/// recommendation
    id: refer-early
    strength: offer
    certainty: consensus
    change: amended
    changed: 2026-11-20
Refer disabling pain within *2 weeks* [@beta-guide].

Why: the pathway says so [@alpha2020].
///

/// recommendation
    id: no-fusion
    strength: only-in-research
    certainty: very-low
Do not offer fusion except in a trial [@alpha2020; @beta-guide].
///
"""

GLANCE = (
    '<section aria-labelledby="recommendations-at-a-glance" class="gs-glance">\n'
    '<h2 id="recommendations-at-a-glance">Recommendations at a glance</h2>\n'
    '<ol class="gs-glance__list">\n'
    '<li class="gs-glance__item gs-rec--offer" value="1">\n'
    '<a class="gs-glance__link" href="#rec-refer-early">Recommendation 1</a>\n'
    '<span class="gs-rec__strength gs-rec__strength--offer"><span aria-hidden="true" '
    'class="gs-rec__mark">\u25cf</span> Offer</span> '
    '<span class="gs-rec__change gs-rec__change--amended">[amended 2026]</span> '
    '<span class="gs-glance__statement">Refer disabling pain within <em>2 weeks</em>.</span>'
    "</li>\n"
    '<li class="gs-glance__item gs-rec--only-in-research" value="2">\n'
    '<a class="gs-glance__link" href="#rec-no-fusion">Recommendation 2</a>\n'
    '<span class="gs-rec__strength gs-rec__strength--only-in-research"><span '
    'aria-hidden="true" class="gs-rec__mark">\u25c7</span> Only in research</span> '
    '<span class="gs-glance__statement">Do not offer fusion except in a trial.</span></li>\n'
    "</ol>\n"
    "</section>\n"
)
FIRST = (
    '<section aria-labelledby="rec-refer-early-title" class="gs-rec gs-rec--offer" '
    'id="rec-refer-early">\n'
    '<p class="gs-rec__head">\n'
    '<a class="gs-rec__number" href="#rec-refer-early" id="rec-refer-early-title" '
    'title="Permanent link to this recommendation">Recommendation 1</a>\n'
    '<span class="gs-rec__strength gs-rec__strength--offer"><span aria-hidden="true" '
    'class="gs-rec__mark">\u25cf</span> Offer</span>\n'
    '<span class="gs-rec__certainty">Consensus: no graded evidence</span> '
    '<span class="gs-rec__change gs-rec__change--amended">[amended 2026]</span>\n'
    "</p>\n"
    '<p class="gs-rec__statement">Refer disabling pain within <em>2 weeks</em> '
    '<sup class="gs-cite"><a href="#ref-beta-guide" id="cite-beta-guide-1" '
    'title="Managing back pain">1</a></sup>.</p>\n'
    '<details class="gs-rec__rationale">\n'
    "<summary>Rationale and evidence</summary>\n"
    '<p>Why: the pathway says so <sup class="gs-cite"><a href="#ref-alpha2020" '
    'id="cite-alpha2020-1" title="A trial of Something useful">2</a></sup>.</p>\n'
    "</details>\n"
    "</section>\n"
)
SECOND = (
    '<section aria-labelledby="rec-no-fusion-title" class="gs-rec gs-rec--only-in-research" '
    'id="rec-no-fusion">\n'
    '<p class="gs-rec__head">\n'
    '<a class="gs-rec__number" href="#rec-no-fusion" id="rec-no-fusion-title" '
    'title="Permanent link to this recommendation">Recommendation 2</a>\n'
    '<span class="gs-rec__strength gs-rec__strength--only-in-research"><span '
    'aria-hidden="true" class="gs-rec__mark">\u25c7</span> Only in research</span>\n'
    '<span class="gs-rec__certainty">Very low certainty evidence</span>\n'
    "</p>\n"
    '<p class="gs-rec__statement">Do not offer fusion except in a trial <sup class="gs-cite">'
    '<a href="#ref-alpha2020" id="cite-alpha2020-2" title="A trial of Something useful">2</a>,'
    '<a href="#ref-beta-guide" id="cite-beta-guide-2" title="Managing back pain">1</a>'
    "</sup>.</p>\n"
    "</section>\n"
)


def test_blocks_are_numbered_graded_and_listed_at_a_glance_under_the_bottom_line(
    md: Md,
) -> None:
    result = md(PAGE)
    bottom_line, rest = result.html.split("</div>\n", 1)
    assert bottom_line.startswith('<div class="admonition gs-callout bottom-line">')
    assert rest.split('<section class="gs-references"')[0] == (
        GLANCE + "<p>Intro.</p>\n" + FIRST + SECOND
    )
    assert result.problems == []
    # Citations in the glance copies are left out, so numbering follows the blocks.
    assert result.cited == ["beta-guide", "alpha2020"]


def test_without_a_bottom_line_the_glance_comes_first_and_no_blocks_means_no_glance(
    md: Md,
) -> None:
    text = PAGE.split("///\n\n", 1)[1]
    assert md(text).html.startswith(GLANCE + "<p>Intro.</p>\n" + FIRST)
    assert "gs-glance" not in md("/// bottom-line\nRefer early.\n///\n\nIntro.\n").html


def test_each_strength_has_its_own_mark_and_words_and_certainties_are_words() -> None:
    marks = [grade.mark for grade in STRENGTHS.values()]
    words = [grade.words for grade in STRENGTHS.values()]
    assert len(set(marks)) == len(marks) == 4 and all(marks)
    assert words == ["Offer", "Consider", "Do not offer", "Only in research"]
    assert list(CERTAINTIES) == [
        "high", "moderate", "low", "very-low", "consensus", "not-graded"
    ]  # fmt: skip
    assert CERTAINTIES["not-graded"].words == "Not graded"


def block(*options: str, body: str = "Offer it [@alpha2020].") -> str:
    return "/// recommendation\n" + "".join(f"    {o}\n" for o in options) + body + "\n///\n"


GRADED = ("strength: offer", "certainty: low")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (block("strength: offer", "certainty: low"), 1,
         "recommendation needs '    id: <short-slug>' under its header"),
        (block("id: Bad_Id", *GRADED), 1, "recommendation id 'Bad_Id' is not a short slug"),
        (block("id: a", "strength: strong", "certainty: low"), 1,
         "unknown strength 'strong'; use one of offer, consider, do-not-offer, only-in-research"),
        (block("id: a", "strength: offer"), 1, "recommendation needs 'certainty: ...' (one of "
         "high, moderate, low, very-low, consensus, not-graded) under its header"),
        (block("id: a", *GRADED, "change: changed", "changed: 2026-01-01"), 1,
         "unknown change 'changed'; use one of new, amended"),
        (block("id: a", *GRADED, "change: new", "changed: soon"), 1,
         "changed: 'soon' is not a date; write changed: YYYY-MM-DD"),
        ("Intro.\n\n" + block("id: a", *GRADED) + "\n" + block("id: a", *GRADED), 10,
         "recommendation id 'a' is already used by recommendation 1 on this page"),
        ("Intro.\n\n" + block("id: a", *GRADED, body="No source."), 3,
         "recommendation 1 cites no source"),
        (block("id: a", *GRADED, body="- A list [@alpha2020]."), 1,
         "recommendation 1 cites no source"),
        (block("id: a", *GRADED, body="Do not offer opioids for sciatica [@alpha2020]."), 1,
         "recommendation 1 says 'Do not' but its strength is offer ('Offer'); if the "
         "statement is right, write '    strength: do-not-offer', else reword it to start "
         "with 'Offer'"),
        (block("id: a", "strength: consider", "certainty: low", body="Offer it [@alpha2020]."),
         1, "recommendation 1 says 'Offer' but its strength is consider"),
        (block("id: a", "strength: do-not-offer", "certainty: low", body="Use it [@alpha2020]."),
         1, "recommendation 1 has strength do-not-offer but its statement does not say 'Do "
         "not offer'; start it with 'Do not offer', or correct the strength"),
        (block("id: a", *GRADED, body="Offer it [@alpha2020]. Then more. And more."), 1,
         "recommendation 1 has 3 sentences; a recommendation is one or two sentences"),
    ],
)  # fmt: skip
def test_each_mistake_is_reported_at_the_block_header(
    md: Md, text: str, line: int, message: str
) -> None:
    problems = md(text).problems
    assert [p.line for p in problems] == [line], problems
    assert message in problems[0].message


@pytest.mark.parametrize(
    ("strength", "statement"),
    [
        ("offer", "Refer radicular pain that stops daily activities [@alpha2020]."),
        ("offer", "Offer physiotherapy, and do not delay it [@alpha2020]."),
        ("consider", "When pain returns after surgery, consider MRI [@alpha2020]."),
        ("do-not-offer", "Do not routinely offer imaging [@alpha2020]. Explain why."),
        ("only-in-research", "Do not offer fusion except within a trial [@alpha2020]."),
    ],
)
def test_statements_worded_as_their_strength_are_accepted(
    md: Md, strength: str, statement: str
) -> None:
    text = block("id: a", f"strength: {strength}", "certainty: low", body=statement)
    assert md(text).problems == []


def test_a_change_after_the_pages_last_update_is_reported_at_its_block() -> None:
    def rec(line: int, changed: datetime.date | None) -> Recommendation:
        change = "new" if changed else None
        return Recommendation("a", 1, line, "offer", "low", change, changed)

    recs = [rec(3, datetime.date(2026, 11, 22)), rec(9, datetime.date(2026, 11, 23)), rec(12, None)]
    assert check_changed_dates(recs, datetime.date(2026, 11, 22)) == [
        LineProblem(
            9,
            "changed: 2026-11-23 is after the page's last_updated (2026-11-22); correct the "
            "date, or add a history entry for the change and update last_updated",
        )
    ]


def test_a_block_left_out_for_bad_options_does_not_shift_the_next_blocks_line(md: Md) -> None:
    text = block("id: a", *GRADED, "colour: red") + "\n" + block("id: b", *GRADED, body="None.")
    assert [(p.line, p.message.split(";")[0]) for p in md(text).problems] == [
        (1, "'/// recommendation': unknown option 'colour'"),
        (9, "recommendation 1 cites no source"),
    ]


def test_a_block_knows_every_key_its_statement_and_rationale_cite_once(md: Md) -> None:
    (first, second) = md(PAGE).recommendations
    assert first.cited == ("beta-guide", "alpha2020")
    assert second.cited == ("alpha2020", "beta-guide")
    rationale = "Offer it [@alpha2020].\n\n- As the review grades it [@review; @alpha2020]."
    (listed,) = md(block("id: a", *GRADED, body=rationale)).recommendations
    assert listed.cited == ("alpha2020", "review")


def reference(key: str, kind: str) -> Reference:
    return Reference(key, kind, "", "A title", "", "2020", "", 1)


REFERENCES = {
    "review": reference("review", "evidence-review"),
    "guide": reference("guide", "guideline"),
}


@pytest.mark.parametrize(
    ("certainty", "cited", "reported"),
    [
        ("low", ("guide",), True),
        ("very-low", (), True),
        ("high", ("unknown-key",), True),
        ("moderate", ("guide", "review"), False),
        ("very-low", ("review",), False),
        ("consensus", ("guide",), False),
        ("not-graded", (), False),
    ],
)
def test_a_grade_level_needs_an_evidence_review_among_the_blocks_citations(
    certainty: str, cited: tuple[str, ...], reported: bool
) -> None:
    rec = Recommendation("a", 1, 7, "consider", certainty, cited=cited)
    problems = check_graded_evidence([rec], REFERENCES)
    assert problems == (
        [
            LineProblem(
                7,
                f"certainty: {certainty} names no evidence review that grades it; cite the "
                "review in the recommendation or its rationale (an entry with kind = "
                "{evidence-review} in references.bib), or write certainty: not-graded",
            )
        ]
        if reported
        else []
    )
