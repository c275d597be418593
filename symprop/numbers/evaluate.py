"""The one evaluator: forward passes, error terms, factors, deltas, gradients, updates.

``evaluate`` runs the whole training step once with a ``write`` function applied to
every quantity a person writes down. With ``write`` = identity it is the exact pipeline
(``decimal`` at ``arithmetic.PRECISION`` digits); with ``write`` = the spec's rounding it
is a hand calculation that carries its rounded values forward (``carry: shown``).

Two hooks serve the checker (``trace``), so that no formula is written twice:

- a ``Model`` says how the step is computed: the engine's rows of ``core.rules``, or a
  known mistake's (another loss or activation row, another learning rate, wrong weights on
  the ∂sum/∂out factor, the error terms of one output only);
- a ``Recorder`` is handed every quantity by its canonical name (``numbers.quantities``)
  as it is computed, and may put another value in its place (a student's own value, carried
  into everything downstream).

Exact gradients come from the delta form (reverse mode, linear in the number of
parameters). A hand calculation writes each path product of the chain form and adds them
up, so carried gradients follow the chain form up to ``MAX_CHAIN_TERMS`` terms and the
delta form above (which is how a worked solution shows such parameters).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from operator import mul

from ..core.derive import Derivation, Derivations
from ..core.rules import exp
from .arithmetic import CONTEXT, PRECISION, to_decimal
from .quantities import sample_suffix
from .records import (
    ONE,
    ZERO,
    Backward,
    Evaluation,
    LogOfWrittenZero,
    Model,
    Pass,
    Recorder,
    Start,
    Write,
    base_model,
    by_name,
    exact,
    path_value,
)

MAX_CHAIN_TERMS = 20  # path terms (over all samples) a person still writes out one by one
# A sum that cancels exactly keeps what the working precision leaves of its terms, a few units
# in their last digits: the outputs of a softmax layer add up to 1, so the gradient of a bias
# the layer's units share is 0 but comes out as 1E-50. A sum that far below its largest term
# is that 0 (``settled``); sums under 1e-20 are the only ones looked at.
SETTLE_BELOW = -20
NOISE_DIGITS = PRECISION - 5


def settled(total: Decimal, terms: Iterable[Decimal]) -> Decimal:
    """``total``, the sum of ``terms``, or 0 where it is what the working precision leaves of
    an exact cancellation: ``NOISE_DIGITS`` below the largest term, which is a value computed
    to the working precision (terms of fewer digits are exact, and so is their sum). Called
    for small totals only (``total.adjusted() < SETTLE_BELOW``)."""
    terms = list(terms)
    largest = max((abs(t) for t in terms), default=ZERO)
    if not largest or total.adjusted() >= largest.adjusted() - NOISE_DIGITS:
        return total
    rounded = any(len(t.as_tuple().digits) > NOISE_DIGITS for t in terms)
    return ZERO if rounded else total


@dataclass(frozen=True)
class _Plan:
    """What every step of one network reads the same way, worked out once per network
    (a training run makes hundreds of steps): each unit's weighted sum as (weights,
    sources, bias); each parameter as (name, derivation, updated, below the output
    layer); each sample's inputs at working precision."""

    sums: dict[str, tuple[tuple[str, ...], tuple[str, ...], str | None]]
    params: tuple[tuple[str, Derivation, bool, bool], ...]
    inputs: tuple[tuple[tuple[str, Decimal], ...], ...]


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _plan(derivations: Derivations) -> _Plan:
    plan = _PLANS.get(derivations)
    if plan is None:
        network = derivations.network
        spec = network.spec
        last = len(spec.layers) - 1
        sums = {}
        for unit in network.computed:
            edges, bias = network.incoming[unit.name], network.bias.get(unit.name)
            sums[unit.name] = (tuple(e.param for e in edges), tuple(e.source for e in edges),
                               bias.name if bias is not None else None)
        params = tuple((p.name, derivations.of[p.name], p.kind == "weight" or spec.update_biases,
                        all(network.unit[t].layer < last for t in p.targets)) for p in network.params)
        inputs = tuple(tuple((unit, to_decimal(value)) for unit, value in sample.input) for sample in spec.samples)
        plan = _PLANS[derivations] = _Plan(sums, params, inputs)
    return plan


