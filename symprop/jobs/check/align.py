"""A symbolic side and its numeric twin, piece by piece; and how the checker writes a node.

``align(sym, num)`` pairs a side of names (``out_{h1} \\cdot w_5 + b_2``) with the side of
numbers written beneath it (``0.5933 \\cdot 0.4 + 0.6``): each name with the number in its
place (``"use"``), each sub-expression with its twin where the shapes part (``"value"``).
``update_parts`` reads an update written in numbers (``w_5^{+} = 0.4 - 0.5 \\cdot 0.0821``,
``\\Delta w_5 = -0.5 \\cdot 0.0821``) into the old value and the factors of the step.
``text_of`` and ``show`` write a node and a computed value for a report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from .expressions import Bin, Call, Mat, Name, Neg, Num, is_literal, names_in
from .intervals import Iv


def align(sym, num) -> list[tuple[str, object, object]]:
    """Pairs of a symbolic side and its numeric twin of the same shape: ``("use", name,
    number)`` and ``("value", sub-expression, its numeric twin)``."""
    if isinstance(sym, Name):
        return [("use", sym, num)] if is_literal(num) else []
    if isinstance(sym, Mat) and isinstance(num, Mat):
        if len(sym.rows) != len(num.rows) or len(sym.rows[0]) != len(num.rows[0]):
            return [("value", sym, num)]
        return [pair for ra, rb in zip(sym.rows, num.rows) for a, b in zip(ra, rb) for pair in align(a, b)]
    if isinstance(sym, Bin) and isinstance(num, Bin) and sym.op == num.op:
        return align(sym.left, num.left) + align(sym.right, num.right)
    sym, num = _canonical(sym), _canonical(num)
    if isinstance(sym, Neg) and isinstance(num, Num):
        return align(sym.arg, _negated(num))
    if isinstance(sym, Bin) and isinstance(num, Bin) and sym.op == num.op:
        return align(sym.left, num.left) + align(sym.right, num.right)
    if isinstance(sym, Call) and isinstance(num, Call) and sym.func == num.func and len(sym.args) == len(num.args):
        return [pair for a, b in zip(sym.args, num.args) for pair in align(a, b)]
    if isinstance(sym, Neg) and isinstance(num, Neg):
        return align(sym.arg, num.arg)
    if names_in(sym) and not names_in(num):
        return [("value", sym, num)]
    return []


def _negated(num: Num) -> Num:
    return Num(-num.value, num.places, num.text[1:] if num.text.startswith("-") else f"-{num.text}")


def _canonical(node):
    """``x - 0.1`` as ``x + (-0.1)``, so it aligns with ``y + b``."""
    if isinstance(node, Bin) and node.op == "-" and isinstance(node.right, Num):
        return Bin("+", node.left, _negated(node.right))
    return node


def unknown_names(node, unbound: Callable[[Name], bool]) -> str:
    """The names of ``node`` the document never states, as a report lists them."""
    return ", ".join(sorted({n.tex for n in names_in(node) if unbound(n)}))


def _factors(node) -> tuple | None:
    """The numbers of a product of numbers (``0.5 \\cdot 0.0821``), else None."""
    if isinstance(node, Num):
        return (node,)
    if isinstance(node, Bin) and node.op == "*":
        left, right = _factors(node.left), _factors(node.right)
        return left + right if left is not None and right is not None else None
    return None


def update_parts(head: Name, side) -> tuple[str, Num | None, tuple] | None:
    """An update in numbers as (the parameter's key, the old value or None for a change
    ``\\Delta w``, the two factors of the step): ``w_5^{+} = 0.4 - 0.5 \\cdot 0.0821`` gives
    ("w5", 0.4, (0.5, 0.0821)); anything else None."""
    m = re.fullmatch(r"(Delta)?(.*?)(\*?)((?:\[\d+\])?)", head.key)
    change, base, star = bool(m.group(1)), m.group(2) + m.group(4), m.group(3)
    if change == bool(star) or not base:
        return None
    if change:
        step = side.arg if isinstance(side, Neg) else side
        factors = _factors(step)
        return (base, None, factors) if factors is not None and len(factors) == 2 else None
    if isinstance(side, Bin) and side.op in "+-" and isinstance(side.left, Num):
        step = side.right.arg if side.op == "+" and isinstance(side.right, Neg) else side.right
        factors = _factors(step)
        if factors is not None and len(factors) == 2 and (side.op == "-" or step is not side.right):
            return base, side.left, factors
    return None


def show(value) -> str:
    """A computed value (an interval, or a matrix of them) by its midpoint, to six places."""

    def one(v: Iv) -> str:
        return f"{v.mid.quantize(Decimal('0.000001')).normalize():f}"

    if isinstance(value, tuple):
        return "[" + "; ".join(" ".join(one(v) for v in row) for row in value) + "]"
    return one(value)


def text_of(node) -> str:
    """A node as a report writes it: numbers as printed, names as the document writes them."""
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Mat):
        return "[" + "; ".join(" ".join(text_of(x) for x in row) for row in node.rows) + "]"
    if isinstance(node, Name):
        return node.tex
    if isinstance(node, Neg):
        return f"-{text_of(node.arg)}"
    if isinstance(node, Bin):
        return f"{text_of(node.left)} {node.op} {text_of(node.right)}"
    if isinstance(node, Call):
        return f"{node.func}({', '.join(text_of(a) for a in node.args)})"
    return str(node)
