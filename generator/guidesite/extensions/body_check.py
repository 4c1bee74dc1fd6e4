"""Checks of a page body: headings and links as the editor wrote them, then the HTML the
page became against an allow-list.

    Never a second H1 (the question is the page's H1); every link to another page names a
    page this build publishes. The rendered HTML holds only the elements, attributes and
    URL schemes of `allowed_html`: no script, style, redirect, form that sends elsewhere or
    file from another host, whether written as raw HTML, as Markdown or as `attr_list`
    attributes (the intranet site makes no outside requests; plain links to sources are fine).

Like the citation check, a preprocessor reads the source lines (where line numbers still
exist), skipping fenced and inline code, and reports to the extension's `ProblemLog`; the
check of the rendered HTML, which has no line numbers, reports at the first line of the
source (entities decoded, code skipped) holding what it refuses.
The plugin passes `site` (a `SiteLinks`: which pages exist, which page is being converted);
used without it, links between pages are not checked.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import unquote

from markdown import Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from guidesite.content.problems import LineProblem, did_you_mean, line_at
from guidesite.content.prose import prose_lines, prose_text
from guidesite.extensions import allowed_html, raw_markup
from guidesite.extensions.reporting import ProblemLog, ReportingExtension

ATX_H1_RE = re.compile(r"^[ ]{0,3}#(?:[ \t]|$)")
SETEXT_H1_RE = re.compile(r"^[ ]{0,3}=+[ \t]*$")
TAG_RE = re.compile(r"<(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTR_RE = re.compile(
    r"(?P<name>[\w:-]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"
)
# Markdown links and images: `[text](target)`, `![alt](target)`, `[id]: target`, `![alt][id]`.
INLINE_LINK_RE = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]*)")
# (A footnote's note, `[^1]: text`, is not a link definition.)
REF_DEF_RE = re.compile(
    r"^[ ]{0,3}\[(?P<id>[^\]^][^\]]*)\]:\s*<?(?P<target>\S+?)>?(?:\s|$)", re.MULTILINE
)


class BodyCheck(Preprocessor):
    """Reads the raw lines once per conversion and reports what it finds."""

    def __init__(self, md: Markdown, site: SiteLinks | None, log: ProblemLog) -> None:
        super().__init__(md)
        self.site = site
        self.log = log
        # The last page's prose lines, entities decoded and lower-cased, to place findings
        # in the rendered HTML.
        self.prose: dict[int, str] = {}
        # Whether its raw HTML leaves an element open or closes one never opened: then the
        # literal Markdown after it is a consequence, not a mistake of its own.
        self.unbalanced = False

    def run(self, lines: list[str]) -> list[str]:
        text = prose_text(lines)
        self.prose = {number: html.unescape(line).lower() for number, line in prose_lines(lines)}
        if self.site is not None:
            self.site.fragments.clear()
        unbalanced = raw_markup.unbalanced(text)
        self.unbalanced = bool(unbalanced)
        problems = [
            *unbalanced,
            *self._headings(dict(prose_lines(lines))),
            *self._html_links(text),
            *self._markdown_links(text),
            *self._drawings(text),
        ]
        for problem in sorted(problems, key=lambda p: p.line):
            self.log.report(problem.line, problem.message)
        return lines

    def _headings(self, prose: Mapping[int, str]) -> list[LineProblem]:
        fix = "the question is the page's only level-1 heading; start sections with '## '"
        problems = [
            LineProblem(number, f"level-1 heading in the body; {fix}")
            for number, line in prose.items()
            if ATX_H1_RE.match(line)
        ]
        problems += [
            LineProblem(number - 1, f"level-1 heading in the body ('===' underline); {fix}")
            for number, line in prose.items()
            if SETEXT_H1_RE.match(line) and prose.get(number - 1, "").strip()
        ]
        return problems

    def _html_links(self, text: str) -> list[LineProblem]:
        """Links and images written as raw `<a href=...>` and `<img src=...>`."""
        problems = []
        for tag in TAG_RE.finditer(text):
            name = tag.group("name").lower()
            wanted = {"a": "href", "img": "src"}.get(name)
            for attr in ATTR_RE.finditer(tag.group("attrs")) if wanted else ():
                if attr.group("name").lower() == wanted:
                    value = next(v for v in attr.group("dq", "sq", "bare") if v is not None)
                    # As the browser reads it: `&#x6A;avascript:` is a script link, not a file.
                    value = html.unescape(value)
                    problems += self._link(line_at(text, tag.start()), value, name == "img")
        return problems

    def _drawings(self, text: str) -> list[LineProblem]:
        """SVG written by hand: once per drawing, at its first tag."""
        problems = []
        end = 0
        for tag in TAG_RE.finditer(text):
            name = tag.group("name").lower()
            if tag.start() < end or name not in allowed_html.DRAWING_ELEMENTS:
                continue
            closing = re.search(rf"</{name}\s*>", text[tag.end() :], re.IGNORECASE)
            end = tag.end() + closing.end() if closing else len(text)
            problems.append(
                LineProblem(
                    line_at(text, tag.start()),
                    f"<{name}> is part of a drawing, and only the site's generator draws (a "
                    "calculator's rules diagram); save the drawing as a file under content/ "
                    "and show it with ![what it shows](drawing.svg), or describe it in words",
                )
            )
        return problems

    def source_line(self, needles: tuple[str, ...]) -> int:
        """The first line of prose holding the first needle found (else line 1)."""
        for needle in needles:
            for number, line in self.prose.items():
                if needle in line:
                    return number
        return 1

    def _markdown_links(self, text: str) -> list[LineProblem]:
        """Links and images written in Markdown: inline, or as a reference definition."""
        problems = []
        for link in INLINE_LINK_RE.finditer(text):
            problems += self._link(
                line_at(text, link.start()), link.group("target"), bool(link.group("image"))
            )
        for definition in REF_DEF_RE.finditer(text):
            problems += self._link(
                line_at(text, definition.start()), definition.group("target"), False
            )
        return problems

    def _link(self, line: int, target: str, image: bool) -> list[LineProblem]:
        """A relative link names a page this build publishes or a file under content/; its
        `#fragment` is noted for `SiteLinks.fragments`, checked once every page is known."""
        site = self.site
        written, _, fragment = target.partition("#")
        path = unquote(written.split("?", 1)[0])
        if site is None or allowed_html.scheme(path) is not None or path[:1] == "/":
            return []
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(site.page), path))
        if not path:
            if fragment:
                site.fragments.append((line, target, site.page, fragment))
            return []
        if path.endswith(".md"):
            if resolved in site.published and fragment:
                site.fragments.append((line, target, resolved, fragment))
            return self._page_problems(line, target, path, resolved)
        if site.files is None or resolved in site.files:
            return []
        what = "image" if image else "link"
        start = posixpath.dirname(site.page) or "."
        others = [posixpath.relpath(f, start) for f in sorted(site.files)]
        return [
            LineProblem(
                line,
                f"{what} {target!r} is not a file under content/{did_you_mean(path, others)}; "
                "save the file there, or write its name relative to this page",
            )
        ]

    def _page_problems(self, line: int, target: str, path: str, resolved: str) -> list[LineProblem]:
        """A relative link to a .md file must name a page this build publishes."""
        site = self.site
        assert site is not None  # _link returns before without one
        if resolved in site.published:
            return []
        if resolved in site.left_out:
            return [
                LineProblem(
                    line,
                    f"links to {target!r}, which this approved-only build leaves out (its "
                    f"status is {site.left_out[resolved]}); remove the link or have that "
                    "page approved first",
                )
            ]
        return [
            LineProblem(
                line,
                f"links to {target!r}, which is not a page{did_you_mean(path, site.relative())}"
                "; write the file name of a page, relative to this page",
            )
        ]


class RenderedCheck(Postprocessor):
    """Reads the page's HTML once raw HTML is back in it, against `allowed_html`, and for
    Markdown left as text (`raw_markup`) unless a mistake already reported explains it (an
    HTML element left open, a malformed block header on that line)."""

    def __init__(self, md: Markdown, source: BodyCheck, log: ProblemLog) -> None:
        super().__init__(md)
        self.source = source
        self.log = log
        # Tree processors (toc, MkDocs' title) run the postprocessors on heading texts too;
        # only the run after the last tree processor is given the whole page.
        self.whole_page_next = False

    def run(self, text: str) -> str:
        if not self.whole_page_next:
            return text
        self.whole_page_next = False
        page = allowed_html.read(text)
        if self.source.site is not None:
            self.source.site.ids[self.source.site.page] = page.ids
        for refusal in page.refusals:
            self.log.report(self.source.source_line(refusal.needles), refusal.message)
        if self.source.unbalanced:
            return text
        explained = {problem.line for problem in self.log.problems}
        for refusal in raw_markup.literal_markdown(page.texts):
            line = self.source.source_line(refusal.needles)
            if line not in explained:
                self.log.report(line, refusal.message)
        return text


class _WholePageNext(Treeprocessor):
    """The last tree processor: tells the rendered check that the next run is the page."""

    def __init__(self, md: Markdown, check: RenderedCheck) -> None:
        super().__init__(md)
        self.check = check

    def run(self, root: etree.Element) -> None:
        self.check.whole_page_next = True


class SiteLinks:
    """Which pages and files exist for link checks, and what links to a `#fragment` need.

    The plugin fills it once it knows the site's files, and sets `page` before each page;
    the body check notes each link to a fragment of a published page in `fragments`
    (`(line, target as written, page, fragment)`, for the page being converted) and the
    ids each converted page has in `ids`. `files` None: files are not checked.
    """

    def __init__(
        self,
        published: set[str] | None = None,
        left_out: Mapping[str, str] | None = None,
        files: set[str] | None = None,
    ) -> None:
        self.published = published or set()
        self.left_out = dict(left_out or {})
        self.files = files
        self.page = ""
        self.fragments: list[tuple[int, str, str, str]] = []
        self.ids: dict[str, set[str]] = {}

    def relative(self) -> list[str]:
        """Published pages as the current page would link to them."""
        start = posixpath.dirname(self.page) or "."
        return [posixpath.relpath(p, start) for p in sorted(self.published)]


class BodyCheckExtension(ReportingExtension):
    """Registers the body check."""

    CONFIG: ClassVar[dict[str, tuple[Any, str]]] = {
        "site": ("", "A SiteLinks to check links between pages against (the plugin's)"),
    }

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        # 26: after whitespace normalising (30), before fenced code (25) and raw HTML (20)
        # are stashed away, so every line is still the editor's.
        check = BodyCheck(md, self.getConfig("site") or None, self.log)
        md.preprocessors.register(check, "guidesite_body_check", 26)
        # 5: after raw HTML is put back (30) and '&' restored (20), before a conversion on
        # its own raises what was found (0).
        rendered = RenderedCheck(md, check, self.log)
        md.postprocessors.register(rendered, "guidesite_rendered_check", 5)
        md.treeprocessors.register(_WholePageNext(md, rendered), "guidesite_whole_page", -1000)


def makeExtension(**kwargs: Any) -> BodyCheckExtension:
    return BodyCheckExtension(**kwargs)