def evaluate(derivations: Derivations, write: Write = exact, form: str = "chain", model: Model | None = None,
             recorder: Recorder | None = None, factor_weights: Mapping[str, Decimal] | None = None,
             start: Start | None = None) -> Evaluation:
    """The whole training step of ``derivations.network`` with ``write`` applied to every
    quantity written down; ``form`` is how carried gradients are summed (chain or delta).
    ``model`` (default: the engine's) and ``recorder`` are the checker's hooks;
    ``factor_weights`` are the weights the ∂sum/∂out factors read (default: the step's);
    ``start`` is where a step of a training run starts (default: the spec's one batch step)."""
    network = derivations.network
    step = _Step(derivations, write, form, model or base_model(network), recorder or Recorder())
    with localcontext(CONTEXT):
        return step.run(factor_weights, start or Start())


class _Forward:
    """The forward half of one evaluation: each sample's sums, outputs and error terms,
    each handed to the recorder under its canonical name."""

    def __init__(self, derivations: Derivations, write: Write, form: str, model: Model, recorder: Recorder):
        self.d, self.network, self.write, self.form = derivations, derivations.network, write, form
        self.model, self.rec = model, recorder
        self.samples = self.network.spec.samples
        self.notes: list[str] = []
        self.named = by_name(recorder)
        self.plan = _plan(derivations)

    def put(self, name: str, value: Decimal) -> Decimal:
        return self.rec.put(name, value)

    def forward(self, params: Mapping[str, Decimal], k: int, mark: str, when: str = "") -> Pass:
        """One sample's pass, a layer at a time: each unit's sum and output (a softmax layer:
        every sum, then every output), then the error terms."""
        network, write, sample, named = self.network, self.write, self.samples[k], self.named
        sfx = mark + sample_suffix(k, len(self.samples))
        out = dict(self.plan.inputs[k])
        net: dict[str, Decimal] = {}
        sign, sums, param, value_of = network.bias_sign, self.plan.sums, params.__getitem__, out.__getitem__
        for layer in network.spec.layers[1:]:
            row = self.model.activation[layer.units[0]]
            slope = to_decimal(layer.slope) if layer.slope is not None and not row.coupled else None
            for name in layer.units:
                weights, sources, bias = sums[name]
                total = sum(map(mul, map(param, weights), map(value_of, sources)), ZERO)
                if bias is not None:
                    total += sign * params[bias]
                total = write(total, "net")
                net[name] = self.put(f"net({name}){sfx}", total) if named else total
                if not row.coupled:
                    value = write(row.forward(net[name], slope), "out")
                    out[name] = self.put(f"out({name}){sfx}", value) if named else value
                    self.kink_note(network.unit[name], net[name], k, when)
            if row.coupled:
                for name, value in zip(layer.units, row.layer([net[u] for u in layer.units])):
                    out[name] = self.put(f"out({name}){sfx}", write(value, "out"))
        loss, n = self.model.loss, len(sample.target)
        logs = self.logs(net, out) if loss.logs else {}
        error = {}
        for unit, t in sample.target:
            term = loss.term(out[unit], to_decimal(t), n, logs.get(unit))
            if term.is_nan():  # the logarithm of a written 0 (or 1 - out of a written 1)
                raise LogOfWrittenZero(
                    f"unit {unit}: out = {out[unit]} as written, so its error term takes the logarithm "
                    "of 0; write more places (rounding.places) or carry exact values (rounding.carry)")
            error[unit] = self.put(f"E({unit}){sfx}", write(term, "error"))
        return Pass(net, out, error, write(sum(error.values(), ZERO), "error"))

    def kink_note(self, unit, net: Decimal, k: int, when: str) -> None:
        if unit.activation.kink and net.is_zero():
            taken = "0" if unit.activation.name == "relu" else "the slope"
            self.notes.append(f"{unit.name}: net = 0 in sample {k + 1}{when}; "
                              f"{unit.activation.name}'(0) is taken as {taken}, as the frameworks do")

    def logs(self, net: Mapping[str, Decimal], out: Mapping[str, Decimal]) -> dict[str, tuple[Decimal, Decimal]]:
        """(ln out, ln(1 − out)) of every output unit. Exact values take them from the sums
        (log-sum-exp for softmax, softplus for the sigmoid: no loss of digits near 0 or 1);
        a hand calculation takes the logarithm of the output it wrote."""
        outputs = [u.name for u in self.network.outputs]
        row = self.model.activation[outputs[0]]
        if self.write is exact and row.coupled:
            top = max(net[u] for u in outputs)
            lse = top + sum((exp(net[u] - top) for u in outputs), ZERO).ln()
            return {u: (net[u] - lse, _ln(ONE - out[u])) for u in outputs}
        if self.write is exact and row.name == "sigmoid":
            return {u: (-_softplus(-net[u]), -_softplus(net[u])) for u in outputs}
        return {u: (_ln(out[u]), _ln(ONE - out[u])) for u in outputs}

    def total(self, passes: tuple[Pass, ...], ks: tuple[int, ...], name: str) -> Decimal:
        """The total sums the samples' errors (each sample's named when there are several)."""
        n = len(self.samples)
        totals = [self.put(f"{name}{sample_suffix(k, n)}", p.total) if n > 1 else p.total
                  for k, p in zip(ks, passes)]
        return self.put(name, self.write(sum(totals, ZERO), "error"))


