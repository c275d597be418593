"""A document read into equation chains: its math spans, their rows and sides, and the
scope the headings above them give.

Every math span (``$$…$$``, ``$…$``, ``\\[…\\]``, ``\\(…\\)``, ``align``, ``equation``, rows
of ``aligned``) is split into chains of sides at the top-level ``=``; a row starting with
``=`` continues the chain above, a row starting with an operator continues its last
side, and a display whose first side names the same quantity as the previous chain's
continues that chain (``∂E/∂w5 = 0.68 * 0.19 * 0.60`` then ``∂E/∂w5 = 0.08``). Each side is
parsed by ``parser.parse``; what it cannot read keeps its error, to be listed as skipped.
Headings scope the values stated below them: one naming "sample N" (or "pattern N",
"example N"; or a head labelled "(sample N)") puts them in that sample, one naming "step N"
("epoch N", "iteration N") in that step, one about the pass after the update ("after",
"with the updated weights", "second pass") in that pass, where a weight's name may mean its
new value. A head assigned with ``\\leftarrow`` (``\\gets``, ``←``), or with ``:=`` or ``=``
from an expression of itself (``w_5 := w_5 - \\eta g``), names the updated value.

Values stated in sentences and Markdown tables (``prose``) become chains of their own (a
name, or the names of one quantity, and the number), in document order with the others.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from ...errors import SympropError
from ...spec.yamlread import read_bounded
from .expressions import Bin, Name, Unparseable, is_literal, names_in
from .latex import Scanner, split_top
from .parser import parse
from .prose import Statement, sentence_statements, starred, table_statements

MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Side:
    text: str
    line: int
    node: object | None  # the parsed tree, or None
    error: str = ""


@dataclass(frozen=True)
class Chain:
    sides: tuple[Side, ...]
    scope: tuple  # (the sample a heading above or the head's label names, after the update?, the step)
    block: int  # which math span it comes from (-1: prose or a table)
    origin: str = "math"  # math | prose | table


@dataclass(frozen=True)
class Document:
    source: str
    chains: tuple[Chain, ...]


_DISPLAY_ENVS = "equation|align|gather|multline|eqnarray|displaymath|math"
# Where a math span may start: $$, \[, \begin{env}, \(, $. Each is closed by the first closer
# after it (the spans of a lazy regex, found in one pass: see _math_spans).
_OPENER = re.compile(r"\$|\\\[|\\\(|\\begin\{((?:" + _DISPLAY_ENVS + r")\*?)\}")
_HEADING = re.compile(
    r"^\s{0,3}#{1,6}\s+(?P<md>.*)$|\\(?:sub)*section\*?\{(?P<tex>[^{}]*)\}|\\frametitle\{(?P<frame>[^{}]*)\}",
    re.MULTILINE,
)
_SAMPLE = re.compile(r"\b(?:sample|pattern|example)\s+(\d+)", re.IGNORECASE)
_STEP = re.compile(r"\b(step|update|iteration|epoch)\s+(\d+)", re.IGNORECASE)
_AFTER = re.compile(r"\bafter\b|\bsecond (?:forward )?pass\b|\bagain\b|\bwith the (?:updated|new)\b"
                    r"|\b(?:updated|new) (?:network|forward pass|outputs?|errors?)\b", re.IGNORECASE)
_FENCE = re.compile(r"^```", re.MULTILINE)
_INNER_ENV = re.compile(
    r"\\(?:begin|end)\{(?:aligned|alignedat|split|gathered|align\*?|equation\*?|gather\*?)\}(?:\{\d+\})?"
)
_EQ_NUMBER = re.compile(r"(?<!\s)\s*\\q?quad\s*\(\d+\)\s*$")
_RELATION = re.compile(r"\\approx|≈")
_ASSIGN = re.compile(r"\\leftarrow|\\gets|←|\\coloneqq|\\mathrel\{:\}=|:=")
_CONTINUES = re.compile(r"\s*(?:\\q?quad\s*)*(?:\+|-|\*|\\cdot|\\times)")


def read_document(path: Path) -> Document:
    """The equation chains of the Markdown or LaTeX document at ``path``."""
    source = str(path)
    try:
        if path.is_dir():
            raise SympropError(f"{source}: is a directory, not a document")
    except OSError as exc:
        raise SympropError(f"{source}: cannot read: {exc.strerror or exc}") from None
    data = read_bounded(path, source, MAX_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SympropError(f"{source}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    if path.suffix.lower() == ".tex":
        text = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group()), text)
    return Document(source, tuple(chains_of(text)))


def chains_of(text: str) -> list[Chain]:
    """The equation chains of a document's text, in order (code fences and HTML comments
    are not read)."""
    text = _without_comments(_without_fences(text))
    scopes = _scopes(text)
    offsets = [offset for offset, _ in scopes]
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect_left(newlines, offset) + 1

    def scope_at(offset: int) -> tuple:
        k = bisect_right(offsets, offset)
        return scopes[k - 1][1] if k else (None, False, None)

    spans = _spans(text)
    found: list[tuple[int, Chain]] = []
    for block, (_outer, start, end, _outer_end) in enumerate(spans):
        found += [(start, c) for c in _block_chains(text[start:end], start, line_of, scope_at(start), block)]
    prose = _prose_text(text, spans)
    for origin, statements in (("prose", sentence_statements(prose)), ("table", table_statements(prose))):
        found += [(st.offset, _statement_chain(st, line_of(st.offset), scope_at(st.offset), origin))
                  for st in statements]
    found.sort(key=lambda item: item[0])
    # the displays that follow the one before with nothing but space between
    adjacent = {k for k in range(1, len(spans)) if not text[spans[k - 1][3]:spans[k][0]].strip()}
    chains: list[Chain] = []
    for _offset, chain in found:
        if chains and _continues(chains[-1], chain, adjacent):
            chains[-1] = Chain(chains[-1].sides + chain.sides[1:], chains[-1].scope, chain.block)  # its last display
        else:
            chains.append(chain)
    return chains


def _prose_text(text: str, spans: list[tuple[int, int, int, int]]) -> str:
    """``text`` with every display math span blanked (newlines kept); inline ``$x$`` and
    ``\\(x\\)`` stay, as sentences use them."""
    pieces, last = [], 0
    for outer, start, _end, outer_end in spans:
        if start - outer == 1 and text[outer] == "$":
            continue
        pieces += [text[last:outer], re.sub(r"[^\n]", " ", text[outer:outer_end])]
        last = outer_end
    return "".join(pieces) + text[last:]


def _statement_chain(statement: Statement, line: int, scope: tuple, origin: str) -> Chain:
    """A stated value as a chain: the quantity's names, then the number."""
    names = statement.names
    if statement.after and not scope[1]:
        names = tuple(Name(starred(n.key), n.tex) for n in names)
    sides = tuple(Side(n.tex, line, n) for n in names)
    number = parse(statement.text)
    return Chain(sides + (Side(statement.text, line, number),), scope, -1, origin)


