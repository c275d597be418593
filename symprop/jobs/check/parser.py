"""The grammar of one side of an equation, as lecture notes write it: ``parse(tex)``.

Numbers; names with subscripts and marks (``w_{100}^*``, ``\\text{sum}_{h1}``,
``new\\_w_5``, ``a^{(1)}_{j}``, ``w_5^{+}``, ``w_5'``, ``w_5(t+1)``, ``\\hat{y}``); ``\\Delta w_5``
and ``\\frac{\\partial E}{\\partial w_5}`` as one name each; ``+ - * \\cdot \\times`` and
implicit products; ``\\odot`` (element by element); ``\\frac``, powers, ``e^{x}``,
``\\sigma(x)``, ``\\max``, ``\\tanh``, ``relu``, ``\\sqrt``, ``\\ln`` and ``\\log`` (natural;
``\\log_{10}``, ``\\log_2``) with or without parentheses, absolute values ``|x|`` and
``\\|x\\|``; brackets; ``bmatrix`` vectors and matrices, ``[0.6, 0.4]`` a row and
``[0.6, 0.4]^T`` a column; ``cases`` (``1`` if ``x > 0``, ``0`` otherwise). The tokens are
read by ``latex.NameScanner``; the tree is ``expressions``'.
Anything else raises ``Unparseable``: the checker lists it as skipped, never guesses.

The reading is bounded, so that a hostile document costs time linear in its length and no
walk over a tree recurses too deep: brackets, braces and environments nest at most
``MAX_NESTING`` deep (checked before parsing), at most ``MAX_TERMS`` terms, factors or
powers follow each other, and the tree is at most ``MAX_TREE_DEPTH`` deep.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .expressions import Bin, Call, Cases, Cmp, Mat, Name, Neg, Num, Unparseable
from .latex import NameScanner, clean, split_top
from .names import normalize, plain

_POINT_DIGIT = re.compile(r"\.\d")

_PRODUCTS = ("cdot", "times", "ast")
_ELEMENTWISE = ("odot", "circ")
_TRANSPOSE = ("T", r"\top", r"\intercal", r"\mathsf{T}", r"\mathrm{T}", r"\text{T}", r"\mathsf T")
MAX_NESTING = 40
MAX_TERMS = 200
MAX_TREE_DEPTH = 200
_NESTING = re.compile(r"\\begin\{|\\end\{|\\.|[{}()\[\]]", re.DOTALL)


def parse(tex: str):
    """One side of an equation as a tree; raises ``Unparseable``."""
    text = clean(tex)
    _check_nesting(text)
    node = _Parser(text).whole()
    if _depth(node) > MAX_TREE_DEPTH:
        raise Unparseable(f"more than {MAX_TREE_DEPTH} operations deep")
    return node


def _check_nesting(text: str) -> None:
    """Brackets, braces and environments nest at most ``MAX_NESTING`` deep (read up to the
    first level too deep, so refusing a deep text costs nothing)."""
    depth = 0
    for m in _NESTING.finditer(text):
        token = m.group()
        if token in ("{", "(", "[", r"\begin{"):
            depth += 2 if token == r"\begin{" else 1  # an environment, and the brace of its name
            if depth > MAX_NESTING:
                raise Unparseable(f"nested more than {MAX_NESTING} levels deep")
        elif token in ("}", ")", "]"):
            depth -= 1  # \end{ closes an environment and opens the brace of its name: no change


def _depth(node) -> int:
    """How deep the tree is, walked without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Neg):
            stack.append((node.arg, depth + 1))
        elif isinstance(node, Bin):
            stack += [(node.left, depth + 1), (node.right, depth + 1)]
        elif isinstance(node, Call):
            stack += [(a, depth + 1) for a in node.args]
        elif isinstance(node, Mat):
            stack += [(x, depth + 1) for row in node.rows for x in row]
        elif isinstance(node, Cases):
            stack += [(x, depth + 1) for row in node.rows for x in row if x is not None]
        elif isinstance(node, Cmp):
            stack += [(node.left, depth + 1), (node.right, depth + 1)]
    return deepest


def _many(count: int) -> int:
    """One more term (factor, power) in a row, up to ``MAX_TERMS``."""
    if count >= MAX_TERMS:
        raise Unparseable(f"more than {MAX_TERMS} terms in a row")
    return count + 1


