"""Hand derivations: check every numeric equation chain of a Markdown or LaTeX document.

``chains.read_document`` reads the document into equation chains and ``policy`` infers
its rounding policy from their numeric links. ``check_document`` then walks the chains in
order with the values stated so far (the bindings: a chain's final value, for each of its
name sides, in the scope of its headings) and reports:

- ``arithmetic``: a link no rounding explains; ``rounding``: a link that fits another
  policy, not the document's (names in a computation are replaced by their stated values);
- ``inconsistent_value``: a name stated as one value and used, aligned with its numeric
  twin, as another (``w_100 = 0.8`` then ``0.526 · 0.249 · w_100 = 0.526 · 0.249 · 0.7``);
- with a spec, ``disagrees_with_spec``: a named value the engine computes otherwise under
  the document's policy (``specview``). Names the document never states take the spec's
  given values (weights, inputs, targets, learning rate).

Links it cannot read or evaluate are listed as skipped, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ...numbers.solution import Solution
from .chains import Chain, Document
from .expressions import Bin, Call, Mat, Name, Neg, Num, Unparseable, is_literal, is_name_side, names_in, numbers_in
from .findings import CATEGORIES, Finding, Report, Skipped
from .intervals import Iv, Unbound, evaluate, shape
from .policy import (
    CARRIES,
    MODES,
    Policy,
    fits,
    infer_policy,
    lenient_model,
    literal_model,
    no_names,
    numeric_links,
    policy_words,
    value_of,
    written,
)
from .specview import SpecView


@dataclass
class _Binding:
    node: object  # a literal, or an expression of literals
    line: int
    tex: str


@dataclass
class _State:
    policy: Policy
    bindings: dict = field(default_factory=dict)  # (key, scope) -> _Binding
    givens: dict = field(default_factory=dict)  # key -> Num, from the spec
    findings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def check_document(document: Document, solution: Solution | None = None) -> Report:
    """The document's policy, findings and skipped expressions; with ``solution``, its
    stated values are also compared with the spec's."""
    links = numeric_links(document)
    policy, fitting = infer_policy(links)
    skipped = _unparsed(document)
    if policy is None:
        return Report(document.source, None, 0, 0, (), tuple(skipped), solution.spec.source if solution else None)
    state = _State(policy)
    spec = SpecView(solution, policy) if solution is not None else None
    if spec is not None:
        state.givens = spec.givens()
    for chain in document.chains:
        _check_chain(chain, state)
        _bind(chain, state, spec)
    findings = sorted(set(state.findings), key=lambda f: (f.line, CATEGORIES.index(f.category), f.equation))
    skipped_all = sorted(set(skipped + state.skipped), key=lambda s: (s.line, s.equation))
    return Report(document.source, policy, len(links), fitting, tuple(findings), tuple(skipped_all),
                  solution.spec.source if solution else None)



def _unparsed(document: Document) -> list[Skipped]:
    skipped = []
    for chain in document.chains:
        carries_numbers = any(s.node is not None and numbers_in(s.node) for s in chain.sides) or any(
            re.search(r"\d\.\d", s.text) for s in chain.sides)
        if not carries_numbers:
            continue
        for s in chain.sides:
            if s.node is None and re.search(r"\d", s.text):
                skipped.append(Skipped(s.line, s.text, f"cannot read: {s.error}"))
    return skipped


def _lookup(state: _State, scope: tuple, literal: Callable[[Num], Iv]) -> Callable[[Name], object]:
    """A name's value: as stated in this scope, else the spec's given value."""

    def lookup(name: Name):
        binding = state.bindings.get((name.key, scope))
        if binding is not None:
            return evaluate(binding.node, literal, no_names)
        if name.key in state.givens and not scope[1]:
            return Iv.point(state.givens[name.key])
        raise Unbound(name.tex)

    return lookup


def _substituted(node, state: _State, scope: tuple):
    """``node`` with every name replaced by the value stated for it (raises ``Unbound``)."""
    if isinstance(node, Name):
        binding = state.bindings.get((node.key, scope))
        if binding is not None:
            return binding.node
        if node.key in state.givens and not scope[1]:  # after the update the parameters changed
            value = state.givens[node.key]
            return Num(value, 0, str(value))
        raise Unbound(node.tex)
    if isinstance(node, Neg):
        return Neg(_substituted(node.arg, state, scope))
    if isinstance(node, Bin):
        return Bin(node.op, _substituted(node.left, state, scope), _substituted(node.right, state, scope))
    if isinstance(node, Call):
        return Call(node.func, tuple(_substituted(a, state, scope) for a in node.args))
    if isinstance(node, Mat):
        return Mat(tuple(tuple(_substituted(x, state, scope) for x in row) for row in node.rows))
    return node


def _check_chain(chain: Chain, state: _State) -> None:
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
                        unknown = sorted({n.tex for n in names_in(a.node) if _unbound(n, state, chain.scope)})
                        state.skipped.append(Skipped(b.line, equation, f"unknown value of {', '.join(unknown) or exc}"))
                        continue
                else:
                    numeric = a.node
                _check_numeric(numeric, b.node, b.line, equation, state)
            elif not names_in(b.node) and names_in(a.node):
                _check_alignment(a.node, b.node, b.line, equation, state, chain.scope)
        except Unparseable as exc:
            state.skipped.append(Skipped(b.line, equation, f"cannot evaluate: {exc}"))
        except ArithmeticError:
            state.skipped.append(Skipped(b.line, equation, "cannot evaluate: a number out of range"))


def _unbound(name: Name, state: _State, scope) -> bool:
    return (name.key, scope) not in state.bindings and (name.key not in state.givens or scope[1])


