"""Turn the rules that fire into one plan, applying clinical-rules.md rule 13 once.

Precedence: a code is never both a step and avoided; the avoid wins, except that a planned
MRI makes the "no early imaging" and "no repeat imaging" advice moot. Only the most urgent
specialist referral is kept. Steps are ordered by the vocabulary (most urgent first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from calculators.fields import Json
from calculators.next_step.case import Case
from calculators.next_step.codes import BY_CODE, MOOT_WHEN_SCANNING, RANK, REFERRALS_BY_URGENCY
from calculators.next_step.rules import RULES, URGENCIES, Rule

LEAD = {
    "routine": "Routine",
    "soon": "Soon, because the pain is disabling",
    "urgent": "Urgent, because of a new neurological deficit",
}
EMERGENCY_HEADLINE = (
    "Red flag: send the patient today for emergency spinal assessment and MRI, "
    "and plan nothing elective until it has been done."
)


@dataclass
class _Reasons:
    """Why a code is in the plan: the reasons and references of every rule that added it."""

    why: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    def add(self, rule: Rule) -> None:
        self.why.append(rule.why)
        self.refs.extend(ref for ref in rule.refs if ref not in self.refs)


def fired_rules(case: Case) -> list[Rule]:
    """The rules that apply, in order, stopping after a final one."""
    fired: list[Rule] = []
    steps: set[str] = set()
    for rule in RULES:
        if rule.needs_step not in (None, *steps) or not rule.applies(case):
            continue
        fired.append(rule)
        steps.update(rule.steps)
        if rule.final:
            break
    return fired


def _collect(added: Iterable[tuple[str, Rule]]) -> dict[str, _Reasons]:
    """Each code once, with the reasons of every rule that added it, in firing order."""
    collected: dict[str, _Reasons] = {}
    for code, rule in added:
        collected.setdefault(code, _Reasons()).add(rule)
    return collected


def _items(collected: dict[str, _Reasons]) -> list[dict[str, Json]]:
    return [
        {
            "code": code,
            "title": BY_CODE[code].title,
            "why": reasons.why,
            "refs": reasons.refs,
        }
        for code, reasons in sorted(collected.items(), key=lambda item: RANK[item[0]])
    ]


def make_plan(case: Case) -> dict[str, Json]:
    fired = fired_rules(case)
    steps = _collect((code, rule) for rule in fired for code in rule.steps)
    avoid = _collect((code, rule) for rule in fired for code in rule.avoid)
    if "mri" in steps:
        for code in MOOT_WHEN_SCANNING:
            avoid.pop(code, None)
    for code in avoid:
        steps.pop(code, None)
    kept_referral = next((code for code in REFERRALS_BY_URGENCY if code in steps), None)
    for code in REFERRALS_BY_URGENCY:
        if code != kept_referral:
            steps.pop(code, None)
    urgency = max((rule.urgency for rule in fired), key=URGENCIES.index)
    step_items = _items(steps)
    return {
        "urgency": urgency,
        "headline": EMERGENCY_HEADLINE
        if urgency == "emergency"
        else f"{LEAD[urgency]} — first step: {step_items[0]['title']}.",
        "steps": step_items,
        "avoid": _items(avoid),
        "trace": [rule.id for rule in fired],
    }