def _without_fences(text: str) -> str:
    """``text`` with each fenced code block (a line starting with ``` to the next) blanked,
    its newlines kept; an unclosed fence is read as text."""
    starts = [m.start() for m in _FENCE.finditer(text)]
    pieces, last = [], 0
    for opening, closing in zip(starts[::2], starts[1::2]):
        pieces += [text[last:opening], re.sub(r"[^\n]", " ", text[opening:closing + 3])]
        last = closing + 3
    return "".join(pieces) + text[last:]


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]+`")


def _without_comments(text: str) -> str:
    """``text`` with each HTML comment (``<!-- ... -->``) blanked, its newlines kept: what a
    Markdown page does not show states nothing. As in CommonMark, an unclosed ``<!--`` and
    one in a code span (`` `<!--` ``) are text."""
    seen = _CODE_SPAN.sub(lambda m: "`" * len(m.group()), text)  # code spans hide what they quote
    pieces, last = [], 0
    for m in _COMMENT.finditer(seen):
        pieces += [text[last:m.start()], re.sub(r"[^\n]", " ", m.group())]
        last = m.end()
    return "".join(pieces) + text[last:]


def _first(positions: list[int], at_least: int) -> int | None:
    k = bisect_left(positions, at_least)
    return positions[k] if k < len(positions) else None


