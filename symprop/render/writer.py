"""The toolkit every part of a worked solution is written with: one solved step seen
through one notation preset and one rounding policy.

``Writer`` knows how each number is written (a given value as given, a computed one as the
hand calculation writes it), how a long sum or chain wraps over rows, and the printer and
names of the preset. Documents and decks differ only in how many terms fit on a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.derive import Factor
from ..core.graph import Network
from ..numbers.records import Evaluation
from ..numbers.solution import Solution
from ..spec import choices
from .measure import display_width
from .notation import Names, names
from .parts import Equation
from .printer import Printer, given

FACTORS_PER_ROW = 3  # ∂ fractions on one displayed row before the product wraps
TERMS_PER_ROW = 4  # terms of a weighted sum on one displayed row
ROW_EM = 46.0  # a displayed row's terms at most this wide, as measure.display_width estimates them (a page)


@dataclass(frozen=True)
class Writer:
    solution: Solution  # in the form its style adds gradients up in
    style: str
    names: Names
    printer: Printer
    terms_per_row: int = TERMS_PER_ROW
    row_em: float = ROW_EM

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

    def show(self, value: Decimal, kind: str | None = None) -> str:
        """A number as the hand calculation writes it: at its kind's places."""
        return self.solution.spec.rounding.show(value, kind)

    @property
    def samples(self) -> int:
        return len(self.solution.spec.samples)

    def mark(self, tex: str, k: int) -> str:
        """A per-sample quantity of sample ``k`` (0-based), indexed when there are several."""
        return f"{{{tex}}}^{{[{k + 1}]}}" if self.samples > 1 else tex

    def value(self, name: str, after: bool = False) -> str:
        """A parameter as used in a pass: as given before the update (as the step before
        wrote it, in a training run's later step), as written after."""
        param = self.network.param[name]
        if after and (param.kind == "weight" or self.solution.spec.update_biases):
            return self.show(self.hand.updated[name], "update")
        if self.solution.step > 1:
            return self.show(Decimal(param.value.numerator) / Decimal(param.value.denominator), "update")
        return given(param.value)

    def factor_text(self, factor: Factor, k: int) -> str:
        """A factor's number as written: weights and inputs as given, the rest as shown."""
        net = self.network
        if factor.kind == "weight":
            return self.value(factor.ref)
        if factor.kind == "input" and net.unit[factor.ref].is_input:
            return given(dict(self.solution.spec.samples[k].input)[factor.ref])
        if factor.kind == "bias":
            return str(net.bias_sign)
        return self.show(self.hand.backward[k].factor[factor.key], "out" if factor.kind == "input" else "factor")

    def printer_at(self, k: int | None) -> Printer:
        """The printer of sample ``k`` (0-based): its per-sample symbols indexed when there
        are several samples (a factor derived in sample 2 reads out^[2], not out)."""
        if k is None or self.samples == 1:
            return self.printer
        return Printer(self.network, self.names.in_sample(k + 1))

    def frac(self, factor: Factor, k: int | None = None) -> str:
        """∂num/∂den of a factor, in sample ``k`` when there are several."""
        return self.printer_at(k).frac(factor)

    def signed(self, terms: list[tuple[str, str]]) -> str:
        """A sum of terms, each (sign, text): ``a - b + c`` (a minus sign is the formula's, a
        negative number inside a term is in parentheses)."""
        out = []
        for k, (sign, text) in enumerate(terms):
            if k == 0:
                out.append(f"-{text}" if sign == "-" else text)
            else:
                out.append(f"{sign} {text}")
        return " ".join(out)

    def sum_rows(self, lhs: str, terms: list[str | tuple[str, str]], result: str = "",
                 per_row: int | None = None) -> list[str]:
        """``lhs = t1 + t2 - ...`` over rows of at most ``per_row`` terms (``= result``); a term
        is its text (added), or (sign, text)."""
        per_row = per_row or self.terms_per_row
        signed = [t if isinstance(t, tuple) else ("+", t) for t in terms]
        parts: list[list[tuple[str, str]]] = [[]]
        room = self.row_em - display_width(lhs)
        for term in signed:  # at most per_row terms a row, and no wider than the page
            width = display_width(f"+ {term[1]}")
            if parts[-1] and (len(parts[-1]) == per_row or width > room):
                parts.append([])
                room = self.row_em - display_width(r"\quad")
            parts[-1].append(term)
            room -= width
        rows = []
        for k, part in enumerate(parts):
            if k == 0:
                text = self.signed(part)
                rows.append(f"{lhs} &= {text}" if lhs else f"&= {text}")
            else:
                rows.append(rf"&\quad {part[0][0]} {self.signed([('+', part[0][1])] + part[1:])}")
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
