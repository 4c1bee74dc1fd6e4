"""Graded, numbered recommendations, and "Recommendations at a glance" under the bottom line.

    /// recommendation
        id: refer-disabling-pain
        strength: offer
        certainty: consensus
        change: new
        changed: 2026-11-22
    Refer a new disabling weakness for specialist assessment within 2 weeks [@lee2013].

    Why: the pathway's own time frame ...
    ///

The first paragraph is the recommendation and must cite; everything after it is the
rationale, folded under it. Blocks are numbered in page order; each reports its mistakes
at its header line (generator/guidesite/extensions/blocks.py); the plugin checks `changed` against
the page's `last_updated`, and each graded certainty against the kinds of the entries the
block cites, which only it knows. The vocabulary below is the one place the words and
marks for each strength and certainty are declared.
"""

from __future__ import annotations

import copy
import datetime
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX
from pymdownx.blocks import BlocksProcessor
from pymdownx.blocks.block import type_any, type_string

from guidesite.content.bibliography import EVIDENCE_REVIEW, Reference
from guidesite.content.problems import LineProblem, did_you_mean
from guidesite.extensions import recommendation_wording
from guidesite.extensions.blocks import BlocksExtension, DeclaredBlock, html_elements
from guidesite.extensions.citations import CITATION_RE, keys_of
from guidesite.extensions.reporting import TEMPLATE_DIRS
from guidesite.rendering import Renderer
from guidesite.vocabularies import CITATION_MARK_CLASS


@dataclass(frozen=True)
class Grade:
    """How a strength or certainty is shown: words, and for strengths a mark (not colour)."""

    words: str
    mark: str = ""
    rating: str = ""  # the strength as a rating, for machine readers (FHIR)


STRENGTHS = {
    "offer": Grade("Offer", "\u25cf", "Strong recommendation for"),
    "consider": Grade("Consider", "\u25d0", "Conditional recommendation for"),
    "do-not-offer": Grade("Do not offer", "\u2298", "Strong recommendation against"),
    "only-in-research": Grade("Only in research", "\u25c7", "Only in the context of research"),
}
CERTAINTIES = {
    "high": Grade("High certainty evidence"),
    "moderate": Grade("Moderate certainty evidence"),
    "low": Grade("Low certainty evidence"),
    "very-low": Grade("Very low certainty evidence"),
    # The source says its committee recommended it without evidence.
    "consensus": Grade("Consensus: no graded evidence"),
    # Graded nowhere this site has read: the source does not grade, or its grades are unread.
    "not-graded": Grade("Not graded"),
}
# GRADE levels: each must come from an evidence review the block cites.
GRADED = ("high", "moderate", "low", "very-low")
CHANGES = ("new", "amended")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PLACEHOLDER_RE = re.compile(f"{STX}[^{ETX}]*{ETX}")
SLOT = "data-gs-slot"


@dataclass
class Recommendation:
    """One block as the page and the site know it (number in page order, source line)."""

    id: str
    number: int
    line: int
    strength: str
    certainty: str
    change: str | None = None
    changed: datetime.date | None = None
    text: str = ""  # the statement as plain text, set once inline Markdown is done
    cited: tuple[str, ...] = ()  # keys cited in the statement and the rationale
    statement: etree.Element | None = field(default=None, repr=False, compare=False)

    @property
    def anchor(self) -> str:
        return f"rec-{self.id}"

    @property
    def grade(self) -> Grade:
        return STRENGTHS.get(self.strength, Grade(self.strength))

    @property
    def evidence(self) -> Grade:
        return CERTAINTIES.get(self.certainty, Grade(self.certainty))


@dataclass
class PageState:
    """The recommendations of one conversion, in page order."""

    recommendations: list[Recommendation] = field(default_factory=list)


def _choice_problem(name: str, value: str, choices: dict[str, Grade] | tuple[str, ...]) -> str:
    allowed = ", ".join(choices)
    if not value:
        return f"recommendation needs '{name}: ...' (one of {allowed}) under its header"
    return f"unknown {name} {value!r}{did_you_mean(value, choices)}; use one of {allowed}"


