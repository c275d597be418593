"""The document's rounding policy: inferred from its numeric links, and what it accepts.

A numeric link is ``numbers = printed number`` (``0.3 \\cdot 0.7 = 0.210``). The places are
the commonest number of decimals of the printed results (ties: the larger); every link is
then tried under rounding and truncation, with exact values carried (a printed operand
stands for every value it may have been written from) or the written ones (``carry:
shown``: the operands are exact, and an intermediate result may be written down too). The
mode with the fewest misfits wins (ties: rounding); the carry is ``exact`` when more than
one link, and at least ``EXACT_SHARE`` of the links whose result depends on the carry, fit
exact values only, else ``shown``.

``fits`` asks whether a computed value fits a printed result under a policy (its
``window``: the values that print so); ``written`` is what the result should read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ...spec.choices import CARRY_MODES, ROUNDING_MODES
from ...spec.values import Rounding
from .chains import Document
from .expressions import Name, Num, Unparseable, is_literal, names_in
from .intervals import Iv, Unbound, evaluate, shape

MODES, CARRIES = ROUNDING_MODES, CARRY_MODES
EXACT_SHARE = Decimal("0.25")  # of the carry-sensitive links, the share that must fit exact values only


@dataclass(frozen=True)
class Policy:
    places: int
    mode: str  # round | truncate
    carry: str  # exact | shown


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def literal_model(policy: Policy) -> Callable[[Num], Iv]:
    """The values a printed operand stands for: exact ones when the document carries the
    written values or writes fewer decimals than its places, else every value it may have
    been rounded or truncated from."""

    def literal(num: Num) -> Iv:
        x = num.value
        if policy.carry == "shown" or num.places < policy.places:
            return Iv.point(x)
        return _written_from(x, _unit(num.places), policy.mode)

    return literal


def lenient_model(places: int) -> Callable[[Num], Iv]:
    """One unit of the last digit either way: for values, not for rounding."""

    def literal(num: Num) -> Iv:
        if num.places < places:
            return Iv.point(num.value)
        u = _unit(num.places)
        return Iv(num.value - u, num.value + u)

    return literal


def window(num: Num, policy: Policy) -> Iv:
    """The values a printed result may have been written from, under ``policy``."""
    return _written_from(num.value, _unit(max(num.places, policy.places)), policy.mode)


def _written_from(x, u, mode: str) -> Iv:
    """The values that round (half a unit either way) or truncate (toward zero) to ``x``."""
    if mode == "round":
        return Iv(x - u / 2, x + u / 2)
    if x > 0:
        return Iv(x, x + u)
    if x < 0:
        return Iv(x - u, x)
    return Iv(-u, u)


def _step(policy: Policy) -> Callable[[Iv], Iv] | None:
    """Carrying the written values, a hand calculation may also write an intermediate
    result (a bracketed sum, a partial product) and go on with it."""
    if policy.carry != "shown":
        return None
    write = Rounding(policy.places, policy.mode)
    return lambda v: Iv(min(v.lo, write(v.lo)), max(v.hi, write(v.hi)))


def value_of(node, policy: Policy):
    """A numeric expression's value under ``policy``."""
    return evaluate(node, literal_model(policy), no_names, _step(policy))


def fits(value, result, policy: Policy) -> bool:
    """Does a computed value (``Iv`` or matrix) fit the printed result (``Num`` or ``Mat``)?"""
    pairs = result_pairs(value, result)
    return all(v.overlaps(window(r, policy)) for v, r in pairs)


def result_pairs(value, result) -> list[tuple[Iv, Num]]:
    """Each computed value with the printed number it is equated to (a 1×1 matrix is a number)."""
    if isinstance(result, Num):
        if isinstance(value, tuple):
            raise Unparseable("a matrix equated to a number")
        return [(value, result)]
    rows = result.rows
    if not isinstance(value, tuple) or shape(value) != (len(rows), len(rows[0])):
        if len(rows) * len(rows[0]) == 1 and not isinstance(value, tuple):
            return [(value, rows[0][0])]
        raise Unparseable("a matrix of another shape")
    return [(value[i][j], rows[i][j]) for i in range(len(rows)) for j in range(len(rows[0]))]


def no_names(name: Name):
    """The lookup of a numeric expression: no name has a value."""
    raise Unbound(name.tex)


def written(value, result, policy: Policy) -> str:
    """What a printed result should read: the value from the printed operands, written the
    document's way."""
    pairs = result_pairs(value, result)
    shown = []
    for v, r in pairs:
        q = max(r.places, policy.places)
        shown.append(f"{Rounding(q, policy.mode)(v.mid):f}")
    return shown[0] if isinstance(result, Num) else "[" + ", ".join(shown) + "]"


def numeric_links(document: Document) -> list[tuple[object, object]]:
    """Every link ``numbers = printed number``: what the policy is inferred from."""
    links = []
    for chain in document.chains:
        for a, b in zip(chain.sides, chain.sides[1:]):
            if a.node is not None and b.node is not None and is_literal(b.node) and not names_in(a.node) \
                    and not is_literal(a.node):
                links.append((a.node, b.node))
    return links


def infer_policy(links: list[tuple[object, object]]) -> tuple[Policy | None, int]:
    """The document's policy, and how many of its numeric links fit it."""
    if not links:
        return None, 0
    places = Counter(r.places for _, b in links for r in _results(b))
    top = max(places.values())
    p = max(k for k, v in places.items() if v == top)
    by_policy: dict[tuple[str, str], list[bool]] = {}
    for mode in MODES:
        for carry in CARRIES:
            policy = Policy(p, mode, carry)
            by_policy[mode, carry] = [_link_fits(a, b, policy) for a, b in links]
    misfits = {m: sum(not x for x in by_policy[m, "exact"]) + sum(not x for x in by_policy[m, "shown"]) for m in MODES}
    mode = min(MODES, key=lambda m: (misfits[m], MODES.index(m)))
    exact_only = sum(e and not s for e, s in zip(by_policy[mode, "exact"], by_policy[mode, "shown"]))
    sensitive = sum(_sensitive(a, b, Policy(p, mode, "exact")) for a, b in links)
    carry = "exact" if exact_only and exact_only >= EXACT_SHARE * max(sensitive, 1) and exact_only > 1 else "shown"
    policy = Policy(p, mode, carry)
    return policy, sum(by_policy[mode, carry])


def _results(node) -> list[Num]:
    return [node] if isinstance(node, Num) else [x for row in node.rows for x in row]


def _link_fits(a, b, policy: Policy) -> bool:
    try:
        return fits(value_of(a, policy), b, policy)
    except (Unparseable, Unbound, ArithmeticError):
        return True  # not a link the policy can be read from


def _sensitive(a, b, policy: Policy) -> bool:
    """Could the carry change this link's printed result (its exact-value interval spans
    more than one written value)?"""
    try:
        value = evaluate(a, literal_model(policy), no_names)
        pairs = result_pairs(value, b)
    except (Unparseable, Unbound, ArithmeticError):
        return False
    for v, r in pairs:
        q = max(r.places, policy.places)
        write = Rounding(q, policy.mode)
        if write(v.lo) != write(v.hi):
            return True
    return False


def policy_words(policy: Policy) -> str:
    """The policy as a finding's note says it: ``rounds to 3 places, carrying exact values``."""
    mode = "rounds" if policy.mode == "round" else "truncates"
    carry = "carrying exact values" if policy.carry == "exact" else "carrying the written values"
    return f"{mode} to {policy.places} places, {carry}"