class _Atoms(NameScanner):
    """The grammar's atoms: numbers, brackets and absolute values, fractions and derivatives,
    matrices, cases, names with their marks and function calls (their insides are read by
    ``_Parser``'s operators)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.bars = 0  # absolute values open: a "|" then closes one

    def atom(self):
        if self.at_end():
            raise Unparseable("unexpected end")
        text = self.number()
        if text is not None:
            places = len(text.split(".")[1]) if "." in text else 0
            return Num(Decimal(text), places, text)
        ch = self.text[self.pos]
        if ch in "([":
            self.pos += 1
            node = self.expr()
            if ch == "[" and self.peek(","):  # [0.6457, 0.4256]: a row vector (^T: a column)
                items = [node]
                while self.take(","):
                    _many(len(items))
                    items.append(self.expr())
                self.expect("]")
                return Mat((tuple(items),))
            self.expect(")" if ch == "(" else "]")
            return node
        if ch == "|" and not self.bars:
            self.pos += 1
            self.bars += 1
            node = self.expr()
            self.expect("|")
            self.bars -= 1
            return Call("abs", (node,))
        if ch == "{":
            node = _Parser(self.group_text()).whole("group")
            return self.named(node.tex, node) if isinstance(node, Name) else node
        command = self.peek_command()
        if command == "frac":
            self.pos += len("frac") + 1
            return self.frac()
        if command == "begin":
            return self.cases() if self.text.startswith(r"\begin{cases}", self.pos) else self.matrix()
        if command == "sqrt":
            self.pos += len("sqrt") + 1
            return Call("sqrt", (_Parser(self.group_text()).whole(),))
        return self.name()

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
        """``\\frac{\\partial E}{\\partial w_5}`` (or ``d``) as the one name ``dE/dw_5``."""

        def one(part: str) -> Name:
            node = _Parser(re.sub(r"^\s*(?:\\partial|d)\s*", "", part)).whole()
            if not isinstance(node, Name):
                raise Unparseable(f"a derivative of an expression: {part.strip()}")
            return node

        tex = rf"d{one(num).tex}/d{one(den).tex}"
        return self.named(tex, Name(normalize(tex), tex))

    def matrix(self):
        rows = [row for row in split_top(self.matrix_body(), r"\\") if row.strip()]
        parsed = tuple(tuple(_Parser(cell).whole() for cell in split_top(row, "&")) for row in rows)
        if not parsed or len({len(r) for r in parsed}) != 1:
            raise Unparseable("a ragged matrix")
        return Mat(parsed)

    def cases(self):
        """``\\begin{cases} 1 & \\text{if } x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}``: rows of a
        value and its condition (none: otherwise), at least two, all but the last conditional."""
        rows = [row for row in split_top(self.environment_body("cases"), r"\\") if row.strip()]
        parsed = []
        for k, row in enumerate(rows):
            cells = split_top(row, "&")
            if len(cells) != 2:
                raise Unparseable("a case without its condition")
            condition = _condition(cells[1])
            if condition is None and k != len(rows) - 1:
                raise Unparseable("an 'otherwise' before the last case")
            parsed.append((_Parser(cells[0]).whole(), condition))
        if len(parsed) < 2:
            raise Unparseable("cases of fewer than two rows")
        return Cases(tuple(parsed))

    def name(self):
        kind, text = self.head()
        if kind == "call":
            return self.call(text)
        if kind == "bare":
            if self.at_end():
                raise Unparseable(f"{text} of nothing")
            return Call(text, (self.power(),))
        if text == r"\Delta" and self.starts_name():  # \Delta w_5: one name, the change of w_5
            inner = self.name()
            if not isinstance(inner, Name):
                raise Unparseable(r"\Delta of a function")
            return Name("Delta" + inner.key, rf"\Delta {inner.tex}")
        return self.named(text, None)

    def starts_name(self) -> bool:
        """Does a name (not a number, an operator or a function) start here?"""
        if self.at_end():
            return False
        ch = self.text[self.pos]
        command = self.peek_command()
        return ch.isalpha() or command in _NAME_COMMANDS

    def call(self, func: str):
        self.expect("(")
        args = [self.expr()]
        while self.take(","):
            args.append(self.expr())
        self.expect(")")
        return Call(func, tuple(args))

    def named(self, tex: str, node: Name | None) -> Name:
        """The name ``tex`` with the marks that follow it (``node`` itself when none do)."""
        full, key, changed = self.marks(node.key if node is not None and tex == node.tex else tex)
        if node is not None and not changed:
            return node
        if node is not None:
            full = node.tex + full[len(node.key):]
        return Name(normalize(plain(key)), full)


class _Parser(_Atoms):
    """Recursive descent: sums of products of powers of atoms."""

    def whole(self, what: str = ""):
        """An expression that is the whole text."""
        node = self.expr()
        self.finish(what)
        return node

    def expr(self):
        node, count = self.term(), 0
        while True:
            count = _many(count)
            if self.take("+"):
                node = Bin("+", node, self.term())
            elif self.peek("-") and not self.peek("->"):
                self.pos += 1
                node = Bin("-", node, self.term())
            else:
                return node

    def term(self):
        node, count = self.unary(), 0
        while True:
            count = _many(count)
            command = self.peek_command()
            if self.take("*") or command in _PRODUCTS:
                if command:
                    self.pos += len(command) + 1
                node = Bin("*", node, self.unary())
            elif command in _ELEMENTWISE:  # the Hadamard product of two vectors or matrices
                self.pos += len(command) + 1
                node = Bin("⊙", node, self.unary())
            elif self.take("/"):
                node = Bin("/", node, self.unary())
            elif self.starts_atom():
                node = Bin("*", node, self.power())
            else:
                return node

    def starts_atom(self) -> bool:
        """Does an implicit product's next factor start here?"""
        if self.at_end():
            return False
        ch = self.text[self.pos]
        if ch == "|":
            return not self.bars
        if ch.isalnum() or ch in "([{." or ch in "σ":
            return ch != "." or bool(_POINT_DIGIT.match(self.text, self.pos))
        command = self.peek_command()
        return bool(command) and command not in (*_PRODUCTS, *_ELEMENTWISE, "end", "partial")

    def unary(self):
        signs = []  # read in a loop: "- - - x" does not recurse
        while True:
            if self.peek("-") and not self.peek("->"):
                self.pos += 1
                signs.append("-")
            elif not self.take("+"):
                break
            _many(len(signs))
        node = self.power()
        for sign in reversed(signs):
            if sign == "-":
                node = Num(-node.value, node.places, f"-{node.text}") if isinstance(node, Num) else Neg(node)
        return node

    def power(self):
        base, count = self.atom(), 0
        while self.peek("^"):
            count = _many(count)
            self.pos += 1
            exponent = self.group_text()
            if isinstance(base, Mat) and exponent.strip() in _TRANSPOSE:
                base = Mat(tuple(zip(*base.rows)))
                continue
            node = _Parser(exponent).whole("exponent")
            if isinstance(base, Name) and base.key == "e":
                base = Call("exp", (node,))
            else:
                base = Bin("^", base, node)
        return base


