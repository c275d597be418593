"""The expressions of hand derivations: a small tree, and what the checker asks of it.

``parser.parse`` reads one side of an equation into these nodes: ``Num`` (a printed
number, with its decimals as printed), ``Name`` (a quantity's name, compared by its
normalized ``key``), ``Neg``, ``Bin`` (``+ - * / ^``), ``Call`` (``sigmoid``, ``tanh``,
``relu``, ``max``, ``min``, ``exp``, ``ln``, ``log10``, ``log2``, ``sqrt``, ``abs``), ``Mat``
(rows of nodes) and ``Cases`` (a definition by cases, ``\\begin{cases}``, whose rows are
values with a ``Cmp`` condition or none: "otherwise").
``intervals.evaluate`` computes them. ``Unparseable`` is raised for anything the checker
does not read (or cannot evaluate): it is listed as skipped, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


class Unparseable(Exception):
    """The text is not an expression the checker reads."""


@dataclass(frozen=True)
class Num:
    value: Decimal
    places: int  # decimals as printed
    text: str


@dataclass(frozen=True)
class Name:
    key: str  # normalized (names.normalize), what names are compared by
    tex: str


@dataclass(frozen=True)
class Neg:
    arg: object


@dataclass(frozen=True)
class Bin:
    op: str  # + - * / ^, and ⊙ (element by element)
    left: object
    right: object


@dataclass(frozen=True)
class Call:
    func: str  # sigmoid tanh relu max min exp ln log10 log2 sqrt abs
    args: tuple


@dataclass(frozen=True)
class Mat:
    rows: tuple  # tuple of tuples of nodes


@dataclass(frozen=True)
class Cmp:
    op: str  # > < >= <= =
    left: object
    right: object


@dataclass(frozen=True)
class Cases:
    rows: tuple  # ((value, Cmp or None), ...): the first row whose condition holds


def leaves(node, kind: type) -> tuple:
    """Every leaf of type ``kind`` (``Name`` or ``Num``) in the expression, left to right."""
    if isinstance(node, kind):
        return (node,)
    if isinstance(node, Neg):
        return leaves(node.arg, kind)
    if isinstance(node, Bin):
        return leaves(node.left, kind) + leaves(node.right, kind)
    if isinstance(node, Call):
        return tuple(n for a in node.args for n in leaves(a, kind))
    if isinstance(node, Mat):
        return tuple(n for row in node.rows for x in row for n in leaves(x, kind))
    if isinstance(node, Cmp):
        return leaves(node.left, kind) + leaves(node.right, kind)
    if isinstance(node, Cases):
        return tuple(n for value, condition in node.rows for part in (value, condition) if part is not None
                     for n in leaves(part, kind))
    return ()


def names_in(node) -> tuple[Name, ...]:
    return leaves(node, Name)


def numbers_in(node) -> tuple[Num, ...]:
    return leaves(node, Num)


def is_literal(node) -> bool:
    """A printed number, or a matrix of printed numbers."""
    if isinstance(node, Num):
        return True
    return isinstance(node, Mat) and all(isinstance(x, Num) for row in node.rows for x in row)


def is_name_side(node) -> bool:
    """A name, or a matrix of names: what a chain's value can be bound to."""
    if isinstance(node, Name):
        return True
    return isinstance(node, Mat) and all(isinstance(x, Name) for row in node.rows for x in row)
