"""The body check alone: what it lets through matters as much as what it reports."""

from __future__ import annotations

import markdown
import pytest

from generator.content.problems import LineProblem
from generator.extensions.body_check import BodyCheckExtension, SiteLinks
from generator.extensions.reporting import ProblemLog


def problems(text: str, page: str = "topic/page.md") -> list[LineProblem]:
    site = SiteLinks({"topic/page.md", "topic/other.md", "index.md"}, {})
    site.page = page
    extension = BodyCheckExtension(site=site, problems=ProblemLog())
    markdown.Markdown(extensions=["fenced_code", extension]).convert(text)
    return extension.problems


@pytest.mark.parametrize(
    "text",
    [
        "A source: [NICE NG59](https://www.nice.org.uk/guidance/ng59).",
        '<a href="https://doi.org/10.1/x">the trial</a> and <https://example.org>',
        "[Other page](other.md#dose), [home](../index.md), [up](#top)",
        "![Local diagram](images/spine.png)",
        "## A section\n\nText with a # sign and a = b.",
        '```html\n<script src="https://example.org/x.js"></script>\n# not a heading\n```',
        "Type `<iframe>` or `[x](javascript:y)` to see why they are refused.",
        "Relief <50 % and pain > 7 are written as text.",
    ],
)
def test_ordinary_writing_is_accepted(text: str) -> None:
    assert problems(text) == []


@pytest.mark.parametrize(
    ("text", "line", "start"),
    [
        ("Intro.\n\nA title\n=======\n", 3, "level-1 heading in the body ('===' underline)"),
        # The address is what to change: reported where it is written.
        ("![Spine][fig]\n\n[fig]: https://example.org/s.png\n", 3, "image 'https://example.org"),
        ('<div style="background: url(//example.org/b.png)">x</div>', 1, "style= on <div> is not"),
        ('<img\n  src="https://example.org/a.png">', 2, "image 'https://example.org/a.png' is on"),
        ('Text.\n\n<meta http-equiv="refresh" content="0;url=https://example.org">', 3, "<meta>"),
        ("Text.\n\n<style>.gs-review { display: none }</style>\n", 3, "<style> is not allowed"),
        ('<form action="https://example.org/send">\n<input name="nhs">\n</form>', 1, "action="),
        ('A\n\n<a href="&#106;avascript:alert(1)">x</a>', 3, "a 'javascript:' link is not"),
        ('A\n\n<a href="java\tscript:alert(1)">x</a>', 3, "a 'javascript:' link is not"),
        ('<img src="data:image/png;base64,AAAA">', 1, "image 'data:image/png;base64,AAAA' is not"),
        ("<svg><circle r='4'/></svg>", 1, "<svg> is not allowed in a page (not an element"),
        ("[Missing](missing.md#part)", 1, "links to 'missing.md#part', which is not a page"),
        ("[Up a level](../other.md)", 1, "links to '../other.md', which is not a page"),
        ('<a href="JavaScript:go()">go</a>', 1, "a 'javascript:' link is not allowed"),
    ],
)
def test_mistakes_are_reported_at_their_line(text: str, line: int, start: str) -> None:
    (problem,) = problems(text)
    assert problem.line == line
    assert problem.message.startswith(start), problem.message


def test_left_out_pages_are_named_as_such() -> None:
    site = SiteLinks({"a.md"}, {"b.md": "submitted"})
    site.page = "a.md"
    extension = BodyCheckExtension(site=site, problems=ProblemLog())
    markdown.Markdown(extensions=[extension]).convert("See [b](b.md).")
    (problem,) = extension.problems
    assert "which this approved-only build leaves out (its status is submitted)" in problem.message


def test_without_a_site_links_between_pages_are_not_checked() -> None:
    extension = BodyCheckExtension(problems=ProblemLog())
    markdown.Markdown(extensions=[extension]).convert("[x](nowhere.md)\n\n# Title\n")
    assert [p.line for p in extension.problems] == [3]


@pytest.mark.parametrize(
    ("text", "line", "start"),
    [
        ('Text.\n\nA paragraph.\n{: onclick="alert(1)" }\n', 4, "event handler onclick= on <p>"),
        ('Text.\n\n[Go](page.md){href="javascript:x()"}\n', 3, "a 'javascript:' link"),
        ('Text.\n\n## A section {style="display: none"}\n', 3, "style= on <h2> is not"),
    ],
)
def test_attributes_written_with_attr_list_are_checked_too(
    text: str, line: int, start: str
) -> None:
    extension = BodyCheckExtension(problems=ProblemLog())
    markdown.Markdown(extensions=["attr_list", extension]).convert(text)
    (problem,) = extension.problems
    assert (problem.line, problem.message[: len(start)]) == (line, start)
