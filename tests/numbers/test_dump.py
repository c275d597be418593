"""The JSON writer: a row of quantities (``QRow``, a long run's rows, written through one
template) gives the very bytes the same row gives as a plain dict of ``Q``, at any depth,
with names that need escaping, and reads back as the same data."""

from __future__ import annotations

import json
from decimal import Decimal

from symprop.numbers.dump import Q, QRow, dumps

NAMES = ["w1", "b_2", "w%d", "w\"q", "θ₁", "a\\b", "%s%%"]
VALUES = [Decimal("0.123456789012345678901234567890"), Decimal("-1E-31"), Decimal(0), Decimal("12.5"),
          Decimal("-0.000001"), Decimal("3E+5"), Decimal(7)]
SHOWN = ["0.12346", "-0.00000", "0", "12.50000", "\"odd\"", "1e+05", "ü"]


def _plain() -> dict:
    return {n: Q(value=v, shown=s) for n, v, s in zip(NAMES, VALUES, SHOWN)}


def test_a_row_writes_as_its_plain_dict_at_every_depth():
    row = QRow.row(NAMES, VALUES, SHOWN)
    for wrap in (lambda r: r, lambda r: {"updated": r}, lambda r: {"epochs": [{"steps": [{"g": r, "n": 1}]}]},
                 lambda r: [r, r]):
        assert dumps(wrap(row)) == dumps(wrap(_plain()))
        assert json.loads(dumps(wrap(row)), parse_float=Decimal) == json.loads(dumps(wrap(_plain())),
                                                                                parse_float=Decimal)


def test_a_row_reads_back_exactly():
    data = json.loads(dumps({"r": QRow.row(NAMES, VALUES, SHOWN)}), parse_float=Decimal)["r"]
    assert list(data) == NAMES
    assert [Decimal(str(q["value"])) for q in data.values()] == VALUES
    assert [q["shown"] for q in data.values()] == SHOWN


def test_an_empty_row_is_an_empty_object():
    assert dumps({"r": QRow.row([], [], [])}) == dumps({"r": {}})
