"""The next_step rules, in the order they are applied; the site prints them as written.

Each rule says when it applies, which codes it adds to `steps` or `avoid`, why, and which
references it rests on. Rule 13 of clinical-rules.md (precedence and ordering) is applied
once afterwards, in `plan.py`.
"""

from __future__ import annotations

from calculators.next_step.rules import general, injections, surgery
from calculators.next_step.rules.base import URGENCIES, Rule

__all__ = ["RULES", "URGENCIES", "Rule"]

RULES: tuple[Rule, ...] = (*general.RULES, *injections.RULES, *surgery.RULES)
