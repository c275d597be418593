"""Decimal arithmetic at full precision: the working context, exact spec values, reporting.

Spec values are exact ``Fraction``; the pipeline works in ``decimal`` at ``PRECISION``
significant digits inside ``localcontext(CONTEXT)`` (never floats). The rows of
``core.rules`` use plain ``Decimal`` operations, so they compute at whatever context the
evaluator sets: this one.
"""

from __future__ import annotations

import functools
from decimal import Context, Decimal
from fractions import Fraction

PRECISION = 50  # working digits; values are reported with REPORTED_DIGITS of them
REPORTED_DIGITS = 30
CONTEXT = Context(prec=PRECISION)
_REPORT = Context(prec=REPORTED_DIGITS)


@functools.lru_cache(maxsize=1 << 14)
def to_decimal(value: Fraction | int) -> Decimal:
    """A ``Fraction`` at working precision (exact when it is a short decimal); remembered,
    as every step reads the same spec values again."""
    value = Fraction(value)
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def report(value: Decimal) -> Decimal:
    """The full-precision value as reported (``REPORTED_DIGITS`` significant digits)."""
    reported = _REPORT.plus(value)
    return Decimal(0) if reported.is_zero() else reported


def report_all(values: list[Decimal]) -> list[Decimal]:
    """``report`` of every value of a list (a long run's rows)."""
    plus = _REPORT.plus
    return [plus(value) or _ZERO for value in values]


_ZERO = Decimal(0)
