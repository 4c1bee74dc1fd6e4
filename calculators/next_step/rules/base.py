"""The shape of a next_step rule: readable text plus the predicate that decides if it fires."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calculators import model
from calculators.next_step.case import Case

URGENCIES = ("routine", "soon", "urgent", "emergency")  # least to most urgent


@dataclass(frozen=True, kw_only=True)
class Rule(model.Rule):
    """A readable rule plus the predicate that decides whether it fires."""

    applies: Callable[[Case], bool]
    urgency: str = "routine"  # the least urgency the plan has once this rule fires
    final: bool = False  # no later rule is considered once this one fires
    needs_step: str | None = None  # fires only if an earlier rule made this code a step
