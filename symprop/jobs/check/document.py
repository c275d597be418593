"""Hand derivations: check every numeric equation chain of a Markdown or LaTeX document.

1. **Chains.** Every math span (``$$…$$``, ``$…$``, ``\\[…\\]``, ``\\(…\\)``, ``align``,
   ``equation``, rows of ``aligned``) is split into chains of sides at the top-level
   ``=``; a row starting with ``=`` continues the chain above, a row starting with an
   operator continues its last side, and a display whose first side names the same
   quantity as the previous chain's continues that chain (``∂E/∂w5 = 0.68 * 0.19 * 0.60``
   then ``∂E/∂w5 = 0.08``). Each side is parsed by ``check_expr``; what it cannot read is
   listed as skipped, never guessed. Headings scope the values stated below them: one
   naming "sample N" (or a head labelled "(sample N)") puts them in that sample, one about
   the pass after the update ("updated", "after") in that pass, where a weight's name may
   mean its new value.
2. **Policy.** The places are the commonest number of decimals of the printed results
   (ties: the larger); every link ``numbers = printed number`` is then tried under
   rounding and truncation, with exact values carried (a printed operand stands for every
   value it may have been written from) or the written ones (``carry: shown``: the
   operands are exact, and an intermediate result may be written down too). The mode with
   the fewest misfits wins (ties: rounding); the carry is ``exact`` when more than one
   link, and at least ``EXACT_SHARE`` of the links whose result depends on the carry,
   fit exact values only, else ``shown``.
3. **Findings**, walking the chains in order with the values stated so far:
   ``arithmetic`` (a link no rounding explains), ``rounding`` (a link that fits another
   policy, not the document's), ``inconsistent_value`` (a name stated as one value and
   used, aligned with its numeric twin, as another: ``w_100 = 0.8`` then
   ``0.526 · 0.249 · w_100 = 0.526 · 0.249 · 0.7``), and with a spec,
   ``disagrees_with_spec`` (a named value the engine computes otherwise under the
   document's policy). Names are matched to the spec's quantities through every notation
   preset's aliases (``check_names``); names the document never states take the spec's
   given values (weights, inputs, targets, learning rate).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ...errors import SympropError
from ...numbers.solution import Solution
from ...spec.choices import CARRY_MODES, NOTATIONS, ROUNDING_MODES
from ...spec.values import Rounding
from .expressions import (
    Bin,
    Call,
    Iv,
    Mat,
    Name,
    Neg,
    Num,
    Unbound,
    Unparseable,
    evaluate,
    is_literal,
    is_name_side,
    names_in,
    numbers_in,
    parse,
    shape,
    split_top,
)

MODES, CARRIES = ROUNDING_MODES, CARRY_MODES
EXACT_SHARE = Decimal("0.25")  # of the carry-sensitive links, the share that must fit exact values only
CATEGORIES = ("arithmetic", "rounding", "inconsistent_value", "disagrees_with_spec")
MAX_BYTES = 5_000_000


# --- the document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    text: str
    line: int
    node: object | None  # the parsed tree, or None
    error: str = ""


@dataclass(frozen=True)
class Chain:
    sides: tuple[Side, ...]
    scope: tuple  # (the sample a heading above or the head's label names, after the update?)
    block: int  # which math span it comes from


@dataclass(frozen=True)
class Document:
    source: str
    chains: tuple[Chain, ...]


_DISPLAY_ENVS = "equation|align|gather|multline|eqnarray|displaymath|math"
_MATH = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"
    r"|\\\[(?P<br>.+?)\\\]"
    r"|\\begin\{(?P<env>(?:" + _DISPLAY_ENVS + r")\*?)\}(?P<envbody>.+?)\\end\{(?P=env)\}"
    r"|\\\((?P<par>.+?)\\\)"
    r"|(?<![\\$])\$(?P<d>[^$\n]+?)(?<!\\)\$(?!\$)",
    re.DOTALL,
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<md>.*)$|\\(?:sub)*section\*?\{(?P<tex>[^{}]*)\}|\\frametitle\{(?P<frame>[^{}]*)\}", re.MULTILINE)
_SAMPLE = re.compile(r"\bsample\s+(\d+)", re.IGNORECASE)
_AFTER = re.compile(r"\bafter\b|\bupdated\b|\bsecond (?:forward )?pass\b|\bagain\b", re.IGNORECASE)
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_INNER_ENV = re.compile(r"\\(?:begin|end)\{(?:aligned|alignedat|split|gathered|align\*?|equation\*?|gather\*?)\}(?:\{\d+\})?")
_EQ_NUMBER = re.compile(r"\s*\\q?quad\s*\(\d+\)\s*$")
_RELATION = re.compile(r"\\approx|≈|:=")
_CONTINUES = re.compile(r"\s*(?:\\q?quad\s*)*(?:\+|-|\*|\\cdot|\\times)")


def read_document(path: Path) -> Document:
    """The equation chains of the Markdown or LaTeX document at ``path``."""
    source = str(path)
    try:
        if path.is_dir():
            raise SympropError(f"{source}: is a directory, not a document")
        data = path.read_bytes()
    except OSError as exc:
        raise SympropError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise SympropError(f"{source}: {len(data)} bytes; at most {MAX_BYTES}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SympropError(f"{source}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    if path.suffix.lower() == ".tex":
        text = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group()), text)
    return Document(source, tuple(chains_of(text)))


def chains_of(text: str) -> list[Chain]:
    text = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    scopes = _scopes(text)
    chains: list[Chain] = []
    for block, m in enumerate(_MATH.finditer(text)):
        name = next(g for g in ("dd", "br", "envbody", "par", "d") if m.group(g) is not None)
        start = m.start(name)
        scope = (None, False)
        for offset, heading_scope in scopes:
            if offset > start:
                break
            scope = heading_scope
        for chain in _block_chains(m.group(name), start, text, scope, block):
            if chains and _continues(chains[-1], chain):
                chains[-1] = Chain(chains[-1].sides + chain.sides[1:], chains[-1].scope, chains[-1].block)
            else:
                chains.append(chain)
    return chains


def _scopes(text: str) -> list[tuple[int, tuple[int | None, bool]]]:
    """Where each heading starts, and the scope below it: (the sample it names, whether it
    is the pass after the update), inherited from the enclosing headings."""
    stack: list[tuple[int, int | None, bool]] = []  # (level, sample, after)
    scopes = []
    for m in _HEADING.finditer(text):
        if m.group("md") is not None:
            level = len(m.group().strip()) - len(m.group().strip().lstrip("#"))
            title = m.group("md")
        elif m.group("tex") is not None:
            level = 1 + m.group().count("sub")
            title = m.group("tex")
        else:
            level, title = 1, m.group("frame")
        while stack and stack[-1][0] >= level:
            stack.pop()
        sample_match = _SAMPLE.search(title)
        sample = int(sample_match.group(1)) if sample_match else None
        after = bool(_AFTER.search(title))
        stack.append((level, sample, after))
        inherited_sample = next((s for _, s, _ in reversed(stack) if s is not None), None)
        scopes.append((m.start(), (inherited_sample, any(a for _, _, a in stack))))
    return scopes


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _block_chains(body: str, start: int, text: str, scope: tuple, block: int) -> list[Chain]:
    body = _INNER_ENV.sub(lambda m: " " * len(m.group()), body)
    rows = split_top(body, r"\\")
    chains: list[list[Side]] = []
    offset = start
    for row in rows:
        row_start = offset
        offset += len(row) + 2
        content = _EQ_NUMBER.sub("", " ".join(split_top(row, "&")))
        content = _RELATION.sub("=", content)
        if not content.strip():
            continue
        lead = len(content) - len(content.lstrip())
        line = _line(text, row_start + lead)
        sides = [s for s in split_top(content, "=")]
        if content.strip().startswith("=") and chains:
            chains[-1] += [_side(s, line) for s in sides[1:]]
        elif _CONTINUES.match(content) and chains and chains[-1]:
            last = chains[-1][-1]
            chains[-1][-1] = _side(f"{last.text} {sides[0].strip()}", last.line)
            chains[-1] += [_side(s, line) for s in sides[1:]]
        else:
            chains.append([_side(s, line) for s in sides])
    return [Chain(tuple(c), _labelled(c[0], scope), block) for c in chains if len(c) >= 2]


def _labelled(head: Side, scope: tuple) -> tuple:
    """A head labelled "(sample k)" puts its chain in sample k."""
    m = re.search(r"\\text\{\s*\(sample\s+(\d+)\)\s*\}", head.text)
    return (int(m.group(1)), scope[1]) if m else scope


def _side(text: str, line: int) -> Side:
    text = re.sub(r"\\(?:tag|label)\*?\{[^{}]*\}", "", text).strip()
    if re.search(r"\d\s*[.,;:]\s*$", text):
        text = re.sub(r"\s*[.,;:]\s*$", "", text)
    text = re.sub(r"\s*,\s*$", "", text)
    try:
        return Side(text, line, parse(text))
    except Unparseable as exc:
        return Side(text, line, None, str(exc) or "unreadable")
    except RecursionError:
        return Side(text, line, None, "nested too deeply")


def _continues(previous: Chain, chain: Chain) -> bool:
    """A display restating the previous chain's head continues it."""
    head, new_head = previous.sides[0].node, chain.sides[0].node
    last = previous.sides[-1].node
    return (
        chain.block != previous.block
        and isinstance(head, Name) and isinstance(new_head, Name) and head.key == new_head.key
        and len(previous.sides) >= 2 and last is not None and not is_literal(last)
    )


