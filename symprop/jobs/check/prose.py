"""Values a document states outside its equations: in sentences and in Markdown tables.

"The output of o1 is 0.7514", "$w_5^{+}$ becomes 0.3589", "the total error is now down to
0.2910", "a learning rate of 0.5"; and tables of one row per quantity (``| w5 | 0.3589 |``),
whose column headers say which value each column holds (``old``, ``gradient``, ``new``,
``Δw``), or of one column per quantity. Each statement is a name (or the names the common
notations give that quantity: ``out_{o1}`` and ``output_{o1}``) and the number stated for
it, at the offset where it stands; ``chains`` turns them into chains of their own, checked
and bound with the equations. A sentence that says the value is the one after the update
("after the first round", "is now", "becomes") states the updated value.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from .expressions import Name, Unparseable
from .parser import parse

_MATH = r"\$[^$\n]{1,80}\$"
_UNIT = r"(?P<u>\$[^$\n]{1,40}\$|[A-Za-z]{1,3}_?\{?\d{1,3}\}?)"
_PARAM = r"(?P<p>\$[^$\n]{1,40}\$|[A-Za-z]{1,6}_?\{?\d{1,3}\}?)"
_OF = r"\s+(?:of|for|at|to|into|from)\s+(?:(?:the\s+)?(?:output\s+|hidden\s+)?(?:unit|neuron|node)\s+)?"
# The phrases that name a quantity, and the names they give it (the first that matches wins).
PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"(?:the\s+)?(?:total|overall)\s+(?:error|loss)(?:\s+(?:of|on|for)\s+the\s+network)?", (r"E_{{total}}",)),
    (r"(?:the\s+)?error\s+(?:of|on)\s+the\s+network|(?:the\s+)?network(?:'s)?\s+(?:total\s+)?error", (r"E_{{total}}",)),
    (rf"(?:the\s+)?error{_OF}{_UNIT}", (r"E_{{{u}}}",)),
    (rf"(?:the\s+)?(?:total\s+)?(?:net\s+input|weighted\s+sum|net|sum){_OF}{_UNIT}", (r"net_{{{u}}}", r"sum_{{{u}}}")),
    (rf"(?:the\s+)?output{_OF}{_UNIT}|{_UNIT}'s\s+output", (r"out_{{{u}}}", r"output_{{{u}}}")),
    ((r"(?:the\s+)?(?:gradient|(?:partial\s+)?derivative)\s+(?:of\s+(?:the\s+)?(?:total\s+)?(?:error|loss|E)\s+)?"
      rf"(?:with\s+respect\s+to|w\.?r\.?t\.?|for|of)\s+{_PARAM}"), (r"dE/d{p}", r"dE_{{total}}/d{p}")),
    (rf"(?:the\s+)?(?:new|updated)\s+(?:value\s+(?:of|for)\s+)?(?:(?:weight|bias|parameter)\s+)?{_PARAM}",
     (r"{p}^{{new}}",)),
    (r"(?:the\s+|a\s+)?learning\s+rate(?:\s+\$?\\?(?:eta|alpha|η)\$?)?", (r"\eta", r"\alpha")),
    (r"(?:the\s+)?output(?:\s+of\s+the\s+network)?", ("out",)),
)
_TOKEN = r"(?P<t>(?<![\w$\\])[A-Za-z]{1,12}(?:_\{?[A-Za-z0-9,]+\}?|\d+)(?:\^\{?[+*'a-z]+\}?|[+'*])?(?![\w$]))"
_VERB = (r"\s*(?:(?P<upd>becomes|is\s+updated\s+to|changes\s+to|is\s+now(?:\s+(?:down|up)\s+to)?|goes\s+to)"
         r"|=|≈|:|is|was|equals|comes\s+(?:out\s+)?(?:to|at)|of)\s*"
         r"(?:(?:down|up)\s+to\s+|about\s+|approximately\s+|roughly\s+|around\s+|then\s+)?")
_NUMBER = r"\$?(?P<n>[-−]?(?:\d+\.\d+|\.\d+|\d+))\$?(?![\d.,]*\d|\s*(?:%|[*×·/^]|[-+]\s*\d|e-?\d))"


def _numbered(pattern: str, k: int) -> str:
    """``pattern`` with its field groups ``u`` and ``p`` named apart (``u_3_0``, ``u_3_1``)."""
    count = iter(range(100))
    return re.sub(r"\(\?P<([up])>", lambda m: f"(?P<{m.group(1)}_{k}_{next(count)}>", pattern)


_STATEMENT = re.compile(  # a statement starts a word: the lookbehind rejects most positions at once
    r"(?<![\w\\])(?:" + "|".join(f"(?P<ph{k}>{_numbered(pattern, k)})" for k, (pattern, _) in enumerate(PHRASES))
    + rf"|(?P<m>{_MATH})|{_TOKEN})" + _VERB + _NUMBER, re.IGNORECASE)
_AFTER_SENTENCE = re.compile(r"\bafter\s+(?:the|this|that|one|a)\s+(?:first\s+)?(?:round|update|step|iteration|epoch)",
                             re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    offset: int
    names: tuple[Name, ...]  # the names the quantity goes by (one label for all)
    text: str  # the number as written
    value: Decimal
    after: bool = False  # said of the value after the update


def sentence_statements(text: str) -> list[Statement]:
    """The values stated in the prose ``text`` (math displays blanked, inline math kept)."""
    statements = []
    inside = _inside_math(text)
    for m in _STATEMENT.finditer(text):
        if inside(m.start()):
            continue  # an equation of the inline math, read as one
        names = _names(m)
        if not names:
            continue
        number = m.group("n").replace("−", "-")
        start = text.rfind(".", 0, m.start()) + 1
        sentence = text[start:m.end()]
        after = bool(_AFTER_SENTENCE.search(sentence))
        if m.group("upd"):
            names = tuple(_updated(n) for n in names)
        statements.append(Statement(m.start(), names, number, Decimal(number), after))
    return statements


_INLINE = re.compile(r"(?<!\\)\$[^$\n]*(?<!\\)\$")


def _inside_math(text: str):
    """Whether an offset lies inside an inline ``$…$`` span (not at its opening ``$``)."""
    spans = [(m.start(), m.end()) for m in _INLINE.finditer(text)]
    starts = [a for a, _ in spans]

    def inside(offset: int) -> bool:
        k = bisect_right(starts, offset) - 1
        return k >= 0 and spans[k][0] < offset < spans[k][1]

    return inside


def _names(m: re.Match) -> tuple[Name, ...]:
    """The names a statement's subject gives its quantity ("" for none)."""
    for k, (_, templates) in enumerate(PHRASES):
        phrase = m.group(f"ph{k}")
        if phrase is None:
            continue
        fields = {g.split("_")[0]: _bare(v) for g, v in m.groupdict().items()
                  if v is not None and re.fullmatch(rf"[up]_{k}_\d+", g)}
        label = " ".join(phrase.split())
        return tuple(n for t in templates if (n := _name(t.format(**fields), label)) is not None)
    tex = m.group("m")[1:-1] if m.group("m") else m.group("t")
    name = _name(tex, tex) if tex else None
    return (name,) if name is not None else ()


