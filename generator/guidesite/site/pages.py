"""The site's shape: generated pages (home, topics, all references, what's new, clinical
safety, the editorial dashboard), nav, related questions.

Generated pages are written by the renderer's front end (virtual files in the MkDocs plugin,
files in `guidesite prepare`'s staging directory; never into content/); their bodies are
templates rendered once every page's citations are known.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from guidesite.build_time import build_date
from guidesite.content.bibliography import Reference
from guidesite.content.hazards import Hazard
from guidesite.content.schema import HistoryEntry, OrdinaryPage, PageMeta
from guidesite.extensions.recommendations import Recommendation
from guidesite.site import dashboard
from guidesite.vocabularies import AUDIENCES

CALCULATOR_DIR = "calculators/"


@dataclass(frozen=True)
class GeneratedPage:
    """A page the generator writes; each renderer (the MkDocs plugin, `guidesite prepare`)
    adds it from this one description."""

    src_uri: str
    title: str
    template: str
    in_nav: bool = True
    in_approved_only: bool = True  # published by an approved-only build
    needs_hazard_log: bool = False  # only when the site has a hazard log
    front_matter: Mapping[str, Any] = field(default_factory=dict)  # besides the title
    # More for the template under `guide` (e.g. the dashboard's rows), computed once every
    # page was read: (site index, page sources by id, bibliography) -> values.
    context: (
        Callable[[SiteIndex, Mapping[str, str], Mapping[str, Reference]], dict[str, Any]] | None
    ) = None

    def source(self) -> str:
        """The page's Markdown source: front matter only, the template draws the body."""
        meta = yaml.safe_dump({"title": self.title, **self.front_matter}, sort_keys=False)
        return f"---\n{meta}---\n"


def editorial_dashboard(
    index: SiteIndex, texts: Mapping[str, str], references: Mapping[str, Reference]
) -> dashboard.Dashboard:
    """Every page read so far with its review state, and the sources no page cites."""
    cited = {key for keys in index.cited.values() for key in keys}
    return dashboard.make(index.pages, texts, references, cited, build_date())


def _dashboard_context(
    index: SiteIndex, texts: Mapping[str, str], references: Mapping[str, Reference]
) -> dict[str, Any]:
    return {"dashboard": editorial_dashboard(index, texts, references)}


HOME = "index.md"
# For reviewers, last in the menu and linked from every footer; only when there is a hazard log.
SAFETY = "clinical-safety.md"
GENERATED = (
    GeneratedPage(HOME, "Home", "guidesite/home.html"),
    GeneratedPage("topics.md", "Topics", "guidesite/topics.html"),
    GeneratedPage("references.md", "All references", "guidesite/references.html"),
    GeneratedPage("whats-new.md", "What's new", "guidesite/whats-new.html"),
    GeneratedPage(
        SAFETY,
        "Clinical safety",
        "guidesite/safety.html",
        in_approved_only=False,  # for reviewers of the full site
        needs_hazard_log=True,
    ),
    # For editors only: in no menu (nor search), and never in a published build. Material
    # leaves it out of the search index and gives the wide table the toc column.
    GeneratedPage(
        "dashboard.md",
        "Editorial dashboard",
        "guidesite/dashboard.html",
        in_nav=False,
        in_approved_only=False,
        front_matter={"search": {"exclude": True}, "hide": ["toc"]},
        context=_dashboard_context,
    ),
)


RESERVED_NAME = "this file name is reserved for a generated page; rename the file"


def generated_pages(*, approved_only: bool, has_hazard_log: bool) -> tuple[GeneratedPage, ...]:
    """The generated pages this build publishes."""
    return tuple(
        page
        for page in GENERATED
        if (page.in_approved_only or not approved_only)
        and (has_hazard_log or not page.needs_hazard_log)
    )


def page_id(src_uri: str) -> str:
    """`when-first-treatment-fails.md` -> `when-first-treatment-fails` (ids in front matter)."""
    return src_uri.removesuffix(".md")


def is_calculator(meta: PageMeta) -> bool:
    return meta.page_id.startswith(CALCULATOR_DIR)