# --- policies and tolerances ----------------------------------------------------------------


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
    return evaluate(node, literal_model(policy), _no_names, _step(policy))


def _fits(value, result, policy: Policy) -> bool:
    """Does a computed value (``Iv`` or matrix) fit the printed result (``Num`` or ``Mat``)?"""
    pairs = _pairs(value, result)
    return all(v.overlaps(window(r, policy)) for v, r in pairs)


def _pairs(value, result) -> list[tuple[Iv, Num]]:
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


def _no_names(name: Name):
    raise Unbound(name.tex)


def written(value, result, policy: Policy) -> str:
    """What a printed result should read: the value from the printed operands, written the
    document's way."""
    pairs = _pairs(value, result)
    shown = []
    for v, r in pairs:
        q = max(r.places, policy.places)
        shown.append(f"{Rounding(q, policy.mode)(v.mid):f}")
    return shown[0] if isinstance(result, Num) else "[" + ", ".join(shown) + "]"


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    line: int
    equation: str
    expected: str
    category: str
    note: str = ""


@dataclass(frozen=True)
class Skipped:
    line: int
    equation: str
    reason: str


@dataclass(frozen=True)
class Report:
    source: str
    policy: Policy | None
    links: int  # numeric links the policy was inferred from
    fitting: int  # of which fit the policy
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    spec: str | None = None


