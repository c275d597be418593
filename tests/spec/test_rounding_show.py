"""A kind's shower (``Rounding.shower``, the fast path a long run's JSON writes with) writes
every number exactly as ``Rounding.show`` does: any places, both modes, tiny and huge values,
zeros and negative zeros."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from symprop.spec.values import Rounding


@pytest.mark.parametrize("mode", ["round", "truncate"])
@pytest.mark.parametrize("places", [0, 1, 3, 5, 9, 12, 20, 26])
def test_the_shower_writes_as_show(places, mode):
    rng = random.Random(places)
    rounding = Rounding(places, mode)
    show = rounding.shower("gradient")
    values = [Decimal(rng.uniform(-1, 1)) * Decimal(10) ** rng.randint(-15, 30) for _ in range(3000)]
    values += [Decimal(0), Decimal("-0"), Decimal("-0.000000000001"), Decimal("1e-7"), Decimal("9.99999e120"),
               Decimal("-0.5"), Decimal("0.5"), Decimal("2.5"), Decimal("1e26"), Decimal("-1e27")]
    for v in values:
        assert show(v) == rounding.show(v), v


@pytest.mark.parametrize("mode", ["round", "truncate"])
@pytest.mark.parametrize("places", [0, 1, 5, 6, 7, 12, 26])
def test_the_list_shower_writes_as_show(places, mode):
    """``Rounding.shows`` (a row at a time, in C) writes every list as ``show`` writes each
    value: plain rows, and rows with a negative zero, a tiny value, a huge or a non-finite one."""
    rng = random.Random(100 + places)
    rounding = Rounding(places, mode)
    shows = rounding.shows("update")
    plain = [Decimal(rng.uniform(-1, 1)) / 7 for _ in range(200)]
    odd = [Decimal("-0"), Decimal("-0.000000000001"), Decimal("1e-7"), Decimal("-3e-9"), Decimal("9.99999e120"),
           Decimal("1e26"), Decimal("-1e27"), Decimal("NaN"), Decimal("0.5"), Decimal("-2.5")]
    rows = [plain] + [plain[:50] + [v] + plain[50:80] for v in odd] + [[], odd]
    for row in rows:
        assert shows(row) == [rounding.show(v) for v in row], row