_NAME_COMMANDS = ("text", "mathrm", "mathit", "operatorname", "mathbf", "boldsymbol", "hat", "bar", "tilde", "vec",
                  "alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu", "sigma", "omega")
_COMPARE = re.compile(r"\\geq?|\\leq?|\\gt|\\lt|>=|<=|≥|≤|>|<")
_OPS = {r"\geq": ">=", r"\ge": ">=", r"\leq": "<=", r"\le": "<=", r"\gt": ">", r"\lt": "<", "≥": ">=", "≤": "<="}
_IF = re.compile(r"^\s*(?:\\text\{\s*(?:if|for|when)\s*\}|if|for|when)?\s*,?\s*")
_OTHERWISE = re.compile(r"\s*(?:,\s*)?(?:\\text\{\s*(?:otherwise|else|elsewhere)\s*\}|otherwise|else)\s*\.?\s*")


def _condition(text: str) -> Cmp | None:
    """A case's condition: ``\\text{if } x > 0`` as ``Cmp(">", x, 0)``; "otherwise" as None."""
    if _OTHERWISE.fullmatch(text) or not text.strip():
        return None
    body = _IF.sub("", text, count=1)
    parts = _COMPARE.split(body)
    ops = _COMPARE.findall(body)
    if len(ops) != 1:
        raise Unparseable(f"a condition other than one comparison: {text.strip()}")
    op = _OPS.get(ops[0], ops[0])
    return Cmp(op, _Parser(parts[0]).whole("condition"), _Parser(parts[1]).whole("condition"))
