"""Expressions evaluated with intervals: a printed operand stands for every value it may
have been written from.

``evaluate(node, literal, lookup, step)`` computes a tree of ``expressions`` with closed
intervals of ``Decimal`` (``Iv``): ``literal`` says which interval a printed number stands
for, ``lookup`` gives a name's value (or raises ``Unbound``), ``step`` widens intermediate
results. Matrices are tuples of rows; a 1×1 matrix is a number. A definition by cases takes
the first row whose condition the values decide to hold. What cannot be computed (a
division by an interval holding 0, a power of a matrix, a matrix product of more than
``MAX_PRODUCT`` multiplications, a condition the intervals do not decide) raises
``Unparseable``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from ...numbers.arithmetic import CONTEXT
from .expressions import Bin, Call, Cases, Cmp, Mat, Name, Neg, Num, Unparseable

ZERO, ONE = Decimal(0), Decimal(1)


class Unbound(Exception):
    """A name without a known value."""


@dataclass(frozen=True)
class Iv:
    """A closed interval of decimals (a point when ``lo == hi``)."""

    lo: Decimal
    hi: Decimal

    @staticmethod
    def point(x: Decimal) -> Iv:
        return Iv(x, x)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def overlaps(self, other: Iv) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def _add(a: Iv, b: Iv) -> Iv:
    return Iv(a.lo + b.lo, a.hi + b.hi)


def _neg(a: Iv) -> Iv:
    return Iv(-a.hi, -a.lo)


def _mul(a: Iv, b: Iv) -> Iv:
    products = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
    return Iv(min(products), max(products))


def _div(a: Iv, b: Iv) -> Iv:
    if b.lo <= 0 <= b.hi:
        raise Unparseable("a division by an interval that holds 0")
    return _mul(a, Iv(ONE / b.hi, ONE / b.lo))


def _monotone(f: Callable[[Decimal], Decimal]) -> Callable[[Iv], Iv]:
    return lambda a: Iv(f(a.lo), f(a.hi))


def _sigmoid(x: Decimal) -> Decimal:
    if x < 0:
        e = CONTEXT.exp(x)
        return e / (1 + e)
    return ONE / (1 + CONTEXT.exp(-x))


def _tanh(x: Decimal) -> Decimal:
    if x < 0:
        return -_tanh(-x)
    e = CONTEXT.exp(-2 * x)
    return (1 - e) / (1 + e)


def _exp(x: Decimal) -> Decimal:
    if x > 1000:
        raise Unparseable("an exponent too large")
    return CONTEXT.exp(x)


def _ln(x: Decimal) -> Decimal:
    if x <= 0:
        raise Unparseable("the logarithm of a number <= 0")
    return CONTEXT.ln(x)


def _sqrt(x: Decimal) -> Decimal:
    if x < 0:
        raise Unparseable("the square root of a negative number")
    return CONTEXT.sqrt(x)


def _abs(a: Iv) -> Iv:
    if a.lo >= 0:
        return a
    if a.hi <= 0:
        return _neg(a)
    return Iv(ZERO, max(-a.lo, a.hi))


def _log(base: int) -> Callable[[Decimal], Decimal]:
    return lambda x: _ln(x) / CONTEXT.ln(Decimal(base))


_UNARY = {
    "sigmoid": _monotone(_sigmoid), "tanh": _monotone(_tanh), "exp": _monotone(_exp), "ln": _monotone(_ln),
    "log10": _monotone(_log(10)), "log2": _monotone(_log(2)), "sqrt": _monotone(_sqrt), "abs": _abs,
    "relu": lambda a: Iv(max(a.lo, ZERO), max(a.hi, ZERO)),
}


def _pow(a: Iv, b: Iv) -> Iv:
    if b.lo != b.hi:
        raise Unparseable("an uncertain exponent")
    n = b.lo
    if n == n.to_integral_value():
        k = int(n)
        if k < 0:
            return _div(Iv.point(ONE), _pow(a, Iv.point(Decimal(-k))))
        lo, hi = a.lo ** k, a.hi ** k
        if k % 2 == 0:
            if a.lo <= 0 <= a.hi:
                return Iv(ZERO, max(lo, hi))
            return Iv(min(lo, hi), max(lo, hi))
        return Iv(lo, hi)
    if a.lo <= 0:
        raise Unparseable("a fractional power of a number <= 0")
    candidates = (_exp(n * _ln(a.lo)), _exp(n * _ln(a.hi)))
    return Iv(min(candidates), max(candidates))


Value = object  # an Iv, or a matrix: a tuple of rows of Iv


def shape(v) -> tuple[int, int] | None:
    return (len(v), len(v[0])) if isinstance(v, tuple) else None


def scalar(v):
    """A 1×1 matrix is its element."""
    if isinstance(v, tuple) and len(v) == 1 and len(v[0]) == 1:
        return v[0][0]
    return v


def _elementwise(f, *values):
    matrices = [v for v in values if isinstance(v, tuple)]
    if not matrices:
        return f(*values)
    shapes = {shape(m) for m in matrices}
    if len(shapes) != 1:
        raise Unparseable("matrices of different shapes")
    rows, cols = shapes.pop()
    return tuple(
        tuple(f(*(v[i][j] if isinstance(v, tuple) else v for v in values)) for j in range(cols)) for i in range(rows)
    )


MAX_PRODUCT = 100_000  # multiplications of one matrix product (a 46x46 times a 46x46)


def _matmul(a, b):
    (n, k), (k2, m) = shape(a), shape(b)
    if k != k2:
        raise Unparseable(f"a {n}x{k} matrix times a {k2}x{m} matrix")
    if n * k * m > MAX_PRODUCT:
        raise Unparseable(f"a {n}x{k} matrix times a {k}x{m} matrix: more than {MAX_PRODUCT} multiplications")
    result = []
    for i in range(n):
        row = []
        for j in range(m):
            total = Iv.point(ZERO)
            for t in range(k):
                total = _add(total, _mul(a[i][t], b[t][j]))
            row.append(total)
        result.append(tuple(row))
    return scalar(tuple(result))


def evaluate(node, literal: Callable[[Num], Iv], lookup: Callable[[Name], Value],
             step: Callable[[Iv], Iv] | None = None) -> Value:
    """The value of ``node``: an ``Iv`` or a matrix of them. ``step``, when given, widens
    every intermediate result (a hand calculation may write it down, rounded, and go on)."""
    with localcontext(CONTEXT):
        return scalar(_eval(node, literal, lookup, step))


def _eval(node, literal, lookup, step=None):
    value = _eval_node(node, literal, lookup, step)
    if step is not None and isinstance(node, (Bin, Call)):
        value = _elementwise(step, value)
    return value


def _eval_node(node, literal, lookup, step):
    if isinstance(node, Num):
        return literal(node)
    if isinstance(node, Name):
        return scalar(lookup(node))
    if isinstance(node, Neg):
        return _elementwise(_neg, _eval(node.arg, literal, lookup, step))
    if isinstance(node, Mat):
        return tuple(tuple(_scalar_only(_eval(x, literal, lookup, step)) for x in row) for row in node.rows)
    if isinstance(node, Call):
        args = [_eval(a, literal, lookup, step) for a in node.args]
        if node.func in ("max", "min"):
            if len(args) != 2:
                raise Unparseable(f"{node.func} of {len(args)} arguments")
            pick = max if node.func == "max" else min
            return _elementwise(lambda a, b: Iv(pick(a.lo, b.lo), pick(a.hi, b.hi)), *args)
        if len(args) != 1:
            raise Unparseable(f"{node.func} of {len(args)} arguments")
        return _elementwise(_UNARY[node.func], args[0])
    if isinstance(node, Bin):
        a, b = _eval(node.left, literal, lookup, step), _eval(node.right, literal, lookup, step)
        if node.op == "+":
            return _elementwise(_add, a, b)
        if node.op == "-":
            return _elementwise(lambda x, y: _add(x, _neg(y)), a, b)
        if node.op == "*":
            if isinstance(a, tuple) and isinstance(b, tuple):
                return _matmul(a, b)
            return _elementwise(_mul, a, b)
        if node.op == "⊙":
            if isinstance(a, tuple) != isinstance(b, tuple):
                raise Unparseable("an element-by-element product of a matrix and a number")
            return _elementwise(_mul, a, b)
        if node.op == "/":
            if isinstance(b, tuple):
                raise Unparseable("a division by a matrix")
            return _elementwise(_div, a, b)
        if node.op == "^":
            if isinstance(a, tuple) or isinstance(b, tuple):
                raise Unparseable("a power of a matrix")
            return _pow(a, b)
    if isinstance(node, Cases):
        for value, condition in node.rows:
            if condition is None or _holds(condition, literal, lookup, step):
                return _eval(value, literal, lookup, step)
        raise Unparseable("no case holds")
    raise Unparseable(f"cannot evaluate {type(node).__name__}")


def _holds(condition: Cmp, literal, lookup, step) -> bool:
    """Whether a case's condition holds for every value the intervals allow (False when it
    holds for none; ``Unparseable`` when it holds for some)."""
    a, b = _eval(condition.left, literal, lookup, step), _eval(condition.right, literal, lookup, step)
    if isinstance(a, tuple) or isinstance(b, tuple):
        raise Unparseable("a condition on a matrix")
    surely = {">": a.lo > b.hi, ">=": a.lo >= b.hi, "<": a.hi < b.lo, "<=": a.hi <= b.lo}
    never = {">": a.hi <= b.lo, ">=": a.hi < b.lo, "<": a.lo >= b.hi, "<=": a.lo > b.hi}
    if surely[condition.op]:
        return True
    if never[condition.op]:
        return False
    raise Unparseable("a condition the written values do not decide")


def _scalar_only(v):
    if isinstance(v, tuple):
        raise Unparseable("a matrix inside a matrix")
    return v
