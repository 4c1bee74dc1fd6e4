"""Exact arithmetic so that results are identical on every platform and judged without drift.

Inputs are read as the decimal the user typed (`repr` of a float is the shortest decimal
that round-trips, the same in CPython and Pyodide), so 0.6 means 3/5 and a threshold such
as 80 % is judged on the exact value, not on 79.99999999999999.
"""

from __future__ import annotations

import math
from fractions import Fraction


def exact(value: int | float) -> Fraction:
    """The decimal value the user meant: Fraction('0.6') rather than the nearest binary."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def round1(value: Fraction) -> float:
    """Round to one decimal place, halves away from zero (what clinicians do by hand)."""
    tenths = math.floor(abs(value) * 10 + Fraction(1, 2))
    return math.copysign(tenths / 10, value) if tenths else 0.0
