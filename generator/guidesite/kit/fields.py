"""Input declarations: each field validates raw JSON and describes itself for `spec()`.

A field is declared once. The same object turns a raw JSON value into a checked Python
value (or problems worded for clinicians) and serialises itself into the FIELD JSON the
site renders forms from, so the form, the validation and the docs cannot drift apart.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from guidesite.kit.contract import ErrorEntry, FieldDetails, FieldSpec, OptionSpec
from guidesite.kit.contract import Json as Json  # sites declare `compute` with it from here
from guidesite.kit.instrument import Coding


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs: the dotted path of the field and what is allowed."""

    field: str | None
    message: str

    def to_json(self) -> ErrorEntry:
        return {"field": self.field, "message": self.message}


# A checked value together with the problems found while checking it.
Checked = tuple[object, tuple[Problem, ...]]


@dataclass(frozen=True)
class Option:
    """One allowed value of a choice field, with the words a clinician sees."""

    value: str
    label: str
    # The points a scored instrument gives this answer; `compute` reads them from here.
    score: int | None = None

    def to_spec(self) -> OptionSpec:
        return {"value": self.value, "label": self.label, "score": self.score}


def shorten(text: str, limit: int = 40) -> str:
    """Quote user-supplied text in a message without echoing megabytes of it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, kw_only=True)
class Field(ABC):
    """What every input has: a name, the words shown with it, and whether it may be left out."""

    kind: ClassVar[str]

    name: str
    label: str
    help: str = ""
    unit: str | None = None
    required: bool = False
    default: Json = None
    nullable: bool = False
    # The instrument's code for this item (e.g. LOINC), where the code system has one.
    code: Coding | None = None

    def read(self, raw: Json, path: str) -> Checked:
        """Check one raw value found at `path`; null is only accepted when the field allows it."""
        if raw is None:
            if self.nullable:
                return None, ()
            return None, (self.problem(path),)
        return self.read_value(raw, path)

    def problem(self, path: str) -> Problem:
        return Problem(path, f"{self.label}: must be {self.allowed()}.")

    @abstractmethod
    def read_value(self, raw: Json, path: str) -> Checked:
        """Check a value that is not null."""

    @abstractmethod
    def allowed(self) -> str:
        """What the field accepts, in words (completes 'must be ...')."""

    def to_spec(self) -> FieldSpec:
        """The FIELD JSON of the calculator contract: every key present, unused ones null."""
        details = self.spec_details()
        return {
            "name": self.name,
            "type": self.kind,
            "label": self.label,
            "help": self.help,
            "unit": self.unit,
            "required": self.required,
            "default": list(self.default) if isinstance(self.default, tuple) else self.default,
            "nullable": self.nullable,
            "min": details.get("min"),
            "max": details.get("max"),
            "choices": details.get("choices"),
            "items": details.get("items"),
            "fields": details.get("fields"),
            "min_items": details.get("min_items"),
            "max_items": details.get("max_items"),
            "code": self.code.to_spec() if self.code else None,
        }

    def spec_details(self) -> FieldDetails:
        return {}


def _one_of(values: tuple[str, ...]) -> str:
    return "one of: " + ", ".join(f'"{value}"' for value in values)


def _is_number(raw: Json) -> bool:
    """True for finite JSON numbers; bools are not numbers here even though Python says so."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int):
        return True
    return isinstance(raw, float) and math.isfinite(raw)


@dataclass(frozen=True, kw_only=True)
class Integer(Field):
    """A whole number in an inclusive range; 4.0 is accepted as 4 (JavaScript has no ints)."""

    kind: ClassVar[str] = "integer"
    min: int
    max: int

    def read_value(self, raw: Json, path: str) -> Checked:
        if not _is_number(raw) or (isinstance(raw, float) and not raw.is_integer()):
            return None, (self.problem(path),)
        value = int(raw)
        if not self.min <= value <= self.max:
            return None, (self.problem(path),)
        return value, ()

    def allowed(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"a whole number from {self.min} to {self.max}{unit}"

    def spec_details(self) -> FieldDetails:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, kw_only=True)
class Number(Field):
    """A finite number (whole or decimal) in an inclusive range."""

    kind: ClassVar[str] = "number"
    min: int | float
    max: int | float

    def read_value(self, raw: Json, path: str) -> Checked:
        if not _is_number(raw) or not self.min <= raw <= self.max:
            return None, (self.problem(path),)
        return raw, ()

    def allowed(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"a number from {self.min} to {self.max}{unit}"

    def spec_details(self) -> FieldDetails:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, kw_only=True)
class Boolean(Field):
    """Yes or no, sent as JSON true or false."""

    kind: ClassVar[str] = "boolean"

    def read_value(self, raw: Json, path: str) -> Checked:
        if isinstance(raw, bool):
            return raw, ()
        return None, (self.problem(path),)

    def allowed(self) -> str:
        return "yes or no (true or false)"


