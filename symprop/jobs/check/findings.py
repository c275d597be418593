"""What a document check reports: its findings, what it skipped, and the report of both.

A finding is a link of a chain that breaks: ``arithmetic`` (no rounding explains it),
``rounding`` (it fits another policy, not the document's), ``inconsistent_value`` (a
name stated as one value and used as another) or ``disagrees_with_spec`` (a stated value
the engine computes otherwise). A skipped expression is one the checker cannot read or
evaluate, with the reason. ``reports`` writes a ``Report`` as text, Markdown or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from .policy import Policy

CATEGORIES = ("arithmetic", "rounding", "inconsistent_value", "disagrees_with_spec")


@dataclass(frozen=True)
class Finding:
    line: int
    equation: str
    expected: str
    category: str
    note: str = ""


@dataclass(frozen=True)
class Skipped:
    line: int
    equation: str
    reason: str


@dataclass(frozen=True)
class Report:
    source: str
    policy: Policy | None
    links: int  # numeric links the policy was inferred from
    fitting: int  # of which fit the policy
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    spec: str | None = None