def _bare(text: str) -> str:
    return text[1:-1] if text.startswith("$") else text


def _name(tex: str, label: str) -> Name | None:
    try:
        node = parse(tex)
    except (Unparseable, RecursionError):
        return None
    return Name(node.key, label) if isinstance(node, Name) else None


def _updated(name: Name) -> Name:
    return Name(starred(name.key), name.tex)


def starred(key: str) -> str:
    """A name's key marked as the value after the update (before its sample label)."""
    m = re.fullmatch(r"(.*?)(\**)(\[\d+\])?", key)
    return f"{m.group(1)}*{m.group(3) or ''}" if not m.group(2) else key


# --- tables ------------------------------------------------------------------------------------------

_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^\s*:?-{3,}:?\s*$")
_ROLES = (  # (role, pattern of a column header), the first that matches wins
    ("grad", re.compile(r".*(?:grad|partial|deriv|∂|\bdE|dE/).*", re.IGNORECASE)),
    ("delta", re.compile(r".*(?:\\Delta|Δ|change).*", re.IGNORECASE)),
    ("new", re.compile(r".*(?:new|updated|after|\+|\^\{?\*|').*", re.IGNORECASE)),
    ("value", re.compile(r"\s*(?:(?:value|old|initial|before|current|given|start|\$?[a-z]\$?)\s*)?", re.IGNORECASE)),
)


