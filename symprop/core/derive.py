"""Chain-rule derivations as data: factors, paths and deltas, read off the graph.

For a parameter p, ``∂E_total/∂p`` is the sum, over every path from an error term back to
p, of the product of the path's local factors ``∂num/∂den`` (the chain form the lecture
notes write out: ``∂E1/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂out_h1 · ∂out_h1/∂net_h1 ·
∂net_h1/∂w1``). The same graph gives the delta form: ``δ`` of every unit
(``∂E/∂net``), ``δ_j = f'(net_j) Σ_k δ_k w_kj``, and ``∂E/∂p = Σ δ_t · ∂net_t/∂p``.

Nothing here differentiates a whole expression: each factor is one row of ``rules`` or
one edge of the graph. Paths are counted up front and enumerated lazily, because their
number multiplies by the width of every hidden layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import sympy

from .graph import Network, Param, Unit


@dataclass(frozen=True, slots=True)
class Factor:
    """One local derivative ``∂num/∂den`` with its symbolic form ``local``.

    ``kind`` says where its value comes from: ``loss`` (∂E_k/∂out_k), ``activation``
    (∂out/∂net of one unit), ``coupling`` (∂out_k/∂net_j of two units of a softmax layer),
    ``weight`` (∂net_t/∂out_s = the weight), ``input`` (∂net_t/∂w = the output the weight
    multiplies) or ``bias`` (∂net_t/∂b = 1, or −1 for a threshold). ``unit`` is the unit the
    factor belongs to (k for a coupling), ``ref`` the parameter (weight, bias), the source
    unit (input) or the other unit j (coupling) it reads.
    """

    key: str
    kind: str
    num: sympy.Symbol
    den: sympy.Symbol
    local: sympy.Expr
    unit: str
    ref: str = ""


@dataclass(frozen=True, slots=True)
class Path:
    """One product of factors, from the error term of output ``error`` back to a parameter."""

    error: str
    factors: tuple[Factor, ...]

    @property
    def expr(self) -> sympy.Expr:
        return sympy.Mul(*(f.local for f in self.factors))


@dataclass(frozen=True, slots=True)
class Delta:
    """``δ(unit) = ∂E/∂net(unit)``: Σ ∂out_k/∂net(unit) · ∂E/∂out_k over the outputs
    ``into`` holds (the unit's own f'(net) alone, but for a softmax layer), where ∂E/∂out of
    a unit is its loss factor for an output unit, else ``Σ_t δ_t · w_t,unit`` over the
    ``downstream`` (unit, weight factor) pairs."""

    unit: str
    symbol: sympy.Symbol
    activation: Factor  # ∂out(unit)/∂net(unit)
    loss: Factor | None
    downstream: tuple[tuple[str, Factor], ...]
    into: tuple[Factor, ...] = ()  # ∂out_k/∂net(unit) for every k of the unit's group, itself first

    @property
    def coupled(self) -> bool:
        return len(self.into) > 1


@dataclass(frozen=True)
class Derivation:
    """How ``∂E_total/∂param`` is built: its paths (counted, enumerated on demand) and its
    delta form (``Σ δ_t · ∂net_t/∂param`` over the units ``param`` enters)."""

    param: Param
    n_paths: int
    last: tuple[Factor, ...]  # ∂net_t/∂param for each unit t the parameter enters
    derivations: Derivations = field(repr=False, compare=False)

    def paths(self) -> Iterator[Path]:
        """Every path, in a stable order: by unit entered, then by the layers' unit order."""
        for factor in self.last:
            for route in self.derivations.routes(factor.unit):
                yield Path(route[0].unit, route + (factor,))

    @property
    def chain_expr(self) -> sympy.Expr:
        """The sum of the path products, in the unit symbols (small networks only)."""
        return sympy.Add(*(path.expr for path in self.paths()))

    @property
    def delta_expr(self) -> sympy.Expr:
        d = self.derivations
        return sympy.Add(*(d.delta[f.unit].symbol * f.local for f in self.last))


