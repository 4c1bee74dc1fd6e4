"""The editorial dashboard: every page's review state, weak citations and uncited sources.

One computation feeds both the generated page (`dashboard.html`, see `pages.GENERATED`) and
`guidesite status` in the terminal (`--json` too).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guidesite.content.bibliography import Reference
from guidesite.content.prose import prose_text
from guidesite.content.schema import PageMeta
from guidesite.extensions.citations import CITATION_RE, keys_of

SECONDARY = "summary"


@dataclass(frozen=True)
class PageRow:
    """One page's line on the dashboard."""

    page_id: str
    path: str
    title: str
    audience: str
    status: str
    reviewers: tuple[str, ...]
    last_updated: datetime.date
    next_review: datetime.date
    days_to_review: int  # negative: overdue by that many days
    counterpart: str | None
    summary_only_citations: int

    @property
    def due(self) -> str:
        """'overdue by 3 days', 'due today', 'due in 40 days'."""
        days = self.days_to_review
        plural = "" if abs(days) == 1 else "s"
        if days < 0:
            return f"overdue by {-days} day{plural}"
        return "due today" if days == 0 else f"due in {days} day{plural}"

    def as_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "reviewers": list(self.reviewers),
            "last_updated": self.last_updated.isoformat(),
            "next_review": self.next_review.isoformat(),
        }


@dataclass(frozen=True)
class Dashboard:
    pages: list[PageRow]  # most overdue first, then the soonest due
    uncited: list[Reference]  # in bibliography order


def summary_keys(references: Mapping[str, Reference]) -> frozenset[str]:
    """The keys of the bibliography's secondary summaries."""
    return frozenset(key for key, reference in references.items() if reference.kind == SECONDARY)


def summary_only_citations(text: str, summaries: frozenset[str]) -> int:
    """Citations on the page (summary included) whose every source is a secondary summary
    (`summaries`: their keys, `summary_keys`)."""
    return sum(1 for keys in _citations(text) if summaries.issuperset(keys))


# By the page's text: the preview makes the dashboard on every save, mostly of pages that
# did not change.
@functools.lru_cache(maxsize=4096)
def _citations(text: str) -> tuple[tuple[str, ...], ...]:
    """The keys of each citation in the page's prose."""
    return tuple(tuple(keys_of(m)) for m in CITATION_RE.finditer(prose_text(text.splitlines())))


def make(
    metas: Mapping[str, PageMeta],
    texts: Mapping[str, str],
    references: Mapping[str, Reference],
    cited: set[str],
    today: datetime.date,
) -> Dashboard:
    summaries = summary_keys(references)
    rows = [
        PageRow(
            page_id=meta.page_id,
            path=meta.path,
            title=meta.title,
            audience=meta.audience,
            status=meta.status,
            reviewers=meta.reviewers,
            last_updated=meta.last_updated,
            next_review=meta.next_review,
            days_to_review=(meta.next_review - today).days,
            counterpart=meta.counterpart,
            summary_only_citations=summary_only_citations(texts.get(page_id, ""), summaries),
        )
        for page_id, meta in metas.items()
    ]
    rows.sort(key=lambda row: (row.days_to_review, row.page_id))
    uncited = sorted((r for r in references.values() if r.key not in cited), key=lambda r: r.line)
    return Dashboard(rows, uncited)
