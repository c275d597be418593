"""The one Jinja environment: LaTeX-safe delimiters, strict, the user's templates in front.

Every format uses the delimiters ``((* *))``, ``((( )))`` and ``((= =))`` and
``StrictUndefined``. The templates live in the top-level ``templates/`` folder (shipped
in the wheel as ``symprop/templates``); ``--templates DIR`` puts a folder of the user's own
in front, so a block can be restyled without forking. One environment serves every format
of a run (``environment`` is cached per user folder, so each template is compiled once):
``render`` passes the format, and the filters of ``filters.FILTERS`` pick theirs by it.
A user's template that fails while it renders (``((( 1/0 )))``, an include that is not
there, a filter given the wrong value) is one ``SympropError`` naming its file and line.
"""

from __future__ import annotations

import functools
import re
import traceback
from pathlib import Path

import jinja2

from ..errors import SympropError
from .filters import FILTERS, FORMATS


def template_dir() -> Path:
    """Our templates: inside the installed package, or the source tree's ``templates/``."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


def _by_format(name: str):
    @jinja2.pass_context
    def apply(context, value, *args):
        return FILTERS[context["fmt"]][name](value, *args)

    return apply


@functools.lru_cache(maxsize=8)
def environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The environment of a run: our templates, behind the user's folder if one is given."""
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
    env.filters.update({name: _by_format(name) for name in FILTERS["md"]})
    return env


def render(name: str, fmt: str, user_templates: Path | None = None, **context) -> str:
    """Template ``name`` rendered in format ``fmt`` (md, tex, html) with ``context``."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    try:
        text = environment(user_templates).get_template(name).render(fmt=fmt, **context)
    except SympropError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise SympropError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        where = _template_line(exc)
        raise SympropError(f"{where or f'template {name}'}: {exc.message or exc.name} not found") from None
    except jinja2.UndefinedError as exc:
        where = _template_line(exc)
        raise SympropError(f"{where or f'template {name}'}: {exc.message}") from None
    except Exception as exc:  # a runtime error in a user's template; in ours it is a bug
        where = _template_line(exc)
        if where is None or user_templates is None or not _inside(where, user_templates):
            raise
        message = " ".join(str(exc).split()) or "no message"
        raise SympropError(f"{where}: template error: {type(exc).__name__}: {message[:200]}") from None
    return re.sub(r"\n{3,}", "\n\n", text)


def _template_line(exc: BaseException) -> str | None:
    """``file:line`` of the innermost template frame of ``exc`` (Jinja writes template lines
    into the traceback), or None."""
    where = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".j2"):
            where = f"{frame.f_code.co_filename}:{line}"
    return where


def _inside(where: str, folder: Path) -> bool:
    try:
        Path(where.rsplit(":", 1)[0]).resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True