# --- the checker ------------------------------------------------------------------------------


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
    links = _numeric_links(document)
    policy, fitting = infer_policy(links)
    skipped = _unparsed(document)
    if policy is None:
        return Report(document.source, None, 0, 0, (), tuple(skipped), solution.spec.source if solution else None)
    state = _State(policy)
    spec = _SpecView(solution, policy) if solution is not None else None
    if spec is not None:
        state.givens = spec.givens()
    for chain in document.chains:
        _check_chain(chain, state)
        _bind(chain, state, spec)
    findings = sorted(set(state.findings), key=lambda f: (f.line, CATEGORIES.index(f.category), f.equation))
    skipped_all = sorted(set(skipped + state.skipped), key=lambda s: (s.line, s.equation))
    return Report(document.source, policy, len(links), fitting, tuple(findings), tuple(skipped_all),
                  solution.spec.source if solution else None)


def _numeric_links(document: Document) -> list[tuple[object, object]]:
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
    fits: dict[tuple[str, str], list[bool]] = {}
    for mode in MODES:
        for carry in CARRIES:
            policy = Policy(p, mode, carry)
            fits[mode, carry] = [_link_fits(a, b, policy) for a, b in links]
    misfits = {mode: sum(not x for x in fits[mode, "exact"]) + sum(not x for x in fits[mode, "shown"]) for mode in MODES}
    mode = min(MODES, key=lambda m: (misfits[m], MODES.index(m)))
    exact_only = sum(e and not s for e, s in zip(fits[mode, "exact"], fits[mode, "shown"]))
    sensitive = sum(_sensitive(a, b, Policy(p, mode, "exact")) for a, b in links)
    carry = "exact" if exact_only and exact_only >= EXACT_SHARE * max(sensitive, 1) and exact_only > 1 else "shown"
    policy = Policy(p, mode, carry)
    return policy, sum(fits[mode, carry])


def _results(node) -> list[Num]:
    return [node] if isinstance(node, Num) else [x for row in node.rows for x in row]


def _link_fits(a, b, policy: Policy) -> bool:
    try:
        return _fits(value_of(a, policy), b, policy)
    except (Unparseable, Unbound, ArithmeticError):
        return True  # not a link the policy can be read from


