"""Every quantity of one training step by its canonical name: the checker's view of the
one evaluator (``evaluate``), recomputed

- from a student's own values (``given``: each given value replaces the computed one for
  everything downstream, so a wrong ``out(h1)`` is carried into ``net(o1)``), and
- under a known mistake (a ``Model`` of ``evaluate``).

With the engine's model and nothing given it is the engine digit for digit, because it is
the engine: ``evaluate`` with a recorder that keeps every name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .arithmetic import to_decimal
from .evaluate import evaluate
from .records import Model, Recorder, Write, exact
from .records import base_model as network_model
from .solution import Solution
from .training import train

FORM = "chain"  # how a hand calculation adds up its gradients: as ``solve`` does by default


def base_model(solution: Solution) -> Model:
    """The engine's own model of ``solution``'s step."""
    return network_model(solution.network)


@dataclass(frozen=True)
class Trace:
    """``values``: each quantity as carried forward (the given value where one is given);
    ``computed``: each quantity as recomputed from its upstream values, before that."""

    values: dict[str, Decimal]
    computed: dict[str, Decimal]


class Named(Recorder):
    """Keeps every quantity by name, as computed and as carried forward."""

    def __init__(self, given: Mapping[str, Decimal] | None = None):
        super().__init__(given)
        self.values: dict[str, Decimal] = {}
        self.computed: dict[str, Decimal] = {}

    def put(self, name: str, value: Decimal) -> Decimal:
        self.computed[name] = value
        chosen = self.given.get(name, value)
        self.values[name] = chosen
        return chosen


def trace(solution: Solution, model: Model, write: Write = exact,
          given: Mapping[str, Decimal] | None = None, form: str = FORM) -> Trace:
    """The whole step under ``model``, writing every quantity with ``write``; each quantity
    named in ``given`` takes the given value from there on; ``form`` (chain | delta) is how
    a hand calculation adds up its gradients, as in ``solve``. With ``updated_weights`` the
    step runs once per layer, each round's ∂sum/∂out factors reading the weights the round
    before updated."""
    named = Named(given)
    weights = {p.name: to_decimal(p.value) for p in solution.network.params}
    rounds = len(solution.spec.layers) if model.updated_weights else 1
    for i in range(rounds):
        last = i == rounds - 1
        result = evaluate(solution.derivations, write, form, model, named if last else Recorder(named.given), weights)
        weights = result.updated
    if solution.course is not None and solution.step == 1:  # the whole run: ...[step N], ...[epoch E]
        train(solution.course.derivations, write, form, replace(model, updated_weights=False), named)
    return Trace(named.values, named.computed)
