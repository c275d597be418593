"""The network as a graph of SymPy symbols: units, edges, biases, parameters.

Every unit has a symbol for its weighted sum, ``net(h1)``, and one for its output,
``out(h1)`` (an input unit's output is the input value); every parameter has its own symbol
(``w1``, ``b1``); each output unit has ``target(o1)`` and its error term ``E(o1)``. Symbol
names carry the kind in parentheses, so they never clash with a user's parameter names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from ..spec import Spec
from .rules import ACTIVATIONS, LOSSES, Activation, Loss


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    layer: int  # index into the spec's layers; 0 is the input layer
    activation: Activation | None  # None for input units
    slope: Fraction | None
    net: sympy.Symbol
    out: sympy.Symbol

    @property
    def is_input(self) -> bool:
        return self.activation is None


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str  # "weight" | "bias"
    symbol: sympy.Symbol
    value: Fraction
    source: str | None  # the unit whose output a weight multiplies (None for a bias)
    targets: tuple[str, ...]  # the units whose weighted sum the parameter enters


@dataclass(frozen=True, slots=True)
class Edge:
    param: str
    source: str
    target: str


@dataclass(frozen=True)
class Network:
    """The graph of a spec; ``units`` are in layer order, which is a topological order."""

    spec: Spec
    units: tuple[Unit, ...]
    params: tuple[Param, ...]
    loss: Loss
    unit: dict[str, Unit] = field(repr=False)
    param: dict[str, Param] = field(repr=False)
    incoming: dict[str, tuple[Edge, ...]] = field(repr=False)  # edges into a unit
    outgoing: dict[str, tuple[Edge, ...]] = field(repr=False)  # edges out of a unit
    bias: dict[str, Param] = field(repr=False)  # the bias of a unit, if it has one

    @property
    def inputs(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.layer == 0)

    @property
    def outputs(self) -> tuple[Unit, ...]:
        last = len(self.spec.layers) - 1
        return tuple(u for u in self.units if u.layer == last)

    @property
    def computed(self) -> tuple[Unit, ...]:
        """Every non-input unit, in layer order."""
        return tuple(u for u in self.units if not u.is_input)

    @property
    def bias_sign(self) -> int:
        """How a bias enters a weighted sum: added (+1), or subtracted as a threshold (-1)."""
        return -1 if self.spec.bias_convention == "threshold" else 1

    def group(self, unit: str) -> tuple[str, ...]:
        """The units whose outputs ``net(unit)`` enters: its layer's, for a coupled activation
        (softmax), else the unit alone."""
        u = self.unit[unit]
        if u.activation is None or not u.activation.coupled:
            return (unit,)
        return self.spec.layers[u.layer].units

    def featured_weights(self) -> list[str]:
        """The weights a worked example shows in full: the first into the output layer and
        the first into the first hidden layer (the slides' and the exams' default)."""
        last = len(self.spec.layers) - 1
        weights = [p for p in self.params if p.kind == "weight"]
        chosen = [next((p.name for p in weights if self.unit[p.targets[0]].layer == last), None),
                  next((p.name for p in weights if self.unit[p.targets[0]].layer == 1), None)]
        return list(dict.fromkeys(c for c in chosen if c))

    def target(self, unit: str) -> sympy.Symbol:
        return sympy.Symbol(f"target({unit})")

    def error(self, unit: str) -> sympy.Symbol:
        return sympy.Symbol(f"E({unit})")


def build(spec: Spec) -> Network:
    """The ``Network`` of a validated ``Spec``."""
    units = tuple(
        Unit(
            name=name,
            layer=i,
            activation=ACTIVATIONS[layer.activation] if layer.activation else None,
            slope=layer.slope,
            net=sympy.Symbol(f"net({name})"),
            out=sympy.Symbol(f"out({name})"),
        )
        for i, layer in enumerate(spec.layers)
        for name in layer.units
    )
    params = tuple(
        Param(w.name, "weight", sympy.Symbol(w.name), w.value, w.source, (w.target,)) for w in spec.weights
    ) + tuple(Param(b.name, "bias", sympy.Symbol(b.name), b.value, None, b.units) for b in spec.biases)
    edges = tuple(Edge(w.name, w.source, w.target) for w in spec.weights)
    order = {u.name: k for k, u in enumerate(units)}
    incoming: dict[str, list[Edge]] = {u.name: [] for u in units}
    outgoing: dict[str, list[Edge]] = {u.name: [] for u in units}
    for edge in edges:
        incoming[edge.target].append(edge)
        outgoing[edge.source].append(edge)
    bias = {unit: p for p in params if p.kind == "bias" for unit in p.targets}
    return Network(
        spec=spec,
        units=units,
        params=params,
        loss=LOSSES[spec.loss],
        unit={u.name: u for u in units},
        param={p.name: p for p in params},
        # sorted by unit order so sums read in the order of the layers, whatever the spec's order
        incoming={k: tuple(sorted(v, key=lambda e: order[e.source])) for k, v in incoming.items()},
        outgoing={k: tuple(sorted(v, key=lambda e: order[e.target])) for k, v in outgoing.items()},
        bias=bias,
    )
