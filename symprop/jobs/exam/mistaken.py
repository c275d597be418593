"""What the classic mistakes give for the asked quantities of a variant.

Every row of the checker's mistake library (``check.mistakes.MISTAKES``: sign flip, the
activation's derivative left out or taken of the sum, a missing path, updated weights,
the learning rate, the update's sign, a swapped weight, the ½ missing, ..., and whatever
rows it grows) is recomputed on the variant with ``numbers.trace`` under each of its
models, or on each spec a mistake about the spec makes the student solve (a threshold
added, a run's mode or momentum), the way the checker's diagnosis does, so a new row is
picked up here without a change.

A mistake *touches* a quantity when its exact value differs from the correct exact value
(the learning rate does not touch ``out(o1)``). What a student who makes it writes is that
value at the quantity's places; with ``carry: shown`` also the hand calculation carrying
its written values under the mistake. Those written values (``Wrong``) are what Moodle
lists as fraction-0 answers; a variant where any of them, or the exact mistaken value,
lies within the correct answer's tolerance is rejected (``ambiguous``): the mistake would
be graded correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...errors import SympropError
from ...numbers.quantities import rounding_kind
from ...numbers.records import Model, exact
from ...numbers.solution import Solution, solve
from ...numbers.trace import base_model, trace
from ..check.mistakes import MISTAKES, Mistake


@dataclass(frozen=True)
class Wrong:
    """A wrong answer a known mistake gives: its value as written, and the mistakes
    (library names and descriptions, in library order) that give it."""

    value: str
    names: tuple[str, ...]
    descriptions: tuple[str, ...]


@dataclass(frozen=True)
class Touched:
    """One mistake's values for one asked quantity: exact, and as a student writes them."""

    quantity: str
    name: str
    description: str
    exact: Decimal
    written: tuple[str, ...]


def runs(solution: Solution, mistake: Mistake, base: Model) -> list[tuple[Solution, Model]]:
    """(solution, model) of each way of making ``mistake``, as the checker's diagnosis makes
    them: the step under each of its models, or, for a mistake about the spec (``respecs``),
    the engine's step on each spec a student with it solved instead (one it cannot solve,
    left out)."""
    found = [(solution, model) for model in mistake.models(solution, base)]
    if mistake.respecs is not None:
        whole = solution.course.spec if solution.course is not None else solution.spec
        for spec in mistake.respecs(whole):
            try:
                other = solve(spec, form=solution.form)
            except (ArithmeticError, SympropError):
                continue
            found.append((other, base_model(other)))
    return found


def touched(solution: Solution, ask: tuple[str, ...], exact_values: dict[str, Decimal]) -> list[Touched]:
    """Every (mistake model, asked quantity) the mistake touches, in library order. A model
    the step cannot be computed under (a logarithm of 0, a number out of range) is skipped."""
    rounding = solution.spec.rounding
    base = base_model(solution)
    found: list[Touched] = []
    for mistake in MISTAKES:
        for run, model in runs(solution, mistake, base):
            try:
                values = trace(run, model, exact).values
                hit = [q for q in ask if q in values and values[q] != exact_values[q]]
                hand = trace(run, model, rounding).values if hit and rounding.carries_shown else values
            except (ArithmeticError, SympropError):
                continue
            for q in hit:
                kind = rounding_kind(q)
                written = tuple(dict.fromkeys(rounding.show(v, kind) for v in (values[q], hand[q])))
                found.append(Touched(q, mistake.name, mistake.description, values[q], written))
    return found


def ambiguous(found: list[Touched], answer: dict[str, Decimal], tolerance: dict[str, Decimal]) -> Touched | None:
    """The first mistake whose value, exact or written, lies within the correct answer's
    tolerance (inclusive, as Moodle and Canvas grade), or None."""
    for t in found:
        near = abs(t.exact - answer[t.quantity]) <= tolerance[t.quantity]
        if near or any(abs(Decimal(w) - answer[t.quantity]) <= tolerance[t.quantity] for w in t.written):
            return t
    return None


def wrong_answers(found: list[Touched], quantity: str) -> tuple[Wrong, ...]:
    """The distinct written values of the mistakes touching ``quantity``, each with every
    mistake that gives it (in library order), in the order first found."""
    by_value: dict[str, list[Touched]] = {}
    for t in found:
        if t.quantity == quantity:
            for w in t.written:
                by_value.setdefault(w, [])
                if all(other.name != t.name for other in by_value[w]):
                    by_value[w].append(t)
    return tuple(Wrong(value, tuple(t.name for t in ts), tuple(t.description for t in ts))
                 for value, ts in by_value.items())