class RecommendationBlock(DeclaredBlock):
    """A numbered, graded statement with its rationale folded underneath."""

    NAME = "recommendation"
    ARGUMENT = False
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {
        "id": ("", type_string),
        "strength": ("", type_string),
        "certainty": ("", type_string),
        "change": ("", type_string),
        "changed": (None, type_any),
    }

    def on_init(self) -> None:
        super().on_init()
        self.state: PageState = self.config["state"]
        self.renderer: Renderer = self.config["renderer"]

    def on_validate(self, parent: etree.Element) -> bool:
        super().on_validate(parent)
        state = self.state
        options = self.options
        self.rec = Recommendation(
            id=options["id"],
            number=len(state.recommendations) + 1,
            line=self.line,
            strength=options["strength"],
            certainty=options["certainty"],
            change=options["change"] or None,
            changed=options["changed"] if isinstance(options["changed"], datetime.date) else None,
        )
        for message in self._option_problems():
            self.report(message)
        state.recommendations.append(self.rec)
        return True

    def _option_problems(self) -> list[str]:
        rec, options = self.rec, self.options
        problems = []
        if not ID_RE.match(rec.id):
            problems.append(
                f"recommendation id {rec.id!r} is not a short slug; write '    id: ' and "
                "lowercase words joined by hyphens, e.g. refer-disabling-pain"
                if rec.id
                else "recommendation needs '    id: <short-slug>' under its header, "
                "e.g. refer-disabling-pain; it is its permanent web address"
            )
        first = next((r for r in self.state.recommendations if rec.id and r.id == rec.id), None)
        if first is not None:
            problems.append(
                f"recommendation id {rec.id!r} is already used by recommendation "
                f"{first.number} on this page; give each recommendation its own id"
            )
        if rec.strength not in STRENGTHS:
            problems.append(_choice_problem("strength", rec.strength, STRENGTHS))
        if rec.certainty not in CERTAINTIES:
            problems.append(_choice_problem("certainty", rec.certainty, CERTAINTIES))
        if rec.change and rec.change not in CHANGES:
            problems.append(_choice_problem("change", rec.change, CHANGES))
        if options["changed"] is not None and rec.changed is None:
            problems.append(
                f"changed: {options['changed']!r} is not a date; write changed: YYYY-MM-DD"
            )
        if rec.change and options["changed"] is None:
            problems.append(
                f"'change: {rec.change}' needs the date it was made: add '    changed: YYYY-MM-DD'"
            )
        if options["changed"] is not None and not rec.change:
            problems.append(
                "'changed' needs 'change: new' or 'change: amended' to say what changed; "
                "add one, or remove 'changed'"
            )
        return problems

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "section")

    def on_end(self, block: etree.Element) -> None:
        body = list(block)
        statement = body[0] if body and body[0].tag == "p" else None
        if statement is None or not CITATION_RE.search(statement.text or ""):
            self.report(
                f"recommendation {self.rec.number} cites no source; its first paragraph "
                "is the recommendation and needs a citation, e.g. [@nice-ng59]",
            )
        if statement is not None:
            for message in recommendation_wording.problems(
                self.rec.number, self.rec.strength, statement.text or ""
            ):
                self.report(message)
        rationale = body[1:] if statement is not None else body
        # Inline Markdown has not run yet, so citations are still `[@key]` text.
        self.rec.cited = tuple(
            dict.fromkeys(
                key
                for child in body
                for match in CITATION_RE.finditer("".join(child.itertext()))
                for key in keys_of(match)
            )
        )
        for child in body:
            block.remove(child)
        html = self.renderer.render(
            "recommendations/block.html",
            rec=self.rec,
            rationale=bool(rationale),
        )
        (rendered,) = html_elements(html)
        block.attrib.update(rendered.attrib)
        block.text = rendered.text
        block.extend(rendered)
        if statement is not None:
            statement.set("class", "gs-rec__statement")
        fill(block, "statement", [statement] if statement is not None else [])
        fill(block, "rationale", rationale)
        self.rec.statement = statement


