"""Rendering: one Jinja environment, one filter registry, the user's templates in front.

Every format uses LaTeX-safe delimiters (``((* *))``, ``((( )))``, ``((= =))``) and
``StrictUndefined``. The templates live in the top-level ``templates/`` folder (shipped in
the wheel as ``symprop/templates``); ``--templates DIR`` puts a folder of the user's own in
front, so a block can be restyled without forking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import jinja2

from ..errors import SympropError
from .document import Document, Equation
from .printer import escape_text

FORMATS = ("md", "tex")


def template_dir() -> Path:
    """Our templates: inside the installed package, or the source tree's ``templates/``."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


# --- filters, one registry per format ------------------------------------------------------

_MD_SPECIALS = re.compile(r"([\\`*_\[\]$#|])")


def _md_text(text: str) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIALS.sub(r"\\\1", text)


def _rows(equation: Equation) -> str:
    return " \\\\\n".join(equation.rows)


def _md_display(equations: Iterable[Equation]) -> str:
    return "\n\n".join(f"$$\n\\begin{{aligned}}\n{_rows(e)}\n\\end{{aligned}}\n$$" for e in equations)


def _tex_display(equations: Iterable[Equation]) -> str:
    return "\n".join(f"\\begin{{align*}}\n{_rows(e)}\n\\end{{align*}}" for e in equations)


FILTERS = {
    "md": {"math": lambda s: f"${s}$", "display": _md_display, "text": _md_text},
    "tex": {"math": lambda s: f"\\({s}\\)", "display": _tex_display, "text": escape_text},
}


def environment(fmt: str, user_templates: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment of a format: LaTeX-safe delimiters, strict, user first."""
    loaders = [jinja2.FileSystemLoader(str(template_dir()))]
    if user_templates is not None:
        if not user_templates.is_dir():
            raise SympropError(f"--templates {user_templates}: not a directory")
        loaders.insert(0, jinja2.FileSystemLoader(str(user_templates)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        block_start_string="((*", block_end_string="*))",
        variable_start_string="(((", variable_end_string=")))",
        comment_start_string="((=", comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS[fmt])
    return env


def render(doc: Document, fmt: str, files: dict, user_templates: Path | None = None) -> str:
    """The document ``doc`` in format ``fmt`` (md or tex)."""
    return _render(environment(fmt, user_templates), f"{fmt}/solution.{fmt}.j2", doc=doc, files=files)


def render_template(deck, folder: str, name: str, user_templates: Path | None = None) -> str:
    """A LaTeX-family template (``beamer/slides.tex.j2``) with the ``deck`` context."""
    return _render(environment("tex", user_templates), f"{folder}/{name}", deck=deck)


def _render(env: jinja2.Environment, name: str, **context) -> str:
    try:
        text = env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise SympropError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise SympropError(f"template {name}: {exc.message}") from None
    return re.sub(r"\n{3,}", "\n\n", text)
