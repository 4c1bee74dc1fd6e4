"""The next_step rules, in the order they are applied; the site prints them as written.

Each clause is one branch of a numbered rule of clinical-rules.md: when it applies, which
codes it adds to `steps`, `later` or `avoid`, and why, for each code on its own. `plan.py`
applies them in order and merges the result (rule 15).
"""

from __future__ import annotations

from calculators.next_step.rules import discipline, escalation, everyone, first_care, injections
from calculators.next_step.rules import urgency as urgency_rules
from calculators.next_step.rules.base import PLACES, RULE_ORDER, URGENCIES, Add, Clause

__all__ = ["PLACES", "RULES", "URGENCIES", "Add", "Clause"]

# In rule-number order (a stable sort keeps each module's clause order within a rule).
RULES: tuple[Clause, ...] = tuple(
    sorted(
        (
            *urgency_rules.RULES,
            *everyone.RULES,
            *first_care.RULES,
            *injections.RULES,
            *escalation.RULES,
            *discipline.RULES,
        ),
        key=lambda rule: RULE_ORDER[rule.number],
    )
)
