"""`guidesite status` as a plain-text table for the terminal."""

from __future__ import annotations

from typing import Any

from guidesite.site.dashboard import Dashboard, PageRow

HEADINGS = (
    "page",
    "audience",
    "status",
    "reviewers",
    "last updated",
    "next review",
    "due",
    "counterpart",
    "summary-only citations",
)
MAX_CELL = 36  # long reviewer lists are cut so a row fits a wide terminal


def _cells(row: PageRow) -> tuple[str, ...]:
    reviewers = "; ".join(row.reviewers)
    if len(reviewers) > MAX_CELL:
        reviewers = reviewers[: MAX_CELL - 3] + "..."
    return (
        row.page_id,
        row.audience,
        row.status,
        reviewers,
        row.last_updated.isoformat(),
        row.next_review.isoformat(),
        row.due.upper() if row.days_to_review < 0 else row.due,
        row.counterpart or "-",
        str(row.summary_only_citations),
    )


def render(board: Dashboard, content_errors: int, version: Any) -> str:
    """The table, the references no page cites, and what else the editor should know."""
    rows = [HEADINGS, *map(_cells, board.pages)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    if board.uncited:
        lines.append("References no page cites:")
        lines += [f"  {r.key} ({r.kind}, references.bib line {r.line})" for r in board.uncited]
    else:
        lines.append("Every reference is cited by at least one page.")
    if content_errors:
        lines.append(
            f"{content_errors} content error(s) kept some pages out of this list; "
            "run `guidesite check` to see them."
        )
    if version is not None:
        lines.append(f"Built site version (site/version.json): {version}")
    return "\n".join(lines) + "\n"
