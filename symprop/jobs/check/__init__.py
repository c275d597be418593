"""``symprop check``: judge a student's answer sheet, or a hand-written derivation.

- ``symprop check SPEC --answers FILE [--require Q,R]``: every value of the sheet against
  the spec's solved step (``check_answers``): correct, rounded, carried (follows from the
  student's own wrong values), wrong (with a known mistake when one explains it), unknown
  (no such quantity: the closest names are suggested) or missing (required, not given).
- ``symprop check DOC [--spec SPEC]``: every numeric equation chain of a Markdown or LaTeX
  document (``check_doc``): the document's rounding policy, and the links that break
  their arithmetic, that policy, a value the document stated before, or the spec.

Reports are text (one line per item, problems first), Markdown or JSON. The exit status
is 0 when nothing is wrong, 1 otherwise; bad input raises ``SympropError`` (exit 2).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ...errors import SympropError
from ...numbers.solution import dumps, solve
from ...spec.reader import Spec


def run_check(args, resolve_spec: Callable[[str], Spec]) -> int:
    """The ``check`` command: prints the report, returns the exit status."""
    if args.answers is not None:
        if args.spec:
            raise SympropError("--spec: with --answers the spec is the first argument (symprop check SPEC --answers FILE)")
        return _check_answers(args, resolve_spec)
    if args.require:
        raise SympropError("--require: only with --answers (the quantities an answer sheet must give)")
    return _check_document(args, resolve_spec)


def _check_answers(args, resolve_spec) -> int:
    from .answers import PASSING, Checker, read_answers, to_json, to_markdown, to_text

    solution = solve(resolve_spec(args.target))
    answers = read_answers(Path(args.answers))
    checker = Checker(solution)
    results = checker.check(answers, checker.required(args.require or ""))
    if args.format == "json":
        text = dumps(to_json(results)) + "\n"
    elif args.format == "md":
        text = to_markdown(results, f"Answers {args.answers} checked against {solution.spec.source}")
    else:
        text = to_text(results)
    sys.stdout.write(text)
    return 0 if all(r.verdict in PASSING for r in results) else 1


def _check_document(args, resolve_spec) -> int:
    from .document import check_document, read_document, to_json, to_markdown, to_text

    document = read_document(Path(args.target))
    solution = solve(resolve_spec(args.spec)) if args.spec else None
    report = check_document(document, solution)
    if args.format == "json":
        text = dumps(to_json(report)) + "\n"
    elif args.format == "md":
        text = to_markdown(report)
    else:
        text = to_text(report)
    sys.stdout.write(text)
    return 0 if not report.findings else 1
