"""LaTeX math expressions of hand derivations: parse them, evaluate them with intervals.

``parse(tex)`` reads one side of an equation, as lecture notes write it, into a small
tree (``Num``, ``Name``, ``Neg``, ``Bin``, ``Call``, ``Mat``): numbers, names with
subscripts and marks (``w_{100}^*``, ``\\text{sum}_{h1}``, ``new\\_w_5``, ``a^{(1)}_{j}``),
``\\frac{\\partial E}{\\partial w_5}`` as one name, ``+ - * \\cdot \\times`` and implicit
products, ``\\frac``, powers, ``e^{x}``, ``\\sigma(x)``, ``\\max``, ``\\tanh``, ``relu``,
brackets, and ``bmatrix`` vectors and matrices. Anything else raises ``Unparseable``: the
checker lists it as skipped, never guesses.

``evaluate(node, literal, lookup, step)`` computes a tree with closed intervals of
``Decimal`` (``Iv``), so a printed operand can stand for every value it may have been
rounded or truncated from; ``literal`` says which interval a printed number stands for,
``lookup`` gives a name's value (or raises ``Unbound``), ``step`` widens intermediate
results. Matrices are tuples of rows; a 1×1 matrix is a number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from ...numbers.arithmetic import CONTEXT
from .names import normalize, plain

ZERO, ONE = Decimal(0), Decimal(1)


class Unparseable(Exception):
    """The text is not an expression the checker reads."""


class Unbound(Exception):
    """A name without a known value."""


# --- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: Decimal
    places: int  # decimals as printed
    text: str


@dataclass(frozen=True)
class Name:
    key: str  # normalized (check_names.normalize), what names are compared by
    tex: str


@dataclass(frozen=True)
class Neg:
    arg: object


@dataclass(frozen=True)
class Bin:
    op: str  # + - * / ^
    left: object
    right: object


@dataclass(frozen=True)
class Call:
    func: str  # sigmoid tanh relu max min exp ln sqrt
    args: tuple


@dataclass(frozen=True)
class Mat:
    rows: tuple  # tuple of tuples of nodes


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


# --- parsing ------------------------------------------------------------------------------------

FUNCTIONS = {
    "sigma": "sigmoid", "sigmoid": "sigmoid", "σ": "sigmoid", "tanh": "tanh", "relu": "relu", "ReLU": "relu",
    "max": "max", "min": "min", "exp": "exp", "ln": "ln", "sqrt": "sqrt",
}
_NOISE = re.compile(
    r"\\\\|\\(?:left|right|displaystyle|limits|nonumber|notag|big|Big|bigg|Bigg)\b|\\[,;:!> ]|\\q?quad\b|~"
)
_DROP = re.compile(r"\\(?:tag|label)\*?\{[^{}]*\}")
_FONT = ("text", "mathrm", "mathit", "operatorname", "mathbf", "textrm", "textit", "mathsf", "boldsymbol", "bm")
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
    "mu", "nu", "xi", "pi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Delta", "Theta",
    "Lambda", "Phi", "Psi", "Omega", "ell",
)
_MARK_SUP = re.compile(r"\*|\\ast|\\star|\(\d+\)|\[\d+\]|.*new.*|'+|\\prime", re.DOTALL)
_SAMPLE_LABEL = re.compile(r"(?:\\\s)?\s*\\text\{\s*\(sample\s+(\d+)\)\s*\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


def clean(tex: str) -> str:
    """Spacing, sizing and tags removed; ``\\dfrac`` is ``\\frac``; ``\\_`` kept for names."""
    text = _DROP.sub(" ", tex)
    text = _NOISE.sub(lambda m: m.group() if m.group() == "\\\\" else " ", text)
    text = text.replace(r"\dfrac", r"\frac").replace(r"\tfrac", r"\frac").replace("−", "-").replace("·", r"\cdot ")
    text = text.replace("×", r"\times ").replace("∂", r"\partial ")
    return text


def parse(tex: str):
    """One side of an equation as a tree; raises ``Unparseable``."""
    parser = _Parser(clean(tex))
    node = parser.expr()
    parser.space()
    if parser.pos != len(parser.text):
        raise Unparseable(f"unexpected {parser.text[parser.pos:parser.pos + 12]!r}")
    return node


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    # low level
    def space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, s: str) -> bool:
        self.space()
        return self.text.startswith(s, self.pos)

    def peek_command(self) -> str:
        """The control word at the position (``\\frac`` → ``frac``), or ""."""
        self.space()
        m = re.match(r"\\([A-Za-z]+)", self.text[self.pos:])
        return m.group(1) if m else ""

    def take(self, s: str) -> bool:
        if self.peek(s):
            self.pos += len(s)
            return True
        return False

    def expect(self, s: str) -> None:
        if not self.take(s):
            raise Unparseable(f"expected {s!r} at {self.text[self.pos:self.pos + 12]!r}")

    def group_text(self) -> str:
        """The raw text of a braced group, or of the single token after ``_``/``^``."""
        self.space()
        if self.pos >= len(self.text):
            raise Unparseable("unexpected end")
        if self.text[self.pos] == "{":
            depth, start = 0, self.pos
            while self.pos < len(self.text):
                ch = self.text[self.pos]
                if ch == "\\":
                    self.pos += 2
                    continue
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        self.pos += 1
                        return self.text[start + 1:self.pos - 1]
                self.pos += 1
            raise Unparseable("unbalanced braces")
        m = re.match(r"\\[A-Za-z]+|\\.|.", self.text[self.pos:], re.DOTALL)
        self.pos += len(m.group())
        return m.group()

    # grammar
    def expr(self):
        node = self.term()
        while True:
            if self.take("+"):
                node = Bin("+", node, self.term())
            elif self.peek("-") and not self.peek("->"):
                self.pos += 1
                node = Bin("-", node, self.term())
            else:
                return node

    def term(self):
        node = self.unary()
        while True:
            command = self.peek_command()
            if self.take("*") or command in ("cdot", "times", "ast"):
                if command:
                    self.pos += len(command) + 1
                node = Bin("*", node, self.unary())
            elif self.take("/"):
                node = Bin("/", node, self.unary())
            elif self.starts_atom():
                node = Bin("*", node, self.power())
            else:
                return node

    def starts_atom(self) -> bool:
        self.space()
        if self.pos >= len(self.text):
            return False
        ch = self.text[self.pos]
        if ch.isalnum() or ch in "([{." or ch in "σ":
            return ch != "." or bool(re.match(r"\.\d", self.text[self.pos:]))
        command = self.peek_command()
        return bool(command) and command not in ("cdot", "times", "ast", "end", "partial")

    def unary(self):
        if self.peek("-") and not self.peek("->"):
            self.pos += 1
            arg = self.unary()
            if isinstance(arg, Num):
                return Num(-arg.value, arg.places, f"-{arg.text}")
            return Neg(arg)
        if self.take("+"):
            return self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        while self.peek("^"):
            self.pos += 1
            exponent = _Parser(self.group_text())
            node = exponent.expr()
            exponent.space()
            if exponent.pos != len(exponent.text):
                raise Unparseable("exponent")
            if isinstance(base, Name) and base.key == "e":
                base = Call("exp", (node,))
            else:
                base = Bin("^", base, node)
        return base

    def atom(self):
        self.space()
        if self.pos >= len(self.text):
            raise Unparseable("unexpected end")
        ch = self.text[self.pos]
        m = _NUMBER.match(self.text, self.pos)
        if m and (ch.isdigit() or ch == "."):
            self.pos = m.end()
            text = m.group()
            places = len(text.split(".")[1]) if "." in text else 0
            return Num(Decimal(text), places, text)
        if ch in "([":
            close = ")" if ch == "(" else "]"
            self.pos += 1
            node = self.expr()
            self.expect(close)
            return node
        if ch == "{":
            inner = _Parser(self.group_text())
            node = inner.expr()
            inner.space()
            if inner.pos != len(inner.text):
                raise Unparseable("group")
            if isinstance(node, Name):
                return self.marks(node.tex, node)
            return node
        command = self.peek_command()
        if command == "frac":
            self.pos += len("frac") + 1
            return self.frac()
        if command == "begin":
            return self.matrix()
        if command == "sqrt":
            self.pos += len("sqrt") + 1
            inner = _Parser(self.group_text())
            return Call("sqrt", (inner.whole(),))
        return self.name()

    def whole(self):
        node = self.expr()
        self.space()
        if self.pos != len(self.text):
            raise Unparseable(f"unexpected {self.text[self.pos:self.pos + 12]!r}")
        return node

    def frac(self):
        num, den = self.group_text(), self.group_text()
        if re.fullmatch(r"\s*(?:d|\\partial)\s*", num):
            raise Unparseable(f"a derivative operator d/{den.strip()}")
        partial = re.match(r"\s*\\partial\b", num) or re.match(r"\s*\\partial\b", den)
        total = re.match(r"\s*d\s*[A-Za-z\\]", num) and re.match(r"\s*d\s*[A-Za-z\\]", den)
        if partial or total:
            return self.derivative(num, den)
        return Bin("/", _Parser(num).whole(), _Parser(den).whole())

    def derivative(self, num: str, den: str):
        def one(part: str) -> Name:
            text = re.sub(r"^\s*(?:\\partial|d)\s*", "", part)
            node = _Parser(text).whole()
            if not isinstance(node, Name):
                raise Unparseable(f"a derivative of an expression: {part.strip()}")
            return node

        top, bottom = one(num), one(den)
        tex = rf"d{top.tex}/d{bottom.tex}"
        return self.marks(tex, Name(normalize(tex), tex))

    def matrix(self):
        m = re.match(r"\\begin\{([bpvBV]?matrix)\}", self.text[self.pos:])
        if not m:
            raise Unparseable("an environment other than a matrix")
        env = m.group(1)
        start = self.pos + m.end()
        end_tag = rf"\end{{{env}}}"
        depth, i = 0, start
        while i < len(self.text):
            if self.text.startswith(r"\begin{", i):
                depth += 1
            elif self.text.startswith(r"\end{", i):
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if not self.text.startswith(end_tag, i):
            raise Unparseable("unbalanced matrix")
        body = self.text[start:i]
        self.pos = i + len(end_tag)
        rows = [row for row in _split_top(body, r"\\") if row.strip()]
        parsed = tuple(tuple(_Parser(cell).whole() for cell in _split_top(row, "&")) for row in rows)
        if not parsed or len({len(r) for r in parsed}) != 1:
            raise Unparseable("a ragged matrix")
        return Mat(parsed)

    def name(self):
        self.space()
        rest = self.text[self.pos:]
        m = re.match(r"\\(" + "|".join(_FONT) + r")\s*\{([^{}]*)\}", rest)
        if m:
            word = m.group(2).replace(r"\_", "_").strip()
            self.pos += m.end()
            if word in FUNCTIONS and self.peek("("):
                return self.call(FUNCTIONS[word])
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_ ]*", word):
                raise Unparseable(f"text {word!r}")
            return self.marks(rf"\text{{{word}}}", None)
        m = re.match(r"\\([A-Za-z]+)", rest)
        if m:
            word = m.group(1)
            if word in FUNCTIONS:
                self.pos += m.end()
                if not self.peek("("):
                    raise Unparseable(f"\\{word} without an argument in parentheses")
                return self.call(FUNCTIONS[word])
            if word in _GREEK:
                self.pos += m.end()
                return self.marks(rf"\{word}", None)
            raise Unparseable(f"\\{word}")
        if rest[:1] == "σ":
            self.pos += 1
            return self.call("sigmoid")
        m = re.match(r"[A-Za-z]+[0-9]*(?:\\?_[A-Za-z0-9]+(?![{]))*", rest)
        if not m:
            raise Unparseable(f"unexpected {rest[:12]!r}")
        word = m.group()
        self.pos += m.end()
        if word in FUNCTIONS and self.peek("("):
            return self.call(FUNCTIONS[word])
        return self.marks(word, None)

    def call(self, func: str):
        self.expect("(")
        args = [self.expr()]
        while self.take(","):
            args.append(self.expr())
        self.expect(")")
        return Call(func, tuple(args))

    def marks(self, tex: str, node):
        """Subscripts and name marks after a name, in the order written (a superscript that
        is a power is left for ``power``)."""
        full, has_sub, changed = tex, False, False
        while True:
            self.space()
            label = _SAMPLE_LABEL.match(self.text, self.pos)
            if label:
                self.pos = label.end()
                full += f"^{{[{label.group(1)}]}}"
                changed = True
                continue
            if self.peek("_") and not has_sub:
                self.pos += 1
                full += f"_{{{self.group_text()}}}"
                has_sub = changed = True
                continue
            if self.peek("^"):
                save = self.pos
                self.pos += 1
                content = self.group_text()
                self.space()
                then_sub = self.text.startswith("_", self.pos) and not has_sub
                if _MARK_SUP.fullmatch(content.strip()) or then_sub:
                    full += f"^{{{content}}}"
                    changed = True
                    continue
                self.pos = save
            break
        if node is not None and not changed:
            return node
        return Name(normalize(plain(full)), full)


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside braces, brackets and environments."""
    parts, depth, env, start, i = [], 0, 0, 0, 0
    while i < len(text):
        if text.startswith(r"\begin{", i):
            env += 1
        elif text.startswith(r"\end{", i):
            env -= 1
        if text.startswith(sep, i) and depth == 0 and env == 0:
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not text.startswith(sep, i):
            i += 2
            continue
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        i += 1
    parts.append(text[start:])
    return parts


split_top = _split_top


# --- intervals ---------------------------------------------------------------------------------


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


_UNARY = {
    "sigmoid": _monotone(_sigmoid), "tanh": _monotone(_tanh), "exp": _monotone(_exp), "ln": _monotone(_ln),
    "sqrt": _monotone(_sqrt), "relu": lambda a: Iv(max(a.lo, ZERO), max(a.hi, ZERO)),
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


def _matmul(a, b):
    (n, k), (k2, m) = shape(a), shape(b)
    if k != k2:
        raise Unparseable(f"a {n}x{k} matrix times a {k2}x{m} matrix")
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
        if node.op == "/":
            if isinstance(b, tuple):
                raise Unparseable("a division by a matrix")
            return _elementwise(_div, a, b)
        if node.op == "^":
            if isinstance(a, tuple) or isinstance(b, tuple):
                raise Unparseable("a power of a matrix")
            return _pow(a, b)
    raise Unparseable(f"cannot evaluate {type(node).__name__}")


def _scalar_only(v):
    if isinstance(v, tuple):
        raise Unparseable("a matrix inside a matrix")
    return v
