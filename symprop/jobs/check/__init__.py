"""``symprop check``: judge a student's answer sheet, or a hand-written derivation.

- ``symprop check SPEC --answers FILE [--require Q,R]``: every value of the sheet against
  the spec's solved step (``answers``): correct, rounded, carried (follows from the
  student's own wrong values), wrong (with a known mistake when one explains it), unknown
  (no such quantity: the closest names are suggested) or missing (required, not given).
- ``symprop check DOC [--spec SPEC]``: every numeric equation chain of a Markdown or LaTeX
  document (``document``): the document's rounding policy, and the links that break
  their arithmetic, that policy, a value the document stated before, or the spec.

Reports are text (one line per item, problems first), Markdown or JSON. The exit status
is 0 when nothing is wrong, 1 otherwise; bad input raises ``SympropError`` (exit 2).
"""

from __future__ import annotations

from pathlib import Path

from ...numbers.dump import dumps
from ...numbers.solution import solve
from ...spec.sources import resolve_spec
from ..options import CheckOptions


def run_check(options: CheckOptions) -> tuple[str, int]:
    """The ``check`` command: the report, and the exit status."""
    if options.answers is not None:
        return _check_answers(options)
    return _check_document(options)


def _check_answers(options: CheckOptions) -> tuple[str, int]:
    from .answers import PASSING, Checker, read_answers, to_json, to_markdown, to_text

    solution = solve(resolve_spec(options.target))
    answers = read_answers(options.answers)
    checker = Checker(solution)
    results = checker.check(answers, checker.required(options.require or ""))
    if options.format == "json":
        text = dumps(to_json(results)) + "\n"
    elif options.format == "md":
        text = to_markdown(results, f"Answers {options.answers} checked against {solution.spec.source}")
    else:
        text = to_text(results)
    return text, 0 if all(r.verdict in PASSING for r in results) else 1


def _check_document(options: CheckOptions) -> tuple[str, int]:
    from .document import check_document, read_document, to_json, to_markdown, to_text

    document = read_document(Path(options.target))
    solution = solve(resolve_spec(options.spec)) if options.spec else None
    report = check_document(document, solution)
    if options.format == "json":
        text = dumps(to_json(report)) + "\n"
    elif options.format == "md":
        text = to_markdown(report)
    else:
        text = to_text(report)
    return text, 0 if not report.findings else 1
