"""Lecture slides: a Beamer deck that walks through one training step.

Title, outline, the network, inside a unit, the forward pass (one frame per unit), the
total error, the chain rule, then the backward pass: for each parameter worked in full, a
frame per path with the network drawn and the units and edges on that path highlighted,
the factors revealed one at a time (``\\uncover`` cell by cell inside ``aligned``: ``\\pause``
does not work in ``align``), then the sum of the paths; the other parameters in a
"proceeding similarly" table; the updates, the network with the new weights, the second
forward pass and the error before and after. A training run then gets its own section:
how the run goes, the total error per epoch (a table and the loss curve, pgfplots), every
parameter per epoch and, for a small run, after every update. The deck knows its own page
count. The frames are written in ``frames``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import SympropError
from ..numbers.solution import Solution
from . import diagram
from .backward import delta_equations
from .document import update_equations
from .env import render
from .frames import Frame, Stage, gradient_frames, network_frames
from .matrix import gradient_matrices
from .parts import Equation
from .printer import escape_text
from .training import ELLIPSIS, TrainingRun, training_run
from .writer import eq

TABLE_ROWS = 8  # rows of a "proceeding similarly" table per frame


@dataclass(frozen=True)
class Deck:
    """What the deck template needs: LaTeX strings already escaped, frames by section."""

    title: str
    aspect: str
    handout: bool
    tikz_libraries: str
    sections: tuple[tuple[str, tuple[Frame, ...]], ...]
    picture_column: float = 0.42  # share of the text width for the drawing on a path frame
    author: str = ""
    institute: str = ""
    date: str = ""
    pgfplots: bool = False  # a training run's loss curve is drawn

    @property
    def text_column(self) -> float:
        return round(0.98 - self.picture_column, 2)

    @property
    def pages(self) -> int:
        """Pages of the compiled deck: one per overlay step (one per frame in a handout),
        plus the title page and the outline."""
        frames = [f for _, frames in self.sections for f in frames]
        return 2 + sum(1 if self.handout else f.steps for f in frames)


def default_detail(solution: Solution) -> list[str]:
    """The parameters worked in full unless ``--detail`` says (``Network.featured_weights``)."""
    return solution.network.featured_weights()


def deck(solution: Solution, detail: list[str] | None = None, style: str = "chain", preset: str | None = None,
         aspect: str = "169", handout: bool = False, templates: Path | None = None,
         title_page: tuple[str, str, str] | None = None) -> Deck:
    """The deck of ``solution``; ``detail``: the parameters worked in full (default: two);
    ``title_page``: author, institute and date (default: the spec's)."""
    detail = default_detail(solution) if detail is None else list(detail)
    for name in detail:
        if name not in solution.network.param:
            raise SympropError(f"--detail: {name!r} is not a parameter of the spec "
                               f"(parameters: {', '.join(solution.network.param)})")
    stage = Stage.of(solution, style, preset, aspect, templates)
    w, n = stage.w, stage.w.names
    chain_rule = Equation((r"\frac{dy}{dx} &= \frac{dy}{du} " + n.times + r" \frac{du}{dx}",))
    before_after = eq(rf"{n.total} &: {w.show(w.hand.error_total)} \rightarrow {w.show(w.hand.error_total_after)}")
    sections = (
        ("The network", (*network_frames(stage, "The network"), *stage.inside_unit())),
        ("Forward pass", stage.forward_frames(after=False)),
        ("The chain rule", tuple(stage.equation_frames("The chain rule", (chain_rule,),
                                                       "If \\(y = f(u)\\) and \\(u = g(x)\\):"))),
        ("Backward pass", _backward(stage, detail)),
        ("Updates", _updates(stage, detail)),
        ("After the update", stage.forward_frames(after=True)
         + tuple(stage.equation_frames("The error before and after the update", (before_after,)))),
    )
    run = training_run(w)
    if run is not None:
        sections += (("Training", _training(stage, run)),)
    spec = w.solution.spec
    author, institute, date = title_page or (spec.author, spec.institute, spec.date)
    return Deck(escape_text(spec.title), aspect, handout, ",".join(diagram.TIKZ_LIBRARIES), sections, stage.column,
                escape_text(author), escape_text(institute), escape_text(date), pgfplots=run is not None)


def _backward(stage: Stage, detail: list[str]) -> tuple[Frame, ...]:
    w, n = stage.w, stage.w.names
    samples = len(w.solution.spec.samples)
    frames: list[Frame] = []
    if w.style != "chain":
        for k in range(samples):
            deltas = delta_equations(w, k)
            title = "The deltas" + (f", sample {k + 1}" if samples > 1 else "")
            frames += stage.equation_frames(title, deltas)
    if w.style == "matrix":
        for equation in gradient_matrices(w):
            frames += stage.equation_frames("Gradients of a weight matrix", (equation,))
    for name in detail:
        frames += gradient_frames(stage, w.solution.derivations.of[name])
    rest = [p for p in w.network.params if p.name not in detail]
    rows = tuple((n.param[p.name], w.show(w.hand.gradients[p.name]), w.value(p.name, True)) for p in rest)
    for start in range(0, len(rows), TABLE_ROWS):
        frames.append(Frame("table", "Proceeding similarly", table=rows[start:start + TABLE_ROWS],
                            header=("parameter", "gradient", "new value")))
    return tuple(frames)


def _updates(stage: Stage, detail: list[str]) -> tuple[Frame, ...]:
    """The updates of the parameters worked in full, then the network with the new weights."""
    w = stage.w
    updates, _ = update_equations(w)
    updated = [q for q in w.network.params if q.kind == "weight" or w.solution.spec.update_biases]
    chosen = [e for e, p in zip(updates, updated) if p.name in detail]
    frames = stage.equation_frames("Updates", chosen)
    frames += network_frames(stage, "The network with the updated weights", after=True)
    return tuple(frames)


def _training(stage: Stage, run: TrainingRun) -> tuple[Frame, ...]:
    """How the run goes, its total error per epoch and loss curve, its parameters per epoch
    and (a small run) after every update; the tables split over frames of ``TABLE_ROWS``."""
    text = escape_text(run.words[0].upper() + run.words[1:]) + "."
    frames = stage.equation_frames("How the run goes", (Equation((run.rule,)),) if run.rule else (), text)
    frames += _tables("The total error per epoch", tuple(escape_text(h) for h in run.errors_header), run.errors, 1)
    frames.append(Frame("picture", "The loss curve",
                        picture=render("tikz/curve.tex.j2", "tex", stage.templates, curve=run.curve)))
    rows = tuple(tuple(r"\ldots" if c == ELLIPSIS else c for c in row) for row in run.rows)
    header = tuple(r"\ldots" if c == ELLIPSIS else escape_text(c) for c in run.header)
    frames += _tables("Every parameter per epoch", header, rows, 0, "footnotesize" if len(header) > 6 else "small")
    if run.steps:
        header = tuple(escape_text(c) if k < 3 else f"\\({c}\\)" for k, c in enumerate(run.steps_header))
        frames += _tables("The parameters after each update", header, run.steps, 3,
                          "scriptsize" if len(header) > 7 else "footnotesize")
    return tuple(frames)


def _tables(title: str, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], text_cells: int,
            size: str = "normalsize") -> list[Frame]:
    """``rows`` as table frames of at most ``TABLE_ROWS`` rows, the ones after the first
    "(continued)"; the first ``text_cells`` cells of a row are text, the others math."""
    return [Frame("table", title + (" (continued)" if start else ""), table=rows[start:start + TABLE_ROWS],
                  header=header, size=size, text_cells=text_cells, align="l" + "r" * (len(header) - 1))
            for start in range(0, len(rows), TABLE_ROWS)]


