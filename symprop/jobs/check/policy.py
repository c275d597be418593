"""The document's rounding policy: inferred from its numeric links (or the spec's), and what
it accepts.

A numeric link is ``numbers = printed number`` (``0.3 \\cdot 0.7 = 0.210``). The places are
the commonest number of decimals of the printed results (ties: the larger), and, per kind
of quantity (``kind_of_name`` reads the kind from the name the chain computes: ``net_h1``,
``out_h1``, ``E_1``, ``\\delta_1``, ``\\partial E/\\partial w_5``, ``w_5^{+}``), the commonest of
that kind where it differs; every link is then tried under rounding and truncation, with
exact values carried (a printed operand stands for every value it may have been written
from) or the written ones (``carry: shown``: the operands are exact, and an intermediate
result may be written down too). The mode with the fewest misfits wins (ties: rounding);
the carry is ``exact`` when more than one link, and at least ``EXACT_SHARE`` of the links
whose result depends on the carry, fit exact values only, else ``shown``.

``judge`` says whether a link is right, as a marker reads it: each printed result at its
own digits (the policy's mode at its kind's places; rounded or truncated at other digits,
but a single significant digit at fewer places is read at the policy's), the operands
carried as the policy says (or, with a spec's policy, exactly or as written), and an operand written with fewer digits than the policy's
read at its own digits when nothing else fits. ``written`` is what a result should read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ...spec.choices import CARRY_MODES, QUANTITY_KINDS, ROUNDING_MODES
from ...spec.values import Rounding
from .chains import Document
from .expressions import Name, Num, Unparseable, is_literal, names_in
from .intervals import Iv, Unbound, evaluate, shape

MODES, CARRIES = ROUNDING_MODES, CARRY_MODES
EXACT_SHARE = Decimal("0.25")  # of the carry-sensitive links, the share that must fit exact values only
MIN_KIND_LINKS = 2  # links of a kind whose places differ before the policy names that kind's places


@dataclass(frozen=True)
class Policy:
    places: int
    mode: str  # round | truncate
    carry: str  # exact | shown
    kinds: tuple[tuple[str, int], ...] = ()  # (kind, places) where a kind's places differ (QUANTITY_KINDS)

    def places_of(self, kind: str | None) -> int:
        return dict(self.kinds).get(kind, self.places)

    def but(self, mode: str | None = None, carry: str | None = None) -> Policy:
        return Policy(self.places, mode or self.mode, carry or self.carry, self.kinds)


def from_rounding(rounding: Rounding) -> Policy:
    """A spec's rounding policy, as the document checker applies it."""
    return Policy(rounding.places, rounding.mode, rounding.carry, rounding.kinds)


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _significant(value: Decimal) -> int:
    return len("".join(map(str, value.as_tuple().digits)).lstrip("0"))


def literal_model(policy: Policy, relaxed: bool = False) -> Callable[[Num], Iv]:
    """The values a printed operand stands for: the printed value itself when the document
    carries the written values or writes fewer digits than its places (a given value); else
    every value it may have been written from, at its own digits. ``relaxed``: an
    operand of three or more significant digits written with fewer digits than the policy's
    stands for the values written so at its own digits (a number copied at lower precision)."""

    def literal(num: Num) -> Iv:
        x = num.value
        if num.places == 0:  # an integer (1 - out, a power, ½) is exact
            return Iv.point(x)
        short = num.places < policy.places
        if relaxed and short and _significant(x) >= 3:
            u = _unit(num.places)
            return Iv(x - u, x + u)
        if policy.carry == "shown" or short:
            return Iv.point(x)
        return _written_from(x, _unit(num.places), policy.mode)

    return literal


def same_value(a: Num, b: Num, places: int) -> bool:
    """Are two printed numbers one value: equal, or one the other written with fewer digits
    (rounded or truncated; the shorter of two significant digits at least), or, at the same
    digits, two units of the last digit apart at most (at least the policy's ``places``)?"""
    if a.value == b.value:
        return True
    if a.places != b.places:
        short, long = sorted((a, b), key=lambda n: n.places)
        if _significant(short.value) >= 2 and any(Rounding(short.places, m)(long.value) == short.value
                                                   for m in MODES):
            return True
    return abs(a.value - b.value) <= 2 * _unit(max(a.places, b.places, places))


def lenient_model(places: int) -> Callable[[Num], Iv]:
    """One unit of the last digit either way (at least the policy's places): for values, not
    for rounding."""

    def literal(num: Num) -> Iv:
        u = _unit(max(num.places, places))
        return Iv(num.value - u, num.value + u)

    return literal