def _math_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the body of every math span, in order (see ``_spans``)."""
    return [(start, end) for _outer, start, end, _outer_end in _spans(text)]


def _spans(text: str) -> list[tuple[int, int, int, int]]:
    """The (opener, start, end, end of the closer) of every math span, in order: ``$$…$$``, ``\\[…\\]``,
    ``\\begin{equation}…\\end{equation}`` (and the other display environments), ``\\(…\\)``
    and ``$…$`` (on one line), each closed by the first closer after it, none inside
    another; a ``$`` after a backslash is no delimiter. Every closer is looked up in a
    sorted list, so an unclosed opener costs a lookup, not a scan of the rest."""
    dollars = [m.start() for m in re.finditer(r"\$", text)]
    double = [q for q in dollars if text.startswith("$$", q) and (q == 0 or text[q - 1] != "\\")]
    closers = {r"\[": [m.start() for m in re.finditer(r"\\\]", text)],
               r"\(": [m.start() for m in re.finditer(r"\\\)", text)]}
    ends: dict[str, list[int]] = {}
    newlines = [m.start() for m in re.finditer("\n", text)]
    spans, cursor = [], 0
    for m in _OPENER.finditer(text):
        p = m.start()
        if p < cursor:
            continue
        span = None
        if m.group() == "$":
            before = text[p - 1] if p else ""
            if text.startswith("$$", p) and before != "\\":
                q = _first(double, p + 3)
                span = (p + 2, q, q + 2) if q is not None else None
            if span is None and before not in ("\\", "$"):
                q = _first(dollars, p + 1)
                line_end = _first(newlines, p)
                if q is not None and q > p + 1 and text[q - 1] != "\\" and not text.startswith("$", q + 1) \
                        and (line_end is None or line_end > q):
                    span = (p + 1, q, q + 1)
        elif m.group(1) is not None:
            env = m.group(1)
            if env not in ends:
                ends[env] = [e.start() for e in re.finditer(re.escape(rf"\end{{{env}}}"), text)]
            q = _first(ends[env], m.end() + 1)
            span = (m.end(), q, q + len(env) + 6) if q is not None else None
        else:
            q = _first(closers[m.group()], p + 3)
            span = (p + 2, q, q + 2) if q is not None else None
        if span is not None:
            spans.append((p, *span))
            cursor = span[2]
    return spans


def _scopes(text: str) -> list[tuple[int, tuple[int | None, bool, str | None]]]:
    """Where each heading starts, and the scope below it: (the sample it names, whether it
    is the pass after the update, the step it names), inherited from the enclosing headings."""
    stack: list[tuple[int, int | None, bool, str | None]] = []  # (level, sample, after, step)
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
        step_match = _STEP.search(title)
        step = f"{step_match.group(1).lower()} {step_match.group(2)}" if step_match else None
        stack.append((level, sample, after, step))
        inherited_sample = next((s for _, s, _, _ in reversed(stack) if s is not None), None)
        inherited_step = next((t for _, _, _, t in reversed(stack) if t is not None), None)
        scopes.append((m.start(), (inherited_sample, any(a for _, _, a, _ in stack), inherited_step)))
    return scopes


_ROW_OPTIONS = re.compile(r"\\\\(?:\*|\[[^\]]*\])")


def _block_chains(body: str, start: int, line_of, scope: tuple, block: int) -> list[Chain]:
    body = _INNER_ENV.sub(lambda m: " " * len(m.group()), body)
    body = _ROW_OPTIONS.sub(lambda m: "\\\\" + " " * (len(m.group()) - 2), body)  # \\* and \\[2pt] end a row too
    rows = split_top(body, r"\\")
    chains: list[list[Side]] = []
    offset = start
    for row in rows:
        row_start = offset
        offset += len(row) + 2
        content = _unwrapped(_EQ_NUMBER.sub("", " ".join(split_top(row, "&"))))
        content = _RELATION.sub("=", content)
        if not content.strip():
            continue
        lead = len(content) - len(content.lstrip())
        line = line_of(row_start + lead)
        pieces = _statements(content)
        for piece in pieces:
            _add_row(chains, piece, line, fresh=len(pieces) > 1)
    return [Chain(tuple(_self_updating(c)), _labelled(c[0], scope), block) for c in chains if len(c) >= 2]


MAX_WRAPPERS = 3
_WRAPPER = re.compile(r"\s*(?:(?:\\(?:boxed|fbox)|\\(?:textcolor|color)\s*\{[A-Za-z!0-9]*\})\s*)?\{")


def _unwrapped(content: str) -> str:
    """A row that is one boxed, coloured or braced group (``\\boxed{d = 0.3 + 0.5 = 0.8}``) as
    its inside, the spaces around it kept so that positions still match the row (a box in a
    colour in a group at most: each is read in one pass over the row)."""
    for _ in range(MAX_WRAPPERS):
        m = _WRAPPER.match(content)
        if not m:
            return content
        group = Scanner(content)
        group.pos = m.end() - 1  # at the group's brace
        try:
            inside = group.group_text()
        except Unparseable:  # unbalanced braces: read as written (and skipped there)
            return content
        if content[group.pos:].strip():
            return content
        content = " " * m.end() + inside + " " * (len(content) - group.pos + 1)
    return content


def _add_row(chains: list[list[Side]], content: str, line: int, fresh: bool) -> None:
    """A row's sides: a chain of its own, or (unless ``fresh``) the continuation of the last."""
    assign = next((m for m in _ASSIGN.finditer(content) if len(split_top(content[:m.start()], "=")) == 1
                   and content[:m.start()].strip()), None)
    if assign is not None:
        head = _side(content[:assign.start()], line)
        rest = [_side(s, line) for s in split_top(content[assign.end():], "=")]
        chains.append([_assigned(head, rest, assign.group() not in (":=", r"\coloneqq", r"\mathrel{:}="))] + rest)
        return
    sides = [s for s in split_top(content, "=")]
    if not fresh and content.strip().startswith("=") and chains:
        chains[-1] += [_side(s, line) for s in sides[1:]]
    elif not fresh and _CONTINUES.match(content) and chains and chains[-1]:
        last = chains[-1][-1]
        chains[-1][-1] = _side(f"{last.text} {sides[0].strip()}", last.line)
        chains[-1] += [_side(s, line) for s in sides[1:]]
    else:
        chains.append([_side(s, line) for s in sides])