def _check_numeric(a, b, line: int, equation: str, state: _State) -> None:
    policy = state.policy
    if fits(value_of(a, policy), b, policy):
        return
    point = evaluate(a, literal_model(Policy(policy.places, policy.mode, "shown")), no_names)
    expected = written(point, b, policy)
    other_mode = MODES[1 - MODES.index(policy.mode)]
    other_carry = CARRIES[1 - CARRIES.index(policy.carry)]
    others = [Policy(policy.places, m, c) for m, c in
              ((other_mode, policy.carry), (policy.mode, other_carry), (other_mode, other_carry))]
    fitting = [p for p in others if fits(value_of(a, p), b, p)]
    if fitting:
        how = fitting[0]
        note = f"{'truncated' if how.mode == 'truncate' else 'rounded'}" + (
            ", from exact values" if how.carry == "exact" and policy.carry == "shown" else "")
        state.findings.append(Finding(line, equation, expected, "rounding",
                                      f"written {note}; the document {policy_words(policy)}"))
    else:
        state.findings.append(Finding(line, equation, expected, "arithmetic", ""))



def _check_alignment(sym, num, line: int, equation: str, state: _State, scope) -> None:
    """A symbolic side and its numeric twin: each name against the value stated for it, and
    each sub-expression against the number written in its place."""
    lenient = lenient_model(state.policy.places)
    for kind, a, b in align(sym, num):
        if kind == "use":
            binding = state.bindings.get((a.key, scope))
            if binding is None:
                continue
            bound = evaluate(binding.node, lenient, no_names)
            used = evaluate(b, lenient, no_names)
            if isinstance(bound, tuple) != isinstance(used, tuple):
                continue
            if not _overlap(bound, used):
                state.findings.append(Finding(
                    line, equation, f"{_text(binding.node)} ({a.tex} as stated on line {binding.line})",
                    "inconsistent_value", f"{a.tex} is used as {_text(b)}"))
        else:
            try:
                value = evaluate(a, lenient, _lookup(state, scope, lenient))
            except Unbound:
                unknown = sorted({n.tex for n in names_in(a) if _unbound(n, state, scope)})
                reason = f"unknown value of {', '.join(unknown)}"
                state.skipped.append(Skipped(line, f"{_text(a)} = {_text(b)}", reason))
                continue
            twin = evaluate(b, lenient, no_names)
            if isinstance(value, tuple) != isinstance(twin, tuple) or not _overlap(value, twin):
                used = sorted({n.tex for n in names_in(a)})
                stated = ", ".join(
                    f"{n} = {_text(state.bindings[(k, scope)].node)} (line {state.bindings[(k, scope)].line})"
                    for n, k in sorted({(n.tex, n.key) for n in names_in(a)}) if (k, scope) in state.bindings
                )
                state.findings.append(Finding(
                    line, equation, f"{_show(value)} (from {stated or ', '.join(used)})", "inconsistent_value",
                    f"written as {_text(b)}"))


def _overlap(a, b) -> bool:
    if isinstance(a, tuple):
        if shape(a) != shape(b):
            return False
        return all(x.overlaps(y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
    return a.overlaps(b)


def _show(value) -> str:
    def one(v: Iv) -> str:
        return f"{v.mid.quantize(Decimal('0.000001')).normalize():f}"

    if isinstance(value, tuple):
        return "[" + "; ".join(" ".join(one(v) for v in row) for row in value) + "]"
    return one(value)


def _text(node) -> str:
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Mat):
        return "[" + "; ".join(" ".join(_text(x) for x in row) for row in node.rows) + "]"
    if isinstance(node, Name):
        return node.tex
    if isinstance(node, Neg):
        return f"-{_text(node.arg)}"
    if isinstance(node, Bin):
        return f"{_text(node.left)} {node.op} {_text(node.right)}"
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_text(a) for a in node.args)})"
    return str(node)


def align(sym, num) -> list[tuple[str, object, object]]:
    """Pairs of a symbolic side and its numeric twin of the same shape: ``("use", name,
    number)`` and ``("value", sub-expression, its numeric twin)``."""
    if isinstance(sym, Name):
        return [("use", sym, num)] if is_literal(num) else []
    if isinstance(sym, Mat) and isinstance(num, Mat):
        if len(sym.rows) != len(num.rows) or len(sym.rows[0]) != len(num.rows[0]):
            return [("value", sym, num)]
        return [pair for ra, rb in zip(sym.rows, num.rows) for a, b in zip(ra, rb) for pair in align(a, b)]
    sym, num = _canonical(sym), _canonical(num)
    if isinstance(sym, Neg) and isinstance(num, Num):
        return align(sym.arg, Num(-num.value, num.places, num.text.lstrip("-") if num.value < 0 else f"-{num.text}"))
    if isinstance(sym, Bin) and isinstance(num, Bin) and sym.op == num.op:
        return align(sym.left, num.left) + align(sym.right, num.right)
    if isinstance(sym, Call) and isinstance(num, Call) and sym.func == num.func and len(sym.args) == len(num.args):
        return [pair for a, b in zip(sym.args, num.args) for pair in align(a, b)]
    if isinstance(sym, Neg) and isinstance(num, Neg):
        return align(sym.arg, num.arg)
    if names_in(sym) and not names_in(num):
        return [("value", sym, num)]
    return []


def _canonical(node):
    """``x - 0.1`` as ``x + (-0.1)``, so it aligns with ``y + b``."""
    if isinstance(node, Bin) and node.op == "-" and isinstance(node.right, Num):
        r = node.right
        return Bin("+", node.left, Num(-r.value, r.places, r.text[1:] if r.text.startswith("-") else f"-{r.text}"))
    return node


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
