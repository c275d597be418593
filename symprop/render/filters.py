"""The filters of every template, one registry: how a value is written in each format.

A template writes ``((( x | math )))``, ``((( eqs | display )))``, ``((( s | text )))``,
``((( s | attr )))``, ``((( s | code )))`` (verbatim text: a code span in Markdown) or
``((( s | visible )))`` (text as is, but what a terminal would obey shown escaped); the
environment (``env``) passes the format the template is rendered in (``md``, ``tex``,
``html``, or ``text`` for a terminal), and the filter of that format applies. Every user
string goes through ``text`` (or ``attr``, ``code``), which escapes it for its format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from .measure import wrap
from .printer import escape_text

FORMATS = ("md", "tex", "html", "text")

_MD_SPECIALS = re.compile(r"([\\`*_\[\]$#|])")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# what a terminal would obey rather than show: control characters, bidi overrides, surrogates
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def md_text(text: object) -> str:
    """Text for Markdown: HTML's three specials as entities, Markdown's backslashed."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIALS.sub(r"\\\1", text)


def md_code(text: object) -> str:
    """Text as a Markdown code span, safe in a table cell: the fence one backtick longer than
    any run of backticks inside (padded with a space when the text starts or ends with one),
    ``|`` escaped (GFM splits cells before it reads code spans), on one line, and what a
    terminal would obey shown escaped (as ``terminal_text``)."""
    text = terminal_text(" ".join(str(text).splitlines())).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(text: object, quote: bool = False) -> str:
    """Text for HTML (and XML 1.0): escaped, characters XML cannot hold dropped."""
    return html.escape(_XML_UNSAFE.sub("", str(text)), quote=quote)


def terminal_text(text: object) -> str:
    """Text for a terminal: what it would obey (escape sequences, bidi overrides) shown as
    ``\\xNN`` / ``\\uNNNN`` instead."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                else f"\\u{ord(m.group()):04x}", str(text))


PAGE_EM = 48.0  # a page's displayed row at most (``measure.rows_width``'s estimate): wider rows wrap


def _page_rows(equation) -> list[str]:
    """The equation's rows, each too wide for the page broken before a ``+`` or ``=``."""
    return [r for row in equation.rows for r in wrap(row, PAGE_EM)]


_BREAK = " \\\\\n"  # a row break


def _rows(equation) -> str:
    return _BREAK.join(equation.rows)


def md_display(equations: Iterable) -> str:
    return "\n\n".join(f"$$\n\\begin{{aligned}}\n{_BREAK.join(_page_rows(e))}\n\\end{{aligned}}\n$$"
                       for e in equations)


def tex_display(equations: Iterable) -> str:
    """Each equation an ``align*``, its rows kept on one page (``\\*``: a continuation row is
    never stranded at the top of the next page)."""
    return "\n".join(f"\\begin{{align*}}\n{_TOGETHER.join(_page_rows(e))}\n\\end{{align*}}" for e in equations)


_TOGETHER = " \\\\*\n"  # a row break where the page may not break


def html_display(equations: Iterable) -> str:
    return "\n".join(html_text(f"\\[\\begin{{aligned}}{_rows(e)}\\end{{aligned}}\\]") for e in equations)


FILTERS: dict[str, dict[str, Callable]] = {
    "md": {"math": lambda s: f"${s}$", "display": md_display, "text": md_text, "attr": md_text, "code": md_code,
           "visible": terminal_text},
    "tex": {"math": lambda s: f"\\({s}\\)", "display": tex_display, "text": escape_text, "attr": escape_text,
            "code": lambda s: f"\\texttt{{{escape_text(s)}}}", "visible": terminal_text},
    "html": {
        "math": lambda s: html_text(f"\\({s}\\)"), "display": html_display, "text": html_text,
        "attr": lambda s: html_text(s, quote=True), "code": lambda s: f"<code>{html_text(s)}</code>",
        "visible": terminal_text,
    },
    "text": {"math": terminal_text, "display": lambda eqs: "\n".join(_rows(e) for e in eqs), "text": terminal_text,
             "attr": terminal_text, "code": terminal_text, "visible": terminal_text},
}
