"""``symprop slides``: the Beamer deck of one training step, ``slides.tex`` and ``slides.pdf``."""

from __future__ import annotations

from pathlib import Path

from ..numbers.solution import solve
from ..render.deck import deck, derivation_deck
from ..render.env import render
from ..spec import Spec
from .files import write_outputs
from .options import SlidesOptions, output_folder


def slides_tex(spec: Spec, options: SlidesOptions) -> tuple[str, int]:
    """The deck's LaTeX and the number of pages it compiles to."""
    rendering = options.rendering
    title_page = tuple(given if given is not None else own for given, own in (
        (options.author, spec.author), (options.institute, spec.institute), (options.date, spec.date)))
    if rendering.symbolic:
        from .solve import derivation_doc

        solution = solve(spec, form=rendering.form)
        the_deck = derivation_deck(solution, derivation_doc(solution, rendering), rendering.notation, options.aspect,
                                   options.handout, rendering.templates, title_page)
        return render("beamer/slides.tex.j2", "tex", rendering.templates, deck=the_deck), the_deck.pages
    the_deck = deck(solve(spec, form=rendering.form), options.detail, rendering.style, rendering.notation,
                    options.aspect, options.handout, rendering.templates, title_page)
    return render("beamer/slides.tex.j2", "tex", rendering.templates, deck=the_deck), the_deck.pages


def slides_html(spec: Spec, options: SlidesOptions) -> str:
    """The deck as one reveal.js page, ``slides.html``."""
    from ..render.revealdeck import html_slides  # the web deck: loaded only when asked for

    rendering = options.rendering
    title_page = tuple(given if given is not None else own for given, own in (
        (options.author, spec.author), (options.institute, spec.institute), (options.date, spec.date)))
    return html_slides(solve(spec, form=rendering.form), options.detail, rendering.style, rendering.notation,
                       options.aspect, rendering.templates, title_page)


def write_slides(spec: Spec, options: SlidesOptions) -> list[Path]:
    """slides.tex (and slides.pdf unless ``pdf`` is off) in the output folder; with format
    html, slides.html."""
    if options.format == "html":
        return write_outputs(output_folder(spec, options.output), {"slides.html": slides_html(spec, options)})
    tex, _ = slides_tex(spec, options)
    pdfs = [("slides.tex", "slides.pdf")] if options.pdf else []
    return write_outputs(output_folder(spec, options.output), {"slides.tex": tex}, pdfs)
