"""The library of known backpropagation mistakes, as data: one row each.

A row has a name (what the checker reports as the diagnosis), a description, and a
function that turns the engine's ``Model`` of a step into the models of the step computed
with that mistake (one per way of making it: which layer, which output, which weight).
Each model is a modified row of ``rules`` (``dataclasses.replace`` on the loss or an
activation), another learning rate, or one of ``numbers.records.Model``'s switches; the
checker recomputes every quantity with ``numbers.trace.trace`` under it, so no formula is
written twice. A mistake about the spec itself rather than the step's arithmetic (a
threshold added, a training run's mode or momentum) gives, through ``respecs``, the specs a
student with that mistake solved instead: the checker solves each with the same engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from ...numbers.arithmetic import CONTEXT
from ...numbers.records import Model
from ...numbers.solution import Solution
from ...spec.choices import TRAINING_MODES
from ...spec.model import Spec

ONE = Decimal(1)
TWO = Decimal(2)


@dataclass(frozen=True)
class Mistake:
    name: str
    description: str
    models: Callable[[Solution, Model], tuple[Model, ...]]
    respecs: Callable[[Spec], tuple[Spec, ...]] | None = None  # a mistake about the spec: the specs solved instead


def _none(solution: Solution, base: Model) -> tuple[Model, ...]:
    return ()


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
    """Not applied: w - grad (another rate that fits is found by the checker itself)."""
    return (replace(base, rate=ONE),) if base.rate != ONE else ()


def _update_sign(solution: Solution, base: Model) -> tuple[Model, ...]:
    """The step added instead of subtracted: w + rate * grad."""
    return (replace(base, rate=CONTEXT.minus(base.rate)),)


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


def _output_rows(base: Model, solution: Solution) -> list[str]:
    return [u.name for u in solution.network.outputs]


def _softmax_cross_terms(solution: Solution, base: Model) -> tuple[Model, ...]:
    """A softmax layer's ∂out_k/∂net_j (j ≠ k) taken as 0: each output's sum on its own path only."""
    units = [u for u in _output_rows(base, solution) if base.activation[u].coupled]
    if not units:
        return ()
    activation = dict(base.activation)
    for unit in units:
        activation[unit] = replace(activation[unit], cross_derivative=lambda out_k, out_j: Decimal(0))
    return (replace(base, activation=activation),)


def _shortcut_misapplied(solution: Solution, base: Model) -> tuple[Model, ...]:
    """δ = out − target written where the loss and the output activation do not give it
    (it holds for softmax + cross-entropy, sigmoid + binary cross-entropy, identity + ½·SSE;
    with ½·SSE elsewhere it is the activation's derivative left out, a row of its own)."""
    outputs = _output_rows(base, solution)
    row = base.activation[outputs[0]]
    holds = base.loss.shortcut == row.name or (base.loss.name == "half_sse" and row.name == "identity")
    if holds or (base.loss.name == "half_sse" and not row.coupled):
        return ()
    loss = replace(base.loss, derivative=lambda out, t, n: out - t)
    activation = dict(base.activation)
    for unit in outputs:
        activation[unit] = replace(activation[unit], derivative=lambda net, out, a: ONE,
                                   cross_derivative=lambda out_k, out_j: Decimal(0))
    return (replace(base, loss=loss, activation=activation),)


LN10 = CONTEXT.ln(Decimal(10))


def _log10_for_ln(solution: Solution, base: Model) -> tuple[Model, ...]:
    """The error's logarithms taken to base 10 (a calculator's log key); its derivative
    kept as ln's, or taken of log10 too (1 / (out ln 10))."""
    if not base.loss.logs:
        return ()
    term, derivative = base.loss.term, base.loss.derivative

    def term10(out, t, n, logs):
        return term(out, t, n, logs and tuple(CONTEXT.divide(x, LN10) for x in logs))

    decimal = replace(base.loss, term=term10)
    both = replace(decimal, derivative=lambda out, t, n: CONTEXT.divide(derivative(out, t, n), LN10))
    return (replace(base, loss=decimal), replace(base, loss=both))


def _threshold_added(spec: Spec) -> tuple[Spec, ...]:
    """net = Σ w·x + θ where the spec subtracts its thresholds."""
    return (replace(spec, bias_convention="add"),) if spec.bias_convention == "threshold" else ()


def _mode_mixed_up(spec: Spec) -> tuple[Spec, ...]:
    """A training run of several samples updated the other way: after the whole batch
    instead of after each sample (or its mini-batches), or after each sample instead of
    after the batch."""
    training = spec.training
    if training.is_one_step or len(spec.samples) < 2:
        return ()
    others = [m for m in TRAINING_MODES if m != training.mode and m != "minibatch"]
    return tuple(replace(spec, training=replace(training, mode=m, batch_size=None)) for m in others)


def _momentum_forgotten(spec: Spec) -> tuple[Spec, ...]:
    """Plain gradient steps where the run has momentum (v ← μ v − η ∇E; w ← w + v)."""
    training = spec.training
    return (replace(spec, training=replace(training, momentum=Fraction(0))),) if training.momentum else ()


MISTAKES: tuple[Mistake, ...] = (
    Mistake("sign_flip", "dE/dout taken as target - output instead of output - target", _sign_flip),
    Mistake("no_activation_derivative", "the activation's derivative factor (e.g. sigma') left out", _no_activation_derivative),
    Mistake("activation_derivative_of_net", "the activation's derivative evaluated on the weighted sum "
            "instead of the output (sum(1 - sum) for the sigmoid)", _activation_derivative_of_net),
    Mistake("missing_path", "a hidden parameter's gradient from one error term only", _missing_path),
    Mistake("updated_weights", "hidden deltas computed with the already updated weights", _updated_weights),
    Mistake("learning_rate", "the learning rate not applied (w - dE/dw)", _learning_rate),
    Mistake("update_sign", "the step added instead of subtracted (w + eta * dE/dw)", _update_sign),
    Mistake("wrong_weight", "the wrong weight on the dsum/dout factor", _wrong_weight),
    Mistake("half_missing", "the loss without its 1/2", _half_missing),
    Mistake("softmax_cross_terms", "the softmax Jacobian's cross terms dout_k/dnet_j (j != k) left out",
            _softmax_cross_terms),
    Mistake("shortcut_misapplied", "delta = output - target used where the loss and the output activation "
            "do not give it", _shortcut_misapplied),
    Mistake("log10_for_ln", "log10 (a calculator's log) in place of the natural logarithm ln", _log10_for_ln),
    Mistake("threshold_added", "the threshold added (net = sum w x + theta) instead of subtracted", _none,
            _threshold_added),
    Mistake("batch_online", "the updates made the other way: after the whole batch instead of after each "
            "sample, or after each sample instead of after the batch", _none, _mode_mixed_up),
    Mistake("momentum_forgotten", "the momentum term (v = mu v - eta dE/dw) left out", _none, _momentum_forgotten),
)