def table_statements(text: str) -> list[Statement]:
    """The values stated in the Markdown tables of ``text``: a row per quantity (its name in
    the first column, a value per column) or a column per quantity (names in the header)."""
    statements = []
    rows = [(m.start(), _cells(m.group(1))) for m in _ROW.finditer(text)]
    k = 0
    while k < len(rows):
        if k + 1 < len(rows) and all(_RULE.fullmatch(c) for c in rows[k + 1][1]) \
                and _consecutive(text, rows[k][0], rows[k + 1][0]):
            end = k + 2
            while end < len(rows) and _consecutive(text, rows[end - 1][0], rows[end][0]):
                end += 1
            statements += _table(rows[k][1], rows[k + 2:end])
            k = end
        else:
            k += 1
    return statements


def _consecutive(text: str, a: int, b: int) -> bool:
    return text.count("\n", a, b) == 1


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


def _table(header: list[str], rows: list[tuple[int, list[str]]]) -> list[Statement]:
    statements = []
    roles = [_role(h) for h in header]
    by_row = all(len(cells) == len(header) for _, cells in rows) and len(header) >= 2
    if not by_row:
        return []
    column_names = [_cell_name(h) for h in header[1:]]
    if rows and all(column_names) and all(_role(cells[0]) for _, cells in rows):
        for offset, cells in rows:  # a column per quantity, a row per role
            for name, cell in zip(column_names, cells[1:]):
                statements += _stated(offset, _with_role(name, _role(cells[0])), cell)
        return statements
    if not any(roles[1:]) and len(header) != 2:
        return []  # no column says what it holds
    for offset, cells in rows:  # a row per quantity, a column per role
        name = _cell_name(cells[0])
        if name is None:
            continue
        for j, cell in enumerate(cells[1:], 1):
            role = roles[j] or ("value" if len(header) == 2 else None)
            if role is not None:
                statements += _stated(offset, _with_role(name, role), cell)
    return statements


def _role(header: str) -> str | None:
    text = header.strip().strip("*").strip()
    return next((role for role, pattern in _ROLES if pattern.fullmatch(text)), None)


def _cell_name(cell: str) -> Name | None:
    text = cell.strip().strip("*`").strip()
    if text.startswith("$") and text.endswith("$") and len(text) > 1:
        text = text.strip("$")
    if not text or not re.match(r"[A-Za-z\\{]", text):
        return None
    return _name(text, text)


_CELL_NUMBER = re.compile(r"\$?\s*([-−]?(?:\d+\.\d+|\.\d+|\d+))\s*\$?")


def _stated(offset: int, names: tuple[Name, ...], cell: str) -> list[Statement]:
    m = _CELL_NUMBER.fullmatch(cell.strip().strip("*"))
    if not m or not names:
        return []
    number = m.group(1).replace("−", "-")
    return [Statement(offset, names, number, Decimal(number))]


def _with_role(name: Name, role: str) -> tuple[Name, ...]:
    """The names of the quantity a column with ``role`` holds for the row's ``name``."""
    if role == "value":
        return (name,)
    if role == "new":
        return (Name(starred(name.key), f"{name.tex} (new)"),)
    if role == "delta":
        return (Name("Delta" + name.key, rf"\Delta {name.tex}"),)
    label = f"dE/d{name.tex}"
    return (Name(f"dE/d{name.key}", label), Name(f"dEtotal/d{name.key}", label))
