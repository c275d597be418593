"""Exact numbers in, full-precision decimals through the pipeline, rounding in one place.

Spec values are parsed into ``Fraction`` (exact for integers, decimals and ``1/3``); the
numeric pipeline works in ``decimal`` at ``PRECISION`` significant digits (never floats);
``Rounding`` is the spec's policy and the only place where digits are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from .errors import SympropError

PRECISION = 50  # working digits; values are reported with REPORTED_DIGITS of them
REPORTED_DIGITS = 30
CONTEXT = Context(prec=PRECISION)
_REPORT = Context(prec=REPORTED_DIGITS)

ROUNDING_MODES = {"round": ROUND_HALF_UP, "truncate": ROUND_DOWN}
CARRY_MODES = ("exact", "shown")

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")


def parse_number(raw: object, where: str) -> Fraction:
    """A spec value (int, YAML decimal, or a string like ``-0.5``, ``1e-3``, ``1/3``) exactly."""
    if isinstance(raw, bool) or raw is None:
        raise SympropError(f"{where}: {raw!r} is not a number (write e.g. 0.5, -2 or 1/3)")
    if isinstance(raw, int):
        return Fraction(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise SympropError(f"{where}: {raw} is not a finite number")
        return Fraction(raw)
    if isinstance(raw, float):  # only reachable through the Python API
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise SympropError(f"{where}: {raw} is not a finite number")
        return Fraction(Decimal(repr(raw)))
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if _DECIMAL.fullmatch(text):
            return Fraction(Decimal(text))
        match = _FRACTION.fullmatch(text)
        if match:
            numerator, denominator = int(match[1]), int(match[2])
            if denominator == 0:
                raise SympropError(f"{where}: {raw!r} divides by zero")
            return Fraction(numerator, denominator)
        lowered = text.lower().lstrip("+-.")
        if lowered in ("nan", "inf", "infinity"):
            raise SympropError(f"{where}: {raw!r} is not a finite number")
    raise SympropError(f"{where}: {raw!r} is not a number (write e.g. 0.5, -2 or 1/3)")


def to_decimal(value: Fraction | int) -> Decimal:
    """A ``Fraction`` at working precision (exact when it is a short decimal)."""
    value = Fraction(value)
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def report(value: Decimal) -> Decimal:
    """The full-precision value as reported (``REPORTED_DIGITS`` significant digits)."""
    reported = _REPORT.plus(value)
    return Decimal(0) if reported.is_zero() else reported


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a person writes numbers down: ``places`` decimals, ``mode``, and what is carried."""

    places: int = 5
    mode: str = "round"  # round (half up) | truncate (toward zero)
    carry: str = "exact"  # exact: only the display is rounded | shown: later steps use it

    def __call__(self, value: Decimal) -> Decimal:
        """``value`` as written down: ``places`` decimals, rounded or truncated."""
        quantum = Decimal(1).scaleb(-self.places)
        written = value.quantize(quantum, rounding=ROUNDING_MODES[self.mode], context=CONTEXT)
        return written.copy_abs() if written.is_zero() else written

    def show(self, value: Decimal) -> str:
        """The string a person writes: always ``places`` decimals, never ``-0``."""
        return f"{self(value):f}"

    @property
    def carries_shown(self) -> bool:
        return self.carry == "shown"
