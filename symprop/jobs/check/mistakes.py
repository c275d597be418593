"""The library of known backpropagation mistakes, as data: one row each.

A row has a name (what the checker reports as the diagnosis), a description, and a
function that turns the engine's ``Model`` of a step into the models of the step computed
with that mistake (one per way of making it: which layer, which output, which weight).
Each model is a modified row of ``rules`` (``dataclasses.replace`` on the loss or an
activation), another learning rate, or one of ``numbers.evaluate.Model``'s switches; the
checker recomputes every quantity with ``numbers.trace.trace`` under it, so no formula is
written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from ...numbers.arithmetic import CONTEXT
from ...numbers.evaluate import Model
from ...numbers.solution import Solution

ONE = Decimal(1)
TWO = Decimal(2)


@dataclass(frozen=True)
class Mistake:
    name: str
    description: str
    models: Callable[[Solution, Model], tuple[Model, ...]]


def _sign_flip(solution: Solution, base: Model) -> tuple[Model, ...]:
    derivative = base.loss.derivative
    loss = replace(base.loss, derivative=lambda out, t, n: CONTEXT.minus(derivative(out, t, n)))
    return (replace(base, loss=loss),)


def _scopes(solution: Solution) -> tuple[tuple[str, ...], ...]:
    """The units a mistake about the activation may concern: all, the output layer, the rest."""
    network = solution.network
    outputs = tuple(u.name for u in network.outputs)
    hidden = tuple(u.name for u in network.computed if u.name not in outputs)
    return tuple(scope for scope in (outputs + hidden, outputs, hidden) if scope)


def _with_derivative(base: Model, units: tuple[str, ...], make) -> Model:
    activation = dict(base.activation)
    for unit in units:
        row = activation[unit]
        activation[unit] = replace(row, derivative=make(row))
    return replace(base, activation=activation)


def _no_activation_derivative(solution: Solution, base: Model) -> tuple[Model, ...]:
    return tuple(_with_derivative(base, scope, lambda row: lambda net, out, a: ONE) for scope in _scopes(solution))


def _activation_derivative_of_net(solution: Solution, base: Model) -> tuple[Model, ...]:
    def on_net(row):
        return lambda net, out, a: row.derivative(net, net, a)  # out(1 - out) with the sum for the output

    return tuple(_with_derivative(base, scope, on_net) for scope in _scopes(solution))


def _missing_path(solution: Solution, base: Model) -> tuple[Model, ...]:
    outputs = solution.network.outputs
    if len(outputs) < 2 or len(solution.spec.layers) < 3:
        return ()
    return tuple(replace(base, only_error=u.name) for u in outputs)


def _updated_weights(solution: Solution, base: Model) -> tuple[Model, ...]:
    return (replace(base, updated_weights=True),) if len(solution.spec.layers) > 2 else ()


def _learning_rate(solution: Solution, base: Model) -> tuple[Model, ...]:
    """Not applied (w - grad), or added instead of subtracted (w + rate * grad)."""
    return (replace(base, rate=ONE), replace(base, rate=CONTEXT.minus(base.rate)))


def _wrong_weight(solution: Solution, base: Model) -> tuple[Model, ...]:
    """Two weights into the same unit, or out of the same unit, swapped on ∂sum/∂out."""
    weights = [p for p in solution.network.params if p.kind == "weight"]
    below = {w.name for w in weights if solution.network.unit[w.source].layer > 0}  # ∂sum/∂out of a computed unit
    models = []
    for i, a in enumerate(weights):
        for b in weights[i + 1:]:
            if a.name not in below and b.name not in below:
                continue
            if a.targets == b.targets or a.source == b.source:
                models.append(replace(base, weight_param={**base.weight_param, a.name: b.name, b.name: a.name}))
    return tuple(models)


def _half_missing(solution: Solution, base: Model) -> tuple[Model, ...]:
    """E = (target - output)^2: the error terms doubled; the derivative kept or doubled too."""
    if base.loss.name != "half_sse":
        return ()
    term, derivative = base.loss.term, base.loss.derivative
    doubled = replace(base.loss, term=lambda out, t, n, logs: CONTEXT.multiply(TWO, term(out, t, n, logs)))
    both = replace(doubled, derivative=lambda out, t, n: CONTEXT.multiply(TWO, derivative(out, t, n)))
    return (replace(base, loss=doubled), replace(base, loss=both))


MISTAKES: tuple[Mistake, ...] = (
    Mistake("sign_flip", "dE/dout taken as target - output instead of output - target", _sign_flip),
    Mistake("no_activation_derivative", "the activation's derivative factor (e.g. sigma') left out", _no_activation_derivative),
    Mistake("activation_derivative_of_net", "the activation's derivative evaluated on the weighted sum "
            "instead of the output (sum(1 - sum) for the sigmoid)", _activation_derivative_of_net),
    Mistake("missing_path", "a hidden parameter's gradient from one error term only", _missing_path),
    Mistake("updated_weights", "hidden deltas computed with the already updated weights", _updated_weights),
    Mistake("learning_rate", "the learning rate not applied, or the step added instead of subtracted", _learning_rate),
    Mistake("wrong_weight", "the wrong weight on the dsum/dout factor", _wrong_weight),
    Mistake("half_missing", "the loss without its 1/2", _half_missing),
)
