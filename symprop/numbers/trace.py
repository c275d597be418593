"""Every quantity of one training step by name, recomputed with hooks: the checker's evaluator.

``numeric.evaluate`` computes a step as a whole. Checking an answer sheet needs each
quantity by its canonical name (``net(h1)``, ``dout(o1)/dnet(o1)``, ``delta(h1)``,
``grad(w5)``, ``new(w5)``, ``out(h1)*`` after the update, ``[k]`` for sample k when there
are several), recomputed

- from a student's own values (``given``: each given value replaces the computed one for
  everything downstream, so a wrong ``out(h1)`` is carried into ``net(o1)``), and
- under a known mistake (a ``Model`` with a modified loss or activation row of ``rules``,
  another learning rate, wrong weights on the ∂sum/∂out factor, the updated weights in the
  hidden deltas, or the error terms of one output only).

``trace`` walks the graph in the order of ``numeric.evaluate`` and applies the same
``write`` to the same quantities, with the engine's rows, derivations and gradient sum
(``numeric._gradient``), so with the plain model and nothing given it reproduces the
engine digit for digit (``tests/test_check.py`` proves it for every bundled example).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from ..core.rules import Activation, Loss
from .arithmetic import CONTEXT, to_decimal
from .evaluate import Backward, Write, _gradient, exact
from .solution import Solution

ZERO = Decimal(0)
ONE = Decimal(1)
FORM = "chain"  # how a hand calculation adds up its gradients: as ``solve`` does by default


@dataclass(frozen=True)
class Model:
    """How a step is computed: the engine's way, or one mistake's way.

    ``weight_param`` maps a weight to the parameter whose value its ∂sum/∂out factor reads
    (the wrong-weight mistake swaps two); ``updated_weights`` makes the hidden deltas read
    the already updated weights; ``only_error`` keeps, for parameters below the output
    layer, the paths from that output's error term only.
    """

    loss: Loss
    activation: Mapping[str, Activation]  # by unit name
    rate: Decimal
    weight_param: Mapping[str, str] = field(default_factory=dict)
    updated_weights: bool = False
    only_error: str | None = None


def base_model(solution: Solution) -> Model:
    """The engine's own model of ``solution``'s step."""
    network = solution.network
    return Model(
        loss=network.loss,
        activation={u.name: u.activation for u in network.computed},
        rate=to_decimal(solution.spec.learning_rate),
    )


@dataclass(frozen=True)
class Trace:
    """``values``: each quantity as carried forward (the given value where one is given);
    ``computed``: each quantity as recomputed from its upstream values, before that."""

    values: dict[str, Decimal]
    computed: dict[str, Decimal]


class _Recorder:
    """Names each quantity as it is computed; a given value replaces it downstream."""

    def __init__(self, given: Mapping[str, Decimal]):
        self.given = given
        self.values: dict[str, Decimal] = {}
        self.computed: dict[str, Decimal] = {}

    def put(self, name: str, value: Decimal) -> Decimal:
        self.computed[name] = value
        chosen = self.given.get(name, value)
        self.values[name] = chosen
        return chosen


class _Silent(_Recorder):
    """A recorder that names nothing (for passes whose quantities nobody writes down)."""

    def put(self, name: str, value: Decimal) -> Decimal:
        return self.given.get(name, value)


def sample_suffix(k: int, n_samples: int) -> str:
    """``[k]`` (1-based) when there are several samples, else nothing."""
    return f"[{k + 1}]" if n_samples > 1 else ""


def trace(solution: Solution, model: Model, write: Write = exact,
          given: Mapping[str, Decimal] | None = None, form: str = FORM) -> Trace:
    """The whole step under ``model``, writing every quantity with ``write``; each quantity
    named in ``given`` takes the given value from there on; ``form`` (chain | delta) is how
    a hand calculation adds up its gradients, as in ``solve``."""
    rec = _Recorder(given or {})
    params = {p.name: to_decimal(p.value) for p in solution.network.params}
    with localcontext(CONTEXT):
        weights = params
        rounds = len(solution.spec.layers) if model.updated_weights else 1
        for i in range(rounds):  # updated weights: each round fixes one more layer's updates
            last = i == rounds - 1
            updated = _step(solution, model, write, rec if last else _Silent(rec.given), params, weights, form)
            weights = updated
    return Trace(rec.values, rec.computed)


def _step(solution: Solution, model: Model, write: Write, rec: _Recorder,
          params: dict[str, Decimal], factor_weights: dict[str, Decimal], form: str) -> dict[str, Decimal]:
    spec, network, derivations = solution.spec, solution.network, solution.derivations
    n = len(spec.samples)
    forward = [_forward(solution, model, params, s, write, rec, sample_suffix(k, n), "")
               for k, s in enumerate(spec.samples)]
    _total(forward, write, rec, "E_total", n)
    backward = []
    masked = []
    for k, (fwd, sample) in enumerate(zip(forward, spec.samples)):
        sfx = sample_suffix(k, n)
        factor = _factors(solution, model, fwd, sample, write, rec, sfx, factor_weights)
        backward.append(Backward(factor, _deltas(solution, factor, write, rec, sfx)))
        if model.only_error is not None:
            kept = dict(factor)
            for unit, f in derivations.loss.items():
                if unit != model.only_error:
                    kept[f.key] = ZERO
            masked.append(Backward(kept, _deltas(solution, kept, write, _Silent({}), sfx)))
    last_layer = len(spec.layers) - 1
    updated: dict[str, Decimal] = {}
    for p in network.params:
        d = derivations.of[p.name]
        below_output = all(network.unit[t].layer < last_layer for t in p.targets)
        source = masked if masked and below_output else backward
        grad = rec.put(f"grad({p.name})", _gradient(d, tuple(source), write, form))
        if p.kind == "weight" or spec.update_biases:
            new = write(params[p.name] - model.rate * grad)
        else:
            new = params[p.name]
        updated[p.name] = rec.put(f"new({p.name})", new)
    after = [_forward(solution, model, updated, s, write, rec, sample_suffix(k, n), "*")
             for k, s in enumerate(spec.samples)]
    _total(after, write, rec, "E_total_after", n)
    return updated


def _forward(solution: Solution, model: Model, params: dict[str, Decimal], sample, write: Write,
             rec: _Recorder, sfx: str, mark: str) -> dict:
    network = solution.network
    out = {unit: to_decimal(value) for unit, value in sample.input}
    net: dict[str, Decimal] = {}
    for unit in network.computed:
        total = ZERO
        for edge in network.incoming[unit.name]:
            total += params[edge.param] * out[edge.source]
        bias = network.bias.get(unit.name)
        if bias is not None:
            total += params[bias.name]
        net[unit.name] = rec.put(f"net({unit.name}){mark}{sfx}", write(total))
        slope = to_decimal(unit.slope) if unit.slope is not None else None
        activation = model.activation[unit.name]
        out[unit.name] = rec.put(f"out({unit.name}){mark}{sfx}", write(activation.forward(net[unit.name], slope)))
    targets = {unit: to_decimal(t) for unit, t in sample.target}
    n = len(targets)
    error = {
        unit: rec.put(f"E({unit}){mark}{sfx}", write(model.loss.term(out[unit], t, n)))
        for unit, t in targets.items()
    }
    return {"net": net, "out": out, "error": error, "targets": targets, "sfx": sfx}


def _total(passes: list[dict], write: Write, rec: _Recorder, name: str, n: int) -> Decimal:
    """A sample's total error is the sum of its terms; the total sums the samples."""
    totals = []
    for p in passes:
        total = write(sum(p["error"].values(), ZERO))
        totals.append(rec.put(f"{name}{p['sfx']}", total) if n > 1 else total)
    return rec.put(name, write(sum(totals, ZERO)))


