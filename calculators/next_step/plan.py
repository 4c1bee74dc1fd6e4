"""Apply the next_step rules in order and merge what they add into one plan.

Clauses fire in rule order; each adds items to `steps`, `later` or `avoid`. Rule 5 holds an
epidural a clause would add in `later`, with each reason that holds. The clauses of rules
13 and 15 that look at the plan itself (`Clause.stage`) are performed here at their place
in the order: the MRI comes before any procedure that needs a scan, procedures wait for
the scan or the urgent review, each code keeps one place (avoid over steps over later),
procedures for chronic pain wait for a pain score of 5/10, and one procedure at a time
stands in `steps`. Items are ordered by the vocabulary, which is rule 15's list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from calculators.next_step.case import Case
from calculators.next_step.codes import (
    BY_CODE,
    COUNTED,
    MOOT_WHEN_SCANNING,
    NEED_A_PAIN_SCORE,
    NEED_A_SCAN,
    PROCEDURES,
    RANK,
    REFERRALS_BY_URGENCY,
)
from calculators.next_step.rules import RULES, URGENCIES, Add, Clause
from calculators.next_step.rules.base import sentence
from calculators.next_step.rules.discipline import AFTER_MRI, AFTER_REVIEW, MRI_FIRST, PAIN_AT_GATE
from calculators.next_step.rules.facts import PAIN_FIELD, RECORD_PAIN
from guidesite.kit.fields import Json

EMERGENCY_HEADLINE = (
    "Red flag: send the patient today for emergency spinal assessment and MRI, "
    "and plan nothing elective until it has been done."
)
GATES = [rule for rule in RULES if rule.gates]


@dataclass
class _Item:
    """One code in one place: its reasons, references (each once) and, for later, the
    conditions that bring it in."""

    why: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    when: list[str] = field(default_factory=list)

    def add(self, add: Add) -> None:
        if add.why not in self.why:  # rule 5's reason once, however many clauses ask
            self.why.append(add.why)
        self.refs.extend(ref for ref in add.refs if ref not in self.refs)
        self.wait(add.when)

    def wait(self, condition: str | None, first: bool = False) -> None:
        if condition and condition not in self.when:
            self.when.insert(0, condition) if first else self.when.append(condition)


@dataclass
class _Draft:
    case: Case
    places: dict[str, dict[str, _Item]] = field(
        default_factory=lambda: {"steps": {}, "later": {}, "avoid": {}}
    )
    trace: list[str] = field(default_factory=list)
    urgency: str = "routine"
    lead: str = "Routine"

    @property
    def steps(self) -> dict[str, _Item]:
        return self.places["steps"]

    @property
    def later(self) -> dict[str, _Item]:
        return self.places["later"]

    @property
    def avoid(self) -> dict[str, _Item]:
        return self.places["avoid"]

    def planned(self, code: str) -> bool:
        return code in self.steps or code in self.later

    def put(self, add: Add) -> None:
        """Add an item; rule 5 holds an epidural in `later` with each reason that holds."""
        for gate in GATES:
            held = [
                hold
                for hold in gate.adds
                if add.place != "avoid" and hold.code == add.code and hold.holds(self.case)
            ]
            if held:
                if gate.id not in self.trace:
                    self.trace.append(gate.id)
                self.later.setdefault(add.code, _Item()).add(add)
                for hold in held:
                    self.later[add.code].add(hold)
                return
        self.places[add.place].setdefault(add.code, _Item()).add(add)

    def postpone(self, codes: list[str], condition: str) -> None:
        """Move these steps to `later`, the condition first among the item's own."""
        for code in codes:
            item = self.steps.pop(code)
            item.wait(condition, first=True)
            self.later[code] = item

    def fire(self, rule: Clause) -> None:
        moves = rule.moves
        if moves and not rule.adds and not rule.urgency and not moves.codes & self.steps.keys():
            return  # a clause that only moves steps, with none to move: not in the trace
        self.trace.append(rule.id)
        for add in rule.adds:
            if add.holds(self.case):
                self.put(add)
        if rule.urgency and URGENCIES.index(rule.urgency) > URGENCIES.index(self.urgency):
            self.urgency, self.lead = rule.urgency, rule.lead
        if moves:
            self.postpone([c for c in self.steps if c in moves.codes], moves.when)

    # ---------- the stages of rules 13 and 15: each returns whether it changed the plan ----------

    def scan_first(self, rule: Clause) -> bool:
        """Rule 13: a procedure that needs a scan would be a step and there is none."""
        needed = any(code in NEED_A_SCAN and code not in self.avoid for code in self.steps)
        if not needed or "mri" in self.steps:
            return False
        self.fire(rule)
        return True

    def wait_for_scan(self, rule: Clause) -> bool:
        """Rule 13: procedures wait for the MRI (or the urgent review); a procedure that needs
        a scan and waits for another reason says that an MRI comes first."""
        changed = False
        if "mri" in self.steps:
            moving = [code for code in self.steps if code in PROCEDURES]
            when = AFTER_REVIEW if self.case.new_neuro_deficit else AFTER_MRI
            self.postpone(moving, when)
            changed = bool(moving)
        if self.case.imaging == "none":
            for code, item in self.later.items():
                if code in NEED_A_SCAN and not {AFTER_MRI, AFTER_REVIEW} & set(item.when):
                    item.wait(MRI_FIRST)
                    changed = True
        return changed

    def merge(self, rule: Clause) -> bool:
        """Rule 15: one place per code, and only the most urgent referral."""
        if "mri" in self.steps:
            for code in MOOT_WHEN_SCANNING:
                self.avoid.pop(code, None)
        for code in list(self.later):
            if code in self.avoid or code in self.steps:
                del self.later[code]
        for code in self.avoid:
            self.steps.pop(code, None)
        kept = next((code for code in REFERRALS_BY_URGENCY if code in self.steps), None)
        for code in REFERRALS_BY_URGENCY:
            if code != kept:
                self.steps.pop(code, None)
        return True

    def pain_gate(self, rule: Clause) -> bool:
        """Rule 15: procedures for chronic pain stand in steps only with a pain of 5/10."""
        if self.case.pain_severe:
            return False
        waiting = [code for code in self.steps if code in NEED_A_PAIN_SCORE]
        self.postpone(waiting, RECORD_PAIN if self.case.pain_missing else PAIN_AT_GATE)
        return bool(waiting)

    def one_at_a_time(self, rule: Clause) -> bool:
        """Rule 15: one counted procedure in steps."""
        counted = sorted(
            (code for code in self.steps if code in COUNTED),
            key=lambda code: (code != "scs-implant", RANK[code]),
        )
        # Follow-up needs no move here: rule 7 adds it only beside a repeat epidural in steps,
        # which then leads the counted procedures (rule 12 holds the implant behind it).
        for code in counted[1:]:
            self.postpone([code], f"if {COUNTED[counted[0]]} does not help")
        return len(counted) > 1