def _sensitive(a, b, policy: Policy) -> bool:
    """Could the carry change this link's printed result (its exact-value interval spans
    more than one written value)?"""
    try:
        value = evaluate(a, literal_model(policy), _no_names)
        pairs = _pairs(value, b)
    except (Unparseable, Unbound, ArithmeticError):
        return False
    for v, r in pairs:
        q = max(r.places, policy.places)
        write = Rounding(q, policy.mode)
        if write(v.lo) != write(v.hi):
            return True
    return False


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
            return evaluate(binding.node, literal, _no_names)
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
    if _fits(value_of(a, policy), b, policy):
        return
    point = evaluate(a, literal_model(Policy(policy.places, policy.mode, "shown")), _no_names)
    expected = written(point, b, policy)
    other_mode = MODES[1 - MODES.index(policy.mode)]
    other_carry = CARRIES[1 - CARRIES.index(policy.carry)]
    others = [Policy(policy.places, m, c) for m, c in
              ((other_mode, policy.carry), (policy.mode, other_carry), (other_mode, other_carry))]
    fitting = [p for p in others if _fits(value_of(a, p), b, p)]
    if fitting:
        how = fitting[0]
        note = f"{'truncated' if how.mode == 'truncate' else 'rounded'}" + (
            ", from exact values" if how.carry == "exact" and policy.carry == "shown" else "")
        state.findings.append(Finding(line, equation, expected, "rounding",
                                      f"written {note}; the document {_policy_words(policy)}"))
    else:
        state.findings.append(Finding(line, equation, expected, "arithmetic", ""))


def _policy_words(policy: Policy) -> str:
    mode = "rounds" if policy.mode == "round" else "truncates"
    carry = "carrying exact values" if policy.carry == "exact" else "carrying the written values"
    return f"{mode} to {policy.places} places, {carry}"


def _check_alignment(sym, num, line: int, equation: str, state: _State, scope) -> None:
    """A symbolic side and its numeric twin: each name against the value stated for it, and
    each sub-expression against the number written in its place."""
    lenient = lenient_model(state.policy.places)
    for kind, a, b in align(sym, num):
        if kind == "use":
            binding = state.bindings.get((a.key, scope))
            if binding is None:
                continue
            bound = evaluate(binding.node, lenient, _no_names)
            used = evaluate(b, lenient, _no_names)
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
                state.skipped.append(Skipped(line, f"{_text(a)} = {_text(b)}", f"unknown value of {', '.join(unknown)}"))
                continue
            twin = evaluate(b, lenient, _no_names)
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


def _bind(chain: Chain, state: _State, spec: _SpecView | None) -> None:
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


# --- the spec's values ------------------------------------------------------------------------


class _SpecView:
    """A solved spec seen through a document's names and policy."""

    def __init__(self, solution: Solution, policy: Policy):
        from ...numbers.arithmetic import to_decimal
        from ...numbers.evaluate import exact
        from ...numbers.trace import base_model, trace
        from ...render.notation import names
        from .names import name_table

        self.solution, self.policy = solution, policy
        base = base_model(solution)
        self.exact = trace(solution, base, exact).values
        if policy.carry == "shown":  # a hand calculation sums its gradients either way
            write = Rounding(policy.places, policy.mode, "shown")
            self.hands = tuple(trace(solution, base, write, form=form).values for form in ("chain", "delta"))
        else:
            self.hands = (self.exact,)
        canonical = tuple(self.exact)
        presets = (solution.spec.notation,) + tuple(p for p in NOTATIONS if p != solution.spec.notation)
        self.keys: dict[str, str] = {}
        for preset in presets:
            for key, c in name_table(solution, canonical, preset).normalized.items():
                self.keys.setdefault(key, c)
        self.samples = len(solution.spec.samples)
        from .names import normalize, plain

        self._given: dict[str, Decimal] = {}
        spec = solution.spec
        for preset in presets:
            tex = names(solution.network, preset)
            for p in solution.network.params:
                self._given.setdefault(normalize(plain(tex.param[p.name])), to_decimal(p.value))
            self._given.setdefault(normalize(plain(tex.rate)), to_decimal(spec.learning_rate))
            if self.samples == 1:
                for unit, value in spec.samples[0].input:
                    self._given.setdefault(normalize(plain(tex.out[unit])), to_decimal(value))
                for unit, value in spec.samples[0].target:
                    self._given.setdefault(normalize(plain(tex.target[unit])), to_decimal(value))

    def givens(self) -> dict[str, Decimal]:
        return dict(self._given)

    def canonical(self, key: str, scope: tuple) -> str | None:
        """The spec's quantity a document's name means, in a scope (sample, after the update)."""
        sample, after = scope
        m = re.fullmatch(r"(.*?)(\**)(\[\d+\])?", key)
        base, stars, label = m.group(1), m.group(2), m.group(3) or ""
        if after and not stars:
            stars = "*"
        if not label and self.samples > 1 and sample is not None:
            label = f"[{sample}]"
        c = self.keys.get(base + stars + label) or (self.keys.get(base + stars) if label else None)
        if c is not None and self.samples > 1 and c in self.exact and "[" not in c and not c.startswith(("grad(", "new(", "E_total")):
            return None
        return c

    def compare(self, name: Name, value, line: int, scope) -> list[Finding]:
        """Findings for a value the document states for ``name``."""
        if isinstance(value, Num):
            if name.key in self._given:
                if scope[1]:
                    return []  # after the update a parameter's name may mean its new value
                return [f for f in [self._given_one(name.tex, name.key, value, line)] if f]
            c = self.canonical(name.key, scope)
            return [f for f in [self._one(name.tex, c, value, line)] if f]
        findings = []
        flat = [x for row in value.rows for x in row]
        for base in (0, 1):  # a vector h = [h_0; h_1]: its elements, counted from 0 or from 1
            keys = [self.canonical(_element_key(name, base + k), scope) for k in range(len(flat))]
            if all(keys) and len(value.rows[0]) == 1:
                for k, (c, num) in enumerate(zip(keys, flat)):
                    f = self._one(f"{name.tex} element {k + 1}", c, num, line)
                    if f:
                        findings.append(f)
                break
        return findings

    def _given_one(self, label: str, key: str, num: Num, line: int) -> Finding | None:
        """A given value (weight, input, target, learning rate) as the document states it."""
        given = self._given[key]
        if any(num.value == Rounding(num.places, mode)(given) for mode in MODES):
            return None
        return Finding(line, f"{label} = {num.text}", f"{given.normalize():f}", "disagrees_with_spec",
                       "the spec's given value")

    def _one(self, label: str, canonical: str | None, num: Num, line: int) -> Finding | None:
        """A computed quantity as the document states it, against the engine under the
        document's policy (the exact value written its way, or the hand-carried value)."""
        if canonical is None or canonical not in self.exact:
            return None
        policy = self.policy
        q = max(num.places, policy.places)
        accepted = [Rounding(q, policy.mode)(hand[canonical]) for hand in self.hands]
        if num.value in accepted or num.value == self.exact[canonical]:
            return None
        expected = Rounding(policy.places, policy.mode)(self.hands[0][canonical])
        return Finding(line, f"{label} = {num.text}", f"{expected:f}", "disagrees_with_spec",
                       f"the spec's {canonical}")