# between two equations written on one row: ", \quad", "\qquad", ";", ", " before a name
# each separator starts where a run of spaces starts, so a long run is read once (linear time)
_SEPARATOR = re.compile(r"(?<!\s)\s*(?:(?<!\\)[,;]\s*)?\\q?quad\b\s*|(?<!\s)\s*(?<!\\);\s*|(?<!\\),\s+(?=\\?[A-Za-z])")
_OPEN, _CLOSE = "{([", "})]"


def _statements(content: str) -> list[str]:
    """A row holding several equations (``w_1 = 0.15, \\quad w_2 = 0.2``) split into them:
    at the separators outside brackets, when every piece is an equation; else the row."""
    depth, depths = 0, []
    for ch in content:
        depths.append(depth)
        depth += (ch in _OPEN) - (ch in _CLOSE)
    cuts = [m for m in _SEPARATOR.finditer(content) if depths[m.start()] == 0]
    if not cuts:
        return [content]
    pieces, last = [], 0
    for m in cuts:
        pieces.append(content[last:m.start()])
        last = m.end()
    pieces.append(content[last:])
    if any(len(split_top(piece, "=")) < 2 or not piece.strip() for piece in pieces):
        return [content]
    return pieces


def _assigned(head: Side, rest: list[Side], always: bool) -> Side:
    """The head of ``head ← rest``: the updated value (for ``:=``, only when the right side
    is an expression of the head itself)."""
    if isinstance(head.node, Name) and (always or _itself(head, rest)):
        return Side(head.text, head.line, Name(_updated(head.node.key), head.node.tex))
    return head


