"""Judging a variant and its answers: poor questions rejected by reason, tolerances.

A draw that makes a poor question is rejected and counted by reason (``REASONS``, each
with what to change when it rejects too much, ``FIXES``): saturated units, dead ReLU
units, a weighted sum on a ReLU kink, asked gradients that are 0 at the shown places,
answers too coarse to grade (fewer than ``MIN_DIGITS`` significant digits at their places),
two asked answers alike, a classic mistake graded correct (``mistaken``), a repeat. Each
answer's tolerance follows from the rounding policy (``tolerance``, in words
``tolerance_rule``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from ...numbers.arithmetic import to_decimal
from ...numbers.quantities import kind_of, rounding_kind
from ...numbers.records import exact
from ...numbers.solution import Solution
from ...numbers.trace import base_model, trace
from ...spec import ExamSpec, Rounding

# |net| beyond: f' < 0.018 (σ), < 0.071 (tanh), < 0.036 (bipolar σ); a softmax: its sums spread wider (an output below ~0.002)
SATURATION = {"sigmoid": Decimal(4), "tanh": Decimal(2), "bipolar_sigmoid": Decimal(4), "softmax": Decimal(6)}
REASONS = {
    "duplicate": "the same numbers as an earlier variant",
    "saturated": "a weighted sum beyond its activation's useful range, |net| > max_net "
                 "(for a softmax, its sums spread wider than max_net)",
    "log_of_zero": "an output written 0 (or 1) at the shown places, whose logarithm the error needs",
    "dead_relu": "a ReLU unit whose weighted sum is 0 or less for every sample, so its output and gradients are 0",
    "kink": "a weighted sum exactly 0 at a ReLU kink",
    "zero_gradient": "an asked gradient, or the gradient of an asked update, that is 0 at the shown places",
    "weak": "an asked answer that, written at its places, is 0 or has fewer than 2 significant digits "
            "(0.004 with a tolerance of 0.001 is graded to 25 %)",
    "tie": "two asked answers with the same value, so a swapped answer would pass",
    "mistake": "a classic mistake (the checker's library) whose value for an asked quantity lies within the "
               "correct answer's tolerance, so the mistake would be graded correct",
}
MIN_DIGITS = 2  # significant digits an asked answer has at least, written at its places
# what to change in the spec when most draws are rejected for a reason
FIXES = {
    "duplicate": "widen the grids under exam: (a wider range or a finer step) or ask for fewer variants",
    "saturated": "narrow the ranges of the weights, biases and inputs under exam:, or raise exam.max_net",
    "log_of_zero": "write the outputs with more places (rounding.places) or narrow the weights' range",
    "dead_relu": "draw the ReLU layers' biases above 0 (exam.biases) or set exam.allow_dead_relu: true",
    "kink": "draw the biases on a grid whose sums miss 0 (e.g. exam.biases: {min: -0.95, max: 0.95, step: 0.1})",
    "zero_gradient": "write the gradients with more places (rounding.places) or ask for other parameters",
    "weak": "write the answers with more places (rounding.places), widen the grids so that the answers grow, "
            "or ask for other quantities",
    "tie": "write the answers with more places (rounding.places) or ask for other quantities",
    "mistake": "write the answers with more places (rounding.places), so that a mistake's value falls outside "
               "the tolerance, or ask for other quantities",
}
DERIVATIVES = ("grad", "delta", "loss_factor", "activation_factor", "coupling_factor", "dout")


def traces(solution: Solution) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Every named quantity, exact and as written (the checker's two traces)."""
    model = base_model(solution)
    exact_values = trace(solution, model, exact).values
    rounding = solution.spec.rounding
    hand = trace(solution, model, rounding).values if rounding.carries_shown else exact_values
    return exact_values, hand


def judge(solution: Solution, ask: tuple[str, ...], settings: ExamSpec,
          shown: dict[str, str]) -> tuple[str, str] | None:
    """The first reason (``REASONS`` order, before ``mistake``) that makes this variant a poor
    question, with its culprit (an asked quantity, or ""), or None."""
    net = solution.network
    forward = solution.exact.forward
    for unit in net.computed:
        limit = to_decimal(settings.max_net) if settings.max_net is not None else SATURATION.get(unit.activation.name)
        if limit is None:
            continue
        if unit.activation.coupled:  # only the differences of a softmax's sums matter
            group = net.group(unit.name)
            if any(max(p.net[u] for u in group) - min(p.net[u] for u in group) > limit for p in forward):
                return "saturated", unit.name
        elif any(abs(p.net[unit.name]) > limit for p in forward):
            return "saturated", unit.name
    if not settings.allow_dead_relu:
        for unit in net.computed:
            if unit.activation.name == "relu" and all(p.net[unit.name] <= 0 for p in forward):
                return "dead_relu", unit.name
    if solution.exact.notes or solution.hand.notes:  # a weighted sum of exactly 0 at a kink
        return "kink", ""
    for q in ask:
        kind = kind_of(q)[0]
        if (kind in DERIVATIVES or kind == "new") and gradient_of(q) and Decimal(shown[gradient_of(q)]).is_zero():
            return "zero_gradient", q
    for q in ask:
        if significant_digits(shown[q]) < MIN_DIGITS:
            return "weak", q
    values = [shown[q] for q in ask]
    if len(set(values)) < len(values):
        return "tie", next(q for q in ask if values.count(shown[q]) > 1)
    return None


def significant_digits(written: str) -> int:
    """The significant digits of a number as written: from its first non-zero digit to its
    last written place (``0.0040``: 2, ``-0.004``: 1, ``0.000``: 0)."""
    return len("".join(map(str, Decimal(written).as_tuple().digits)).lstrip("0"))


def gradient_of(quantity: str) -> str:
    """The gradient an update ``new(p)`` (``new(p)[step N]``) is made from; any other
    quantity itself; "" for a parameter at an epoch's end, which many updates made."""
    kind, fields, _, suffix = kind_of(quantity)
    if kind != "new":
        return quantity
    return "" if suffix.startswith("[epoch") else f"grad({fields['param']}){suffix}"


def tolerance_of(quantity: str, exact_value: Decimal, written: Decimal, rounding: Rounding) -> Decimal:
    """The tolerance of an asked quantity: ``tolerance`` at its kind's places."""
    return tolerance(exact_value, written, rounding.at(rounding_kind(quantity)))


def tolerance(exact_value: Decimal, written: Decimal, rounding: Rounding) -> Decimal:
    """One unit of the last shown place; with ``carry: shown``, as many units as it takes to
    also accept the exact value rounded to the places (k = ⌈|shown − exact| / unit + ½⌉)."""
    unit = Decimal(1).scaleb(-rounding.places)
    if not rounding.carries_shown:
        return unit
    k = max(1, math.ceil(abs(written - exact_value) / unit + Decimal("0.5")))
    return unit * k


def tolerance_rule(rounding: Rounding) -> str:
    """The tolerance of ``tolerance`` in words, for the key and the manifest."""
    unit = f"{Decimal(1).scaleb(-rounding.places):f}"
    rule = (f"one unit of the last written place ({unit} at {rounding.places} places), which accepts the "
            f"policy's value, the exact value rounded or truncated, and a last digit off by one")
    if rounding.carries_shown:
        rule += ("; where the hand calculation, carrying its written values, drifted further from the exact value, "
                 "k units with k = ceil(|shown - exact| / unit + 1/2), so the exact value rounded passes too")
    return rule
