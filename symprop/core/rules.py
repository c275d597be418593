"""Derivative rules as data: one row per activation and per loss, maths only.

Each row gives the function twice, symbolically (SymPy, used to state the local
derivative a lecture writes and, in the tests, to check it against ``sympy.diff``) and
numerically (``decimal``, used by the evaluator). The local derivative is written the way
the notes write it: ``out(1 - out)`` for the sigmoid, ``out - target`` for ½·SSE. The
decimal forms use plain ``Decimal`` operations: they compute in the context the evaluator
sets (``numbers.arithmetic.CONTEXT``). How a rule is printed is the printer's business,
keyed by the row's name. Adding an activation or a loss is its name in
``spec.choices``, one row here, its printed form, and its tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, getcontext

import sympy

from ..spec import choices

ONE = Decimal(1)
ZERO = Decimal(0)


def exp(x: Decimal) -> Decimal:
    """``x.exp()`` in the current context, remembered: the same sums come back many times
    (an exam judges every classic mistake by running the step again on the same forward
    pass), and a 50-digit exponential costs more than all the rest of a unit's pass.
    ``Decimal.exp`` is correctly rounded, so the value depends on x and the
    context's precision, rounding and exponent range only (never on how x is written)."""
    if not x.is_finite():
        return x.exp()
    context = getcontext()
    return _exp(x, context.prec, context.rounding, context.Emin, context.Emax)


@functools.lru_cache(maxsize=1 << 16)
def _exp(x: Decimal, prec: int, rounding: str, emin: int, emax: int) -> Decimal:
    return x.exp()


def _sigmoid(x: Decimal) -> Decimal:
    if x < 0:  # e^x <= 1: no overflow for large negative x
        e = exp(x)
        return e / (ONE + e)
    return ONE / (ONE + exp(-x))


def _tanh(x: Decimal) -> Decimal:
    if x < 0:
        return -_tanh(-x)
    e = exp(Decimal(-2) * x)  # e <= 1: no overflow for large x
    return (ONE - e) / (ONE + e)


def _softmax(nets: list[Decimal]) -> list[Decimal]:
    """exp(z_k) / Σ exp(z_j), computed as exp(z_k − max z) / Σ exp(z_j − max z): no overflow."""
    top = max(nets)
    e = [exp(z - top) for z in nets]
    total = sum(e, ZERO)
    return [x / total for x in e]


def _softmax_symbolic(nets: list[sympy.Expr]) -> list[sympy.Expr]:
    total = sympy.Add(*(sympy.exp(z) for z in nets))
    return [sympy.exp(z) / total for z in nets]


def _elementwise_only(*args):
    raise TypeError("a coupled activation maps the whole layer (use its layer form)")


@dataclass(frozen=True, slots=True)
class Activation:
    """One activation: ``out = f(net)`` and ``d out / d net`` written in ``net`` and ``out``.

    ``symbolic(x, slope)`` is f as a SymPy expression; ``local(net, out, slope)`` the
    derivative as the notes write it; ``forward``/``derivative`` the same in ``decimal``.
    ``kink``: not differentiable at net = 0 (the derivative taken there is noted).

    A coupled activation (softmax) maps the layer's sums to its outputs together: ``layer``
    and ``symbolic_layer`` do, ``local``/``derivative`` give ∂out_k/∂net_k and
    ``cross``/``cross_derivative`` ∂out_k/∂net_j for another unit j of the layer.
    """

    name: str
    symbolic: Callable[[sympy.Expr, sympy.Expr], sympy.Expr]
    local: Callable[[sympy.Symbol, sympy.Symbol, sympy.Expr], sympy.Expr]
    forward: Callable[[Decimal, Decimal], Decimal]
    derivative: Callable[[Decimal, Decimal, Decimal], Decimal]
    kink: bool = False
    layer: Callable[[list[Decimal]], list[Decimal]] | None = None
    symbolic_layer: Callable[[list[sympy.Expr]], list[sympy.Expr]] | None = None
    cross: Callable[[sympy.Expr, sympy.Expr], sympy.Expr] | None = None
    cross_derivative: Callable[[Decimal, Decimal], Decimal] | None = None

    @property
    def coupled(self) -> bool:
        return self.layer is not None


