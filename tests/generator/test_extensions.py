"""The Markdown extensions on their own: exact HTML, and the mistakes they report."""

from __future__ import annotations

from collections.abc import Callable

from guidesite.content.problems import LineProblem
from tests.generator.conftest import Converted

Md = Callable[[str], Converted]

REFERENCES_ALPHA_BETA = (
    '<section class="gs-references" id="references">\n'
    '<h2 id="references-heading">References</h2>\n'
    '<ol class="gs-references__list">\n'
    '<li class="gs-reference" id="ref-beta-guide" value="1">\n'
    '<span class="gs-kind gs-kind--guideline">guideline</span>\n'
    '<span class="gs-reference__authors">National Testing Institute.</span> '
    '<cite class="gs-reference__title">Managing back pain.</cite>\n'
    '<span class="gs-reference__source">National Testing Institute. Guideline T1.</span> '
    '<span class="gs-reference__year">2019.</span> '
    '<a class="gs-reference__link" href="https://example.org/t1">https://example.org/t1</a> '
    '<span class="gs-reference__backlinks">Cited at\n'
    '<a aria-label="Back to citation 1 of reference 1" class="gs-backlink" '
    'href="#cite-beta-guide-1">\u21a91</a>\n'
    '<a aria-label="Back to citation 2 of reference 1" class="gs-backlink" '
    'href="#cite-beta-guide-2">\u21a92</a>\n'
    "</span>\n"
    "</li>\n"
    '<li class="gs-reference" id="ref-alpha2020" value="2">\n'
    '<span class="gs-kind gs-kind--research">research</span>\n'
    '<span class="gs-reference__authors">Smith AB, Jones C.</span> '
    '<cite class="gs-reference__title">A trial of Something useful.</cite>\n'
    '<span class="gs-reference__source">Journal of Tests 12(3):45\u201367.</span> '
    '<span class="gs-reference__year">2020.</span> '
    '<a class="gs-reference__link" href="https://doi.org/10.1000/xyz">'
    "https://doi.org/10.1000/xyz</a> "
    '<span class="gs-reference__backlinks">Cited at\n'
    '<a aria-label="Back to citation 1 of reference 2" class="gs-backlink" '
    'href="#cite-alpha2020-1">\u21a91</a>\n'
    "</span>\n"
    "</li>\n"
    "</ol>\n"
    "</section>"
)


def test_citations_are_numbered_by_first_use_with_a_reference_list(md: Md) -> None:
    result = md(
        """
        - First use in a list [@beta-guide].

        Later [@alpha2020; @beta-guide].
        """
    )
    assert result.html == (
        "<ul>\n"
        '<li>First use in a list <sup class="gs-cite"><a href="#ref-beta-guide" '
        'id="cite-beta-guide-1" title="Managing back pain">1</a></sup>.</li>\n'
        "</ul>\n"
        '<p>Later <sup class="gs-cite"><a href="#ref-alpha2020" id="cite-alpha2020-1" '
        'title="A trial of Something useful">2</a>,<a href="#ref-beta-guide" '
        'id="cite-beta-guide-2" title="Managing back pain">1</a></sup>.</p>\n'
        + REFERENCES_ALPHA_BETA
    )
    assert result.cited == ["beta-guide", "alpha2020"]
    assert result.problems == []


def test_citations_in_code_stay_literal_and_no_list_is_added(md: Md) -> None:
    result = md(
        """
        Write `[@alpha2020]` to cite.

        ```
        [@not-checked]
        ```
        """
    )
    assert result.html == (
        "<p>Write <code>[@alpha2020]</code> to cite.</p>\n<p><code>[@not-checked]</code></p>"
    )
    assert result.problems == []
    assert result.cited == []


def test_unknown_and_malformed_citations_are_reported_with_their_line(md: Md) -> None:
    result = md("Intro.\n\nSee [@nobody] and\n[@alpha2020, @beta-guide].\n")
    assert result.problems == [
        LineProblem(
            3, "unknown citation key 'nobody'; add it to references.bib or correct the key"
        ),
        LineProblem(
            4,
            "malformed citation [@alpha2020, @beta-guide]; write [@key] or [@one; @two]",
        ),
    ]
    assert '<span class="gs-cite__unknown">?nobody</span>' in result.html


def test_red_flag_with_title(md: Md) -> None:
    result = md(
        """
        /// red-flag | Send today
        - Saddle numbness
        ///
        """
    )
    assert result.html == (
        '<div class="admonition gs-callout red-flag">\n'
        '<p class="admonition-title"><span class="gs-callout__label">Red flag</span>: '
        "Send today</p>\n"
        "<ul>\n<li>Saddle numbness</li>\n</ul>\n"
        "</div>"
    )
    assert result.problems == []


def test_pitfall_without_title(md: Md) -> None:
    assert md("/// pitfall\nDo not do this.\n///\n").html == (
        '<div class="admonition gs-callout pitfall">\n'
        '<p class="admonition-title"><span class="gs-callout__label">Pitfall</span></p>\n'
        "<p>Do not do this.</p>\n"
        "</div>"
    )


def test_disagreement_with_citations_inside(md: Md) -> None:
    result = md("/// disagreement | Gabapentinoids\nOne view [@alpha2020].\n///\n")
    assert result.html.startswith(
        '<div class="admonition gs-callout disagreement">\n'
        '<p class="admonition-title"><span class="gs-callout__label">Sources disagree</span>: '
        "Gabapentinoids</p>\n"
        '<p>One view <sup class="gs-cite"><a href="#ref-alpha2020" id="cite-alpha2020-1" '
        'title="A trial of Something useful">1</a></sup>.</p>\n'
        "</div>\n"
        '<section class="gs-references" id="references">'
    )


def test_bottom_line_box(md: Md) -> None:
    assert md("/// bottom-line\nDo the simple thing.\n///\n").html == (
        '<div class="admonition gs-callout bottom-line">\n'
        '<p class="admonition-title"><span class="gs-callout__label">Bottom line</span></p>\n'
        "<p>Do the simple thing.</p>\n"
        "</div>"
    )


def test_unclosed_callout_is_reported_at_its_opening_line(md: Md) -> None:
    result = md("Intro.\n\n/// red-flag | Open\ntext\n\n/// pitfall\nclosed\n///\n")
    assert result.problems == [
        LineProblem(3, "'/// red-flag' is never closed; add a line '///' after its content")
    ]


def test_callout_with_bad_options_is_reported_not_rendered_silently(md: Md) -> None:
    result = md("/// pitfall | Careful\n    colour: red\ntext\n///\n")
    assert result.problems == [
        LineProblem(1, "'/// pitfall': unknown option 'colour'; allowed: attrs")
    ]


def test_callout_options_that_are_not_yaml_mapping(md: Md) -> None:
    result = md("/// pitfall | Careful\n    - just a list\ntext\n///\n")
    assert result.problems == [
        LineProblem(
            1, "'/// pitfall': options are not 'key: value' YAML lines indented by 4 spaces"
        )
    ]


def test_disagreement_needs_a_title_and_unknown_blocks_are_named(md: Md) -> None:
    result = md("/// disagreement\ntext\n///\n\n/// warning | Hm\ntext\n///\n")
    assert result.problems == [
        LineProblem(1, "'/// disagreement' needs a title: '/// disagreement | <title>'"),
        LineProblem(
            5,
            "unknown block '/// warning'; use one of: bottom-line, disagreement, pitfall, "
            "recommendation, red-flag",
        ),
    ]


def test_block_markers_inside_code_fences_are_ignored(md: Md) -> None:
    assert md("```\n/// red-flag\n```\n").problems == []