PARAGRAPHS_PER_FRAME = 4  # paragraphs of text on one frame of a derivation without numbers


def derivation_deck(solution: Solution, doc, preset: str | None = None, aspect: str = "169", handout: bool = False,
                    templates: Path | None = None, title_page: tuple[str, str, str] | None = None) -> Deck:
    """The deck of a derivation without numbers (``symbolic.Derivations``): a section per
    section, a frame per block (its text above its displays), split where it does not fit."""
    stage = Stage.of(solution, "chain", preset, aspect, templates)
    sections = []
    for section in doc.sections:
        title = escape_text(section.title)
        frames: list[Frame] = []
        for b in section.blocks:
            pars = [_paragraph(p) for p in b.paragraphs]
            chunks = [pars[k:k + PARAGRAPHS_PER_FRAME] for k in range(0, len(pars), PARAGRAPHS_PER_FRAME)] or [[]]
            for k, chunk in enumerate(chunks):
                equations = b.equations if k == len(chunks) - 1 else ()
                frames += stage.equation_frames(title, equations, r"\par\smallskip ".join(chunk))
        sections.append((title, tuple(_continued(frames))))
    spec = solution.spec
    author, institute, date = title_page or (spec.author, spec.institute, spec.date)
    return Deck(doc.title, aspect, handout, ",".join(diagram.TIKZ_LIBRARIES), tuple(sections), stage.column,
                escape_text(author), escape_text(institute), escape_text(date))


def _paragraph(p) -> str:
    """A paragraph as LaTeX text: its text escaped, its math inline."""
    text = "".join(rf"\({piece}\)" if kind == "math" else escape_text(piece) for kind, piece in p.pieces)
    return rf"\textbf{{{p.item}.}}~{text}" if p.item else text


def _continued(frames: list[Frame]) -> list[Frame]:
    """The frames of a section after its first titled "(continued)"."""
    return [f if k == 0 or f.title.endswith("(continued)") else replace(f, title=f.title + " (continued)")
            for k, f in enumerate(frames)]
