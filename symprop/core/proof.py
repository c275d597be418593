"""The oracle: ``E_total`` as one nested SymPy expression, differentiated by ``sympy.diff``.

This is how a derivation is proved, never how it is computed: the nested expression grows
with depth and ``sympy.diff`` of it with the number of parameters. ``prove`` checks that
the chain form (the sum of the path products, with every unit symbol replaced by its
nested definition) equals ``sympy.diff(E_total, p)``: symbolically where the activations
are smooth, and at points near the spec's for ReLU-like ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from .derive import Derivations
from .graph import Network


def _rational(value) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def nested(network: Network, sample: int = 0) -> tuple[sympy.Expr, dict[sympy.Symbol, sympy.Expr]]:
    """E of one sample in the parameter symbols, and each unit symbol's nested definition."""
    spec = network.spec
    data = spec.samples[sample]
    define: dict[sympy.Symbol, sympy.Expr] = {}
    for unit, value in data.input:
        define[network.unit[unit].out] = _rational(value)
    for unit in network.computed:
        net = sympy.Add(*(network.param[e.param].symbol * define[network.unit[e.source].out]
                          for e in network.incoming[unit.name]))
        if unit.name in network.bias:
            net += network.bias[unit.name].symbol
        slope = _rational(unit.slope) if unit.slope is not None else None
        define[unit.net] = net
        define[unit.out] = unit.activation.symbolic(net, slope)
    n = len(data.target)
    error = sympy.Integer(0)
    for unit, value in data.target:
        define[network.target(unit)] = _rational(value)
        error += network.loss.symbolic(define[network.unit[unit].out], _rational(value), n)
    return error, define


def error_total(network: Network) -> sympy.Expr:
    """E_total, summed over the samples, as one nested expression."""
    return sympy.Add(*(nested(network, k)[0] for k in range(len(network.spec.samples))))


@dataclass(frozen=True)
class Proof:
    param: str
    diff: sympy.Expr  # sympy.diff(E_total, param)
    chain: sympy.Expr  # the chain form with the unit symbols replaced by their definitions
    symbolic: bool  # proved by simplification (else checked at points)
    holds: bool


def prove(derivations: Derivations, names: tuple[str, ...] | None = None, points: int = 3) -> list[Proof]:
    """Prove ``∂E_total/∂p`` (chain form) equals ``sympy.diff(E_total, p)`` for each ``p``."""
    network = derivations.network
    defines = [nested(network, k)[1] for k in range(len(network.spec.samples))]
    total = error_total(network)
    smooth = all(not u.activation.kink for u in network.computed)
    values = {p.symbol: _rational(p.value) for p in network.params}
    proofs = []
    for name in names or tuple(derivations.of):
        d = derivations.of[name]
        diff = sympy.diff(total, d.param.symbol)
        chain = sympy.Add(*(d.chain_expr.xreplace(define) for define in defines))
        if smooth:
            holds = _is_zero(diff - chain)
        else:
            holds = all(_equal_at(diff, chain, _shifted(values, k)) for k in range(1, points + 1))
        proofs.append(Proof(name, diff, chain, smooth, holds))
    return proofs


def _is_zero(expr: sympy.Expr) -> bool:
    """Exact zero test. After differentiation both sides are rational functions of the
    parameters and of the same ``exp``/``tanh`` atoms; with each atom replaced by a fresh
    symbol, cancelling to 0 proves the identity (for any value of the atoms, so for theirs)."""
    atoms = sorted(expr.atoms(sympy.exp, sympy.tanh), key=sympy.default_sort_key)
    free = expr.xreplace({a: sympy.Dummy(f"a{k}") for k, a in enumerate(atoms)})
    return sympy.cancel(sympy.together(free)) == 0


def _shifted(values: dict, k: int) -> dict:
    """The spec's point shifted by small distinct rationals (off the kinks, where SymPy
    takes Heaviside(0) = 1/2 and the frameworks take 0)."""
    return {s: v + sympy.Rational(k * (i + 2), 1009) for i, (s, v) in enumerate(values.items())}


def _equal_at(a: sympy.Expr, b: sympy.Expr, point: dict) -> bool:
    x, y = a.xreplace(point).evalf(40), b.xreplace(point).evalf(40)
    return abs(x - y) <= sympy.Float("1e-30", 40) * max(1, abs(x))
