"""Derivative rules as data: one row per activation and per loss.

Each row gives the function twice, symbolically (SymPy, used to state the local
derivative a lecture writes and, in the tests, to check it against ``sympy.diff``) and
numerically (``decimal``, used by the pipeline). The local derivative is written the way
the notes write it: ``out(1 - out)`` for the sigmoid, ``out - target`` for ½·SSE.
Adding an activation or a loss is one row here plus its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import sympy

from .numbers import CONTEXT

ONE = Decimal(1)
ZERO = Decimal(0)


def _exp(x: Decimal) -> Decimal:
    return CONTEXT.exp(x)


def _sigmoid(x: Decimal) -> Decimal:
    if x < 0:  # e^x <= 1: no overflow for large negative x
        e = _exp(x)
        return CONTEXT.divide(e, CONTEXT.add(ONE, e))
    return CONTEXT.divide(ONE, CONTEXT.add(ONE, _exp(CONTEXT.minus(x))))


def _tanh(x: Decimal) -> Decimal:
    if x < 0:
        return CONTEXT.minus(_tanh(CONTEXT.minus(x)))
    e = _exp(CONTEXT.multiply(Decimal(-2), x))  # e <= 1: no overflow for large x
    return CONTEXT.divide(CONTEXT.subtract(ONE, e), CONTEXT.add(ONE, e))


@dataclass(frozen=True, slots=True)
class Activation:
    """One activation: ``out = f(net)`` and ``d out / d net`` written in ``net`` and ``out``.

    ``symbolic(x, slope)`` is f as a SymPy expression; ``local(net, out, slope)`` the
    derivative as the notes write it; ``forward``/``derivative`` the same in ``decimal``.
    ``note`` says what is taken where the derivative is not defined.
    """

    name: str
    formula: str
    symbolic: Callable[[sympy.Expr, sympy.Expr], sympy.Expr]
    local: Callable[[sympy.Symbol, sympy.Symbol, sympy.Expr], sympy.Expr]
    forward: Callable[[Decimal, Decimal], Decimal]
    derivative: Callable[[Decimal, Decimal, Decimal], Decimal]
    tex: str = ""  # f in LaTeX, of $net (and $slope): what the forward pass writes
    tex_local: str = ""  # the local derivative in LaTeX, of $out, $net, $slope
    kink: bool = False  # not differentiable at net = 0 (the derivative taken there is noted)


ACTIVATIONS: dict[str, Activation] = {
    row.name: row
    for row in (
        Activation(
            "identity", "f(x) = x",
            symbolic=lambda x, a: x,
            local=lambda net, out, a: sympy.Integer(1),
            forward=lambda x, a: x,
            derivative=lambda net, out, a: ONE,
            tex="$net",
            tex_local="1",
        ),
        Activation(
            "sigmoid", "f(x) = 1/(1 + e^-x), f'(x) = f(x)(1 - f(x))",
            symbolic=lambda x, a: 1 / (1 + sympy.exp(-x)),
            local=lambda net, out, a: out * (1 - out),
            forward=lambda x, a: _sigmoid(x),
            derivative=lambda net, out, a: CONTEXT.multiply(out, CONTEXT.subtract(ONE, out)),
            tex=r"\frac{1}{1 + e^{-$net}}",
            tex_local="$out (1 - $out)",
        ),
        Activation(
            "tanh", "f(x) = tanh x, f'(x) = 1 - f(x)^2",
            symbolic=lambda x, a: sympy.tanh(x),
            local=lambda net, out, a: 1 - out**2,
            forward=lambda x, a: _tanh(x),
            derivative=lambda net, out, a: CONTEXT.subtract(ONE, CONTEXT.multiply(out, out)),
            tex=r"\tanh($net)",
            tex_local="1 - {$out}^{2}",
        ),
        Activation(
            "relu", "f(x) = max(0, x), f'(x) = 1 if x > 0 else 0 (0 at x = 0, as the frameworks do)",
            symbolic=lambda x, a: sympy.Max(0, x),
            local=lambda net, out, a: sympy.Piecewise((1, net > 0), (0, True)),
            forward=lambda x, a: x if x > 0 else ZERO,
            derivative=lambda net, out, a: ONE if net > 0 else ZERO,
            tex=r"\max(0, $net)",
            tex_local=r"\begin{cases} 1 & \text{if } $net > 0 \\ 0 & \text{otherwise} \end{cases}",
            kink=True,
        ),
        Activation(
            "leaky_relu", "f(x) = x if x > 0 else slope*x, f'(x) = 1 if x > 0 else slope",
            symbolic=lambda x, a: sympy.Piecewise((x, x > 0), (a * x, True)),
            local=lambda net, out, a: sympy.Piecewise((1, net > 0), (a, True)),
            forward=lambda x, a: x if x > 0 else CONTEXT.multiply(a, x),
            derivative=lambda net, out, a: ONE if net > 0 else a,
            tex=r"\begin{cases} $net & \text{if } $net > 0 \\ $slope $net & \text{otherwise} \end{cases}",
            tex_local=r"\begin{cases} 1 & \text{if } $net > 0 \\ $slope & \text{otherwise} \end{cases}",
            kink=True,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Loss:
    """One loss: the error term of an output unit and its local derivative.

    ``n`` is the number of output units (``mse`` takes the mean over them); the total error
    of a sample is the sum of its terms, and ``E_total`` sums over the samples.
    """

    name: str
    formula: str
    symbolic: Callable[[sympy.Expr, sympy.Expr, int], sympy.Expr]
    local: Callable[[sympy.Symbol, sympy.Symbol, int], sympy.Expr]
    term: Callable[[Decimal, Decimal, int], Decimal]
    derivative: Callable[[Decimal, Decimal, int], Decimal]
    tex: str = ""  # the error term in LaTeX, of $target, $out, $n
    tex_local: str = ""  # its derivative by the output, of $target, $out, $n
    tex_sum: str = ""  # the total, as the notes write it


def _sq(out: Decimal, target: Decimal) -> Decimal:
    diff = CONTEXT.subtract(target, out)
    return CONTEXT.multiply(diff, diff)


LOSSES: dict[str, Loss] = {
    row.name: row
    for row in (
        Loss(
            "half_sse", "E = sum 1/2 (target - output)^2",
            symbolic=lambda out, t, n: sympy.Rational(1, 2) * (t - out) ** 2,
            local=lambda out, t, n: out - t,
            term=lambda out, t, n: CONTEXT.divide(_sq(out, t), Decimal(2)),
            derivative=lambda out, t, n: CONTEXT.subtract(out, t),
            tex=r"\frac{1}{2} ($target - $out)^{2}",
            tex_local="$out - $target",
            tex_sum=r"\sum \frac{1}{2} (\text{target} - \text{output})^{2}",
        ),
        Loss(
            "mse", "E = 1/n sum (target - output)^2 (mean over the n outputs)",
            symbolic=lambda out, t, n: (t - out) ** 2 / n,
            local=lambda out, t, n: sympy.Rational(2, n) * (out - t),
            term=lambda out, t, n: CONTEXT.divide(_sq(out, t), Decimal(n)),
            derivative=lambda out, t, n: CONTEXT.divide(
                CONTEXT.multiply(Decimal(2), CONTEXT.subtract(out, t)), Decimal(n)
            ),
            tex=r"\frac{1}{$n} ($target - $out)^{2}",
            tex_local=r"\frac{2}{$n} ($out - $target)",
            tex_sum=r"\frac{1}{n} \sum (\text{target} - \text{output})^{2}",
        ),
    )
}
