"""The body check alone: what it lets through matters as much as what it reports."""

from __future__ import annotations

import markdown
import pytest

from guidesite.content.problems import LineProblem
from guidesite.extensions.body_check import BodyCheckExtension, SiteLinks
from guidesite.extensions.reporting import ProblemLog


def problems(text: str, page: str = "topic/page.md") -> list[LineProblem]:
    pages = {"topic/page.md", "topic/other.md", "index.md"}
    site = SiteLinks(pages, {}, files={*pages, "topic/images/spine.png"})
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
        ('A\n\n<a href="&#x6A;avascript:alert(1)">x</a>', 3, "a 'javascript:' link is not"),
        ('A\n\n<a href="java\tscript:alert(1)">x</a>', 3, "a 'javascript:' link is not"),
        ('<img src="data:image/png;base64,AAAA">', 1, "image 'data:image/png;base64,AAAA' is not"),
        ("<center>Dose</center>", 1, "<center> is not allowed in a page (not an element"),
        # The generator draws SVG (the rules diagram); an editor's drawing is refused once.
        (
            'Text.\n\n<svg viewBox="0 0 9 9">\n<rect width="9" height="9"/>\n</svg>',
            3,
            "<svg> is part of a drawing, and only the site's generator draws",
        ),
        ("A <rect width='9'/> alone.", 1, "<rect> is part of a drawing"),
        ("[Missing](missing.md#part)", 1, "links to 'missing.md#part', which is not a page"),
        ("[Up a level](../other.md)", 1, "links to '../other.md', which is not a page"),
        (
            "Text.\n\n![Spine](images/spin.png)",
            3,
            "image 'images/spin.png' is not a file under "
            "content/ (did you mean 'images/spine.png'?)",
        ),
        ('<a href="leaflet.pdf">Leaflet</a>', 1, "link 'leaflet.pdf' is not a file under content/"),
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


def converted(text: str) -> tuple[str, list[LineProblem]]:
    """`text` through the site's own list, footnote and admonition extensions and the check."""
    site = SiteLinks({"page.md"}, {}, files={"page.md"})  # footnotes are not links to files
    site.page = "page.md"
    extension = BodyCheckExtension(site=site, problems=ProblemLog())
    md = markdown.Markdown(
        extensions=[
            "admonition",
            "footnotes",
            "guidesite.extensions.lists",
            "attr_list",
            "md_in_html",
            "fenced_code",
            "tables",
            extension,
        ],
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    return md.convert(text), extension.problems


@pytest.mark.parametrize(
    ("text", "element"),
    [
        ("Take these steps:\n- rest\n- walk\n", "<p>Take these steps:</p>\n<ul>\n<li>rest"),
        ("Then:\n\n3. rest\n4. walk\n", '<ol start="3">\n<li>rest</li>'),
        ("Before:\n1. rest\n2. walk\n", "<p>Before:</p>\n<ol>\n<li>rest</li>"),
        ("- look for:\n  - herniation\n  - stenosis\n", "<li>look for:<ul>\n<li>herniation"),
        ("Rest[^1].\n\n[^1]: For 2 days.\n", '<li id="fn:1">\n<p>For 2 days.'),
        ('!!! danger "Stop"\n    Do not lift.\n', '<div class="admonition danger">'),
        ("In\n2024. the trial ended.\n", "<p>In\n2024. the trial ended.</p>"),
        ("| Dose | Time |\n|:--|--:|\n| 5 mg | 2 days |\n", '<td align="right">2 days</td>'),
        ("```text\n## [@a] |x|\n```\n", '<code class="language-text">## [@a] |x|'),
    ],
)
def test_markdown_written_as_in_a_word_processor_renders_as_meant(text: str, element: str) -> None:
    html, problems = converted(text)
    assert element in html
    assert problems == []


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            'Intro.\n\n<div class="note">\n\nSee [@a].\n\n## Next\n',
            3,
            "<div> is opened here but not closed, so what follows would be published as raw "
            "text; add </div> where the element ends",
        ),
        (
            "Intro.\n\n</div>\n",
            3,
            "</div> closes an element that is not open; remove it, or add <div> where the "
            "element starts",
        ),
        (
            "Intro.\n\n<details><summary>More</summary>\n\nSee [@a].\n</details>\n",
            5,
            "'See [@a].' would be published as written, not as a citation; write it outside "
            "raw HTML, whose text is published as it is",
        ),
        (
            "Then:\n3. rest\n4. walk\n",
            2,
            "'3. rest' would be published as written, not as a list item; leave a blank line "
            "before the list",
        ),
        ("- outer\n    - nested by 4\n", 2, "'- nested by 4' would be published as written"),
        ("Rest[^2].\n", 1, "'Rest[^2].' would be published as written, not as a footnote"),
        (
            "| Dose | Time |\n| 5 mg | 2 days |\n",
            1,
            "'| Dose | Time |' would be published as written",
        ),
    ],
)
def test_markup_that_would_be_published_raw_is_reported_once_at_its_line(
    text: str, line: int, message: str
) -> None:
    _, problems = converted(text)
    assert [p.line for p in problems] == [line], problems
    assert problems[0].message.startswith(message)
