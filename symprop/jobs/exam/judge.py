"""Judging a variant and its answers: poor questions rejected by reason, tolerances.

A draw that makes a poor question is rejected and counted by reason (``REASONS``):
saturated units, dead ReLU units, a weighted sum on a ReLU kink, asked gradients that are
0 at the shown places, two asked answers alike, a repeat. Each answer's tolerance follows
from the rounding policy (``tolerance``, in words ``tolerance_rule``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from ...numbers.arithmetic import to_decimal
from ...numbers.evaluate import exact
from ...numbers.quantities import kind_of, rounding_kind
from ...numbers.solution import Solution
from ...numbers.trace import base_model, trace
from ...spec import ExamSpec, Rounding

# |net| beyond: f' < 0.018 (σ), < 0.071 (tanh); a softmax: its sums spread wider (an output below ~0.002)
SATURATION = {"sigmoid": Decimal(4), "tanh": Decimal(2), "softmax": Decimal(6)}
REASONS = {
    "duplicate": "the same numbers as an earlier variant",
    "saturated": "a weighted sum beyond its activation's useful range, |net| > max_net "
                 "(for a softmax, its sums spread wider than max_net)",
    "log_of_zero": "an output written 0 (or 1) at the shown places, whose logarithm the error needs",
    "dead_relu": "a ReLU unit whose weighted sum is 0 or less for every sample, so its output and gradients are 0",
    "kink": "a weighted sum exactly 0 at a ReLU kink",
    "zero_gradient": "an asked gradient, or the gradient of an asked update, that is 0 at the shown places",
    "tie": "two asked answers with the same value, so a swapped answer would pass",
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
          shown: dict[str, str]) -> str | None:
    """The first reason (``REASONS`` order) that makes this variant a poor question, or None."""
    net = solution.network
    forward = solution.exact.forward
    for unit in net.computed:
        limit = to_decimal(settings.max_net) if settings.max_net is not None else SATURATION.get(unit.activation.name)
        if limit is None:
            continue
        if unit.activation.coupled:  # only the differences of a softmax's sums matter
            group = net.group(unit.name)
            if any(max(p.net[u] for u in group) - min(p.net[u] for u in group) > limit for p in forward):
                return "saturated"
        elif any(abs(p.net[unit.name]) > limit for p in forward):
            return "saturated"
    if not settings.allow_dead_relu:
        for unit in net.computed:
            if unit.activation.name == "relu" and all(p.net[unit.name] <= 0 for p in forward):
                return "dead_relu"
    if solution.exact.notes or solution.hand.notes:  # a weighted sum of exactly 0 at a kink
        return "kink"
    for q in ask:
        kind = kind_of(q)[0]
        if (kind in DERIVATIVES or kind == "new") and gradient_of(q) and Decimal(shown[gradient_of(q)]).is_zero():
            return "zero_gradient"
    values = [shown[q] for q in ask]
    if len(set(values)) < len(values):
        return "tie"
    return None


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