@dataclass(frozen=True, kw_only=True)
class Choice(Field):
    """Exactly one of a fixed list of coded answers."""

    kind: ClassVar[str] = "choice"
    choices: tuple[Option, ...]

    def read_value(self, raw: Json, path: str) -> Checked:
        if isinstance(raw, str) and raw in self.values():
            return raw, ()
        return None, (self.problem(path),)

    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.choices)

    def allowed(self) -> str:
        return _one_of(self.values())

    def spec_details(self) -> FieldDetails:
        return {"choices": [option.to_spec() for option in self.choices]}


@dataclass(frozen=True, kw_only=True)
class MultiChoice(Choice):
    """Any number of distinct coded answers from a fixed list (none is allowed)."""

    kind: ClassVar[str] = "multi_choice"

    def read_value(self, raw: Json, path: str) -> Checked:
        if not isinstance(raw, list):
            return None, (self.problem(path),)
        problems = [
            Problem(
                f"{path}.{index}", f"{self.label}: each entry must be {_one_of(self.values())}."
            )
            for index, entry in enumerate(raw)
            if not (isinstance(entry, str) and entry in self.values())
        ]
        if not problems and len(set(raw)) != len(raw):
            problems.append(Problem(path, f"{self.label}: give each answer only once."))
        return tuple(raw), tuple(problems)

    def allowed(self) -> str:
        return "a list, possibly empty, of " + _one_of(self.values())


def _combine(checked: Sequence[Checked]) -> Checked:
    """The values of a list's entries as a tuple, with all their problems."""
    return tuple(value for value, _ in checked), tuple(p for _, ps in checked for p in ps)


@dataclass(frozen=True, kw_only=True)
class Tuple(Field):
    """A list with one declared field per position (questionnaire items), addressed as `name.i`."""

    kind: ClassVar[str] = "tuple"
    items: tuple[Field, ...]

    def read_value(self, raw: Json, path: str) -> Checked:
        if not isinstance(raw, list) or len(raw) != len(self.items):
            return None, (self.problem(path),)
        checked = [
            item.read(entry, f"{path}.{item.name}")
            for item, entry in zip(self.items, raw, strict=True)
        ]
        return _combine(checked)

    def allowed(self) -> str:
        return f"a list of exactly {len(self.items)} answers, one per item"

    def spec_details(self) -> FieldDetails:
        return {"items": [item.to_spec() for item in self.items]}


@dataclass(frozen=True, kw_only=True)
class Records(Field):
    """A list of entries that all share the same declared fields (e.g. one per medicine)."""

    kind: ClassVar[str] = "records"
    fields: tuple[Field, ...]
    min_items: int
    max_items: int
    entry: str  # what one entry is called, e.g. "medicine"

    def read_value(self, raw: Json, path: str) -> Checked:
        if not isinstance(raw, list) or not self.min_items <= len(raw) <= self.max_items:
            return None, (self.problem(path),)
        checked = [
            read_fields(self.fields, entry, f"{path}.{i}", f"each {self.entry}")
            for i, entry in enumerate(raw)
        ]
        return _combine(checked)

    def allowed(self) -> str:
        names = " and ".join(field.name for field in self.fields)
        return f"a list of {self.min_items} to {self.max_items} entries, each with {names}"

    def spec_details(self) -> FieldDetails:
        return {
            "fields": [field.to_spec() for field in self.fields],
            "min_items": self.min_items,
            "max_items": self.max_items,
        }


def read_fields(
    fields: tuple[Field, ...], raw: Json, path: str | None, owner: str = "the inputs"
) -> tuple[dict[str, object] | None, tuple[Problem, ...]]:
    """Check a JSON object against declared fields: unknown keys, missing and bad values.

    Returns a dict of checked values (defaults filled in) and every problem found, so a
    clinician sees all mistakes at once rather than one per attempt.
    """
    if not isinstance(raw, Mapping):
        names = ", ".join(field.name for field in fields)
        message = f"{owner.capitalize()} must be an object with the fields {names}."
        return None, (Problem(path, message),)
    prefix = f"{path}." if path else ""
    declared = {field.name for field in fields}
    problems = [
        Problem(
            prefix + shorten(str(key)),
            f'"{shorten(str(key))}" is not allowed in {owner}; '
            f"the known fields are: {', '.join(sorted(declared))}.",
        )
        for key in raw
        if key not in declared
    ]
    values: dict[str, object] = {}
    for field in fields:
        if field.name in raw:
            values[field.name], found = field.read(raw[field.name], prefix + field.name)
            problems.extend(found)
        elif field.required:
            problems.append(
                Problem(prefix + field.name, f"{field.label}: required, {field.allowed()}.")
            )
        else:
            values[field.name] = field.default
    return values, tuple(problems)
