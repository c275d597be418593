"""How big things are drawn: the font sizes, label padding and arrow tips (in cm), and width
estimates in em for the drawing's two kinds of label text, plain Unicode in a sans-serif
font (the SVG) and LaTeX math source (the TikZ picture).

The widths are estimates on the generous side: the layout makes room for them, and the TikZ
picture shrinks a label that still turns out wider than its box.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

PT = 2.54 / 72.27  # one TeX point in cm
LABEL_FONT = 7.0 * PT  # edge and bias labels (cm)
UNIT_FONT = 10.0 * PT  # unit labels (cm)
PAD_X, PAD_Y = 0.06, 0.035  # label box padding (cm)
TIP = 0.2  # arrow tip length (cm)

Measure = Callable[[str], float]  # label text -> width in em

# DejaVu Sans advance widths (em); it is wider than Arial or Helvetica, so an upper bound.
_SANS = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974,
    0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525,
)))
_SANS.update({d: 0.636 for d in "0123456789"})
_SANS.update({" ": 0.318, ".": 0.318, ",": 0.318, ":": 0.337, "=": 0.838, "-": 0.361, "+": 0.838,
              "−": 0.838, "_": 0.5, "(": 0.390, ")": 0.390, "/": 0.337, "'": 0.275, "·": 0.318})

# Computer Modern math italic (em), and the space TeX puts around relations and binary operators.
_MATH = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    0.529, 0.429, 0.433, 0.520, 0.466, 0.490, 0.477, 0.576, 0.345, 0.412, 0.521, 0.298, 0.878,
    0.600, 0.485, 0.503, 0.446, 0.451, 0.469, 0.361, 0.572, 0.485, 0.716, 0.572, 0.490, 0.465,
)))
_MATH.update({d: 0.5 for d in "0123456789"})
_MATH.update({"=": 0.778 + 0.556, "+": 0.778 + 0.444, "-": 0.778 + 0.444, "<": 0.778 + 0.556,
              ">": 0.778 + 0.556, ".": 0.278, ",": 0.445, ";": 0.445, ":": 0.278 + 0.556, "(": 0.389,
              ")": 0.389, "[": 0.278, "]": 0.278, "/": 0.5, "'": 0.3, "|": 0.278, "!": 0.278, "*": 0.5})
_MATH_SPACES = {",": 0.167, ":": 0.222, ";": 0.278, "!": -0.167, " ": 0.333, "quad": 1.0, "qquad": 2.0}
_MATH_FONTS = {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathnormal", "boldsymbol", "text", "textrm",
               "textit", "textbf", "textsf", "texttt", "operatorname", "mathcal", "mbox", "hbox", "left", "right",
               "displaystyle", "textstyle", "scriptstyle", "mathstrut", "strut"}
_MATH_SYMBOLS = {"cdot": 0.778, "times": 0.778, "pm": 0.778, "mp": 0.778, "approx": 1.334, "leq": 1.334,
                 "geq": 1.334, "le": 1.334, "ge": 1.334, "neq": 1.334, "ne": 1.334, "to": 1.556,
                 "rightarrow": 1.556, "leftarrow": 1.556, "ldots": 1.172, "dots": 1.172, "cdots": 1.172}


def text_width(label: str) -> float:
    """Width in em of plain text in a sans-serif font (an upper estimate)."""
    return sum(_SANS.get(ch, 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.75) for ch in label)


def latex_width(source: str) -> float:
    """Width in em of LaTeX math source set in text style at the label size (an estimate with
    10% to spare: small fonts are drawn wider than 10pt ones, scripts wider still)."""
    width, _ = _math_group(source, 0, 1.0, stop="", frac=0.8)
    return 1.1 * 1.13 * width


@functools.lru_cache(maxsize=65536)
def display_width(source: str) -> float:
    """Width in em of LaTeX math source set in a display (fractions at full size), with a sixth
    to spare (measured against TeX: within 8% either way)."""
    width, _ = _math_group(source, 0, 1.0, stop="", frac=1.0)
    return 1.18 * width


def _math_group(src: str, i: int, scale: float, stop: str, frac: float) -> tuple[float, int]:
    """Width of ``src[i:]`` up to the closing ``stop`` (or the end); returns (width, next index).
    ``frac``: the scale of a fraction's numerator and denominator."""
    total = 0.0
    while i < len(src) and src[i] != stop:
        width, i = _math_token(src, i, scale, frac)
        total += width
    return total, i + 1


def _math_token(src: str, i: int, scale: float, frac: float) -> tuple[float, int]:
    ch = src[i]
    if ch == "{":
        return _math_group(src, i + 1, scale, "}", frac)
    if ch in "_^":
        if i + 1 >= len(src):
            return 0.0, i + 1
        return _math_token(src, i + 1, scale * 0.8, 0.8)
    if ch == "\\":
        return _math_command(src, i + 1, scale, frac)
    if ch in " \t\n~&$}":
        return 0.0, i + 1
    return scale * _MATH.get(ch.lower() if ch.isascii() else ch, 0.75 if ch.isupper() else 0.6), i + 1


def _math_command(src: str, i: int, scale: float, frac: float) -> tuple[float, int]:
    j = i
    while j < len(src) and src[j].isalpha():
        j += 1
    name = src[i:j] if j > i else src[i : i + 1]
    j = max(j, i + 1)
    if name in _MATH_SPACES:
        return scale * _MATH_SPACES[name], j
    if name in _MATH_FONTS:
        return 0.0, j
    if name in ("frac", "tfrac", "dfrac") and j < len(src):
        inner = scale * (0.8 if name == "tfrac" else frac if name == "frac" else 1.0)
        top, j = _math_token(src, j, inner, 0.8)
        bottom, j = _math_token(src, j, inner, 0.8) if j < len(src) else (0.0, j)
        return max(top, bottom) + 0.2 * scale, j
    return scale * _MATH_SYMBOLS.get(name, 0.8 if len(name) > 1 else 0.6), j


def rows_width(rows: list[str]) -> float:
    """Estimated width (em) of an aligned display: its widest left side (before ``&``) and
    its widest right side."""
    left = right = 0.0
    for row in rows:
        for line in row.split("\\\\"):
            lhs, _, rhs = line.partition("&")
            left, right = max(left, display_width(lhs)), max(right, display_width(rhs))
    return left + right


def wrap(row: str, room: float) -> list[str]:
    """An aligned row (``lhs &= rhs``) as rows at most ``room`` em wide: broken before a ``+``
    or ``=`` of its right side outside braces, the rows after the first indented."""
    left, amp, right = row.partition("&")
    if not amp or rows_width([row]) <= room:
        return [row]
    cuts, depth = [], 0
    opening, closing = ("{(", "})") if "\\left" in right else ("{", "}")  # plain parentheses may span rows
    for k, ch in enumerate(right):
        depth += (ch in opening) - (ch in closing)
        if depth == 0 and k > 2 and right[k - 1:k + 2] in (" + ", " = "):
            cuts.append(k)
    pieces = [right[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(right)], strict=True)]
    rows = [f"{left}&{pieces[0]}"]
    for piece in pieces[1:]:
        joined = f"{rows[-1]} {piece}"
        if rows_width([joined]) <= room:
            rows[-1] = joined
        else:
            rows.append(f"&\\quad {piece}" if piece.startswith("+") else f"&{piece}")
    return rows