def _element_key(name: Name, index: int) -> str:
    from .names import normalize, plain

    return normalize(plain(f"{name.tex}_{{{index}}}"))


# --- reports -----------------------------------------------------------------------------------


def to_json(report: Report) -> dict:
    policy = report.policy
    return {
        "policy": {
            "places": policy.places if policy else None,
            "mode": policy.mode if policy else None,
            "carry": policy.carry if policy else None,
            "links": report.links,
            "fitting": report.fitting,
        },
        "findings": [
            {"line": f.line, "equation": f.equation, "expected": f.expected, "category": f.category}
            for f in report.findings
        ],
        "skipped": [{"line": s.line, "equation": s.equation, "reason": s.reason} for s in report.skipped],
    }


def policy_text(report: Report) -> str:
    p = report.policy
    if p is None:
        return "policy: none found (no equation computes a printed number from printed numbers)"
    mode = "rounded half up" if p.mode == "round" else "truncated"
    carry = "exact values carried" if p.carry == "exact" else "the written values carried"
    return f"policy: {p.places} places, {mode}, {carry} ({report.fitting} of {report.links} numeric links fit)"


def to_text(report: Report) -> str:
    lines = [f"{report.source}: {policy_text(report)}"]
    for f in report.findings:
        note = f" ({f.note})" if f.note else ""
        lines.append(f"line {f.line}: {f.category}: {f.equation}  expected {f.expected}{note}")
    for s in report.skipped:
        lines.append(f"line {s.line}: skipped: {s.equation}  ({s.reason})")
    lines.append(f"{len(report.findings)} finding(s), {len(report.skipped)} skipped")
    return "\n".join(lines) + "\n"


def to_markdown(report: Report) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"# Check of {report.source}", "", policy_text(report), ""]
    if report.findings:
        lines += ["| line | category | equation | expected | note |", "|---|---|---|---|---|"]
        lines += [f"| {f.line} | {f.category} | `{cell(f.equation)}` | {cell(f.expected)} | {cell(f.note)} |"
                  for f in report.findings]
        lines.append("")
    if report.skipped:
        lines += ["Skipped:", ""]
        lines += [f"- line {s.line}: `{cell(s.equation)}` ({cell(s.reason)})" for s in report.skipped]
        lines.append("")
    lines.append(f"{len(report.findings)} finding(s), {len(report.skipped)} skipped")
    return "\n".join(lines) + "\n"
