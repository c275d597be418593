"""The toolkit every part of a worked solution is written with: one solved step seen
through one notation preset and one rounding policy.

``Writer`` knows how each number is written (a given value as given, a computed one as the
hand calculation writes it), how a long sum or chain wraps over rows, and the printer and
names of the preset. Documents and decks differ only in how many terms fit on a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..core.derive import Factor
from ..core.graph import Network
from ..numbers.evaluate import Evaluation
from ..numbers.solution import Solution
from ..spec import choices
from .notation import Names, names
from .parts import Equation
from .printer import Printer, given

FACTORS_PER_ROW = 3  # ∂ fractions on one displayed row before the product wraps
TERMS_PER_ROW = 4  # terms of a weighted sum on one displayed row


@dataclass(frozen=True)
class Writer:
    solution: Solution  # in the form its style adds gradients up in
    style: str
    names: Names
    printer: Printer
    terms_per_row: int = TERMS_PER_ROW

    @staticmethod
    def of(solution: Solution, style: str, preset: str | None, terms_per_row: int = TERMS_PER_ROW) -> Writer:
        solution = solution.in_form(choices.form_of(style))  # numbers as this style writes them
        n = names(solution.network, preset or solution.spec.notation)
        return Writer(solution, style, n, Printer(solution.network, n), terms_per_row)

    @property
    def network(self) -> Network:
        return self.solution.network

    @property
    def hand(self) -> Evaluation:
        return self.solution.hand

    @property
    def show(self) -> Callable[[Decimal], str]:
        return self.solution.spec.rounding.show

    def value(self, name: str, after: bool = False) -> str:
        """A parameter as used in a pass: as given before the update, as written after."""
        param = self.network.param[name]
        if after and (param.kind == "weight" or self.solution.spec.update_biases):
            return self.show(self.hand.updated[name])
        return given(param.value)

    def factor_text(self, factor: Factor, k: int) -> str:
        """A factor's number as written: weights and inputs as given, the rest as shown."""
        net = self.network
        if factor.kind == "weight":
            return given(net.param[factor.ref].value)
        if factor.kind == "input" and net.unit[factor.ref].is_input:
            return given(dict(self.solution.spec.samples[k].input)[factor.ref])
        if factor.kind == "bias":
            return "1"
        return self.show(self.hand.backward[k].factor[factor.key])

    def sum_rows(self, lhs: str, terms: list[str], result: str = "", per_row: int | None = None) -> list[str]:
        """``lhs = t1 + t2 + ...`` over rows of at most ``per_row`` terms (``= result``)."""
        per_row = per_row or self.terms_per_row
        rows = []
        for start in range(0, len(terms), per_row):
            part = " + ".join(terms[start:start + per_row])
            first = f"{lhs} &= {part}" if lhs else f"&= {part}"
            rows.append(first if start == 0 else rf"&\quad + {part}")
        if result:
            rows[-1] += f" = {result}"
        return rows

    def chain_rows(self, lhs: str, fracs: list[str]) -> list[str]:
        rows = []
        for start in range(0, len(fracs), FACTORS_PER_ROW):
            part = self.printer.product(fracs[start:start + FACTORS_PER_ROW])
            rows.append(f"{lhs} &= {part}" if start == 0 else rf"&\quad {self.names.times} {part}")
        return rows


def eq(*rows: str) -> Equation:
    return Equation(tuple(rows))