def _factors(solution: Solution, model: Model, fwd: dict, sample, write: Write, rec: _Recorder,
             sfx: str, factor_weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """Every local factor's value by ``Factor.key`` (loss and activation factors named)."""
    network, derivations = solution.network, solution.derivations
    targets, n = fwd["targets"], len(fwd["targets"])
    values: dict[str, Decimal] = {}
    for unit, f in derivations.loss.items():
        values[f.key] = rec.put(f.key + sfx, write(model.loss.derivative(fwd["out"][unit], targets[unit], n)))
    for unit, f in derivations.activation.items():
        u = network.unit[unit]
        slope = to_decimal(u.slope) if u.slope is not None else None
        value = model.activation[unit].derivative(fwd["net"][unit], fwd["out"][unit], slope)
        values[f.key] = rec.put(f.key + sfx, write(value))
    for name, f in derivations.weight.items():
        values[f.key] = factor_weights[model.weight_param.get(name, name)]
    for name, f in derivations.input.items():
        values[f.key] = fwd["out"][f.ref]
    for f in derivations.bias.values():
        values[f.key] = ONE
    return values


def _deltas(solution: Solution, values: dict[str, Decimal], write: Write, rec: _Recorder, sfx: str) -> dict[str, Decimal]:
    """δ of every unit, backwards; ``dE/dout(h)`` is the written sum Σ δ_k w_kh of a hidden unit."""
    network, derivations = solution.network, solution.derivations
    delta: dict[str, Decimal] = {}
    for unit in reversed(network.computed):
        d = derivations.delta[unit.name]
        upstream = values[d.loss.key] if d.loss is not None else ZERO
        for target, w in d.downstream:
            upstream += delta[target] * values[w.key]
        if d.downstream:
            upstream = rec.put(f"dE/dout({unit.name}){sfx}", write(upstream))
        delta[unit.name] = rec.put(f"delta({unit.name}){sfx}", write(values[d.activation.key] * upstream))
    return delta
