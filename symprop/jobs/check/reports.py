"""The checkers' reports: data for JSON, and a context for the text and Markdown templates.

``answers_json`` and ``document_json`` are the reports as data (``numbers.dump`` writes
them). ``answers_report`` and ``document_report`` render ``reports/answers.<fmt>.j2`` and
``reports/document.<fmt>.j2`` (``fmt`` is ``text`` or ``md``); the templates hold every
word of the report, and escape what the student or the document wrote for their format.
Answer rows come problems first, in ``VERDICTS`` order, as the checker sorted them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...render.env import render
from ...render.filters import terminal_text
from .answers import VERDICTS, Result
from .findings import Report

MIN_WIDTH = 8  # of the quantity column of the text report


@dataclass(frozen=True)
class AnswerRow:
    """One quantity of an answers report."""

    verdict: str
    label: str  # the name as written, with its canonical name when that differs
    given: str | None
    expected: str | None
    diagnosis: str | None
    note: str
    suggestions: tuple[str, ...]  # for an unknown name: the closest known names
    marks: tuple[str, ...] = ()  # the marks of the suggested names: after, sample, step, epoch


def answers_json(results: tuple[Result, ...]) -> dict:
    """``{"results": [{"quantity", "given", "expected", "verdict", "diagnosis", "diagnoses",
    "note"}]}``: ``diagnosis`` the most likely known mistake, ``diagnoses`` every one that
    explains the value (most likely first), ``note`` why (for ``carried``: the student's
    values the error was carried forward from); for an ``unknown`` name, ``expected`` lists
    the closest known names."""
    return {
        "results": [
            {
                "quantity": r.quantity,
                "given": r.given,
                "expected": list(r.suggestions) if r.verdict == "unknown" else r.expected,
                "verdict": r.verdict,
                "diagnosis": r.diagnosis,
                "diagnoses": list(r.diagnoses),
                "note": r.note,
            }
            for r in results
        ]
    }


def answers_report(results: tuple[Result, ...], fmt: str, sheet: str, spec: str) -> str:
    """The report of the answers in ``sheet`` checked against ``spec``, in ``fmt``."""
    rows = tuple(
        AnswerRow(r.verdict, _label(r), r.given, r.expected, r.diagnosis, r.note, r.suggestions,
                  _marks(r.suggestions)) for r in results
    )
    width = max([len(terminal_text(row.label)) for row in rows] + [MIN_WIDTH])  # as the text report shows it
    counts = tuple((n, v) for v in reversed(VERDICTS) if (n := sum(r.verdict == v for r in results)))
    return render(f"reports/answers.{fmt}.j2", fmt, rows=rows, width=width, counts=counts, sheet=sheet, spec=spec)


_MARKS = (("after", re.compile(r"\*")), ("sample", re.compile(r"\)\*?\[\d+\]|E_total\[\d+\]")),
          ("step", re.compile(r"\[step \d+\]")), ("epoch", re.compile(r"\[epoch \d+\]")))


def _marks(names: tuple[str, ...]) -> tuple[str, ...]:
    """Which marks of a canonical name (``*``, ``[k]``, ``[step N]``, ``[epoch E]``) the
    names carry, for the report to say what they mean."""
    return tuple(mark for mark, pattern in _MARKS if any(pattern.search(n) for n in names))


def _label(r: Result) -> str:
    return f"{r.quantity} = {r.canonical}" if r.canonical and r.canonical != r.quantity else r.quantity


def document_json(report: Report) -> dict:
    """``{"policy": {places, mode, carry, links, fitting}, "findings": [{"line", "equation",
    "expected", "category"}], "skipped": [{"line", "equation", "reason"}]}``; ``places`` is
    one number, or a mapping by kind (with ``default``) when some kinds are written at
    other places, as in a spec."""
    policy = report.policy
    return {
        "policy": {
            "places": _places(policy) if policy else None,
            "mode": policy.mode if policy else None,
            "carry": policy.carry if policy else None,
            "links": report.links,
            "fitting": report.fitting,
        },
        "findings": [
            {"line": f.line, "equation": f.equation, "expected": f.expected, "category": f.category}
            for f in report.findings
        ],
        "skipped": [{"line": s.line, "equation": s.equation, "reason": s.reason} for s in report.skipped],
    }


def _places(policy) -> int | dict[str, int]:
    """The places as a spec writes them: one number, or by kind with the ``default``."""
    return {"default": policy.places, **dict(policy.kinds)} if policy.kinds else policy.places


def document_report(report: Report, fmt: str) -> str:
    """The report of a document check, in ``fmt``."""
    return render(f"reports/document.{fmt}.j2", fmt, report=report)
