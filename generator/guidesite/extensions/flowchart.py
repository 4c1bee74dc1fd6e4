"""The rules of a calculator as an inline SVG flowchart, laid out at build time from
`calculators.spec()`: no script draws it in the browser, so it costs nothing until read."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from guidesite.kit.contract import CalculatorSpec, RuleSpec

PLACE_WORDS = {"steps": "do now", "later": "later", "avoid": "avoid"}
# Rule boxes per column of the chart: few enough to read down, so the chart fits a screen.
RULES_PER_COLUMN = 5

BOX_WIDTH = 220
FONT_SIZE = 13
LINE_HEIGHT = 17
PADDING = 8
# Gaps leave room for the arrows: between boxes of a column, and between columns, whose
# connector runs below one column and above the next.
ROW_GAP = 22
COLUMN_GAP = 40
MARGIN = 16
# Wrapped by character count, so this is a generous average glyph width (0.6 em, wider
# than most sans-serif text) to keep every line inside its box whatever font the reader has.
CHARS_PER_LINE = int((BOX_WIDTH - 2 * PADDING) / (FONT_SIZE * 0.6))


@dataclass(frozen=True)
class Box:
    """One numbered rule: its title, wrapped, then the wrapped lines of what it places."""

    name: str
    title: list[str]
    body: list[str]

    @property
    def height(self) -> int:
        return 2 * PADDING + LINE_HEIGHT * (len(self.title) + len(self.body))


def _wrap(text: str) -> list[str]:
    # Codes are long hyphenated words: break them at hyphens, and inside a word if need be.
    return textwrap.wrap(text, CHARS_PER_LINE, break_on_hyphens=True) or [""]


def _rule_box(title: str, clauses: list[RuleSpec]) -> Box:
    """One numbered rule as a box: its title, then every code its clauses place, by place."""
    body: list[str] = []
    for place in ("steps", "later", "avoid"):
        placed = list(dict.fromkeys(code for clause in clauses for code in clause[place]))
        if placed:
            body += _wrap(f"{PLACE_WORDS[place]}: " + ", ".join(placed))
    if any(clause["final"] for clause in clauses):
        body += _wrap("stops here when it applies")
    return Box(name=title, title=_wrap(title), body=body)


def _box_svg(box: Box, x: int, y: int) -> list[str]:
    lines = [
        '<g class="gs-flowchart-rule">',
        f'<rect class="gs-flowchart-box" x="{x}" y="{y}" width="{BOX_WIDTH}" '
        f'height="{box.height}" rx="4"></rect>',
    ]
    baseline = y + PADDING + FONT_SIZE
    for index, text in enumerate(box.title + box.body):
        kind = "gs-flowchart-title" if index < len(box.title) else "gs-flowchart-line"
        lines.append(
            f'<text class="{kind}" x="{x + PADDING}" y="{baseline + index * LINE_HEIGHT}">'
            f"{escape(text)}</text>"
        )
    return [*lines, "</g>"]


def _arrow(points: list[tuple[int, int]]) -> list[str]:
    """A line through `points` ending in a head pointing down, as every arrow here ends."""
    path = " ".join(f"{x},{y}" for x, y in points)
    tip_x, tip_y = points[-1]
    head = f"{tip_x - 4},{tip_y - 7} {tip_x + 4},{tip_y - 7} {tip_x},{tip_y}"
    return [
        f'<polyline class="gs-flowchart-arrow" points="{path}"></polyline>',
        f'<polygon class="gs-flowchart-head" points="{head}"></polygon>',
    ]


def svg_flowchart(spec: CalculatorSpec) -> str:
    """The rules in the order the calculator checks them: one box per numbered rule (or per
    rule, for calculators that do not number theirs), read down each column, then across.

    The picture is `role="img"` with a title and a description naming the rules in order;
    the list under the chart gives every branch with its reasons in full.
    """
    boxes = [_rule_box(title, clauses) for title, clauses in _groups(spec["rules"])]
    columns = [
        boxes[start : start + RULES_PER_COLUMN] for start in range(0, len(boxes), RULES_PER_COLUMN)
    ]
    column_heights = [
        sum(box.height for box in column) + ROW_GAP * (len(column) - 1) for column in columns
    ]
    # A connector between columns runs in the margins above and below the boxes.
    top = MARGIN + ROW_GAP
    width = 2 * MARGIN + len(columns) * BOX_WIDTH + (len(columns) - 1) * COLUMN_GAP
    height = top + max(column_heights, default=0) + ROW_GAP + MARGIN
    name = spec["name"]
    title_id, desc_id = f"gs-flowchart-{name}-title", f"gs-flowchart-{name}-desc"
    order = "; then ".join(box.name for box in boxes)
    parts = [
        f'<svg class="gs-flowchart-svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="{FONT_SIZE}" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(spec["title"])}: the rules in the order they are '
        "checked</title>",
        f'<desc id="{desc_id}">Read down each column, then across: {escape(order)}.</desc>',
    ]
    for index, column in enumerate(columns):
        x = MARGIN + index * (BOX_WIDTH + COLUMN_GAP)
        middle = x + BOX_WIDTH // 2
        y = top
        for row, box in enumerate(column):
            if row:
                parts += _arrow([(middle, y - ROW_GAP), (middle, y)])
            parts += _box_svg(box, x, y)
            y += box.height + ROW_GAP
        if index + 1 < len(columns):
            # From under this column's last box, across, and into the next column's first.
            bottom, next_middle = y - ROW_GAP, middle + BOX_WIDTH + COLUMN_GAP
            gap = x + BOX_WIDTH + COLUMN_GAP // 2
            above = top - ROW_GAP // 2
            parts += _arrow(
                [
                    (middle, bottom),
                    (middle, bottom + ROW_GAP // 2),
                    (gap, bottom + ROW_GAP // 2),
                    (gap, above),
                    (next_middle, above),
                    (next_middle, top),
                ]
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _groups(rules: list[RuleSpec]) -> list[tuple[str, list[RuleSpec]]]:
    """Consecutive clauses of one numbered rule, with the rule's title ("Rule 7: After a
    first attempt"); an unnumbered rule is a group of its own, titled by its condition."""
    groups: list[tuple[str, list[RuleSpec]]] = []
    for index, rule in enumerate(rules, start=1):
        if rule["number"] is None:
            groups.append((f"{index}. {rule['when']}", [rule]))
            continue
        title = f"Rule {rule['number']}: {rule['title']}"
        if groups and groups[-1][0] == title:
            groups[-1][1].append(rule)
        else:
            groups.append((title, [rule]))
    return groups
