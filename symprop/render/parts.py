"""The prepared pieces of a worked solution: equations as rows of LaTeX math, grouped the
way documents and decks show them. Frozen records: built by ``writer``, ``forward``,
``backward`` and ``matrix``, looped over by the templates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Equation:
    """Rows of an aligned display; each row has one ``&`` before its relation sign."""

    rows: tuple[str, ...]


@dataclass(frozen=True)
class Component:
    """A chain factor derived for the first time: its fraction, local form and value."""

    kind: str
    reason: str  # plain text
    equation: Equation


@dataclass(frozen=True)
class Term:
    label: str  # LaTeX math naming the term (e.g. ∂E_1/∂w_1), may be empty
    sample: int
    equation: Equation


@dataclass(frozen=True)
class ParamSection:
    name: str  # the spec's name (plain)
    tex: str
    kind: str  # weight | bias
    form: str  # chain | delta
    n_terms: int
    chain: Equation | None  # the general chain (chain form)
    components: tuple[Component, ...]
    terms: tuple[Term, ...]
    total: Equation | None  # the sum of the terms, when there are several
    note: str = ""


@dataclass(frozen=True)
class UnitStep:
    unit: str
    tex: str
    equations: tuple[Equation, ...]


@dataclass(frozen=True)
class SamplePass:
    index: int  # 1-based
    units: tuple[UnitStep, ...]
    errors: tuple[Equation, ...]
    total: Equation | None  # None when the only error term is the total itself

    @property
    def error_equations(self) -> tuple[Equation, ...]:
        """The error terms, then the sample's total (when it says more than they do)."""
        return self.errors + ((self.total,) if self.total is not None else ())
