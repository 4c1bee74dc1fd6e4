"""Apply the next_step rules in order and merge what they add into one plan (rule 15).

Clauses fire in rule order; each adds items to `steps`, `later` or `avoid`. Rule 5 turns an
epidural a clause would add into an avoid item when the yearly limit is reached; rules 12
and 13 move steps to `later`. Then each code keeps one place: avoid wins over steps and
later, steps over later, except that a planned MRI makes the cautions against early or
repeat imaging moot; only the most urgent specialist referral is kept; items are ordered by
the vocabulary, which lists rule 15's groups in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calculators.next_step.case import Case
from calculators.next_step.codes import BY_CODE, MOOT_WHEN_SCANNING, RANK, REFERRALS_BY_URGENCY
from calculators.next_step.rules import RULES, URGENCIES, Add, Clause
from guidesite.kit.fields import Json

EMERGENCY_HEADLINE = (
    "Red flag: send the patient today for emergency spinal assessment and MRI, "
    "and plan nothing elective until it has been done."
)
GATES = [rule for rule in RULES if rule.gates]


@dataclass
class _Item:
    """One code in one place: its reasons, references (each once) and, for later, condition."""

    why: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    when: str | None = None

    def add(self, add: Add) -> None:
        self.why.append(add.why)
        self.refs.extend(ref for ref in add.refs if ref not in self.refs)
        self.when = self.when or add.when


@dataclass
class _Draft:
    case: Case
    places: dict[str, dict[str, _Item]] = field(
        default_factory=lambda: {"steps": {}, "later": {}, "avoid": {}}
    )
    trace: list[str] = field(default_factory=list)
    urgency: str = "routine"
    lead: str = "Routine"

    def planned(self, code: str) -> bool:
        return code in self.places["steps"] or code in self.places["later"]

    def put(self, add: Add) -> None:
        """Add an item, unless rule 5 sends this epidural to `avoid` instead."""
        for gate in GATES:
            if add.place != "avoid" and add.code in gate.gates and gate.applies(self.case):
                if add.code not in self.places["avoid"]:  # one limit reason, however many asks
                    self.fire(gate, codes={add.code})
                return
        self.places[add.place].setdefault(add.code, _Item()).add(add)

    def fire(self, rule: Clause, codes: set[str] | None = None) -> None:
        self.trace.append(rule.id)
        for add in rule.adds:
            if (codes is None or add.code in codes) and add.holds(self.case):
                self.put(add)
        if rule.urgency and URGENCIES.index(rule.urgency) > URGENCIES.index(self.urgency):
            self.urgency, self.lead = rule.urgency, rule.lead
        if rule.moves:
            steps, later = self.places["steps"], self.places["later"]
            for code in [code for code in steps if code in rule.moves.codes]:
                later[code] = steps.pop(code)
                later[code].when = rule.moves.when

    def merge(self) -> None:
        steps, later, avoid = (self.places[place] for place in ("steps", "later", "avoid"))
        if "mri" in steps:
            for code in MOOT_WHEN_SCANNING:
                avoid.pop(code, None)
        for code in list(later):
            if code in avoid or code in steps:
                del later[code]
        for code in avoid:
            steps.pop(code, None)
        kept = next((code for code in REFERRALS_BY_URGENCY if code in steps), None)
        for code in REFERRALS_BY_URGENCY:
            if code != kept:
                steps.pop(code, None)


def _items(place: str, items: dict[str, _Item]) -> list[dict[str, Json]]:
    shown = []
    for code, item in sorted(items.items(), key=lambda entry: RANK[entry[0]]):
        entry: dict[str, Json] = {"code": code, "title": BY_CODE[code].title}
        if place != "avoid":
            entry["strength"] = BY_CODE[code].strength
        if place == "later":
            entry["when"] = item.when
        shown.append(entry | {"why": list(item.why), "refs": list(item.refs)})
    return shown


def make_plan(case: Case) -> dict[str, Json]:
    draft = _Draft(case)
    for rule in RULES:
        if rule.gates or not rule.applies(case):
            continue
        if rule.needs_planned and not draft.planned(rule.needs_planned):
            continue
        draft.fire(rule)
        if rule.final:
            break
    draft.merge()
    steps = _items("steps", draft.places["steps"])
    headline = (
        EMERGENCY_HEADLINE
        if draft.urgency == "emergency"
        else f"{draft.lead} — first step: {steps[0]['title']}."
    )
    return {
        "urgency": draft.urgency,
        "headline": headline,
        "steps": steps,
        "later": _items("later", draft.places["later"]),
        "avoid": _items("avoid", draft.places["avoid"]),
        "trace": draft.trace,
    }