def windows(num: Num, policy: Policy, kind: str | None = None) -> tuple[Iv, ...]:
    """The values a printed result may have been written from, under ``policy``: its kind's
    places in the policy's mode; at other digits rounded or truncated (a single significant
    digit at fewer places is read at the kind's places)."""
    q = policy.places_of(kind)
    if num.places == q or num.places < q and _significant(num.value) < 2:
        return (_written_from(num.value, _unit(max(num.places, q)), policy.mode),)
    return tuple(_written_from(num.value, _unit(num.places), mode) for mode in MODES)


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
    write = Rounding(policy.places, policy.mode, "shown")
    return lambda v: Iv(min(v.lo, write(v.lo)), max(v.hi, write(v.hi)))


def value_of(node, policy: Policy, relaxed: bool = False):
    """A numeric expression's value under ``policy``."""
    return evaluate(node, literal_model(policy, relaxed), no_names, _step(policy))


def fits(value, result, policy: Policy, kind: str | None = None) -> bool:
    """Does a computed value (``Iv`` or matrix) fit the printed result (``Num`` or ``Mat``)?"""
    return all(any(v.overlaps(w) for w in windows(r, policy, kind)) for v, r in result_pairs(value, result))


def judge(node, result, policy: Policy, kind: str | None = None, either: bool = False) -> str | None:
    """None when the link ``node = result`` is right under ``policy`` (with ``either``, under
    either carry; an operand written short read at its own digits when nothing else fits);
    ``"rounding"`` when it fits the other mode only; else ``"arithmetic"``."""
    carries = (policy.carry, *[c for c in CARRIES if c != policy.carry]) if either else (policy.carry,)
    tries = [(policy.but(carry=c), False) for c in carries]
    for p, relaxed in (*tries, (policy.but(carry=carries[-1]), True)):
        if fits(value_of(node, p, relaxed), result, p, kind):
            return None
    other = policy.but(mode=MODES[1 - MODES.index(policy.mode)])
    for carry in CARRIES:
        p = other.but(carry=carry)
        if fits(value_of(node, p), result, p, kind):
            return "rounding"
    return "arithmetic"


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


def written(value, result, policy: Policy, kind: str | None = None) -> str:
    """What a printed result should read: the value from the printed operands, written the
    document's way (at its digits, at least its kind's places)."""
    shown = []
    for v, r in result_pairs(value, result):
        q = max(r.places, policy.places_of(kind))
        shown.append(f"{Rounding(q, policy.mode)(v.mid):f}")
    if isinstance(result, Num):
        return shown[0]
    columns = len(result.rows[0])
    if len(result.rows) > 1 and columns > 1:  # a matrix row by row: [a, b; c, d]
        return "[" + "; ".join(", ".join(shown[k:k + columns]) for k in range(0, len(shown), columns)) + "]"
    return "[" + ", ".join(shown) + "]"


@dataclass(frozen=True)
class Link:
    """A numeric link ``numbers = printed number``, and the kind of quantity it computes."""

    node: object
    result: object
    kind: str | None


def numeric_links(document: Document, kind: Callable[[object, tuple], str | None] | None = None) -> list[Link]:
    """Every link ``numbers = printed number``: what the policy is inferred from. ``kind``
    gives the kind of quantity a chain's head computes (default: ``kind_of_name``)."""
    links = []
    for chain in document.chains:
        head = chain.sides[0].node
        of = kind(head, chain.scope) if kind else kind_of_name(head)
        for a, b in zip(chain.sides, chain.sides[1:]):
            if a.node is not None and b.node is not None and is_literal(b.node) and not names_in(a.node) \
                    and not is_literal(a.node):
                links.append(Link(a.node, b.node, of))
    return links


def infer_policy(links: list[Link]) -> tuple[Policy | None, int]:
    """The document's policy, and how many of its numeric links fit it."""
    if not links:
        return None, 0
    p = _commonest(Counter(r.places for link in links for r in _results(link.result)))
    by_kind: dict[str, Counter] = {}
    for link in links:
        if link.kind is not None and not _exact(link):  # 0.39 - 0.1 = 0.29 says nothing of the places
            by_kind.setdefault(link.kind, Counter()).update(_places_written(link, p))
    kinds = tuple((k, _commonest(c)) for k, c in sorted(by_kind.items(), key=lambda kc: QUANTITY_KINDS.index(kc[0]))
                  if sum(c.values()) >= MIN_KIND_LINKS and _commonest(c) != p)
    by_policy: dict[tuple[str, str], list[bool]] = {}
    for mode in MODES:
        for carry in CARRIES:
            policy = Policy(p, mode, carry, kinds)
            by_policy[mode, carry] = [_link_fits(link, policy) for link in links]
    misfits = {m: sum(not x for x in by_policy[m, "exact"]) + sum(not x for x in by_policy[m, "shown"]) for m in MODES}
    mode = min(MODES, key=lambda m: (misfits[m], MODES.index(m)))
    exact_only = sum(e and not s for e, s in zip(by_policy[mode, "exact"], by_policy[mode, "shown"]))
    sensitive = sum(_sensitive(link, Policy(p, mode, "exact", kinds)) for link in links)
    carry = "exact" if exact_only and exact_only >= EXACT_SHARE * max(sensitive, 1) and exact_only > 1 else "shown"
    policy = Policy(p, mode, carry, kinds)
    return policy, sum(fitting(link, policy) for link in links)