def _self_updating(sides: list[Side]) -> list[Side]:
    """``w_5 = w_5 - \\eta g = ...`` (or ``w_5^{(1)} = w_5^{(0)} - ...``): a head computed from
    itself names the updated value."""
    head = sides[0]
    if isinstance(head.node, Name) and _itself(head, sides[1:]):
        return [Side(head.text, head.line, Name(_updated(head.node.key), head.node.tex))] + sides[1:]
    return sides


_ITERATION = re.compile(r"(?P<base>.*?)\((?P<k>\d+)\)(?P<label>(?:\[\d+\])?)")


def _updated(key: str) -> str:
    """The key of the updated value: ``w5*`` for ``w5``, and for the iterate ``w5(1)``."""
    m = _ITERATION.fullmatch(key)
    return starred(m["base"] + m["label"] if m else key)


def _itself(head: Side, rest: list[Side]) -> bool:
    """Is the first side after the head an expression of the head's own quantity (for an
    iterate ``w5(k)``: of ``w5`` or ``w5(k-1)``)?"""
    first = rest[0].node if rest else None
    key = head.node.key
    m = _ITERATION.fullmatch(key)
    own = {key} | ({m["base"] + m["label"], f"{m['base']}({int(m['k']) - 1}){m['label']}"} if m else set())
    return isinstance(first, Bin) and any(n.key in own for n in names_in(first))


def _labelled(head: Side, scope: tuple) -> tuple:
    """A head labelled "(sample k)" puts its chain in sample k."""
    m = re.search(r"\\text\{\s*\(sample\s+(\d+)\)\s*\}", head.text)
    return (int(m.group(1)), *scope[1:]) if m else scope


_WRAPPED = re.compile(r"\\\\\s*&")


def _side(text: str, line: int) -> Side:
    text = re.sub(r"\\(?:tag|label)\*?\{[^{}]*\}", "", text).strip()
    if text[-1:] in (".", ",", ";", ":") and text[:-1].rstrip()[-1:].isdigit():  # a sentence's mark after a number
        text = text[:-1].rstrip()
    if text.endswith(","):
        text = text[:-1].rstrip()
    readable = text if r"\begin" in text else _WRAPPED.sub(" ", text)  # a row wrapped inside brackets
    try:
        return Side(text, line, parse(readable))
    except Unparseable as exc:
        return Side(text, line, None, str(exc) or "unreadable")
    except RecursionError:
        return Side(text, line, None, "nested too deeply")


def _continues(previous: Chain, chain: Chain, adjacent: set[int]) -> bool:
    """A display restating the previous chain's head continues it, and so does a display that
    starts with ``=`` right after it (nothing but space between)."""
    if not chain.sides[0].text.strip():
        return chain.origin == previous.origin == "math" and chain.block == previous.block + 1 \
            and chain.block in adjacent
    head, new_head = previous.sides[0].node, chain.sides[0].node
    last = previous.sides[-1].node
    return (
        chain.block != previous.block and chain.origin == previous.origin == "math"
        and isinstance(head, Name) and isinstance(new_head, Name) and head.key == new_head.key
        and len(previous.sides) >= 2 and last is not None and not is_literal(last)
    )