# Past this many pages, an audience's menu is split by topic: `navigation.prune` renders only
# the open branch, so each page's HTML then grows with its topic, not with the whole site.
TOPIC_MENU_AT = 12
# A topic with more pages than this is split again into runs of titles, and a run into
# runs, so every menu level lists at most this many entries: each page's menu then grows
# with the logarithm of its topic. At 10 000 generated pages a topic of about 600
# questions listed on every page of it made each page 434 KB and the build superlinear.
MENU_ENTRIES = 30


def _menu(group: list[PageMeta]) -> list[Any]:
    if len(group) <= TOPIC_MENU_AT:
        return [f"{m.page_id}.md" for m in group]
    by_topic: dict[str, list[PageMeta]] = defaultdict(list)
    for m in group:
        by_topic[m.topic].append(m)
    return [
        {topic.replace("-", " ").capitalize(): _runs(pages)}
        for topic, pages in sorted(by_topic.items())
    ]


def _runs(pages: list[PageMeta]) -> list[Any]:
    """Pages sorted by title, in at most MENU_ENTRIES entries a level, each run named by
    its first and last titles."""
    if len(pages) <= MENU_ENTRIES:
        return [f"{m.page_id}.md" for m in pages]
    # As few runs as keep each run's own menu a level shallower, of even sizes.
    span = MENU_ENTRIES
    while span * MENU_ENTRIES < len(pages):
        span *= MENU_ENTRIES
    count = -(-len(pages) // span)
    size = -(-len(pages) // count)
    chunks = [pages[start : start + size] for start in range(0, len(pages), size)]
    return [{f"{_lead(run[0])} to {_lead(run[-1])}": _runs(run)} for run in chunks]


def _lead(meta: PageMeta) -> str:
    """A title's first three words: enough to place a run between its neighbours."""
    words = meta.title.split()
    return " ".join(words[:3]) + (" …" if len(words) > 3 else "")


def nav(
    pages: Mapping[str, PageMeta], generated: tuple[GeneratedPage, ...] | None = None
) -> list[Any]:
    """Home, questions by audience (by topic within a large audience), calculators, then the
    generated pages: topics, all references and, when there is one, clinical safety."""
    by_title = sorted(pages.values(), key=lambda m: m.title.lower())
    questions = [m for m in by_title if not is_calculator(m)]
    sections: list[tuple[str, list[PageMeta]]] = [
        *((a.badge, [m for m in questions if m.audience == a.name]) for a in AUDIENCES),
        ("Calculators", [m for m in by_title if is_calculator(m)]),
    ]
    if generated is None:
        generated = generated_pages(approved_only=False, has_hazard_log=False)
    items: list[Any] = [{"Home": HOME}]
    items += [{title: _menu(group)} for title, group in sections if group]
    items += [{p.title: p.src_uri} for p in generated if p.in_nav and p.src_uri != HOME]
    return items


@dataclass(frozen=True)
class PageChange:
    """One history entry of one published page, for the site-wide lists."""

    page: PageMeta
    entry: HistoryEntry


@dataclass
class SiteIndex:
    """Everything pages know about each other: metadata, URLs and who cites what."""

    pages: dict[str, PageMeta] = field(default_factory=dict)  # questions and calculators
    ordinary: dict[str, OrdinaryPage] = field(default_factory=dict)  # kind: page
    urls: dict[str, str] = field(default_factory=dict)
    cited: dict[str, list[str]] = field(default_factory=dict)
    recommendations: dict[str, list[Recommendation]] = field(default_factory=dict)
    # Pages by shared tags, per tag set and length (`_sharing_tags`).
    _ranked: dict[tuple[frozenset[str], int], list[PageMeta]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def footer_links(self) -> list[tuple[str, str]]:
        """(title, url) of each ordinary page with `footer: true`, by title."""
        chosen = sorted(
            (p for p in self.ordinary.values() if p.footer), key=lambda p: p.title.lower()
        )
        return [(p.title, self.urls[p.page_id]) for p in chosen]

    def related(self, meta: PageMeta, limit: int) -> list[PageMeta]:
        """Explicit `related` first, then pages sharing the most tags."""
        # An approved-only build leaves some related pages out; they are not linked.
        explicit = [self.pages[i] for i in meta.related if i in self.pages]
        # One more than needed: the page itself is among those sharing its tags.
        ranked = self._sharing_tags(frozenset(meta.tags), limit + len(explicit) + 1)
        shared = [other for other in ranked if other.page_id != meta.page_id]
        chosen: dict[str, PageMeta] = {}
        for other in explicit + shared:
            chosen.setdefault(other.page_id, other)
        return list(chosen.values())[:limit]

    def _sharing_tags(self, tags: frozenset[str], count: int) -> list[PageMeta]:
        """The first `count` pages sharing any of `tags`, most shared tags first, then by
        title. Worked out once per tag set: pages with the same tags share the answer, and
        one scan of every page per page made large sites quadratic (about 5 minutes of a
        10 000-page build). Read only once `pages` is complete (while pages are rendered)."""
        key = (tags, count)
        if key not in self._ranked:
            self._ranked[key] = heapq.nsmallest(
                count,
                (other for other in self.pages.values() if tags & set(other.tags)),
                key=lambda other: (-len(tags & set(other.tags)), other.title.lower()),
            )
        return self._ranked[key]

    def counterpart(self, meta: PageMeta) -> PageMeta | None:
        """The same question for the other audience, when this build publishes it."""
        return self.pages.get(meta.counterpart) if meta.counterpart else None

    def topics(self) -> dict[str, list[PageMeta]]:
        """Each tag with its pages, both sorted."""
        tagged: dict[str, list[PageMeta]] = defaultdict(list)
        for meta in sorted(self.pages.values(), key=lambda m: m.title.lower()):
            for tag in meta.tags:
                tagged[tag].append(meta)
        return dict(sorted(tagged.items()))

    def home_groups(self) -> list[tuple[str, list[PageMeta]]]:
        """Questions grouped by topic (first tag), then the calculators."""
        groups: dict[str, list[PageMeta]] = defaultdict(list)
        calculators = []
        for meta in sorted(self.pages.values(), key=lambda m: m.title.lower()):
            if is_calculator(meta):
                calculators.append(meta)
            else:
                groups[meta.topic].append(meta)
        ordered = sorted(groups.items())
        return [*ordered, ("calculators", calculators)] if calculators else ordered

    def changes(self, limit: int | None = None) -> list[PageChange]:
        """Every published page's history entries, newest first (then by page title)."""
        every = sorted(
            (PageChange(meta, entry) for meta in self.pages.values() for entry in meta.history),
            key=lambda c: (-c.entry.date.toordinal(), c.page.title.lower()),
        )
        return every[:limit]

    def changed_recommendations(self) -> list[tuple[PageMeta, Recommendation]]:
        """New and amended recommendations of published pages, most recently changed first."""
        found = [
            (self.pages[page_id], rec)
            for page_id, recs in self.recommendations.items()
            if page_id in self.pages
            for rec in recs
            if rec.change and rec.changed
        ]
        return sorted(
            found,
            key=lambda pair: (
                -pair[1].changed.toordinal() if pair[1].changed else 0,
                pair[0].title.lower(),
                pair[1].number,
            ),
        )

    def citing_pages(
        self, references: Mapping[str, Reference]
    ) -> list[tuple[Reference, list[PageMeta]]]:
        """Every bibliography entry with the pages citing it, in bibliography order."""
        return [
            (
                reference,
                [
                    self.pages[p]
                    for p in sorted(self.cited)
                    if key in self.cited[p] and p in self.pages
                ],
            )
            for key, reference in sorted(references.items(), key=lambda item: item[1].line)
        ]


def guide_context(
    meta: PageMeta | None,
    index: SiteIndex,
    references: Mapping[str, Reference],
    hazards: Sequence[Hazard],
    *,
    approved_only: bool,
    related_limit: int,
) -> dict[str, Any]:
    """Our templates' one variable, `guide`, for a page (`meta` None: not a guideline page)."""
    return {
        "meta": meta,
        # A calculator's page opens with its form (partials/guidesite/page-header.html).
        "inputs_first": meta is not None and is_calculator(meta),
        "index": index,
        "references": references,
        "today": build_date(),
        "approved_only": approved_only,
        "related": index.related(meta, related_limit) if meta else [],
        "hazards": hazards,
    }


def with_bottom_line(markdown: str, summary: str) -> tuple[str, int]:
    """Put the summary box first, so its citations are numbered first; returns lines added."""
    box = f"/// bottom-line\n{summary.strip()}\n///\n\n"
    return box + markdown, box.count("\n")