def _places_written(link: Link, places: int) -> list[int]:
    """The places of a link's printed results; a result written with fewer, which is its
    value at ``places`` with the trailing zeros dropped (0.35891648 for 0.358916480), at
    ``places``."""
    try:
        value = evaluate(link.node, lambda num: Iv.point(num.value), no_names)
        pairs = result_pairs(value, link.result)
    except (Unparseable, Unbound, ArithmeticError):
        return [r.places for r in _results(link.result)]
    return [places if r.places < places and any(Rounding(places, m)(v.mid) == r.value for m in MODES) else r.places
            for v, r in pairs]


def _exact(link: Link) -> bool:
    """Is a link's printed result the exact value of its printed operands (nothing rounded)?"""
    try:
        value = evaluate(link.node, lambda num: Iv.point(num.value), no_names)
    except (Unparseable, Unbound, ArithmeticError):
        return False
    try:
        pairs = result_pairs(value, link.result)
    except (Unparseable, TypeError, ValueError):
        return False
    return all(v.lo == v.hi == r.value for v, r in pairs)


def fitting(link: Link, policy: Policy, either: bool = False) -> bool:
    """Is the link right under ``policy`` as ``judge`` reads it (links it cannot compute count)?"""
    try:
        return judge(link.node, link.result, policy, link.kind, either) is None
    except (Unparseable, Unbound, ArithmeticError):
        return True


def _commonest(counts: Counter) -> int:
    top = max(counts.values())
    return max(k for k, v in counts.items() if v == top)


def _results(node) -> list[Num]:
    return [node] if isinstance(node, Num) else [x for row in node.rows for x in row]


def _link_fits(link: Link, policy: Policy) -> bool:
    try:
        return fits(value_of(link.node, policy), link.result, policy, link.kind)
    except (Unparseable, Unbound, ArithmeticError):
        return True  # not a link the policy can be read from


def _sensitive(link: Link, policy: Policy) -> bool:
    """Could the carry change this link's printed result (its exact-value interval spans
    more than one written value)?"""
    try:
        value = evaluate(link.node, literal_model(policy), no_names)
        pairs = result_pairs(value, link.result)
    except (Unparseable, Unbound, ArithmeticError):
        return False
    for v, r in pairs:
        q = max(r.places, policy.places_of(link.kind))
        write = Rounding(q, policy.mode)
        if write(v.lo) != write(v.hi):
            return True
    return False


def policy_words(policy: Policy) -> str:
    """The policy as a finding's note says it: ``rounds to 3 places, carrying exact values``."""
    mode = "rounds" if policy.mode == "round" else "truncates"
    carry = "carrying exact values" if policy.carry == "exact" else "carrying the written values"
    return f"{mode} to {policy.places} place{'s' if policy.places != 1 else ''}, {carry}"


# --- the kind of quantity a document's name is ---------------------------------------------------

_PARAM = r"(?:w|b|theta|W|B|bias|weight)"
_KINDS = (  # (kind, pattern of a normalized name), the first match wins
    ("update", re.compile(rf"Delta.*|{_PARAM}[A-Za-z0-9()]*\*.*|new.*")),
    ("gradient", re.compile(rf"d(?:E|L|C|J)[^/]*/d(?:{_PARAM})[^/]*")),
    ("delta", re.compile(r"delta.*|Err.*|d(?:E|L|C|J)[^/]*/d(?:net|sum|z|a|hpre|opre|s)[^/]*")),  # Err_j: Han & Kamber
    ("factor", re.compile(r"d[^/]+/d[^/]+")),
    ("error", re.compile(r"(?:E|L|C|J|loss|error)(?:[a-z0-9].*)?")),
    ("net", re.compile(r"(?:net|sum|z|s)[A-Za-z0-9]*|[a-z]pre[A-Za-z0-9]*")),
    ("out", re.compile(r"(?:out|output|y|o|h|a)[A-Za-z0-9]*")),
)


def kind_of_name(node) -> str | None:
    """The kind of quantity (``choices.QUANTITY_KINDS``) a document's name is, read from the
    common spellings; None for anything else."""
    if not isinstance(node, Name):
        return None
    key = re.sub(r"\[\d+\]$", "", node.key)
    return next((kind for kind, pattern in _KINDS if pattern.fullmatch(key)), None)