def fill(root: etree.Element, slot: str, elements: list[etree.Element]) -> None:
    """Put `elements` where the template left `<div data-gs-slot="slot"/>`."""
    for parent in root.iter():
        for index, child in enumerate(parent):
            if child.get(SLOT) == slot:
                parent.remove(child)
                for offset, element in enumerate(elements):
                    parent.insert(index + offset, element)
                return


def without_citations(element: etree.Element) -> etree.Element:
    """A copy of `element` without its citation marks, or the space before them."""
    element = copy.deepcopy(element)
    element.tail = None
    for parent in list(element.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag != "sup" or child.get("class") != CITATION_MARK_CLASS:
                continue
            if index:
                before = parent[index - 1]
                before.tail = (before.tail or "").rstrip() + (child.tail or "")
            else:
                parent.text = (parent.text or "").rstrip() + (child.tail or "")
            parent.remove(child)
    return element


class AtAGlance(Treeprocessor):
    """Adds "Recommendations at a glance" after the bottom line (or first) and fills `text`."""

    def __init__(self, md: Markdown, extension: RecommendationsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        recs = self.extension.state.recommendations
        if not recs:
            return
        html = self.extension.renderer.render("recommendations/glance.html", recs=recs)
        (glance,) = html_elements(html)
        for rec in recs:
            if rec.statement is None:
                continue
            statement = without_citations(rec.statement)
            statement.tag = "span"
            statement.attrib = {"class": "gs-glance__statement"}
            rec.text = " ".join(PLACEHOLDER_RE.sub("", "".join(statement.itertext())).split())
            fill(glance, f"statement-{rec.number}", [statement])
        # The bottom line is first under MkDocs; `guidesite prepare` puts the page header
        # (raw HTML) before it.
        boxes = [n for n, child in enumerate(root) if "bottom-line" in (child.get("class") or "")]
        root.insert(boxes[0] + 1 if boxes else 0, glance)


def check_changed_dates(
    recommendations: list[Recommendation], last_updated: datetime.date
) -> list[LineProblem]:
    """A recommendation cannot have changed after the page was last updated."""
    return [
        LineProblem(
            rec.line,
            f"changed: {rec.changed} is after the page's last_updated ({last_updated}); "
            "correct the date, or add a history entry for the change and update last_updated",
        )
        for rec in recommendations
        if rec.changed is not None and rec.changed > last_updated
    ]


def check_graded_evidence(
    recommendations: list[Recommendation], references: Mapping[str, Reference]
) -> list[LineProblem]:
    """A GRADE level is only as good as the evidence review that states it: the block must
    cite one (an entry of kind evidence-review)."""
    return [
        LineProblem(
            rec.line,
            f"certainty: {rec.certainty} names no evidence review that grades it; cite the "
            "review in the recommendation or its rationale (an entry with kind = "
            f"{{{EVIDENCE_REVIEW}}} in references.bib), or write certainty: not-graded",
        )
        for rec in recommendations
        if rec.certainty in GRADED
        and not any(
            key in references and references[key].kind == EVIDENCE_REVIEW for key in rec.cited
        )
    ]


class RecommendationsExtension(BlocksExtension):
    """Registers the block and the glance; `recommendations` holds the last conversion's."""

    BLOCKS = (RecommendationBlock,)
    CONFIG: ClassVar[dict[str, tuple[Any, str]]] = TEMPLATE_DIRS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = PageState()
        self.renderer = Renderer(self.getConfig("template_dirs"))

    @property
    def recommendations(self) -> list[Recommendation]:
        return list(self.state.recommendations)

    def context(self) -> dict[str, Any]:
        return {"state": self.state, "renderer": self.renderer}

    def new_page(self) -> None:
        self.state.recommendations.clear()

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        # 17: after inline Markdown (20) so statements are complete, before citations are
        # numbered (15), so the glance copies carry no citation marks to number.
        md.treeprocessors.register(AtAGlance(md, self), "recommendations_glance", 17)


def makeExtension(**kwargs: Any) -> RecommendationsExtension:
    return RecommendationsExtension(**kwargs)
