"""The grammar of one side of an equation, as lecture notes write it: ``parse(tex)``.

Numbers; names with subscripts and marks (``w_{100}^*``, ``\\text{sum}_{h1}``,
``new\\_w_5``, ``a^{(1)}_{j}``); ``\\frac{\\partial E}{\\partial w_5}`` as one name;
``+ - * \\cdot \\times`` and implicit products; ``\\frac``, powers, ``e^{x}``,
``\\sigma(x)``, ``\\max``, ``\\tanh``, ``relu``, ``\\sqrt``; brackets; ``bmatrix`` vectors and
matrices. The tokens are read by ``latex.NameScanner``; the tree is ``expressions``'.
Anything else raises ``Unparseable``: the checker lists it as skipped, never guesses.

The reading is bounded, so that a hostile document costs time linear in its length and no
walk over a tree recurses too deep: brackets, braces and environments nest at most
``MAX_NESTING`` deep (checked before parsing), at most ``MAX_TERMS`` terms, factors or
powers follow each other, and the tree is at most ``MAX_TREE_DEPTH`` deep.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .expressions import Bin, Call, Mat, Name, Neg, Num, Unparseable
from .latex import NameScanner, clean, split_top
from .names import normalize, plain

_POINT_DIGIT = re.compile(r"\.\d")

_PRODUCTS = ("cdot", "times", "ast")
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
    return deepest


def _many(count: int) -> int:
    """One more term (factor, power) in a row, up to ``MAX_TERMS``."""
    if count >= MAX_TERMS:
        raise Unparseable(f"more than {MAX_TERMS} terms in a row")
    return count + 1


class _Parser(NameScanner):
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
        if ch.isalnum() or ch in "([{." or ch in "σ":
            return ch != "." or bool(_POINT_DIGIT.match(self.text, self.pos))
        command = self.peek_command()
        return bool(command) and command not in (*_PRODUCTS, "end", "partial")

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
            node = _Parser(self.group_text()).whole("exponent")
            if isinstance(base, Name) and base.key == "e":
                base = Call("exp", (node,))
            else:
                base = Bin("^", base, node)
        return base

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
            self.expect(")" if ch == "(" else "]")
            return node
        if ch == "{":
            node = _Parser(self.group_text()).whole("group")
            return self.named(node.tex, node) if isinstance(node, Name) else node
        command = self.peek_command()
        if command == "frac":
            self.pos += len("frac") + 1
            return self.frac()
        if command == "begin":
            return self.matrix()
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

    def name(self):
        kind, text = self.head()
        return self.call(text) if kind == "call" else self.named(text, None)

    def call(self, func: str):
        self.expect("(")
        args = [self.expr()]
        while self.take(","):
            args.append(self.expr())
        self.expect(")")
        return Call(func, tuple(args))

    def named(self, tex: str, node: Name | None) -> Name:
        """The name ``tex`` with the marks that follow it (``node`` itself when none do)."""
        full, changed = self.marks(tex)
        if node is not None and not changed:
            return node
        return Name(normalize(plain(full)), full)
