"""The lecture deck as a reveal.js presentation: one self-contained ``slides.html``.

The same deck as the Beamer one (``deck.deck``: its sections and frames, in order), each
frame a slide: the network drawn inline (``htmlpic``), the equations typeset by the KaTeX
the page carries, tables as tables. On a path frame the path's units and edges light up
as the first fragment and the factors follow one fragment each, as Beamer's overlays do.
reveal.js and KaTeX are inlined from ``symprop.assets`` (no network, a file:// URL).
The frames' text is LaTeX; ``pieces`` turns it into text and math for the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..numbers.solution import Solution
from . import diagram
from .deck import deck as beamer_deck
from .document import short_label
from .env import render
from .frames import Frame, Reveal
from .html import aligned, inline_script, katex_css, katex_js
from .htmlpic import HtmlPicture, picture
from .parts import Equation
from .training import training_run
from .worked import plain_labels
from .writer import Writer

Pieces = tuple[tuple[str, str], ...]  # (text | math, the piece)

_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_UNESCAPE = (("\\textbackslash{}", "\\"), ("\\textasciicircum{}", "^"), ("\\textasciitilde{}", "~"),
             ("\\ldots", "…"), ("\\{", "{"), ("\\}", "}"), ("\\$", "$"), ("\\&", "&"), ("\\#", "#"), ("\\_", "_"),
             ("\\%", "%"), ("~", "\u00a0"))


def pieces(latex: str) -> Pieces:
    """LaTeX text with ``\\( \\)`` math (a frame's title or text) as pieces of plain text and math."""
    out: list[tuple[str, str]] = []
    for k, part in enumerate(_MATH.split(latex)):
        if k % 2:
            out.append(("math", part))
        elif part:
            for old, new in _UNESCAPE:
                part = part.replace(old, new)
            out.append(("text", part))
    return tuple(out)


@dataclass(frozen=True)
class Slide:
    kind: str  # picture | curve | equations | reveal | table | weights
    title: Pieces
    text: Pieces = ()
    equations: tuple[str, ...] = ()  # aligned displays
    groups: tuple[tuple[int, str], ...] = ()  # a reveal frame: (fragment index, its rows as one display)
    drawing: HtmlPicture | None = None
    units: tuple[str, ...] = ()  # on the path (a reveal frame's drawing)
    edges: tuple[str, ...] = ()
    header: tuple[Pieces, ...] = ()
    rows: tuple[tuple[Pieces, ...], ...] = ()
    tables: tuple[diagram.WeightTable, ...] = ()
    curve: str = ""


@dataclass(frozen=True)
class HtmlDeck:
    title: str  # plain text: the template escapes
    author: str
    institute: str
    date: str
    aspect: str
    sections: tuple[tuple[str, tuple[Slide, ...]], ...]
    katex_css: str
    katex_js: str
    reveal_css: str
    reveal_js: str
    drawing: HtmlPicture  # the network as given (its arrow markers serve every drawing of the deck)


def _groups(rows: tuple[Reveal, ...]) -> tuple[tuple[int, str], ...]:
    """A reveal frame's rows by overlay, each overlay's rows one display; overlay 1 with the
    path's highlight (fragment 0), overlay s as fragment s - 1."""
    out: list[tuple[int, list[str]]] = []
    for r in rows:
        if not out or out[-1][0] != r.step:
            out.append((r.step, []))
        out[-1][1].append(f"{r.lhs} &{r.rhs}")
    return tuple((step - 1, aligned(Equation(tuple(texts)))) for step, texts in out)


def _slide(frame: Frame, section: str, drawings: dict[str, HtmlPicture], curve: str,
           unit_names: dict[str, str]) -> Slide:
    title = pieces(frame.title)
    if frame.kind == "picture":
        if section == "Training":
            return Slide("curve", title, curve=curve)
        return Slide("picture", title, drawing=drawings["after" if section == "Updates" else "before"])
    if frame.kind == "equations":
        return Slide("equations", title, pieces(frame.text), tuple(aligned(e) for e in frame.equations))
    if frame.kind == "reveal":
        drawing = drawings["before"] if frame.picture else None
        return Slide("reveal", title, groups=_groups(frame.rows), drawing=drawing,
                     units=tuple(sorted(frame.units)), edges=tuple(sorted(frame.edges)))
    if frame.kind == "table":
        rows = tuple(tuple((("text", c),) if k < frame.text_cells else (("math", c),) for k, c in enumerate(row))
                     for row in frame.table)
        return Slide("table", title, header=tuple(pieces(h) for h in frame.header), rows=rows)
    return Slide("weights", title, tables=tuple(_plain(t, unit_names) for t in frame.tables))


def _plain(table: diagram.WeightTable, unit_names: dict[str, str]) -> diagram.WeightTable:
    """A values table with the units named as the drawing names them (the spec's names)."""
    return replace(table, sources=tuple(unit_names.get(s, s) for s in table.sources),
                   rows=tuple((unit_names.get(u, u), cells) for u, cells in table.rows))


def _drawings(solution: Solution, style: str, preset: str | None) -> dict[str, HtmlPicture]:
    """The network as given, and with the updated weights (plain labels, as the web page's)."""
    network = solution.network
    units, _, biases = plain_labels(network)
    w = Writer.of(solution, style, preset)
    after = {p.name: f"{p.name}' = {w.value(p.name, True)}" for p in network.params if p.kind == "weight"}
    return {"before": picture(network, (), tables=False), "after": picture(network, (), (units, after, biases), False)}


def html_deck(solution: Solution, detail: list[str] | None = None, style: str = "chain", preset: str | None = None,
              aspect: str = "169", templates: Path | None = None,
              title_page: tuple[str, str, str] | None = None) -> HtmlDeck:
    """The reveal.js deck of ``solution``: the Beamer deck's frames as slides."""
    the_deck = beamer_deck(solution, detail, style, preset, aspect, False, templates, title_page)
    drawings = _drawings(solution, style, preset)
    run = training_run(Writer.of(solution, style, preset))
    curve = re.sub(r"^<\?xml[^>]*\?>\s*", "", render("svg/curve.svg.j2", "html", templates, curve=run.curve)) \
        if run is not None else ""
    spec = solution.spec
    author, institute, date = title_page or (spec.author, spec.institute, spec.date)
    w = Writer.of(solution, style, preset)
    unit_names = {short_label(w.names.out[u.name], u.name): u.name for u in solution.network.units}  # deck's -> spec's
    sections = tuple((name, tuple(_slide(f, name, drawings, curve, unit_names) for f in frames))
                     for name, frames in the_deck.sections)
    return HtmlDeck(spec.title, author, institute, date, aspect, sections, katex_css(), katex_js(),
                    inline_script("reveal/reveal.css").replace("</style", "<\\/style"), inline_script("reveal/reveal.js"),
                    drawings["before"])


def html_slides(solution: Solution, detail: list[str] | None = None, style: str = "chain", preset: str | None = None,
                aspect: str = "169", templates: Path | None = None,
                title_page: tuple[str, str, str] | None = None) -> str:
    """``slides.html``."""
    return page(html_deck(solution, detail, style, preset, aspect, templates, title_page), templates)


def page(the_deck: HtmlDeck, templates: Path | None = None) -> str:
    """The deck through its template."""
    return render("reveal/slides.html.j2", "html", templates, deck=the_deck, aligned=aligned)


__all__ = ["HtmlDeck", "Slide", "html_deck", "html_slides", "page", "pieces"]
