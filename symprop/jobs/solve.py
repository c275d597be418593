"""``symprop solve``: one training step as JSON, or its worked solution as files.

``solution.md`` with ``network.svg`` beside it, ``solution.tex``, ``solution.tex`` and
``solution.pdf``, or ``solution.html`` (one self-contained page); the document is prepared
once and rendered in its format. Decimal arithmetic out of range anywhere on the way is one
line naming the spec (``in_range``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import SympropError
from ..numbers.solution import Solution, solve
from ..spec import Spec
from .files import write_outputs
from .options import SolveOptions, output_folder


def solved(spec: Spec, options: SolveOptions) -> Solution:
    """The solved step, with its hand calculation adding up gradients as the style does."""
    return solve(spec, form=options.rendering.form)


@contextmanager
def in_range(spec: Spec) -> Iterator[None]:
    """Decimal arithmetic out of range (an overflow, an invalid operation) as a one-line
    error naming the spec, wherever it happens while solving or rendering."""
    try:
        yield
    except ArithmeticError as exc:
        raise SympropError(f"{spec.source}: a number out of range while solving ({type(exc).__name__}); "
                           "use smaller weights, inputs or biases") from None


def solution_json(spec: Spec, options: SolveOptions) -> str:
    with in_range(spec):
        return solved(spec, options).to_json() + "\n"


def worked_texts(solution: Solution, fmt: str, rendering) -> dict[str, str]:
    """The files of the worked solution in ``fmt`` (md, html, or tex for tex and pdf)."""
    from ..render.document import document  # documents only: JSON needs neither Jinja nor the renderers
    from ..render.worked import LOSS_SVG, latex, loss_svg, markdown, network_svg

    if rendering.symbolic:
        return _symbolic_texts(solution, fmt, rendering)
    if fmt == "html":
        from ..render.html import html_page  # the web page: one file, its script and fonts inside

        return {"solution.html": html_page(solution, rendering.style, rendering.notation, rendering.full_steps,
                                           rendering.templates)}
    doc = document(solution, rendering.style, rendering.notation, rendering.full_steps)
    if fmt == "md":
        texts = {"network.svg": network_svg(solution.network, rendering.templates)}
        if doc.training:
            texts[LOSS_SVG] = loss_svg(doc, rendering.templates)
        return {**texts, "solution.md": markdown(doc, rendering.templates)}
    return {"solution.tex": latex(doc, solution.network, rendering.templates)}


def derivation_doc(solution: Solution, rendering):
    """The document without numbers: the general derivation, or the symbolic chain / delta solution."""
    from ..render.general import general_document
    from ..render.symbolic import symbolic_document

    if rendering.style == "general":
        return general_document(solution, rendering.notation)
    return symbolic_document(solution, rendering.style, rendering.notation)


def _symbolic_texts(solution: Solution, fmt: str, rendering) -> dict[str, str]:
    from ..render.env import render

    doc = derivation_doc(solution, rendering)
    if fmt == "md":
        return {"solution.md": render("md/derivation.md.j2", "md", rendering.templates, doc=doc)}
    if fmt == "html":
        from ..render.html import derivation_page

        return {"solution.html": derivation_page(doc, rendering.templates)}
    return {"solution.tex": render("tex/derivation.tex.j2", "tex", rendering.templates, doc=doc)}


def write_solution(spec: Spec, options: SolveOptions) -> list[Path]:
    """Write the worked solution into the output folder; returns the files written."""
    with in_range(spec):
        solution = solved(spec, options)
        texts = worked_texts(solution, options.format, options.rendering)
    pdfs = [("solution.tex", "solution.pdf")] if options.format == "pdf" else []
    return write_outputs(output_folder(spec, options.output), texts, pdfs)
