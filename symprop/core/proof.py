"""The oracle: ``E_total`` as one nested SymPy expression, differentiated by ``sympy.diff``.

This is how a derivation is proved, never how it is computed: the nested expression grows
with depth and ``sympy.diff`` of it with the number of parameters. ``prove`` checks that
the chain form (the sum of the path products, with every unit symbol replaced by its
nested definition) equals ``sympy.diff(E_total, p)``: symbolically where the activations
are smooth and elementwise (sample by sample: E_total is the sum of the samples' errors, and
each sample's chain cancels against the derivative of its own error, a finer identity and
far cheaper to cancel than the sum's: the 2-3-3-2 tanh example with two samples 30 s -> 4 s),
and at points near the spec's (50 digits) for ReLU-like ones and softmax layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
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
    for layer in spec.layers[1:]:  # the sums of a layer, then its outputs (a softmax couples them)
        nets = []
        for name in layer.units:
            unit = network.unit[name]
            net = sympy.Add(*(network.param[e.param].symbol * define[network.unit[e.source].out]
                              for e in network.incoming[name]))
            if name in network.bias:
                net += network.bias_sign * network.bias[name].symbol
            define[unit.net] = net
            nets.append(net)
        activation = network.unit[layer.units[0]].activation
        if activation.coupled:
            outs = activation.symbolic_layer(nets)
        else:
            slope = _rational(layer.slope) if layer.slope is not None else None
            outs = [activation.symbolic(net, slope) for net in nets]
        for name, out in zip(layer.units, outs):
            define[network.unit[name].out] = out
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
    symbolic: bool  # proved by cancellation (else checked at points, 40 digits: kinks, and
    # identities of exponentials that cancellation with independent atoms does not see)
    holds: bool


def prove(derivations: Derivations, names: tuple[str, ...] | None = None, points: int = 3) -> list[Proof]:
    """Prove ``∂E_total/∂p`` (chain form) equals ``sympy.diff(E_total, p)`` for each ``p``."""
    network = derivations.network
    passes = [nested(network, k) for k in range(len(network.spec.samples))]
    defines = [define for _, define in passes]
    smooth = all(not u.activation.kink for u in network.computed)
    # a softmax couples exponentials whose identities (e^a e^b = e^(a+b)) cancellation with
    # independent atoms does not see: such networks are checked at points
    coupled = any(u.activation.coupled for u in network.computed)
    values = {p.symbol: _rational(p.value) for p in network.params}
    proofs = []
    for name in names or tuple(derivations.of):
        d = derivations.of[name]
        diffs = [sympy.diff(error, d.param.symbol) for error, _ in passes]  # E_total's, sample by sample
        chains = [d.chain_expr.xreplace(define) for define in defines]
        diff, chain = sympy.Add(*diffs), sympy.Add(*chains)
        # each sample's part cancels on its own (a finer statement, and far cheaper than the sum's)
        symbolic = smooth and not coupled and all(_is_zero(a - b) for a, b in zip(diffs, chains, strict=True))
        holds = symbolic or all(_equal_at(diff, chain, _shifted(values, k)) for k in range(1, points + 1))
        proofs.append(Proof(name, diff, chain, symbolic, holds))
    return proofs


def _is_zero(expr: sympy.Expr) -> bool:
    """Exact zero test. After differentiation both sides are rational functions of the
    parameters and of the same ``exp``/``tanh``/``log`` atoms; with each atom replaced by a
    fresh symbol, cancelling to 0 proves the identity (for any value of the atoms, so for
    theirs). SymPy merges exp(a)·exp(b) into exp(a + b), so sums in exponents are split
    first and every exponential has one term for its argument."""
    expr = sympy.expand_power_exp(expr)
    atoms = sorted(expr.atoms(sympy.exp, sympy.tanh, sympy.log), key=sympy.default_sort_key)
    free = expr.xreplace({a: sympy.Dummy(f"a{k}") for k, a in enumerate(atoms)})
    return sympy.cancel(sympy.together(free)) == 0


def _shifted(values: dict, k: int) -> dict:
    """The spec's point shifted by small distinct rationals (off the kinks, where SymPy
    takes Heaviside(0) = 1/2 and the frameworks take 0)."""
    return {s: v + sympy.Rational(k * (i + 2), 1009) for i, (s, v) in enumerate(values.items())}


def _equal_at(a: sympy.Expr, b: sympy.Expr, point: dict, bound: float | None = None) -> bool:
    """``a`` and ``b`` agree to 30 digits at ``point``, evaluated at 50 (mpmath); with a
    ``bound``, a power or exponential beyond it is an ``OverflowError`` (a person's formula)."""
    with mpmath.workdps(50):
        known = {s: mpmath.mpf(v.p) / v.q for s, v in point.items()}
        x, y = _value(a, known, bound), _value(b, known, bound)
        return abs(x - y) <= mpmath.mpf("1e-30") * max(1, abs(x))


_FUNCTIONS = {sympy.exp: mpmath.exp, sympy.tanh: mpmath.tanh, sympy.log: mpmath.log}


def _value(expr: sympy.Expr, known: dict, bound: float | None = None):
    """``expr`` at the point ``known`` (symbol -> mpf), each shared subexpression once: the
    nested expressions of a network share their units' definitions, so this is linear in
    their graph, where printing or ``evalf`` of the tree is not."""
    if expr in known:
        return known[expr]
    if expr.is_Number:
        value = mpmath.mpf(expr.p) / expr.q if expr.is_Rational else mpmath.mpf(str(expr))
    elif expr.is_Add:
        value = mpmath.fsum(_value(t, known, bound) for t in expr.args)
    elif expr.is_Mul:
        value = mpmath.fprod(_value(t, known, bound) for t in expr.args)
    elif expr.is_Pow:
        base, exponent = _value(expr.base, known, bound), _value(expr.exp, known, bound)
        if bound is not None and abs(exponent) > bound:
            raise OverflowError("an exponent beyond the bound")
        value = base ** exponent
    elif expr.func in _FUNCTIONS:
        x = _value(expr.args[0], known, bound)
        if bound is not None and expr.func is sympy.exp and abs(x) > bound:
            raise OverflowError("an exponential beyond the bound")
        value = _FUNCTIONS[expr.func](x)
    elif expr.func is sympy.Max:
        value = max(_value(t, known, bound) for t in expr.args)
    elif expr.func is sympy.Heaviside:
        x = _value(expr.args[0], known, bound)
        value = mpmath.mpf(1) if x > 0 else mpmath.mpf(0) if x < 0 else mpmath.mpf("0.5")
    elif expr.func is sympy.Piecewise:
        value = next(_value(e, known, bound) for e, c in expr.args if c is sympy.true or _holds(c, known, bound))
    else:
        raise TypeError(f"cannot evaluate {expr.func.__name__}")
    known[expr] = value
    return value


def _holds(condition, known: dict, bound: float | None = None) -> bool:
    """A Piecewise condition (relations, and/or/not, if-then-else) at the point."""
    if condition is sympy.true or condition is sympy.false:
        return bool(condition)
    if isinstance(condition, sympy.logic.boolalg.ITE):
        test, then, otherwise = condition.args
        return _holds(then, known, bound) if _holds(test, known, bound) else _holds(otherwise, known, bound)
    if isinstance(condition, (sympy.And, sympy.Or, sympy.Not)):
        parts = [_holds(c, known, bound) for c in condition.args]
        return all(parts) if isinstance(condition, sympy.And) else any(parts) if isinstance(condition, sympy.Or) \
            else not parts[0]
    left, right = _value(condition.lhs, known, bound), _value(condition.rhs, known, bound)
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right,
            "==": left == right, "!=": left != right}[condition.rel_op]