ACTIVATIONS: dict[str, Activation] = choices.covered({
    row.name: row
    for row in (
        Activation(
            "identity",
            symbolic=lambda x, a: x,
            local=lambda net, out, a: sympy.Integer(1),
            forward=lambda x, a: x,
            derivative=lambda net, out, a: ONE,
        ),
        Activation(
            "sigmoid",
            symbolic=lambda x, a: 1 / (1 + sympy.exp(-x)),
            local=lambda net, out, a: out * (1 - out),
            forward=lambda x, a: _sigmoid(x),
            derivative=lambda net, out, a: out * (ONE - out),
        ),
        Activation(
            "tanh",
            symbolic=lambda x, a: sympy.tanh(x),
            local=lambda net, out, a: 1 - out**2,
            forward=lambda x, a: _tanh(x),
            derivative=lambda net, out, a: ONE - out * out,
        ),
        Activation(
            "bipolar_sigmoid",  # 2 / (1 + e^-x) - 1 = tanh(x / 2), from -1 to 1 (Fausett's, Zurada's)
            symbolic=lambda x, a: 2 / (1 + sympy.exp(-x)) - 1,
            local=lambda net, out, a: (1 + out) * (1 - out) / 2,
            forward=lambda x, a: _tanh(x / 2),
            derivative=lambda net, out, a: (ONE + out) * (ONE - out) / 2,
        ),
        Activation(
            "relu",  # f'(0) is taken as 0, as the frameworks do
            symbolic=lambda x, a: sympy.Max(0, x),
            local=lambda net, out, a: sympy.Piecewise((1, net > 0), (0, True)),
            forward=lambda x, a: x if x > 0 else ZERO,
            derivative=lambda net, out, a: ONE if net > 0 else ZERO,
            kink=True,
        ),
        Activation(
            "leaky_relu",  # f'(0) is taken as the slope
            symbolic=lambda x, a: sympy.Piecewise((x, x > 0), (a * x, True)),
            local=lambda net, out, a: sympy.Piecewise((1, net > 0), (a, True)),
            forward=lambda x, a: x if x > 0 else a * x,
            derivative=lambda net, out, a: ONE if net > 0 else a,
            kink=True,
        ),
        Activation(
            "softmax",  # out_k = e^{net_k} / Σ_j e^{net_j}; ∂out_k/∂net_j = out_k (δ_kj − out_j)
            symbolic=_elementwise_only,
            local=lambda net, out, a: out * (1 - out),
            forward=_elementwise_only,
            derivative=lambda net, out, a: out * (ONE - out),
            layer=_softmax,
            symbolic_layer=_softmax_symbolic,
            cross=lambda out_k, out_j: -out_k * out_j,
            cross_derivative=lambda out_k, out_j: -(out_k * out_j),
        ),
    )
}, choices.ACTIVATIONS, "activations")


@dataclass(frozen=True, slots=True)
class Loss:
    """One loss: the error term of an output unit and its local derivative.

    ``n`` is the number of output units (``mse`` takes the mean over them); the total error
    of a sample is the sum of its terms, and ``E_total`` sums over the samples. ``term``
    also takes ``logs`` = (ln out, ln(1 − out)), which the evaluator computes from the
    output's weighted sum where it can (stable where out is near 0 or 1); ``logs`` says
    whether the term needs them. ``shortcut``: the output activation with which
    δ = ∂E/∂net comes out as out − target (the classic shortcut a hand calculation uses).
    """

    name: str
    symbolic: Callable[[sympy.Expr, sympy.Expr, int], sympy.Expr]
    local: Callable[[sympy.Symbol, sympy.Symbol, int], sympy.Expr]
    term: Callable[[Decimal, Decimal, int, tuple[Decimal, Decimal]], Decimal]
    derivative: Callable[[Decimal, Decimal, int], Decimal]
    logs: bool = False
    shortcut: str | None = None


def _bce_derivative(out: Decimal, t: Decimal) -> Decimal:
    """(out − t) / (out (1 − out)), cancelled where a target of 0 or 1 allows (an output a
    hand calculation wrote as 0 or 1 then still has its derivative)."""
    if t == ZERO:
        return ONE / (ONE - out)
    if t == ONE:
        return -(ONE / out)
    return (out - t) / (out * (ONE - out))


def _sq(out: Decimal, target: Decimal) -> Decimal:
    diff = target - out
    return diff * diff


LOSSES: dict[str, Loss] = choices.covered({
    row.name: row
    for row in (
        Loss(
            "half_sse",  # E = sum 1/2 (target - output)^2
            symbolic=lambda out, t, n: sympy.Rational(1, 2) * (t - out) ** 2,
            local=lambda out, t, n: out - t,
            term=lambda out, t, n, logs: _sq(out, t) / Decimal(2),
            derivative=lambda out, t, n: out - t,
        ),
        Loss(
            "mse",  # E = 1/n sum (target - output)^2, the mean over the n outputs
            symbolic=lambda out, t, n: (t - out) ** 2 / n,
            local=lambda out, t, n: sympy.Rational(2, n) * (out - t),
            term=lambda out, t, n, logs: _sq(out, t) / Decimal(n),
            derivative=lambda out, t, n: Decimal(2) * (out - t) / Decimal(n),
        ),
        Loss(
            "sse",  # E = sum (target - output)^2, without the 1/2 (F = e^2)
            symbolic=lambda out, t, n: (t - out) ** 2,
            local=lambda out, t, n: 2 * (out - t),
            term=lambda out, t, n, logs: _sq(out, t),
            derivative=lambda out, t, n: Decimal(2) * (out - t),
        ),
        Loss(
            "cross_entropy",  # E = -sum target ln output
            symbolic=lambda out, t, n: -t * sympy.log(out),
            local=lambda out, t, n: -t / out,
            term=lambda out, t, n, logs: -(t * logs[0]) if t else ZERO,
            derivative=lambda out, t, n: -(t / out) if t else ZERO,
            logs=True,
            shortcut="softmax",
        ),
        Loss(
            "binary_cross_entropy",  # E = -sum [target ln output + (1 - target) ln(1 - output)]
            symbolic=lambda out, t, n: -(t * sympy.log(out) + (1 - t) * sympy.log(1 - out)),
            local=lambda out, t, n: (out - t) / (out * (1 - out)),
            term=lambda out, t, n, logs: -((t * logs[0] if t else ZERO) + ((ONE - t) * logs[1] if t != ONE else ZERO)),
            derivative=lambda out, t, n: _bce_derivative(out, t),
            logs=True,
            shortcut="sigmoid",
        ),
    )
}, choices.LOSSES, "losses")
