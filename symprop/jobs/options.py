"""The typed options of every job, built by the CLI (or a program) and validated here.

Nothing below the CLI sees argparse: a job takes one of these frozen records. ``output``
of None means the default folder, ``outputs/<spec name>/`` (``-exam`` appended for exams).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SympropError
from ..spec import Spec, choices
from ..spec.sources import spec_name

GALLERY = Path("outputs")
MAX_FULL = 50  # later updates of a run worked in full, at most


def _one_of(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise SympropError(f"{option}: {value!r} is not one of {', '.join(allowed)}")


@dataclass(frozen=True, slots=True)
class Rendering:
    """How a worked solution is written: its style, notation preset (None: the spec's own)
    and a folder of the user's templates looked up before symprop's."""

    style: str = "chain"
    notation: str | None = None
    templates: Path | None = None
    full_steps: int = 1  # updates of a training run worked in full
    numbers: str = "all"  # none: every formula symbolic, no numbers (chain and delta styles)

    def __post_init__(self) -> None:
        _one_of("--style", self.style, choices.STYLES)
        _one_of("--numbers", self.numbers, choices.NUMBERS)
        if self.numbers == "none" and self.style not in choices.SYMBOLIC_STYLES:
            raise SympropError(f"--numbers none: only with --style {' or '.join(choices.SYMBOLIC_STYLES)} "
                               f"(--style {self.style} " + ("has no numbers anyway)" if self.style == "general"
                                                            else "is worked with its numbers)"))
        if isinstance(self.full_steps, bool) or not isinstance(self.full_steps, int) or not 1 <= self.full_steps <= MAX_FULL:
            raise SympropError(f"--full-steps: {self.full_steps!r} is not a whole number from 1 to {MAX_FULL}")
        if self.notation is not None:
            _one_of("--notation", self.notation, choices.NOTATIONS)
        if self.templates is not None and not self.templates.is_dir():
            raise SympropError(f"--templates {self.templates}: not a directory")

    @property
    def form(self) -> str:
        return choices.form_of(self.style)

    @property
    def symbolic(self) -> bool:
        """No numbers: the general derivation, or a chain / delta solution with --numbers none."""
        return self.style == "general" or self.numbers == "none"


@dataclass(frozen=True, slots=True)
class SolveOptions:
    format: str = "json"
    output: Path | None = None
    rendering: Rendering = Rendering()

    def __post_init__(self) -> None:
        _one_of("--format", self.format, choices.SOLVE_FORMATS)
        if self.rendering.symbolic and self.format == "json":
            what = "--style general" if self.rendering.style == "general" else "--numbers none"
            raise SympropError(f"{what}: a document without numbers is written as md, tex, pdf or html, not json "
                               "(the JSON's \"derivations\" hold every gradient symbolically)")


@dataclass(frozen=True, slots=True)
class SlidesOptions:
    output: Path | None = None
    rendering: Rendering = Rendering()
    detail: tuple[str, ...] | None = None  # parameters worked in full (None: the default two)
    aspect: str = "169"
    handout: bool = False
    pdf: bool = True
    author: str | None = None  # the title page's; None: the spec's
    institute: str | None = None
    date: str | None = None
    format: str = "beamer"  # or html: slides.html, a reveal.js deck

    def __post_init__(self) -> None:
        _one_of("--aspect", self.aspect, choices.ASPECTS)
        _one_of("--format", self.format, choices.SLIDES_FORMATS)
        if self.format == "html" and self.rendering.symbolic:
            raise SympropError("--format html: a deck without numbers is written as Beamer (--format beamer)")


@dataclass(frozen=True, slots=True)
class ExamOptions:
    variants: int
    seed: int
    ask: str | None = None  # checker names, comma-separated (None: the spec's exam.ask, else sensible ones)
    output: Path | None = None
    notation: str | None = None
    templates: Path | None = None
    pdf: bool = True

    def __post_init__(self) -> None:
        Rendering(notation=self.notation, templates=self.templates)  # the same checks


@dataclass(frozen=True, slots=True)
class CheckOptions:
    target: str  # the spec (with answers) or the document
    answers: Path | None = None
    spec: str | None = None
    require: str = ""
    format: str = "text"

    def __post_init__(self) -> None:
        _one_of("--format", self.format, choices.REPORT_FORMATS)
        if self.answers is not None and self.spec:
            raise SympropError("--spec: with --answers the spec is the first argument (symprop check SPEC --answers FILE)")
        if self.answers is None and self.require:
            raise SympropError("--require: only with --answers (the quantities an answer sheet must give)")


def output_folder(spec: Spec, output: Path | None, suffix: str = "") -> Path:
    """``output``, or the default folder of ``spec``'s outputs."""
    return output if output is not None else GALLERY / f"{spec_name(spec)}{suffix}"

