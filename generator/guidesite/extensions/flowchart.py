"""The rules of a calculator as a Mermaid flowchart, drawn from `calculators.spec()`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _mermaid_label(text: str) -> str:
    # Mermaid strings are double-quoted; it spells a literal quote as an entity code.
    return '"' + text.replace('"', "#quot;") + '"'


PLACE_WORDS = {"steps": "do now", "later": "later", "avoid": "avoid"}
# Rule boxes per column of the chart: few enough to read down, so the chart fits a screen.
RULES_PER_COLUMN = 5


def _rule_box(title: str, clauses: list[Mapping[str, Any]]) -> str:
    """One numbered rule as a box: its title, then every code its clauses place, by place."""
    parts = [title]
    for place in ("steps", "later", "avoid"):
        placed = list(dict.fromkeys(code for clause in clauses for code in clause[place]))
        if placed:
            parts.append(f"{PLACE_WORDS[place]}: " + ", ".join(placed))
    if any(clause["final"] for clause in clauses):
        parts.append("stops here when it applies")
    return _mermaid_label("<br>".join(parts))


def mermaid_flowchart(spec: Mapping[str, Any]) -> str:
    """The rules in the order the calculator checks them: one box per numbered rule (or per
    rule, for calculators that do not number theirs), read down each column, then across.

    Columns are linked as wholes because Mermaid ignores a column's direction once its
    boxes link outside it. The list under the chart gives every branch with its reasons.
    """
    boxes = [_rule_box(title, clauses) for title, clauses in _groups(spec["rules"])]
    lines = ["flowchart LR"]
    columns = range(0, len(boxes), RULES_PER_COLUMN)
    for column, start in enumerate(columns):
        chunk = boxes[start : start + RULES_PER_COLUMN]
        lines += [f'  subgraph c{column} [" "]', "    direction TB"]
        nodes = [f"r{start + offset}[{box}]" for offset, box in enumerate(chunk)]
        lines += ["    " + " --> ".join(nodes), "  end"]
    lines += [f"  c{index} --> c{index + 1}" for index in range(len(columns) - 1)]
    return "\n".join(lines)


def _groups(rules: list[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Consecutive clauses of one numbered rule, with the rule's title ("Rule 7: After a
    first attempt"); an unnumbered rule is a group of its own, titled by its condition."""
    groups: list[tuple[str, list[Mapping[str, Any]]]] = []
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
