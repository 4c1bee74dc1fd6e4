"""Citations: `[@key]` and `[@a; @b]` become numbered superscript links plus a References list.

Numbers follow first use in document order; a source keeps its number on the page. The
inline pattern only marks citations; a tree pass numbers them afterwards, because
Python-Markdown's inline pass does not visit elements in document order (list items are
processed after the paragraphs that follow them). Unknown keys and malformed citations are
`LineProblem`s found by reading the source lines, where line numbers still exist.

Usable without MkDocs, as any Python-Markdown extension:

    markdown.markdown(
        text,
        extensions=["guidesite.extensions.citations"],
        extension_configs={"guidesite.extensions.citations": {"bibliography": "refs.bib"}},
    )

The .bib file is read at the first conversion (not when the extension is configured, as
MkDocs does while checking its configuration), and a mistake in it stops that conversion.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from guidesite.content import bibliography
from guidesite.content.bibliography import Reference
from guidesite.content.problems import did_you_mean, line_at
from guidesite.content.prose import prose_text
from guidesite.extensions.reporting import TEMPLATE_DIRS, ProblemLog, ReportingExtension
from guidesite.rendering import Renderer
from guidesite.vocabularies import CITATION_MARK_CLASS, citation_anchor, reference_anchor

KEY = r"@[A-Za-z0-9_][\w:.\-/]*"
CITATION_RE = re.compile(rf"\[(?P<keys>{KEY}(?:\s*;\s*{KEY})*)\]")
# Anything that looks like an attempt at a citation, to catch `[@a, @b]` or `[@]`.
ATTEMPT_RE = re.compile(r"\[@[^\]]*\]")


def keys_of(match: re.Match[str]) -> list[str]:
    return [part.strip()[1:] for part in match.group("keys").split(";")]


@dataclass
class CitationState:
    """What the last conversion cited: keys in first-use order and each use's anchor id."""

    anchors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def order(self) -> list[str]:
        return list(self.anchors)


class CitationCheck(Preprocessor):
    """Reports unknown keys and malformed citations with their source line."""

    def __init__(self, md: Markdown, extension: CitationsExtension, log: ProblemLog) -> None:
        super().__init__(md)
        self.extension = extension
        self.log = log

    def run(self, lines: list[str]) -> list[str]:
        self.extension.state.anchors.clear()
        references = self.extension.references
        check_keys = self.extension.getConfig("check_keys")
        # A citation may wrap onto the next line as it may in a paragraph.
        text = prose_text(lines)
        for attempt in ATTEMPT_RE.finditer(text):
            line = line_at(text, attempt.start())
            match = CITATION_RE.fullmatch(attempt.group(0))
            if match is None:
                self.log.report(
                    line, f"malformed citation {attempt.group(0)}; write [@key] or [@one; @two]"
                )
                continue
            for key in keys_of(match):
                if check_keys and key not in references:
                    self.log.report(
                        line,
                        f"unknown citation key {key!r}{did_you_mean(key, references)}; "
                        "add it to references.bib or correct the key",
                    )
        return lines


class CitationPattern(InlineProcessor):
    """Marks a citation with its keys; `CitationNumbering` fills in numbers and links."""

    # Python-Markdown's InlineProcessor changes Pattern's handleMatch signature by design;
    # its own stubs silence the same mismatch.
    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        mark = etree.Element(
            "sup", {"class": CITATION_MARK_CLASS, "data-keys": " ".join(keys_of(m))}
        )
        return mark, m.start(0), m.end(0)


class CitationNumbering(Treeprocessor):
    """Numbers citations in document order, links them, and appends the References list."""

    def __init__(self, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(md)
        self.state = extension.state
        self.extension = extension
        self.renderer = extension.renderer

    @property
    def references(self) -> Mapping[str, Reference]:
        return self.extension.references

    def run(self, root: etree.Element) -> None:
        for mark in [el for el in root.iter("sup") if el.get("class") == CITATION_MARK_CLASS]:
            keys = mark.attrib.pop("data-keys").split()
            for index, key in enumerate(keys):
                self._link(mark, key, separator=index > 0)
        if self.state.anchors:
            root.extend(self._reference_list())

    def _link(self, mark: etree.Element, key: str, separator: bool) -> None:
        reference = self.references.get(key)
        if reference is None:
            link = etree.SubElement(mark, "span", {"class": "gs-cite__unknown"})
            link.text = f"?{key}"
        else:
            anchors = self.state.anchors.setdefault(key, [])
            anchors.append(citation_anchor(key, len(anchors) + 1))
            number = self.state.order.index(key) + 1
            link = etree.SubElement(
                mark,
                "a",
                {"href": f"#{reference_anchor(key)}", "id": anchors[-1], "title": reference.title},
            )
            link.text = str(number)
        if separator:
            previous = mark[-2]
            previous.tail = ","

    def _reference_list(self) -> list[etree.Element]:
        items = [
            {"number": n, "reference": self.references[key], "anchors": self.state.anchors[key]}
            for n, key in enumerate(self.state.order, start=1)
        ]
        html = self.renderer.render("citations/references.html", items=items)
        return list(etree.fromstring(f"<div>{html}</div>"))


def bibliography_file(options: Mapping[str, Any], project_dir: Path, docs_dir: Path) -> Path:
    """The .bib file this extension's options in mkdocs.yml name (relative to the project),
    else `references.bib` in the docs directory."""
    if "bibliography" in options:
        return project_dir / str(options["bibliography"])
    return docs_dir / "references.bib"


class CitationsExtension(ReportingExtension):
    """Registers the check, the inline pattern and the numbering pass."""

    CONFIG: ClassVar[dict[str, tuple[Any, str]]] = {
        **TEMPLATE_DIRS,
        "bibliography": ({}, "Path to a .bib file, or a mapping of key to Reference"),
        "check_keys": (True, "Report unknown keys (off while the .bib file is unreadable)"),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = CitationState()
        self.renderer = Renderer(self.getConfig("template_dirs"))

    @property
    def cited(self) -> list[str]:
        """Keys the last conversion cited, in first-use order."""
        return self.state.order

    @cached_property
    def references(self) -> Mapping[str, Reference]:
        """The bibliography, read once per extension (MkDocs converts each page anew)."""
        source = self.getConfig("bibliography")
        if not isinstance(source, str | Path):
            given: Mapping[str, Reference] = source
            return given
        references, problems = bibliography.load(Path(source), str(source))
        if problems:
            raise ValueError("\n".join(map(str, problems)))
        return references

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        # 27: after whitespace normalising (30), before fenced code is stashed (25).
        md.preprocessors.register(CitationCheck(md, self, self.log), "citation_check", 27)
        # 175: after code spans and escapes (190, 180) so `[@x]` in code stays literal, and
        # before reference links (170), which would otherwise read [@key] as a link label.
        md.inlinePatterns.register(CitationPattern(CITATION_RE.pattern, md), "citation", 175)
        # 15: after inline patterns (20) have marked every citation, before the table of
        # contents (5) so the References heading appears in it.
        md.treeprocessors.register(CitationNumbering(md, self), "citation_numbering", 15)


def makeExtension(**kwargs: Any) -> CitationsExtension:
    return CitationsExtension(**kwargs)
