"""Which known mistakes explain a wrong answer, most likely first.

Every row of ``mistakes.MISTAKES`` is recomputed (``numbers.trace``) under each of its
models, or, for a mistake about the spec, on each spec a student with that mistake solved
instead; a mistake explains a value when the quantity so computed, exactly or as the
policy writes it, is the value at its digits (``agree``: ``answers.agrees``). The student's
own upstream values are used first; only when no mistake explains the value from them are
the right ones tried. An update ``new(p)`` that another learning rate explains gets
``learning_rate`` with the rate that fits, a rate of one significant digit or the spec's
with its decimal point moved (0.06 or 0.5 for 0.6), after every mistake of the library.

Most likely first: a mistake whose value, written at the answer's digits the policy's
way, is the answer, before one that only agrees with it within the digits' tolerance; then
the mistake that changes the fewest quantities computed before the answer (an update added
instead of subtracted changes only the updates, a sign flip of dE/dout every delta and
gradient before it); then table order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from ...errors import SympropError
from ...numbers.arithmetic import to_decimal
from ...numbers.quantities import kind_of
from ...numbers.records import Model, exact
from ...numbers.solution import Solution, solve
from ...numbers.trace import Trace, base_model, trace
from ...spec.values import Rounding
from .mistakes import MISTAKES

SHIFTS = (-2, -1, 1, 2)  # a learning rate read with its decimal point moved (0.06 for 0.6)


@dataclass(frozen=True)
class Diagnosis:
    """The mistakes that explain a value (library names, most likely first) and what each is."""

    names: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        first = self.descriptions[0] if self.descriptions else ""
        others = ", ".join(self.names[1:])
        return first + (f" (also possible: {others})" if others else "")


class Diagnoser:
    """Diagnoses the wrong answers of one solved step; traces are computed once each."""

    def __init__(self, solution: Solution, exact_values: dict[str, Decimal], places_of: Callable[[str], int],
                 policy_write, agree: Callable[[Decimal, Decimal, int], str | None]):
        self.solution, self.exact, self.places_of = solution, exact_values, places_of
        self.mode = solution.spec.rounding.mode
        self.policy_write, self.agree = policy_write, agree
        self.base = base_model(solution)
        self.order = {name: k for k, name in enumerate(exact_values)}
        self._runs: dict[str, tuple] = {}
        self._traces: dict[tuple, tuple] = {}

    def diagnose(self, c: str, value: Decimal, given: tuple[tuple[str, Decimal], ...]) -> Diagnosis:
        for upstream in (given, ()):
            found = []  # (how closely, changed before c, table order, name, description)
            for k, mistake in enumerate(MISTAKES):
                fits = [(fit, self._changed(solution, model, c)) for solution, model in self.runs(mistake)
                        if (fit := self._explains(solution, model, c, value, upstream)) is not None]
                if fits:
                    found.append((*min(fits), k, mistake.name, mistake.description))
            rate = self._fitting_rate(c, value, upstream)
            if rate is not None:
                model = replace(self.base, rate=rate)
                found.append((2, self._changed(self.solution, model, c), len(MISTAKES), "learning_rate",
                              f"the learning rate {rate:f} in place of {self.base.rate.normalize():f}"))
            if found:
                found.sort()
                names = tuple(dict.fromkeys(row[3] for row in found))
                descriptions = tuple(next(row[4] for row in found if row[3] == name) for name in names)
                return Diagnosis(names, descriptions)
        return Diagnosis()

    def runs(self, mistake) -> tuple[tuple[Solution, Model], ...]:
        """(solution, model) of each way of making ``mistake``."""
        if mistake.name not in self._runs:
            runs = [(self.solution, m) for m in mistake.models(self.solution, self.base)]
            if mistake.respecs is not None:
                whole = self.solution.course.spec if self.solution.course is not None else self.solution.spec
                for spec in mistake.respecs(whole):
                    try:
                        other = solve(spec, form=self.solution.form)
                    except (SympropError, ArithmeticError):
                        continue  # a run the mistake makes diverge, or a logarithm of 0
                    runs.append((other, base_model(other)))
            self._runs[mistake.name] = tuple(runs)
        return self._runs[mistake.name]

    def _explains(self, solution: Solution, model: Model, c: str, value: Decimal, given) -> int | None:
        """0 when the mistake's value, written at the answer's digits, is the answer; 1 when
        it agrees with it otherwise (``agree``); None when it does not explain it."""
        fits = []
        for write in (exact, self.policy_write):
            computed = self._trace(solution, model, write, given)
            if computed is None or c not in computed.computed:
                return None
            x = computed.computed[c]
            if self.agree(value, x, self.places_of(c)):
                digits = -value.as_tuple().exponent
                fits.append(0 if value in (x, Rounding(digits, self.mode)(x)) else 1)
        return min(fits) if fits else None

    def _changed(self, solution: Solution, model: Model, c: str) -> int:
        """How many quantities computed before ``c`` the mistake changes."""
        run = self._trace(solution, model, exact, ())
        if run is None:
            return len(self.order)
        before = self.order.get(c, len(self.order))
        return sum(1 for name, k in self.order.items() if k < before and run.values.get(name) != self.exact[name])

    def _trace(self, solution: Solution, model: Model, write, given) -> Trace | None:
        key = (id(solution), id(model), id(write), given)
        if key not in self._traces:
            try:
                result = trace(solution, model, write, dict(given))
            except (SympropError, ArithmeticError):
                result = None
            self._traces[key] = (solution, model, result)  # kept alive with their ids
        return self._traces[key][2]

    def _fitting_rate(self, c: str, value: Decimal, given) -> Decimal | None:
        """For an update ``new(p)`` of the step: the learning rate (one significant digit, or
        the spec's with its point moved) other than the spec's whose update, from the student's gradient (or the right one),
        is the value; None if there is none."""
        kind, fields, after, rest = kind_of(c)
        if kind != "new" or after or rest:
            return None
        param = fields["param"]
        gradient = dict(given).get(f"grad({param})", self.exact.get(f"grad({param})"))
        old = next(to_decimal(p.value) for p in self.solution.network.params if p.name == param)
        if not gradient:
            return None
        fitted = (old - value) / gradient
        if not fitted.is_finite() or fitted <= 0:
            return None
        rate = +fitted.quantize(Decimal(1).scaleb(fitted.adjusted()))  # one significant digit
        shifted = [self.base.rate.scaleb(k) for k in SHIFTS]  # the spec's rate, the point moved
        rate = next((r for r in shifted if abs(r - fitted) < abs(fitted) / 20), rate)
        if rate in (self.base.rate, Decimal(1)):
            return None
        run = self._trace(self.solution, replace(self.base, rate=rate), exact, given)
        if run is None or not self.agree(value, run.computed[c], self.places_of(c)):
            return None
        return rate.normalize()
