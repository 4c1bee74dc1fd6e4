"""The shape of a next_step rule: a condition in words and in code, and the items it adds.

A `Clause` is one branch of a numbered rule of clinical-rules.md. It fires when its
`applies` condition holds; each `Add` then puts one code in `steps`, `later` or `avoid`,
with a reason written for that code in that situation, optionally under a further
condition (`only_if`). The page prints the same objects the planner runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from calculators.next_step.case import Case
from calculators.next_step.codes import BY_CODE
from guidesite.kit import model
from guidesite.kit.fields import Json

URGENCIES = ("routine", "soon", "urgent", "emergency")  # least to most urgent
# The numbered rules of clinical-rules.md, by number, as the page and the flowchart name them.
RULE_TITLES = {
    "1": "Emergency red flags",
    "2": "Urgent red flags",
    "3": "Urgency",
    "4": "Everyone",
    "5": "Epidural eligibility",
    "6": "No injection yet",
    "7": "After an epidural",
    "8": "Refractory leg pain",
    "8b": "At the epidural limit, not refractory",
    "9": "After a joint injection",
    "10": "Diagnostic block result",
    "11": "After spine surgery",
    "12": "Spinal cord stimulation",
    "13": "Investigate before intervening",
    "14": "Imaging and fusion",
    "15": "One place per code, one procedure at a time",
}
RULE_ORDER = {number: rank for rank, number in enumerate(RULE_TITLES)}
PLACES = ("steps", "later", "avoid")


@dataclass(frozen=True)
class Condition:
    """A question about the case, in the words the page shows and as the test that decides."""

    text: str
    test: Callable[[Case], bool]

    def __call__(self, case: Case) -> bool:
        return self.test(case)

    def __and__(self, other: Condition) -> Condition:
        return Condition(f"{self.text}; {other.text}", lambda c: self(c) and other(c))


@dataclass(frozen=True, kw_only=True)
class Add:
    """One item a clause adds: where it goes, why (for this code here), and what it cites."""

    code: str
    place: str  # one of PLACES
    why: str
    refs: tuple[str, ...]
    when: str | None = None  # later items only: the condition, a clause without a full stop
    only_if: Condition | None = None

    def holds(self, case: Case) -> bool:
        return self.only_if is None or self.only_if(case)

    def to_spec(self) -> dict[str, Json]:
        # The code's title and strength travel with it, so the page needs no vocabulary.
        return {
            "code": self.code,
            "title": BY_CODE[self.code].title,
            "strength": BY_CODE[self.code].strength,
            "place": self.place,
            "when": sentence([self.when]) if self.when else None,
            "only_if": self.only_if.text if self.only_if else None,
            "why": self.why,
            "refs": list(self.refs),
        }


def step(code: str, why: str, refs: tuple[str, ...], only_if: Condition | None = None) -> Add:
    return Add(code=code, place="steps", why=why, refs=refs, only_if=only_if)


def later(
    code: str, when: str, why: str, refs: tuple[str, ...], only_if: Condition | None = None
) -> Add:
    return Add(code=code, place="later", when=when, why=why, refs=refs, only_if=only_if)


def avoid(code: str, why: str, refs: tuple[str, ...], only_if: Condition | None = None) -> Add:
    return Add(code=code, place="avoid", why=why, refs=refs, only_if=only_if)


def sentence(parts: list[str]) -> str:
    """Conditions joined into one sentence: "If the block does not help; when ..."."""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


@dataclass(frozen=True)
class Move:
    """Codes that leave `steps` for `later` once a clause fires, with the condition to wait for."""

    codes: frozenset[str]
    when: str


@dataclass(frozen=True, kw_only=True)
class Clause(model.Rule):
    """One branch of a numbered rule; `why` is the rule's purpose in one or two sentences."""

    number: str  # the rule's number in clinical-rules.md ("8b" comes between 8 and 9)
    applies: Condition
    adds: tuple[Add, ...] = ()
    urgency: str | None = None  # the plan is at least this urgent once the clause fires
    lead: str = ""  # how the headline explains that urgency
    final: bool = False  # no later clause is considered once this one fires
    needs_planned: str | None = None  # fires only if this code is already in steps or later
    needs_step: str | None = None  # fires only if this code is already in steps
    moves: Move | None = None
    # Rule 5: an epidural any clause adds waits in `later` instead when one of this clause's
    # items for that code holds; the item adds its reason and its condition.
    gates: tuple[str, ...] = ()
    # Rules 13 and 15 look at the plan itself, not only at the case: `plan.py` performs the
    # step this names, and the clause fires (is traced) only when that step changes the plan.
    stage: str | None = None

    def placed(self, place: str) -> list[str]:
        return list(dict.fromkeys(add.code for add in self.adds if add.place == place))

    def to_spec(self) -> dict[str, Json]:
        return {
            "id": self.id,
            "number": self.number,
            "title": RULE_TITLES[self.number],
            "final": self.final,
            "when": self.when,
            "why": self.why,
            "refs": list(self.refs),
            "steps": self.placed("steps"),
            "later": self.placed("later"),
            "avoid": self.placed("avoid"),
            "items": [add.to_spec() for add in self.adds],
        }


def clause(
    *,
    id: str,
    number: str,
    applies: Condition,
    why: str,
    adds: tuple[Add, ...] = (),
    refs: tuple[str, ...] = (),
    **options: object,
) -> Clause:
    """A clause whose condition text is its `applies` text and whose references are its own
    plus every one its items cite."""
    cited = tuple(dict.fromkeys((*refs, *(ref for add in adds for ref in add.refs))))
    return Clause(
        id=id,
        number=number,
        when=applies.text,
        why=why,
        refs=cited,
        applies=applies,
        adds=adds,
        **options,  # type: ignore[arg-type]
    )
