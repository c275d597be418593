"""Numbers for a derivation: forward passes, error terms, factors, deltas, gradients, updates.

``evaluate`` runs the whole training step once with a ``write`` function applied to
every quantity a person writes down. With ``write`` = identity it is the exact pipeline
(``decimal`` at ``numbers.PRECISION`` digits); with ``write`` = the spec's rounding it is
a hand calculation that carries its rounded values forward (``carry: shown``).

Exact gradients come from the delta form (reverse mode, linear in the number of
parameters). A hand calculation writes each path product of the chain form and adds them
up, so carried gradients follow the chain form up to ``MAX_CHAIN_TERMS`` terms and the
delta form above (which is how a worked solution shows such parameters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from ..core.derive import Derivation, Derivations, Path
from ..core.graph import Network
from .arithmetic import CONTEXT, to_decimal

MAX_CHAIN_TERMS = 20  # path terms (over all samples) a person still writes out one by one

Write = Callable[[Decimal], Decimal]
ONE = Decimal(1)


def exact(value: Decimal) -> Decimal:
    return value


@dataclass(frozen=True)
class Pass:
    """One forward pass of one sample: weighted sums, outputs (inputs included), errors."""

    net: dict[str, Decimal]
    out: dict[str, Decimal]
    error: dict[str, Decimal]  # per output unit
    total: Decimal  # the sample's error, the sum of its terms


@dataclass(frozen=True)
class Backward:
    """One sample's backward quantities: every factor's value (by ``Factor.key``) and δ."""

    factor: dict[str, Decimal]
    delta: dict[str, Decimal]


@dataclass(frozen=True)
class Evaluation:
    forward: tuple[Pass, ...]
    backward: tuple[Backward, ...]
    error_total: Decimal
    gradients: dict[str, Decimal]
    updated: dict[str, Decimal]
    after: tuple[Pass, ...]
    error_total_after: Decimal
    notes: tuple[str, ...]
    write: Write

    def path_value(self, path: Path, sample: int) -> Decimal:
        """A path product as written: the product of the written factors, written."""
        return _path_value(self.backward[sample], path, self.write)


def _path_value(backward: Backward, path: Path, write: Write) -> Decimal:
    product = ONE
    with localcontext(CONTEXT):
        for f in path.factors:
            product *= backward.factor[f.key]
    return write(product)


def evaluate(derivations: Derivations, write: Write = exact, form: str = "chain") -> Evaluation:
    """The whole training step of ``derivations.network`` with ``write`` applied to every
    quantity written down; ``form`` is how carried gradients are summed (chain or delta)."""
    network = derivations.network
    spec = network.spec
    params = {p.name: to_decimal(p.value) for p in network.params}
    with localcontext(CONTEXT):
        notes: list[str] = []
        forward = tuple(_forward(network, params, s, write, notes, k) for k, s in enumerate(spec.samples))
        backward = tuple(_backward(derivations, params, p, s, write) for p, s in zip(forward, spec.samples))
        error_total = write(sum((p.total for p in forward), Decimal(0)))
        gradients = {name: _gradient(d, backward, write, form) for name, d in derivations.of.items()}
        rate = to_decimal(spec.learning_rate)
        updated = {
            p.name: write(params[p.name] - rate * gradients[p.name])
            if p.kind == "weight" or spec.update_biases
            else params[p.name]
            for p in network.params
        }
        after = tuple(_forward(network, updated, s, write, notes, k, " after the update") for k, s in enumerate(spec.samples))
        error_after = write(sum((p.total for p in after), Decimal(0)))
    return Evaluation(
        forward, backward, error_total, gradients, updated, after, error_after,
        tuple(dict.fromkeys(notes)), write,
    )


def _forward(network: Network, params: dict[str, Decimal], sample, write: Write,
             notes: list[str], k: int, when: str = "") -> Pass:
    out = {unit: to_decimal(value) for unit, value in sample.input}
    net: dict[str, Decimal] = {}
    for unit in network.computed:
        total = Decimal(0)
        for edge in network.incoming[unit.name]:
            total += params[edge.param] * out[edge.source]
        bias = network.bias.get(unit.name)
        if bias is not None:
            total += params[bias.name]
        net[unit.name] = write(total)
        slope = to_decimal(unit.slope) if unit.slope is not None else None
        out[unit.name] = write(unit.activation.forward(net[unit.name], slope))
        if unit.activation.kink and net[unit.name].is_zero():
            taken = "0" if unit.activation.name == "relu" else "the slope"
            notes.append(f"{unit.name}: net = 0 in sample {k + 1}{when}; "
                         f"{unit.activation.name}'(0) is taken as {taken}, as the frameworks do")
    targets = dict(sample.target)
    loss, n = network.loss, len(targets)
    error = {unit: write(loss.term(out[unit], to_decimal(t), n)) for unit, t in targets.items()}
    return Pass(net, out, error, write(sum(error.values(), Decimal(0))))


def _backward(derivations: Derivations, params: dict[str, Decimal], forward: Pass, sample,
              write: Write) -> Backward:
    network = derivations.network
    targets = {unit: to_decimal(t) for unit, t in sample.target}
    n = len(targets)
    values: dict[str, Decimal] = {}
    for unit, f in derivations.loss.items():
        values[f.key] = write(network.loss.derivative(forward.out[unit], targets[unit], n))
    for unit, f in derivations.activation.items():
        u = network.unit[unit]
        slope = to_decimal(u.slope) if u.slope is not None else None
        values[f.key] = write(u.activation.derivative(forward.net[unit], forward.out[unit], slope))
    for name, f in derivations.weight.items():
        values[f.key] = params[name]
    for name, f in derivations.input.items():
        values[f.key] = forward.out[f.ref]
    for f in derivations.bias.values():
        values[f.key] = ONE
    delta: dict[str, Decimal] = {}
    for unit in reversed(network.computed):
        d = derivations.delta[unit.name]
        upstream = values[d.loss.key] if d.loss is not None else Decimal(0)
        for target, w in d.downstream:
            upstream += delta[target] * values[w.key]
        if d.downstream:
            upstream = write(upstream)
        delta[unit.name] = write(values[d.activation.key] * upstream)
    return Backward(values, delta)


def _gradient(derivation: Derivation, backward: tuple[Backward, ...], write: Write, form: str) -> Decimal:
    if write is not exact and form == "chain" and derivation.n_paths * len(backward) <= MAX_CHAIN_TERMS:
        paths = tuple(derivation.paths())
        return write(sum((_path_value(b, p, write) for b in backward for p in paths), Decimal(0)))
    total = Decimal(0)
    for back in backward:
        for f in derivation.last:
            total += write(back.delta[f.unit] * back.factor[f.key])
    return write(total)


def chain_gradient(derivation: Derivation, evaluation: Evaluation) -> Decimal:
    """Σ over samples and paths of the path products (an independent check of the delta form)."""
    with localcontext(CONTEXT):
        return sum(
            (evaluation.path_value(p, k) for k in range(len(evaluation.backward)) for p in derivation.paths()),
            Decimal(0),
        )

