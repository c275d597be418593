"""LaTeX math at the token level: cleaned text, top-level splits, and a scanner.

``clean`` drops what only spaces or sizes the math (``\\left``, ``\\quad``, ``\\tag``) and
spells ``\\dfrac``, ``·``, ``×`` and ``∂`` one way. ``split_top`` splits at a separator
outside braces, brackets and environments (rows at ``\\\\``, cells at ``&``, sides at
``=``). ``Scanner`` is a position in cleaned text and the reads the grammar of ``parser``
is built from: literal tokens, control words, braced groups, numbers, a matrix's body.
``NameScanner`` also reads names: a head (``w``, ``\\text{sum}``, ``\\delta``, or a
function), then its subscript and marks (``^*``, ``^{(1)}``, ``^{new}``, ``\\text{(sample 2)}``).
"""

from __future__ import annotations

import re

from .expressions import Unparseable

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
_FONT_WORD = re.compile(r"\\(" + "|".join(_FONT) + r")\s*\{([^{}]*)\}")
_WORD = re.compile(r"[A-Za-z]+[0-9]*(?:\\?_[A-Za-z0-9]+(?![{]))*")
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


_SPACE = re.compile(r"\s*")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)
_ENVIRONMENT = re.compile(r"\\begin\{|\\end\{")
_MATRIX = re.compile(r"\\begin\{([bpvBV]?matrix)\}")
_SPLITS: dict[str, re.Pattern] = {}


def split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside braces, brackets and environments (one pass over
    its tokens: separators, escapes, brackets and environment marks)."""
    tokens = _SPLITS.get(sep)
    if tokens is None:
        tokens = _SPLITS[sep] = re.compile(r"\\begin\{|\\end\{|" + re.escape(sep) + r"|\\.|[{}()\[\]]", re.DOTALL)
    if sep not in text:
        return [text]
    parts, depth, env, start = [], 0, 0, 0
    for m in tokens.finditer(text):
        token = m.group()
        if token == sep:
            if depth == 0 and env == 0:
                parts.append(text[start:m.start()])
                start = m.end()
        elif token in (r"\begin{", r"\end{"):
            env += 1 if token == r"\begin{" else -1
            depth += 1  # the environment's name is a braced group
        elif token in "{([":
            depth += 1
        elif token in "})]":
            depth -= 1
    parts.append(text[start:])
    return parts


class Scanner:
    """A position in cleaned LaTeX text; every read skips the spaces before it. Reads look
    at the text from the position on (never copying the rest of it), so reading a text is
    linear in its length."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()

    def at_end(self) -> bool:
        self.space()
        return self.pos >= len(self.text)

    def finish(self, what: str = "") -> None:
        """Nothing may follow (else ``Unparseable(what)``, or the text that follows)."""
        if not self.at_end():
            raise Unparseable(what or f"unexpected {self.text[self.pos:self.pos + 12]!r}")

    def peek(self, s: str) -> bool:
        self.space()
        return self.text.startswith(s, self.pos)

    def peek_command(self) -> str:
        """The control word at the position (``\\frac`` → ``frac``), or ""."""
        self.space()
        m = _COMMAND.match(self.text, self.pos)
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
        if self.at_end():
            raise Unparseable("unexpected end")
        if self.text[self.pos] == "{":
            depth, start = 0, self.pos
            for m in _BRACE.finditer(self.text, self.pos):
                token = m.group()
                if token == "{":
                    depth += 1
                elif token == "}":
                    depth -= 1
                    if depth == 0:
                        self.pos = m.end()
                        return self.text[start + 1:self.pos - 1]
            raise Unparseable("unbalanced braces")
        m = _TOKEN.match(self.text, self.pos)
        self.pos = m.end()
        return m.group()

    def number(self) -> str | None:
        """A number as printed (``0.60108``, ``.5``, ``3``), or None."""
        m = _NUMBER.match(self.text, self.pos)
        if m and (self.text[self.pos].isdigit() or self.text[self.pos] == "."):
            self.pos = m.end()
            return m.group()
        return None

    def matrix_body(self) -> str:
        """The raw body of the ``matrix`` environment (any of ``bpvBV``) at the position."""
        m = _MATRIX.match(self.text, self.pos)
        if not m:
            raise Unparseable("an environment other than a matrix")
        start = m.end()
        end_tag = rf"\end{{{m.group(1)}}}"
        depth = 0
        for mark in _ENVIRONMENT.finditer(self.text, start):
            if mark.group() == r"\begin{":
                depth += 1
            elif depth == 0:
                if not self.text.startswith(end_tag, mark.start()):
                    break
                self.pos = mark.start() + len(end_tag)
                return self.text[start:mark.start()]
            else:
                depth -= 1
        raise Unparseable("unbalanced matrix")


class NameScanner(Scanner):
    """A scanner that also reads names: a head, then its subscript and marks."""

    def head(self) -> tuple[str, str]:
        """What a name starts with: ``("name", tex)``, or ``("call", function)`` for a
        function applied to an argument in parentheses."""
        self.space()
        m = _FONT_WORD.match(self.text, self.pos)
        if m:
            word = m.group(2).replace(r"\_", "_").strip()
            self.pos = m.end()
            if word in FUNCTIONS and self.peek("("):
                return "call", FUNCTIONS[word]
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_ ]*", word):
                raise Unparseable(f"text {word!r}")
            return "name", rf"\text{{{word}}}"
        m = _COMMAND.match(self.text, self.pos)
        if m:
            word = m.group(1)
            if word in FUNCTIONS:
                self.pos = m.end()
                if not self.peek("("):
                    raise Unparseable(f"\\{word} without an argument in parentheses")
                return "call", FUNCTIONS[word]
            if word in _GREEK:
                self.pos = m.end()
                return "name", rf"\{word}"
            raise Unparseable(f"\\{word}")
        if self.text.startswith("σ", self.pos):
            self.pos += 1
            return "call", "sigmoid"
        m = _WORD.match(self.text, self.pos)
        if not m:
            raise Unparseable(f"unexpected {self.text[self.pos:self.pos + 12]!r}")
        self.pos = m.end()
        if m.group() in FUNCTIONS and self.peek("("):
            return "call", FUNCTIONS[m.group()]
        return "name", m.group()

    def marks(self, tex: str) -> tuple[str, bool]:
        """``tex`` with the subscript and name marks that follow it, in the order written
        (a superscript that is a power is left for the grammar), and whether any did."""
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
        return full, changed