class _Step(_Forward):
    """One evaluation: the quantities in the order a worked solution writes them (the
    forward passes, the factors and deltas of each sample, the gradients, the update and
    the pass after it)."""

    def run(self, factor_weights: Mapping[str, Decimal] | None, start: Start) -> Evaluation:
        write = self.write
        params = dict(start.params) if start.params is not None else {
            p.name: to_decimal(p.value) for p in self.network.params}
        n = len(self.samples)
        batch = start.batch if start.batch is not None else tuple(range(n))
        forward = start.forward if start.forward is not None else tuple(self.forward(params, k, "") for k in batch)
        error_total = self.total(forward, batch, "E_total")
        backward, masked = [], []
        for k, fwd in zip(batch, forward):
            factor = self.factors(fwd, k, factor_weights or params)
            backward.append(Backward(factor, self.deltas(factor, sample_suffix(k, n), self.rec, fwd, k)))
            if self.model.only_error is not None:
                masked.append(self.masked(factor, k))
        gradients, updated, velocity = {}, {}, {}
        put, named, form = self.put, self.named, self.form
        rate, momentum = self.model.rate, start.momentum
        previous_velocity = start.velocity or {}
        every, below = tuple(backward), tuple(masked)
        for name, derivation, updates, below_output in self.plan.params:
            grad = gradient(derivation, below if masked and below_output else every, write, form)
            if named:
                grad = put(f"grad({name})", grad)
            gradients[name] = grad
            new, v = params[name], ZERO
            if updates:
                if momentum:  # v <- mu v - eta grad; w <- w + v
                    v = write(momentum * previous_velocity.get(name, ZERO) - rate * grad, "update")
                    new = write(new + v, "update")
                else:
                    new = write(new - rate * grad, "update")
            velocity[name] = v
            updated[name] = put(f"new({name})", new) if named else new
        again = start.after if start.after is not None else batch
        after = tuple(self.forward(updated, k, "*", " after the update") for k in again)
        error_after = self.total(after, again, "E_total_after")
        return Evaluation(forward, tuple(backward), error_total, gradients, updated, after, error_after,
                          tuple(dict.fromkeys(self.notes)), write, velocity, start.momentum, dict(start.velocity or {}))

    def factors(self, fwd: Pass, k: int, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """Every local factor's value by ``Factor.key`` (loss and activation factors named)."""
        network, d, write, model, named = self.network, self.d, self.write, self.model, self.named
        sfx = sample_suffix(k, len(self.samples))
        targets = {unit: to_decimal(t) for unit, t in self.samples[k].target}
        n = len(targets)
        values: dict[str, Decimal] = {}
        for unit, f in d.loss.items():
            value = model.loss.derivative(fwd.out[unit], targets[unit], n)
            value = write(value, "factor")
            values[f.key] = self.put(f.key + sfx, value) if named else value
        for unit, f in d.activation.items():
            u = network.unit[unit]
            slope = to_decimal(u.slope) if u.slope is not None else None
            value = model.activation[unit].derivative(fwd.net[unit], fwd.out[unit], slope)
            value = write(value, "factor")
            values[f.key] = self.put(f.key + sfx, value) if named else value
        for (other, unit), f in d.coupling.items():
            value = model.activation[unit].cross_derivative(fwd.out[other], fwd.out[unit])
            value = write(value, "factor")
            values[f.key] = self.put(f.key + sfx, value) if named else value
        for name, f in d.weight.items():
            values[f.key] = weights[model.weight_param.get(name, name)]
        for name, f in d.input.items():
            values[f.key] = fwd.out[f.ref]
        sign = Decimal(network.bias_sign)
        for f in d.bias.values():
            values[f.key] = sign
        return values

    def deltas(self, values: Mapping[str, Decimal], sfx: str, rec: Recorder,
               fwd: Pass | None = None, k: int = 0) -> dict[str, Decimal]:
        """δ of every unit, a layer at a time backwards: ``dE/dout(h)`` is the written sum
        Σ δ_t w_th of a hidden unit (its loss factor for an output), and δ(j) the written
        sum of the written products ∂out_k/∂net_j · dE/dout(k) (one product but for a
        softmax layer). A hand calculation (given ``fwd``) writes the classic shortcut
        δ = out − target where the output activation and the loss make it exact."""
        write, network, named = self.write, self.network, by_name(rec)
        delta: dict[str, Decimal] = {}
        for layer in reversed(network.spec.layers[1:]):
            upstream: dict[str, Decimal] = {}
            for name in reversed(layer.units):
                d = self.d.delta[name]
                value = values[d.loss.key] if d.loss is not None else ZERO
                for target, w in d.downstream:
                    value += delta[target] * values[w.key]
                if d.downstream:
                    if value and value.adjusted() < SETTLE_BELOW:
                        value = settled(value, [values[d.loss.key] if d.loss is not None else ZERO]
                                        + [delta[target] * values[w.key] for target, w in d.downstream])
                    value = write(value, "delta")
                    if named:
                        value = rec.put(f"dE/dout({name}){sfx}", value)
                upstream[name] = value
                if not d.coupled:
                    delta[name] = self.delta(d, values, upstream, rec, sfx, fwd, k)
            for name in reversed(layer.units):
                if self.d.delta[name].coupled:
                    delta[name] = self.delta(self.d.delta[name], values, upstream, rec, sfx, fwd, k)
        return delta

    def delta(self, d, values, upstream, rec: Recorder, sfx: str, fwd: Pass | None, k: int) -> Decimal:
        write = self.write
        if fwd is not None and self.shortcut(d.unit):
            target = to_decimal(dict(self.samples[k].target)[d.unit])
            return rec.put(f"delta({d.unit}){sfx}", write(fwd.out[d.unit] - target, "delta"))
        if write is exact:
            total = ZERO
            for f in d.into:
                total += values[f.key] * upstream[f.unit]
            if total and total.adjusted() < SETTLE_BELOW:
                total = settled(total, [values[f.key] * upstream[f.unit] for f in d.into])
        else:
            total = sum((write(values[f.key] * upstream[f.unit], "delta") for f in d.into), ZERO)
        total = write(total, "delta")
        return rec.put(f"delta({d.unit}){sfx}", total) if by_name(rec) else total

    def shortcut(self, unit: str) -> bool:
        """Whether a hand calculation writes δ = out − target for this output unit: the loss
        and output activation make it exact, and the step is the engine's own (a mistake's
        model keeps the product form, where the mistake shows)."""
        network, model = self.network, self.model
        u = network.unit[unit]
        return (self.write is not exact and unit in self.d.loss and model.loss is network.loss
                and model.activation[unit] is u.activation and model.loss.shortcut == u.activation.name)

    def masked(self, factor: Mapping[str, Decimal], k: int) -> Backward:
        """The backward pass from ``model.only_error``'s error term alone (not recorded)."""
        kept = dict(factor)
        for unit, f in self.d.loss.items():
            if unit != self.model.only_error:
                kept[f.key] = ZERO
        return Backward(kept, self.deltas(kept, sample_suffix(k, len(self.samples)), Recorder()))


def gradient(derivation: Derivation, backward: tuple[Backward, ...], write: Write, form: str) -> Decimal:
    """∂E_total/∂p as written: the written sum of the written path products (chain form, up
    to ``MAX_CHAIN_TERMS`` terms), else the written sum of the written δ × input terms."""
    if write is not exact and form == "chain" and derivation.n_paths * len(backward) <= MAX_CHAIN_TERMS:
        paths = tuple(derivation.paths())
        return write(sum((path_value(b, p, write) for b in backward for p in paths), ZERO), "gradient")
    total = ZERO
    if write is exact:
        for back in backward:
            delta, factor = back.delta, back.factor
            for f in derivation.last:
                total += delta[f.unit] * factor[f.key]
        if total and total.adjusted() < SETTLE_BELOW:
            total = settled(total, [b.delta[f.unit] * b.factor[f.key] for b in backward for f in derivation.last])
        return total
    for back in backward:
        for f in derivation.last:
            total += write(back.delta[f.unit] * back.factor[f.key], "gradient")
    return write(total, "gradient")


def _softplus(x: Decimal) -> Decimal:
    """ln(1 + e^x) without overflow: max(x, 0) + ln(1 + e^(−|x|))."""
    return max(x, ZERO) + (ONE + exp(-abs(x))).ln()


def _ln(value: Decimal) -> Decimal:
    """ln of a positive value; a quiet NaN for 0 (an error term that needs it says so)."""
    return value.ln() if value > 0 else Decimal("NaN")


def chain_gradient(derivation: Derivation, evaluation: Evaluation) -> Decimal:
    """Σ over samples and paths of the path products (an independent check of the delta form)."""
    with localcontext(CONTEXT):
        return sum(
            (evaluation.path_value(p, k) for k in range(len(evaluation.backward)) for p in derivation.paths()),
            ZERO,
        )
