"""The grammar of one side of an equation, as lecture notes write it: ``parse(tex)``.

Numbers; names with subscripts and marks (``w_{100}^*``, ``\\text{sum}_{h1}``,
``new\\_w_5``, ``a^{(1)}_{j}``); ``\\frac{\\partial E}{\\partial w_5}`` as one name;
``+ - * \\cdot \\times`` and implicit products; ``\\frac``, powers, ``e^{x}``,
``\\sigma(x)``, ``\\max``, ``\\tanh``, ``relu``, ``\\sqrt``; brackets; ``bmatrix`` vectors and
matrices. The tokens are read by ``latex.NameScanner``; the tree is ``expressions``'.
Anything else raises ``Unparseable``: the checker lists it as skipped, never guesses.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .expressions import Bin, Call, Mat, Name, Neg, Num, Unparseable
from .latex import NameScanner, clean, split_top
from .names import normalize, plain

_PRODUCTS = ("cdot", "times", "ast")


def parse(tex: str):
    """One side of an equation as a tree; raises ``Unparseable``."""
    return _Parser(clean(tex)).whole()


class _Parser(NameScanner):
    """Recursive descent: sums of products of powers of atoms."""

    def whole(self, what: str = ""):
        """An expression that is the whole text."""
        node = self.expr()
        self.finish(what)
        return node

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
            return ch != "." or bool(re.match(r"\.\d", self.text[self.pos:]))
        command = self.peek_command()
        return bool(command) and command not in (*_PRODUCTS, "end", "partial")

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
