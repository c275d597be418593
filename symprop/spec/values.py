"""The values of a spec: exact numbers, how they are quoted in errors, the rounding policy.

Spec values are parsed into ``Fraction`` (exact for integers, decimals and ``1/3``);
``Rounding`` is the spec's policy of how a person writes numbers down, and the only place
where digits are dropped (``numbers`` computes at full precision).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from ..errors import SympropError
from .choices import ROUNDING_MODES, covered

ROUNDING = covered({"round": ROUND_HALF_UP, "truncate": ROUND_DOWN}, ROUNDING_MODES, "rounding modes")
MAX_DIGITS = 1000  # digits before and after the point; beyond, exact arithmetic would stall

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")


def parse_number(raw: object, where: str) -> Fraction:
    """A spec value (int, YAML decimal, or a string like ``-0.5``, ``1e-3``, ``1/3``) exactly."""
    if isinstance(raw, bool) or raw is None:
        raise SympropError(f"{where}: {describe(raw)} is not a number (write e.g. 0.5, -2 or 1/3)")
    if isinstance(raw, int):
        return _bounded(Fraction(raw), raw, where)
    if isinstance(raw, Decimal):
        return _from_decimal(raw, raw, where)
    if isinstance(raw, float):  # only reachable through the Python API
        return _from_decimal(Decimal(repr(raw)), raw, where)
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, str):
        return _from_text(raw, where)
    raise SympropError(f"{where}: {describe(raw)} is not a number (write e.g. 0.5, -2 or 1/3)")


def _from_text(raw: str, where: str) -> Fraction:
    text = raw.strip()
    if _DECIMAL.fullmatch(text):
        return _from_decimal(Decimal(text), raw, where)
    match = _FRACTION.fullmatch(text)
    if match:
        if max(len(match[1].lstrip("+-")), len(match[2])) > MAX_DIGITS:
            raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits")
        numerator, denominator = int(match[1]), int(match[2])
        if denominator == 0:
            raise SympropError(f"{where}: {raw!r} divides by zero")
        return Fraction(numerator, denominator)
    if text.lower().lstrip("+-.") in ("nan", "inf", "infinity"):
        raise SympropError(f"{where}: {raw!r} is not a finite number")
    raise SympropError(f"{where}: {describe(raw)} is not a number (write e.g. 0.5, -2 or 1/3)")


def _from_decimal(value: Decimal, raw: object, where: str) -> Fraction:
    if not value.is_finite():
        raise SympropError(f"{where}: {describe(raw)} is not a finite number")
    if value and (value.adjusted() >= MAX_DIGITS or -value.as_tuple().exponent > MAX_DIGITS):
        raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits before or after the point")
    return Fraction(value)


def _bounded(value: Fraction, raw: object, where: str) -> Fraction:
    if abs(value) >= 10**MAX_DIGITS:
        raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits")
    return value


def decimal_text(value: Fraction) -> str | None:
    """``value`` as an exact decimal (``0.25``, ``-3``) when it terminates, else None."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    digits = str(abs(value.numerator) * 10**places // value.denominator).rjust(places + 1, "0")
    whole, fraction = digits[: len(digits) - places], digits[len(digits) - places:].rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def plain_number(value: Fraction) -> str:
    """A spec value in plain text, as the spec reader reads it back: a decimal when it
    terminates, else ``p/q``."""
    text = decimal_text(value)
    return text if text is not None else f"{value.numerator}/{value.denominator}"


def describe(value: object) -> str:
    """A spec value as an error message quotes it: text in quotes, numbers and dates as written."""
    if isinstance(value, (Decimal, datetime.date)):
        text = str(value)
    else:
        text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."



@dataclass(frozen=True, slots=True)
class Rounding:
    """How a person writes numbers down: ``places`` decimals, ``mode``, and what is carried."""

    places: int = 5
    mode: str = "round"  # round (half up) | truncate (toward zero)
    carry: str = "exact"  # exact: only the display is rounded | shown: later steps use it

    def __call__(self, value: Decimal) -> Decimal:
        """``value`` as written down: ``places`` decimals, rounded or truncated."""
        quantum = Decimal(1).scaleb(-self.places)
        digits = Context(prec=max(28, value.adjusted() + self.places + 2))  # room for every digit
        written = value.quantize(quantum, rounding=ROUNDING[self.mode], context=digits)
        return written.copy_abs() if written.is_zero() else written

    def show(self, value: Decimal) -> str:
        """The string a person writes: always ``places`` decimals, never ``-0``."""
        return f"{self(value):f}"

    @property
    def carries_shown(self) -> bool:
        return self.carry == "shown"