STAGES: dict[str, Callable[[_Draft, Clause], bool]] = {
    "scan-first": _Draft.scan_first,
    "wait-for-scan": _Draft.wait_for_scan,
    "merge": _Draft.merge,
    "pain-gate": _Draft.pain_gate,
    "one-at-a-time": _Draft.one_at_a_time,
}


def _items(place: str, items: dict[str, _Item]) -> list[dict[str, Json]]:
    shown = []
    for code, item in sorted(items.items(), key=lambda entry: RANK[entry[0]]):
        entry: dict[str, Json] = {"code": code, "title": BY_CODE[code].title}
        if place != "avoid":
            entry["strength"] = BY_CODE[code].strength
        if place == "later":
            entry["when"] = sentence(item.when)
            # The input to record when a missing pain score is what holds the item back.
            entry["record"] = PAIN_FIELD if any(RECORD_PAIN in part for part in item.when) else None
        shown.append(entry | {"why": list(item.why), "refs": list(item.refs)})
    return shown


def make_plan(case: Case) -> dict[str, Json]:
    draft = _Draft(case)
    for rule in RULES:
        if rule.gates or not rule.applies(case):
            continue
        if rule.stage:
            changed = STAGES[rule.stage](draft, rule)
            if changed and rule.id not in draft.trace:
                draft.trace.append(rule.id)
            continue
        if rule.needs_planned and not draft.planned(rule.needs_planned):
            continue
        if rule.needs_step and rule.needs_step not in draft.steps:
            continue
        draft.fire(rule)
        if rule.final:
            break
    steps = _items("steps", draft.steps)
    headline = (
        EMERGENCY_HEADLINE
        if draft.urgency == "emergency"
        else f"{draft.lead} — first step: {steps[0]['title']}."
    )
    return {
        "urgency": draft.urgency,
        "headline": headline,
        "steps": steps,
        "later": _items("later", draft.later),
        "avoid": _items("avoid", draft.avoid),
        "trace": draft.trace,
    }
