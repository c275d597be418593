"""LaTeX math at the token level: cleaned text, top-level splits, and a scanner.

``clean`` drops what only spaces, sizes, boxes or colours the math (``\\left``, ``\\quad``,
``\\tag``, ``\\boxed``, ``\\color{red}``), reads a number set in a font (``\\mathbf{-0.17}``) as
the number and a decimal comma (``0{,}5``) as a point (``1{,}000{,}000`` is a million, and
``1{,}000``, a thousand or one, is left unread), and spells ``\\dfrac``, ``·``, ``×`` and ``∂``
one way. ``split_top`` splits at a separator outside braces, brackets and environments
(rows at ``\\\\``, cells at ``&``, sides at ``=``). ``Scanner`` is a position in cleaned text
and the reads the grammar of ``parser`` is built from: literal tokens, control words, braced
groups, numbers, a matrix's body.
``NameScanner`` also reads names: a head (``w``, ``\\text{sum}``, ``\\delta``, ``\\hat{y}``, or a
function), then its subscript and marks (``^*``, ``^{(1)}``, ``^{new}``, ``\\text{(sample 2)}``).
The marks of an updated value, in the notations of the textbooks and lecture notes
(``w_5^{+}``, ``w_5'``, ``w_5^{new}``, ``w_5^{*}``, ``w_5(t+1)``), all give the name's key the one
mark ``*``; the marks of the value before (``w_5(t)``, ``w_5^{old}``) give none.
"""

from __future__ import annotations

import re

from .expressions import Unparseable

FUNCTIONS = {
    "sigma": "sigmoid", "sigmoid": "sigmoid", "σ": "sigmoid", "tanh": "tanh", "relu": "relu", "ReLU": "relu",
    "max": "max", "min": "min", "exp": "exp", "ln": "ln", "log": "ln", "lg": "log10", "sqrt": "sqrt",
}
LOG_BASES = {"10": "log10", "2": "log2", "e": "ln"}  # \log_{10} x, \log_2 x, \log_e x (\log alone is ln)
_ACCENTS = ("hat", "bar", "tilde", "vec", "dot", "check", "widehat", "overline")
_NOISE = re.compile(
    r"\\\\|\\(?:left|right|displaystyle|limits|nonumber|notag|big|Big|bigg|Bigg)\b|\\[,;:!> ]|\\q?quad\b|~"
)
_DROP = re.compile(r"\\(?:tag|label)\*?\{[^{}]*\}|\\(?:boxed|fbox)(?=\s*\{)|\\(?:color|textcolor)\s*\{[A-Za-z!0-9]*\}")
_GROUPED = re.compile(r"(?<![\d.])\d+(?:\{,\}\d+)+")  # 0{,}5 (a decimal comma), 1{,}000 (thousands)


def _comma(m: re.Match) -> str:
    """``0{,}5`` and ``2{,}75`` are decimals; ``1{,}000{,}000`` is a million; ``1{,}250``
    could be either and stays as written (unread)."""
    whole, *groups = m.group().split("{,}")
    if len(groups) > 1:
        return "".join([whole, *groups]) if all(len(g) == 3 for g in groups) else m.group()
    if whole.lstrip("0") and len(groups[0]) == 3:
        return m.group()
    return f"{whole}.{groups[0]}"


