"""``symprop check``: judge a student's answer sheet, or a hand-written derivation.

- ``symprop check SPEC --answers FILE [--require Q,R]``: every value of the sheet
  (``sheets``) against the spec's solved step (``answers``): correct, rounded, carried
  (follows from the student's own wrong values), wrong (with a known mistake when one
  explains it, ``mistakes``), unknown (no such quantity: the closest names are suggested,
  ``names``) or missing (required, not given).
  ``SPEC`` is a path or a bundled example's name; a spec without ``--answers`` is bad input
  (nothing would be checked).
- ``symprop check DOC [--spec SPEC]``: every numeric equation chain (``chains``) of a
  Markdown or LaTeX document: the document's rounding policy (``policy``), and the links
  (``document``) that break their arithmetic, that policy, a value the document stated
  before, or the spec (``specview``).

Reports (``reports``, from the templates in ``reports/``) are text (one line per item,
problems first), Markdown or JSON. The expressions are read by ``parser`` (tokens:
``latex``) into ``expressions`` and computed by ``intervals``. The exit status is 0 when
nothing is wrong, 1 otherwise; bad input raises ``SympropError`` (exit 2), and so does
decimal arithmetic out of range anywhere in a check.
"""

from __future__ import annotations

from pathlib import Path

from ... import examples
from ...errors import SympropError
from ...numbers.dump import dumps
from ...numbers.solution import solve
from ...spec.sources import resolve_spec
from ..options import CheckOptions


def run_check(options: CheckOptions) -> tuple[str, int]:
    """The ``check`` command: the report, and the exit status."""
    try:
        if options.answers is not None:
            return _check_answers(options)
        return _check_document(options)
    except ArithmeticError as exc:
        checked = options.answers if options.answers is not None else options.target
        raise SympropError(f"{checked}: a number out of range while checking ({type(exc).__name__})") from None


def _check_answers(options: CheckOptions) -> tuple[str, int]:
    from .answers import PASSING, Checker, required
    from .reports import answers_json, answers_report
    from .sheets import read_answers

    solution = solve(resolve_spec(options.target))
    answers = read_answers(options.answers)
    checker = Checker(solution)
    results = checker.check(answers, required(options.require or "", checker.names, solution.spec.source))
    if options.format == "json":
        text = dumps(answers_json(results)) + "\n"
    else:
        text = answers_report(results, options.format, str(options.answers), solution.spec.source)
    return text, 0 if all(r.verdict in PASSING for r in results) else 1


SPEC_SUFFIXES = (".yaml", ".yml")  # a target with these is a spec: its answers are the thing to check


def _is_spec(target: str) -> bool:
    """Is ``target`` a spec (a YAML file, or a bundled example's name that is no file)?"""
    path = Path(target)
    try:
        return path.suffix.lower() in SPEC_SUFFIXES or (not path.exists() and examples.path(target) is not None)
    except (OSError, ValueError):
        return False


def _check_document(options: CheckOptions) -> tuple[str, int]:
    from .chains import read_document
    from .document import check_document
    from .reports import document_json, document_report

    if _is_spec(options.target):
        raise SympropError(f"{options.target}: a spec, and nothing to check: pass the answers with --answers FILE "
                           f"(YAML, JSON or CSV), or check a document with: symprop check DOC --spec {options.target}")
    document = read_document(Path(options.target))
    solution = solve(resolve_spec(options.spec)) if options.spec else None
    report = check_document(document, solution)
    if options.format == "json":
        text = dumps(document_json(report)) + "\n"
    else:
        text = document_report(report, options.format)
    return text, 0 if not report.findings else 1