class Derivations:
    """The factors, deltas and per-parameter derivations of a network."""

    def __init__(self, network: Network):
        self.network = network
        self.loss: dict[str, Factor] = {}
        self.activation: dict[str, Factor] = {}
        self.weight: dict[str, Factor] = {}  # by weight name: ∂net_target/∂out_source
        self.input: dict[str, Factor] = {}  # by weight name: ∂net_target/∂weight
        self.bias: dict[tuple[str, str], Factor] = {}  # by (bias name, unit): ∂net_unit/∂bias
        self.coupling: dict[tuple[str, str], Factor] = {}  # by (k, j): ∂out_k/∂net_j in a softmax layer
        n = len(network.spec.layers)
        loss = network.loss
        outputs = len(network.outputs)
        for unit in network.computed:
            self.activation[unit.name] = _activation_factor(unit)
            for other in network.group(unit.name):
                if other != unit.name:
                    self.coupling[other, unit.name] = _coupling_factor(network.unit[other], unit)
            if unit.layer == n - 1:
                error, target = network.error(unit.name), network.target(unit.name)
                self.loss[unit.name] = Factor(
                    f"d{error.name}/d{unit.out.name}", "loss", error, unit.out,
                    loss.local(unit.out, target, outputs), unit.name,
                )
        for param in network.params:
            for t in param.targets:
                target = network.unit[t]
                if param.kind == "weight":
                    source = network.unit[param.source]
                    self.weight[param.name] = Factor(
                        f"d{target.net.name}/d{source.out.name}", "weight", target.net, source.out,
                        param.symbol, t, param.name,
                    )
                    self.input[param.name] = Factor(
                        f"d{target.net.name}/d{param.name}", "input", target.net, param.symbol,
                        source.out, t, source.name,
                    )
                else:
                    self.bias[param.name, t] = Factor(
                        f"d{target.net.name}/d{param.name}", "bias", target.net, param.symbol,
                        sympy.Integer(network.bias_sign), t, param.name,
                    )
        self.count = self._count_paths()
        self.delta = self._deltas()
        self.of: dict[str, Derivation] = {p.name: self._derivation(p) for p in network.params}

    def into(self, unit: str) -> tuple[Factor, ...]:
        """∂out_k/∂net(unit) for every output k that net(unit) enters: its own first."""
        own = self.activation[unit]
        return (own,) + tuple(self.coupling[k, unit] for k in self.network.group(unit) if k != unit)

    def _count_paths(self) -> dict[str, int]:
        """Paths from a unit's weighted sum to the error terms, computed a layer at a time in
        reverse: an output's out reaches 1 error term, any out the paths of the units it feeds,
        and a net the paths of every out it enters."""
        net = self.network
        count: dict[str, int] = {}
        for layer in reversed(net.spec.layers[1:]):
            outs = {u: (u in self.loss) + sum(count[e.target] for e in net.outgoing[u]) for u in layer.units}
            for u in layer.units:
                count[u] = sum(outs[f.unit] for f in self.into(u))
        return count

    def _deltas(self) -> dict[str, Delta]:
        return {
            unit.name: Delta(
                unit.name,
                sympy.Symbol(f"delta({unit.name})"),
                self.activation[unit.name],
                self.loss.get(unit.name),
                tuple((e.target, self.weight[e.param]) for e in self.network.outgoing[unit.name]),
                self.into(unit.name),
            )
            for unit in self.network.computed
        }

    def _derivation(self, param: Param) -> Derivation:
        if param.kind == "weight":
            last = (self.input[param.name],)
        else:
            last = tuple(self.bias[param.name, t] for t in param.targets)
        return Derivation(param, sum(self.count[f.unit] for f in last), last, self)

    def routes(self, unit: str) -> Iterator[tuple[Factor, ...]]:
        """The factor chains from each error term down to ``net(unit)``, ending with
        ``∂out_k/∂net(unit)`` (k the unit itself, or another unit of its softmax layer)."""
        for factor in self.into(unit):
            for route in self.out_routes(factor.unit):
                yield route + (factor,)

    def out_routes(self, unit: str) -> Iterator[tuple[Factor, ...]]:
        """The factor chains from each error term down to ``out(unit)``."""
        if unit in self.loss:
            yield (self.loss[unit],)
        for edge in self.network.outgoing[unit]:
            for route in self.routes(edge.target):
                yield route + (self.weight[edge.param],)


def _activation_factor(unit: Unit) -> Factor:
    slope = sympy.Rational(unit.slope.numerator, unit.slope.denominator) if unit.slope is not None else None
    return Factor(
        f"d{unit.out.name}/d{unit.net.name}", "activation", unit.out, unit.net,
        unit.activation.local(unit.net, unit.out, slope), unit.name,
    )


def _coupling_factor(k: Unit, j: Unit) -> Factor:
    """∂out_k/∂net_j for two units of a coupled (softmax) layer."""
    return Factor(f"d{k.out.name}/d{j.net.name}", "coupling", k.out, j.net, k.activation.cross(k.out, j.out),
                  k.name, j.name)


def derive(network: Network) -> Derivations:
    return Derivations(network)