# a number set in bold, upright or boxed is that number (``\mathbf{-0.17}``); a bold name stays a name
_FONT_NUMBER = re.compile(r"\\(?:mathbf|boldsymbol|bm|textbf)\s*\{\s*((?:-\s*)?(?:\d+(?:\.\d+)?|\.\d+))\s*\}")
_FONT = ("text", "mathrm", "mathit", "operatorname", "mathbf", "textrm", "textit", "mathsf", "boldsymbol", "bm")
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
    "mu", "nu", "xi", "pi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Delta", "Theta",
    "Lambda", "Phi", "Psi", "Omega", "ell",
)
_FONT_WORD = re.compile(r"\\(" + "|".join(_FONT) + r")\s*\{([^{}]*)\}")
_WORD = re.compile(r"[A-Za-z]+[0-9]*(?:\\?_[A-Za-z0-9]+(?![{]))*")
_MARK_SUP = re.compile(r"\*|\\ast|\\star|\(\d+\)|\[\d+\]|.*new.*|'+|\\prime", re.DOTALL)
# superscripts and suffixes that mark an updated value (the key gets "*"), or the value before (none)
_UPDATED = re.compile(r"\+|\*|\\ast|\\star|'+|\\prime|.*\bnew\b.*|\(?\s*(?:t|n|k|i|\\tau|τ)\s*\+\s*1\s*\)?",
                      re.DOTALL)
