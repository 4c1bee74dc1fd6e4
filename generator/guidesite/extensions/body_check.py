"""Checks of a page body as the editor wrote it: headings, unsafe HTML, outside hosts, links.

    Never a second H1 (the question is the page's H1); no <script>, <iframe>, `on...=`
    handlers or `javascript:` links; no image, stylesheet or embed from another host (the
    intranet site makes no outside requests; plain links to sources are fine); every link
    to another page names a page this build publishes.

Like the citation check, a preprocessor reads the source lines (where line numbers still
exist), skipping fenced and inline code, and reports to the extension's `ProblemLog`.
The plugin passes `site` (a `SiteLinks`: which pages exist, which page is being converted);
used without it, links between pages are not checked.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import unquote

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from guidesite.content.problems import LineProblem, did_you_mean, line_at
from guidesite.content.prose import prose_lines, prose_text
from guidesite.extensions.reporting import ProblemLog, ReportingExtension

ATX_H1_RE = re.compile(r"^[ ]{0,3}#(?:[ \t]|$)")
SETEXT_H1_RE = re.compile(r"^[ ]{0,3}=+[ \t]*$")
TAG_RE = re.compile(r"<(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTR_RE = re.compile(
    r"(?P<name>[\w:-]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"
)
FORBIDDEN_TAGS = ("script", "iframe", "frame", "object", "embed", "base")
# Attributes that make the browser fetch something as soon as the page loads.
FETCHING_ATTRS = ("src", "srcset", "data", "poster", "background")
SCRIPT_URL_RE = re.compile(r"^\s*(?:javascript|vbscript):", re.IGNORECASE)
OUTSIDE_RE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
STYLE_URL_RE = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Markdown links and images: `[text](target)`, `![alt](target)`, `[id]: target`, `![alt][id]`.
INLINE_LINK_RE = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]*)")
REF_DEF_RE = re.compile(
    r"^[ ]{0,3}\[(?P<id>[^\]]+)\]:\s*<?(?P<target>\S+?)>?(?:\s|$)", re.MULTILINE
)
REF_IMAGE_RE = re.compile(r"!\[(?P<text>[^\]]*)\](?:\[(?P<id>[^\]]*)\])?")


class BodyCheck(Preprocessor):
    """Reads the raw lines once per conversion and reports what it finds."""

    def __init__(self, md: Markdown, site: SiteLinks | None, log: ProblemLog) -> None:
        super().__init__(md)
        self.site = site
        self.log = log

    def run(self, lines: list[str]) -> list[str]:
        text = prose_text(lines)
        problems = [
            *self._headings(dict(prose_lines(lines))),
            *self._html(text),
            *self._markdown_links(text),
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

    def _html(self, text: str) -> list[LineProblem]:
        problems = []
        for tag in TAG_RE.finditer(text):
            line, name = line_at(text, tag.start()), tag.group("name").lower()
            if name in FORBIDDEN_TAGS:
                problems.append(
                    LineProblem(
                        line,
                        f"<{name}> is not allowed in a page (scripts and embedded pages are "
                        "blocked on the intranet); remove it, or ask for a Markdown block",
                    )
                )
                continue
            for attr in ATTR_RE.finditer(tag.group("attrs")):
                attr_name = attr.group("name").lower()
                value = next(v for v in attr.group("dq", "sq", "bare") if v is not None)
                message = self._attribute_problem(name, attr_name, value)
                if message:
                    problems.append(LineProblem(line, message))
                elif attr_name == "href" and name == "a":
                    problems += self._page_link(line, value)
        return problems

    def _attribute_problem(self, tag: str, name: str, value: str) -> str | None:
        if name.startswith("on"):
            return (
                f"event handler {name}= on <{tag}> is not allowed (no scripts in pages); "
                "remove the attribute"
            )
        if SCRIPT_URL_RE.match(value):
            return f"{name}= on <{tag}> is a script link; link to a page or a source instead"
        fetches = name in FETCHING_ATTRS or (tag == "link" and name == "href")
        styled = name == "style" and STYLE_URL_RE.search(value)
        if (fetches and OUTSIDE_RE.match(value)) or styled:
            return (
                f"<{tag} {name}=...> loads {value!r} from another host; the intranet site makes "
                "no outside requests, so save the file under content/ and point to it there"
            )
        return None

    def _markdown_links(self, text: str) -> list[LineProblem]:
        problems = []
        definitions = {m.group("id").lower(): m for m in REF_DEF_RE.finditer(text)}
        for link in INLINE_LINK_RE.finditer(text):
            problems += self._target(
                line_at(text, link.start()), link.group("target"), bool(link.group("image"))
            )
        for image in REF_IMAGE_RE.finditer(text):
            label = (image.group("id") or image.group("text")).lower()
            if label in definitions:
                problems += self._target(
                    line_at(text, image.start()), definitions[label].group("target"), True
                )
        for definition in definitions.values():
            problems += self._target(
                line_at(text, definition.start()), definition.group("target"), False
            )
        return problems

    def _target(self, line: int, target: str, image: bool) -> list[LineProblem]:
        if SCRIPT_URL_RE.match(target):
            return [LineProblem(line, "a 'javascript:' link is not allowed; link to a page")]
        if image and OUTSIDE_RE.match(target):
            return [
                LineProblem(
                    line,
                    f"image {target!r} is on another host; the intranet site makes no outside "
                    "requests, so save the image under content/ and link to that file",
                )
            ]
        return [] if image else self._page_link(line, target)

    def _page_link(self, line: int, target: str) -> list[LineProblem]:
        """A relative link to a .md file must name a page this build publishes."""
        site = self.site
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if site is None or not path.endswith(".md") or SCHEME_RE.match(path) or path[:1] == "/":
            return []
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(site.page), path))
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


class SiteLinks:
    """Which pages exist for link checks: the converted page, published and left-out ones.

    The plugin fills it once it knows the site's files, and sets `page` before each page.
    """

    def __init__(
        self, published: set[str] | None = None, left_out: Mapping[str, str] | None = None
    ) -> None:
        self.published = published or set()
        self.left_out = dict(left_out or {})
        self.page = ""

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


def makeExtension(**kwargs: Any) -> BodyCheckExtension:
    return BodyCheckExtension(**kwargs)
