"""Hand derivations: check every numeric equation chain of a Markdown or LaTeX document.

``chains.read_document`` reads the document into equation chains (and the values stated
in its sentences and tables); ``policy`` infers its rounding policy from their numeric
links, or, with a spec, takes the spec's. ``check_document`` then walks the chains in order
with the values stated so far (the bindings: a chain's final value, for each of its name
sides, in the scope of its headings) and reports:

- ``arithmetic``: a link no rounding explains (with a note when a logarithm to another
  base would); ``rounding``: a link that fits the other mode only (names in a computation
  are replaced by their stated values); every printed number is read at its own digits,
  with exact or written values carried (``policy.judge``); a computation rewritten as
  another (``0.7 \\times 0.3 = 0.6457 \\times 0.3543``) is an ``arithmetic`` finding when the
  two sides cannot be the same number;
- ``inconsistent_value``: a name stated as one value and used, aligned with its numeric
  twin, as another (``w_100 = 0.8`` then ``0.526 · 0.249 · w_100 = 0.526 · 0.249 · 0.7``);
  an update written in numbers only
  (``w_5^{+} = 0.4 - 0.5 \\cdot 0.0821``) is aligned with ``w_5 - \\eta \\cdot \\partial E/\\partial w_5``;
- with a spec, ``disagrees_with_spec``: a named value the engine computes otherwise under
  the spec's policy (``specview``). Names the document never states take the spec's given
  values (weights, inputs, targets, learning rate).

Links it cannot read or evaluate are listed as skipped, with the reason, never guessed; a
formula that holds no decimal number (``\\sum_n \\delta^{[n]} a^{[n]}``) is no skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ...numbers.solution import Solution
from .align import align, show, text_of, unknown_names, update_parts
from .chains import Chain, Document
from .expressions import (
    Bin,
    Call,
    Cases,
    Cmp,
    Mat,
    Name,
    Neg,
    Num,
    Unparseable,
    is_literal,
    is_name_side,
    names_in,
    numbers_in,
)
from .findings import CATEGORIES, Finding, Report, Skipped
from .intervals import Iv, Unbound, evaluate, shape
from .policy import (
    CARRIES,
    Policy,
    fitting,
    infer_policy,
    judge,
    kind_of_name,
    lenient_model,
    literal_model,
    no_names,
    numeric_links,
    policy_words,
    same_value,
    value_of,
    written,
)
from .prose import starred
from .specview import SpecView

RATE_KEYS = ("eta", "alpha", "mu", "epsilon", "lambda", "lr")  # what a document calls the learning rate


@dataclass
class _Binding:
    node: object  # a literal, or an expression of literals
    line: int
    tex: str


@dataclass
class _State:
    policy: Policy
    whose: str  # "the document" or "the spec": whose policy it is
    either: bool  # a spec's policy: exact and written values carried are both right
    kind: Callable[[object, tuple], str | None]
    bindings: dict = field(default_factory=dict)  # (key, scope) -> _Binding
    givens: dict = field(default_factory=dict)  # key -> Num, from the spec
    findings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def check_document(document: Document, solution: Solution | None = None) -> Report:
    """The document's policy, findings and skipped expressions; with ``solution``, its
    stated values are also compared with the spec's, under the spec's policy."""
    spec = SpecView(solution) if solution is not None else None
    kind = spec.kind if spec is not None else (lambda node, scope: kind_of_name(node))
    links = numeric_links(document, kind)
    if spec is not None:
        policy = spec.policy
        fit = sum(fitting(link, policy, True) for link in links)
    else:
        policy, fit = infer_policy(links)
    skipped = _unparsed(document)
    source = solution.spec.source if solution else None
    if policy is None:
        return Report(document.source, None, 0, 0, (), tuple(skipped), source)
    state = _State(policy, "the spec" if spec is not None else "the document", spec is not None, kind)
    if spec is not None:
        state.givens = spec.givens()
    for chain in document.chains:
        _check_chain(chain, state)
        _bind(chain, state, spec)
    findings = sorted(set(state.findings), key=lambda f: (f.line, CATEGORIES.index(f.category), f.equation))
    skipped_all = sorted(set(skipped + state.skipped), key=lambda s: (s.line, s.equation))
    return Report(document.source, policy, len(links), fit, tuple(findings), tuple(skipped_all), source)


_SCRIPT = re.compile(r"[_^](?:\{[^{}]*\}|\\?.)|\\[A-Za-z]+|[A-Za-z]+\d+")
_DECIMAL = re.compile(r"\d\.\d|(?<![\d.])\.\d")


def _holds_numbers(text: str) -> bool:
    """Does a side the checker cannot read hold a decimal number (not in a subscript, a
    superscript or a name like ``w5``)? A formula of names and small integers does not."""
    return bool(_DECIMAL.search(_SCRIPT.sub(" ", text)))


def _unparsed(document: Document) -> list[Skipped]:
    skipped = []
    for chain in document.chains:
        for s in chain.sides:
            if s.node is None and _holds_numbers(s.text):
                skipped.append(Skipped(s.line, s.text, f"cannot read: {s.error}"))
    return skipped


def _bound(state: _State, key: str, scope: tuple) -> _Binding | None:
    """What ``key`` was stated as in ``scope``; after the update, a parameter's name may
    mean the updated value stated before the pass (``w_5^{+}``)."""
    binding = state.bindings.get((key, scope))
    if binding is None and scope[1]:
        binding = state.bindings.get((starred(key), (scope[0], False, scope[2])))
    return binding


def _given(state: _State, key: str, scope: tuple) -> Decimal | None:
    return state.givens.get(key) if not scope[1] else None  # after the update the parameters changed


def _lookup(state: _State, scope: tuple, literal: Callable[[Num], Iv]) -> Callable[[Name], object]:
    """A name's value: as stated in this scope, else the spec's given value."""

    def lookup(name: Name):
        binding = _bound(state, name.key, scope)
        if binding is not None:
            return evaluate(binding.node, literal, no_names)
        given = _given(state, name.key, scope)
        if given is not None:
            return Iv.point(given)
        raise Unbound(name.tex)

    return lookup


def _substituted(node, state: _State, scope: tuple):
    """``node`` with every name replaced by the value stated for it (raises ``Unbound``)."""
    if isinstance(node, Name):
        binding = _bound(state, node.key, scope)
        if binding is not None:
            return binding.node
        given = _given(state, node.key, scope)
        if given is not None:
            return Num(given, 0, str(given))
        raise Unbound(node.tex)
    if isinstance(node, Neg):
        return Neg(_substituted(node.arg, state, scope))
    if isinstance(node, Bin):
        return Bin(node.op, _substituted(node.left, state, scope), _substituted(node.right, state, scope))
    if isinstance(node, Call):
        return Call(node.func, tuple(_substituted(a, state, scope) for a in node.args))
    if isinstance(node, Mat):
        return Mat(tuple(tuple(_substituted(x, state, scope) for x in row) for row in node.rows))
    if isinstance(node, Cmp):
        return Cmp(node.op, _substituted(node.left, state, scope), _substituted(node.right, state, scope))
    if isinstance(node, Cases):
        return Cases(tuple((_substituted(v, state, scope), c and _substituted(c, state, scope)) for v, c in node.rows))
    return node


def _unbound(name: Name, state: _State, scope) -> bool:
    return _bound(state, name.key, scope) is None and _given(state, name.key, scope) is None


def _check_chain(chain: Chain, state: _State) -> None:
    kind = state.kind(chain.sides[0].node, chain.scope)
    twinned = False
    for a, b in zip(chain.sides, chain.sides[1:]):
        if a.node is None or b.node is None:
            continue
        equation = f"{a.text} = {b.text}"
        try:
            if is_literal(b.node) and not is_literal(a.node):
                if names_in(a.node):
                    if isinstance(a.node, Name) or is_name_side(a.node):
                        continue  # a name restated: a binding, not a computation
                    try:
                        numeric = _substituted(a.node, state, chain.scope)
                    except Unbound as exc:
                        unknown = unknown_names(a.node, lambda n: _unbound(n, state, chain.scope)) or str(exc)
                        state.skipped.append(Skipped(b.line, equation, f"unknown value of {unknown}"))
                        continue
                else:
                    numeric = a.node
                _check_numeric(numeric, b.node, b.line, equation, state, kind)
            elif not names_in(a.node) and not names_in(b.node) and not is_literal(a.node):
                _check_rewritten(a.node, b.node, b.line, equation, state)
            elif not names_in(b.node) and names_in(a.node):
                twinned = twinned or not isinstance(a.node, Name)  # a formula beside its numbers
                _check_alignment(a.node, b.node, b.line, equation, state, chain.scope)
        except Unparseable as exc:
            state.skipped.append(Skipped(b.line, equation, f"cannot evaluate: {exc}"))
        except ArithmeticError:
            state.skipped.append(Skipped(b.line, equation, "cannot evaluate: a number out of range"))
    if not twinned and chain.origin == "math":
        _check_update(chain, state)


def _check_numeric(a, b, line: int, equation: str, state: _State, kind: str | None) -> None:
    policy = state.policy
    verdict = judge(a, b, policy, kind, state.either)
    if verdict is None:
        return
    point = evaluate(a, literal_model(policy.but(carry="shown")), no_names)
    expected = written(point, b, policy, kind)
    if verdict == "rounding":
        how = "truncated" if policy.mode == "round" else "rounded"
        note = f"it fits {how} values, but {state.whose} {policy_words(policy)}"
    else:
        note = _other_logarithm(a, b, policy, kind, state.either)
    state.findings.append(Finding(line, equation, expected, verdict, note))


_OTHER_BASE = {"ln": "log10", "log10": "ln"}


def _other_logarithm(a, b, policy: Policy, kind: str | None, either: bool) -> str:
    """A note when the link fits with the logarithms to the other base (log10 for ln)."""

    def swapped(node):
        if isinstance(node, Call):
            return Call(_OTHER_BASE.get(node.func, node.func), tuple(swapped(x) for x in node.args))
        if isinstance(node, Bin):
            return Bin(node.op, swapped(node.left), swapped(node.right))
        if isinstance(node, Neg):
            return Neg(swapped(node.arg))
        return node

    other = swapped(a)
    if other == a:
        return ""
    try:
        if judge(other, b, policy, kind, either) is None:
            used = "log10" if "log10" in repr(other) else "ln"
            return f"fits {used} in place of {_OTHER_BASE[used]}"
    except (Unparseable, ArithmeticError):
        pass
    return ""


def _check_alignment(sym, num, line: int, equation: str, state: _State, scope) -> None:
    """A symbolic side and its numeric twin: each name against the value stated for it, and
    each sub-expression against the number written in its place."""
    lenient = lenient_model(state.policy.places)
    for kind, a, b in align(sym, num):
        if kind == "use":
            binding = _bound(state, a.key, scope)
            if binding is not None:
                _check_use(a, b, binding, line, equation, state)
            continue
        try:
            value = evaluate(a, lenient, _lookup(state, scope, lenient))
        except Unbound:
            continue  # a formula of names the document never states: nothing to compare
        twin = evaluate(b, lenient, no_names)
        if isinstance(value, tuple) != isinstance(twin, tuple) or not _overlap(value, twin):
            value = evaluate(a, _as_printed, _lookup(state, scope, _as_printed))
            stated = ", ".join(
                f"{n} = {text_of(_bound(state, k, scope).node)} (line {_bound(state, k, scope).line})"
                for n, k in sorted({(n.tex, n.key) for n in names_in(a)}) if _bound(state, k, scope) is not None
            )
            used = ", ".join(sorted({n.tex for n in names_in(a)}))
            state.findings.append(Finding(
                line, equation, f"{show(value)} (from {stated or used})", "inconsistent_value",
                f"written as {text_of(b)}"))


def _check_rewritten(a, b, line: int, equation: str, state: _State) -> None:
    """One computation rewritten as another (``0.7 \\times 0.3 = 0.6457 \\times 0.3543``): the left
    side computed as a link's operands are (under either carry, a short operand also at its own
    digits) must meet the right side, where every number may be a result written on the way,
    a unit of its last digit off (an integer half a unit; an exponent is exact). Sides of
    different shapes are skipped (a row rewritten as a column is compared element by element)."""
    powers = _exponents(b)
    right = evaluate(b, lambda num: Iv.point(num.value) if id(num) in powers else _at_its_digits(num), no_names)
    policy = state.policy
    lefts = [value_of(a, policy.but(carry=carry), relaxed) for carry in CARRIES for relaxed in (False, True)]
    if isinstance(right, tuple) or isinstance(lefts[0], tuple):
        if not (isinstance(right, tuple) and isinstance(lefts[0], tuple)):
            raise Unparseable("a matrix rewritten as a number")
        if shape(right) != shape(lefts[0]):
            if sorted(shape(right)) != sorted(shape(lefts[0])) or 1 not in shape(right):
                raise Unparseable("a matrix rewritten as one of another shape")
            right = tuple(zip(*right))  # a row vector written as a column, or the other way
    if any(_overlap(left, right) for left in lefts):
        return
    state.findings.append(Finding(line, equation, show(evaluate(a, _as_printed, no_names)), "arithmetic",
                                  "the right side is not the left side rewritten"))


def _exponents(node) -> set[int]:
    """The numbers written as exponents in ``node`` (``(0.3972)^2``: the 2), by identity."""
    found, stack = set(), [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Bin):
            if n.op == "^":
                found.update(id(x) for x in numbers_in(n.right))
            stack += [n.left, n.right]
        elif isinstance(n, Neg):
            stack.append(n.arg)
        elif isinstance(n, Call):
            stack += list(n.args)
        elif isinstance(n, Mat):
            stack += [x for row in n.rows for x in row]
    return found


def _at_its_digits(num: Num) -> Iv:
    """A printed number as any value written at its digits may be: a unit of its last digit
    either way (an integer: half a unit, as a rounded one may be)."""
    if num.places == 0:
        return Iv(num.value - Decimal("0.5"), num.value + Decimal("0.5"))
    u = Decimal(1).scaleb(-num.places)
    return Iv(num.value - u, num.value + u)


def _as_printed(num: Num) -> Iv:
    return Iv.point(num.value)


def _check_use(name: Name, used, binding: _Binding, line: int, equation: str, state: _State) -> None:
    """A name used as the number ``used``, against the value stated for it."""
    if not _consistent(binding.node, used, state):
        state.findings.append(Finding(
            line, equation, f"{text_of(binding.node)} ({name.tex} as stated on line {binding.line})",
            "inconsistent_value", f"{name.tex} is used as {text_of(used)}"))


def _consistent(stated, used, state: _State) -> bool:
    if isinstance(stated, Num) and isinstance(used, Num):
        return same_value(stated, used, state.policy.places)
    if isinstance(stated, Mat) and isinstance(used, Mat):
        flat_a = [x for row in stated.rows for x in row]
        flat_b = [x for row in used.rows for x in row]
        if len(flat_a) == len(flat_b) and all(isinstance(x, Num) for x in flat_a + flat_b):
            return all(same_value(x, y, state.policy.places) for x, y in zip(flat_a, flat_b))
    lenient = lenient_model(state.policy.places)
    try:
        bound, value = evaluate(stated, lenient, no_names), evaluate(used, lenient, no_names)
    except (Unparseable, ArithmeticError):
        return True
    return isinstance(bound, tuple) != isinstance(value, tuple) or _overlap(bound, value)


def _check_update(chain: Chain, state: _State) -> None:
    """An update written in numbers only (``w_5^{+} = 0.4 - 0.5 \\cdot 0.0821 = 0.3589``):
    the numbers in the places of the old value, the learning rate and the gradient against
    the values stated for them."""
    head = chain.sides[0].node
    if not isinstance(head, Name):
        return
    for side in chain.sides[1:]:
        parts = update_parts(head, side.node) if side.node is not None else None
        if parts is None:
            continue
        base, old, factors = parts
        scope = (chain.scope[0], False, chain.scope[2])
        equation = f"{chain.sides[0].text} = {side.text}"
        stated_old = _bound(state, base, scope)
        if old is not None and stated_old is not None:
            _check_use(Name(base, _tex_of(stated_old, base)), old, stated_old, side.line, equation, state)
        gradient = next((b for (k, s), b in reversed(state.bindings.items())
                         if s == scope and re.fullmatch(rf"d[A-Za-z]*[^/]*/d{re.escape(base)}", k)), None)
        rate = next((state.bindings.get((k, scope)) for k in RATE_KEYS if (k, scope) in state.bindings), None)
        known = [(b, tex) for b, tex in ((gradient, r"\partial E/\partial " + base), (rate, r"\eta")) if b is not None]
        if not known or not all(isinstance(b.node, Num) for b, _ in known):
            return
        if not any(all(_consistent(b.node, f, state) for (b, _), f in zip(known, order))
                   for order in (factors, factors[::-1])):
            binding, tex = known[0]
            used = next((f for f in factors if not _consistent(binding.node, f, state)), factors[-1])
            _check_use(Name(base, binding.tex or tex), used, binding, side.line, equation, state)
        return


def _tex_of(binding: _Binding, key: str) -> str:
    return binding.tex or key


def _overlap(a, b) -> bool:
    if isinstance(a, tuple):
        if shape(a) != shape(b):
            return False
        return all(x.overlaps(y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
    return a.overlaps(b)


def _bind(chain: Chain, state: _State, spec: SpecView | None) -> None:
    """The values a chain states: its final value, for every name side."""
    final = chain.sides[-1].node
    if final is None or names_in(final) or not numbers_in(final):
        return
    line = chain.sides[-1].line
    for side in chain.sides[:-1]:
        node = side.node
        if isinstance(node, Name):
            _set(state, spec, node, final, line, chain.scope, chain.sides[-1].text)
        elif isinstance(node, Mat) and is_name_side(node) and isinstance(final, Mat) \
                and len(node.rows) == len(final.rows) and len(node.rows[0]) == len(final.rows[0]):
            for ra, rb in zip(node.rows, final.rows):
                for a, b in zip(ra, rb):
                    _set(state, spec, a, b, line, chain.scope, f"{side.text} = {chain.sides[-1].text}")


def _set(state: _State, spec, name: Name, value, line: int, scope, text: str) -> None:
    state.bindings[(name.key, scope)] = _Binding(value, line, name.tex)
    if spec is not None and is_literal(value):
        for finding in spec.compare(name, value, line, scope):
            state.findings.append(finding)