_BEFORE = re.compile(r"\(\s*(?:t|n|k|i|\\tau|τ|0|old)\s*\)|old|\\text\{\s*old\s*\}")
_SUFFIX = re.compile(r"\(\s*(?:(?P<updated>(?:t|n|k|i|\\tau|τ)\s*\+\s*1|new)|(?P<before>t|n|k|i|\\tau|τ|old)|(?P<step>\d+))\s*\)")
_LAYER_INDEX = re.compile(r"\[(\d+)\]")
_SAMPLE_LABEL = re.compile(r"(?:\\\s)?\s*\\text\{\s*\(sample\s+(\d+)\)\s*\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


def clean(tex: str) -> str:
    """Spacing, sizing and tags removed; ``\\dfrac`` is ``\\frac``; ``\\_`` kept for names."""
    text = _FONT_NUMBER.sub(r"{\1}", _DROP.sub(" ", _GROUPED.sub(_comma, tex)))
    text = _NOISE.sub(lambda m: m.group() if m.group() == "\\\\" else " ", text)
    text = text.replace(r"\dfrac", r"\frac").replace(r"\tfrac", r"\frac").replace("−", "-").replace("·", r"\cdot ")
    text = text.replace("×", r"\times ").replace("∂", r"\partial ").replace("Δ", r"\Delta ").replace("η", r"\eta ")
    return _BARS.sub("|", text)


_BARS = re.compile(r"\\\||\\[lr]?[vV]ert\b|‖|\\mid\b")  # |x|, \|x\|, \lvert x \rvert: an absolute value


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
            raise Unparseable("an environment other than a matrix or cases")
        return self._body(m.end(), m.group(1))

    def environment_body(self, name: str) -> str:
        """The raw body of the environment ``name`` that begins at the position."""
        opening = rf"\begin{{{name}}}"
        if not self.text.startswith(opening, self.pos):
            raise Unparseable(f"expected {opening}")
        return self._body(self.pos + len(opening), name)

    def _body(self, start: int, name: str) -> str:
        end_tag = rf"\end{{{name}}}"
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
        raise Unparseable(f"unbalanced {name}")


class NameScanner(Scanner):
    """A scanner that also reads names: a head, then its subscript and marks."""

    def head(self) -> tuple[str, str]:
        """What a name starts with: ``("name", tex)``, ``("call", function)`` for a function
        applied to an argument in parentheses, or ``("bare", function)`` for one applied to
        the atom that follows (``\\ln y_1``, ``\\log_{10} 0.3``)."""
        self.space()
        m = _FONT_WORD.match(self.text, self.pos)
        if m:
            word = m.group(2).replace(r"\_", "_").strip()
            self.pos = m.end()
            if word in FUNCTIONS:
                return ("call" if self.peek("(") else "bare"), FUNCTIONS[word]
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_ ]*", word):
                raise Unparseable(f"text {word!r}")
            glued = _WORD.match(self.text, self.pos) if word.endswith("_") else None
            if glued:  # \mathrm{new\_}w_{5}: one name, as new\_w_5
                self.pos = glued.end()
                return "name", rf"{word[:-1]}\_{glued.group()}"
            return "name", rf"\text{{{word}}}"
        m = _COMMAND.match(self.text, self.pos)
        if m:
            word = m.group(1)
            if word in FUNCTIONS:
                self.pos = m.end()
                func = FUNCTIONS[word]
                if func == "ln" and self.peek("_"):  # \log_{10} x
                    self.pos += 1
                    base = self.group_text().strip()
                    if base not in LOG_BASES:
                        raise Unparseable(f"a logarithm to the base {base}")
                    func = LOG_BASES[base]
                return ("call" if self.peek("(") else "bare"), func
            if word in _ACCENTS:
                self.pos = m.end()
                inner = self.group_text().strip()
                if not re.fullmatch(r"[A-Za-z]+\d*", inner):
                    raise Unparseable(f"\\{word}{{{inner}}}")
                return "name", rf"\{word}{{{inner}}}"
            if word in _GREEK:
                self.pos = m.end()
                return "name", rf"\{word}"
            raise Unparseable(f"\\{word}")
        if self.text.startswith("σ", self.pos):
            self.pos += 1
            return ("call" if self.peek("(") else "bare"), "sigmoid"
        m = _WORD.match(self.text, self.pos)
        if not m:
            raise Unparseable(f"unexpected {self.text[self.pos:self.pos + 12]!r}")
        self.pos = m.end()
        if m.group() in FUNCTIONS and self.peek("("):
            return "call", FUNCTIONS[m.group()]
        return "name", m.group()

    def marks(self, tex: str) -> tuple[str, str, bool]:
        """``tex`` with the subscript and name marks that follow it, in the order written
        (a superscript that is a power is left for the grammar); the same with the marks of
        an updated value as ``^{*}`` and those of the value before dropped, for the key; and
        whether any did. ``e`` takes no marks: ``e^{x}`` is a power."""
        full, key, has_sub, changed = tex, tex, False, False
        while True:
            glued = self.pos < len(self.text) and not self.text[self.pos].isspace()
            self.space()
            label = _SAMPLE_LABEL.match(self.text, self.pos)
            if label:
                self.pos = label.end()
                full += f"^{{[{label.group(1)}]}}"
                key += f"^{{[{label.group(1)}]}}"
                changed = True
                continue
            if self.peek("_") and not has_sub:
                self.pos += 1
                sub = f"_{{{self.group_text()}}}"
                full, key = full + sub, key + sub
                has_sub = changed = True
                continue
            if self.peek("'"):
                start = self.pos
                while self.take("'"):
                    pass
                full, key, changed = full + self.text[start:self.pos], key + "^{*}", True
                continue
            layer = _LAYER_INDEX.match(self.text, self.pos) if glued and tex != "e" else None
            if layer:  # W[1], dZ[2]: a layer index written inline, as W^{[1]}
                self.pos = layer.end()
                full += layer.group()
                key += f"^{{[{layer.group(1)}]}}"
                changed = True
                continue
            suffix = _SUFFIX.match(self.text, self.pos) if tex != "e" else None
            if suffix and (glued or not suffix.group("step")):
                self.pos = suffix.end()
                full += suffix.group()
                key += "^{*}" if suffix.group("updated") else f"^{{({suffix.group('step')})}}" \
                    if suffix.group("step") else ""
                changed = True
                continue
            if self.peek("^") and tex != "e":
                save = self.pos
                self.pos += 1
                content = self.group_text()
                self.space()
                then_sub = self.text.startswith("_", self.pos) and not has_sub
                stripped = content.strip()
                if _MARK_SUP.fullmatch(stripped) or _UPDATED.fullmatch(stripped) or _BEFORE.fullmatch(stripped) \
                        or then_sub:
                    full += f"^{{{content}}}"
                    if _BEFORE.fullmatch(stripped):
                        pass
                    elif _UPDATED.fullmatch(stripped) and not re.fullmatch(r"\(\d+\)|\[\d+\]", stripped):
                        key += "^{*}"
                    else:
                        key += f"^{{{content}}}"
                    changed = True
                    continue
                self.pos = save
            break
        return full, key, changed
