"""The network drawing: one layout (``layout``), drawn as TikZ (documents, slides) and as SVG (web).

``draw_tikz`` and ``draw_svg`` turn a ``Layout`` into a drawing context (frozen records
whose every coordinate is in the drawing's units and already written out: cm for TikZ,
px with y pointing down for SVG) and render it through the templates
``tikz/network.tex.j2`` and ``svg/network.svg.j2``; the pictures' text lives there, so
the two pictures agree and the tests check the label boxes of the very coordinates drawn.
Highlighting is applied here, at draw time; the layout does not know of it. ``tikz`` and
``svg`` lay out and draw in one call. Output is deterministic: fixed decimals, no set or
hash order.

When the layout had to label plainer than asked (``Layout.mode``), the drawing says so in
a note under it, and gives the values the edges do not show in a table per layer
(``weight_tables``: a row per unit fed, a column per input, and the bias): under the
picture, or (``tables=False``) left to the caller, a deck showing them on a frame of their own.

TikZ labels are LaTeX math source; SVG labels are plain Unicode, escaped by the template.
The TikZ picture is written here, the SVG one in ``svgdraw``, the note and the tables in
``legend``; this module is the drawing's one entry point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.graph import Network
from .env import render
from .geometry import Box, Curve, Point
from .layout import MIN_RADIUS, Layout, label_lines, layout
from .legend import NOTE_HEIGHT, TABLE_FONT, WeightTable, layer_names, note, weight_tables
from .measure import PAD_X, PT, TIP, latex_width, text_width
from .svgdraw import SVG_SCALE, SVG_WIDTH_CM, draw_svg, svg, svg_context

__all__ = [  # the drawing's one entry point: the layout, both pictures, their note and tables
    "NOTE_HEIGHT", "SVG_SCALE", "SVG_WIDTH_CM", "TIKZ_LIBRARIES", "Layout", "WeightTable", "draw_svg", "draw_tikz",
    "label_lines", "latex_width", "layout", "note", "svg", "svg_context", "text_width", "tikz", "weight_tables",
]

TIKZ_LIBRARIES: tuple[str, ...] = ("arrows.meta",)


# --- TikZ ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TikzPoint:
    x: str
    y: str


@dataclass(frozen=True, slots=True)
class TikzPath:
    """A straight line, or a cubic curve through its two ``controls``; ``light``: drawn
    lighter (an edge off the path on a path frame)."""

    start: TikzPoint
    end: TikzPoint
    controls: tuple[TikzPoint, ...]
    highlight: bool = False
    light: bool = False


@dataclass(frozen=True, slots=True)
class TikzNode:
    """A label box: its centre, size, the width a line may take before it is shrunk, its lines."""

    at: TikzPoint
    width: str
    height: str
    inner: str
    lines: tuple[str, ...]
    highlight: bool = False


@dataclass(frozen=True, slots=True)
class TikzUnit:
    at: TikzPoint
    label: str
    highlight: bool


@dataclass(frozen=True, slots=True)
class TikzBlock:
    """A layer drawn as a box: its name, size and activation (plain text)."""

    at: TikzPoint
    width: str
    height: str
    name: str
    units: int
    activation: str


@dataclass(frozen=True, slots=True)
class TikzFont:
    size: str  # pt
    leading: str  # pt


@dataclass(frozen=True, slots=True)
class TikzPicture:
    diameter: str  # of the unit circles (cm)
    tip: str  # arrow tip length (mm)
    unit_font: TikzFont
    label_font: TikzFont
    bottom_left: TikzPoint
    top_right: TikzPoint
    edges: tuple[TikzPath, ...]
    bias_arrows: tuple[TikzPath, ...]
    edge_labels: tuple[TikzNode, ...]
    bias_nodes: tuple[TikzNode, ...]
    units: tuple[TikzUnit, ...]
    blocks: tuple[TikzBlock, ...] = ()
    note: str = ""  # which note goes under the drawing (``note``)
    note_at: TikzPoint = TikzPoint("0.000", "0.000")
    note_width: str = "0.000"
    tables: tuple[WeightTable, ...] = ()
    table_font: TikzFont = TikzFont("8.00", "9.60")


def _n(value: float) -> str:
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


def _tikz_point(p: Point) -> TikzPoint:
    return TikzPoint(_n(p.x), _n(p.y))


def _tikz_path(curve: Curve, highlight: bool = False, light: bool = False) -> TikzPath:
    controls = curve.cubic_controls() if curve.control is not None else ()
    return TikzPath(_tikz_point(curve.start), _tikz_point(curve.end), tuple(map(_tikz_point, controls)), highlight,
                    light and not highlight)


def _tikz_node(box: Box, lines: tuple[str, ...], highlight: bool = False) -> TikzNode:
    return TikzNode(_tikz_point(Point(box.x, box.y)), _n(box.w), _n(box.h), _n(box.w - 2 * PAD_X), lines, highlight)


def _tikz_font(size_cm: float, leading: float = 1.2) -> TikzFont:
    pt = size_cm / PT
    return TikzFont(f"{pt:.2f}", f"{pt * leading:.2f}")


def tikz_context(lay: Layout, highlight_units: frozenset[str] = frozenset(),
                 highlight_edges: frozenset[str] = frozenset(), tables: tuple[WeightTable, ...] = (),
                 tables_below: bool = True) -> TikzPicture:
    """The TikZ drawing context of ``lay``, the highlighted units and edges marked; a note
    line under the drawing when it is labelled plainer than asked."""
    diameter = 2 * lay.units[0].radius if lay.units else 2 * MIN_RADIUS
    said = note(lay, tables_below)
    bottom = lay.bottom - (NOTE_HEIGHT if said else 0.0)
    return TikzPicture(
        diameter=_n(diameter),
        tip=_n(TIP * 10),
        unit_font=_tikz_font(lay.unit_font),
        label_font=_tikz_font(lay.label_font),
        bottom_left=_tikz_point(Point(0, bottom)),
        top_right=_tikz_point(Point(lay.width, lay.top)),
        edges=tuple(_tikz_path(e.curve, e.param in highlight_edges, lay.partial and e.box is None) for e in lay.edges)
        + tuple(_tikz_path(c) for c in lay.block_arrows),
        bias_arrows=tuple(_tikz_path(a.curve) for b in lay.biases for a in b.arrows),
        edge_labels=tuple(_tikz_node(e.box, e.lines, e.param in highlight_edges) for e in lay.edges
                          if e.box is not None),
        bias_nodes=tuple(_tikz_node(b.box, (b.label,)) for b in lay.biases),
        units=tuple(TikzUnit(_tikz_point(u.centre), u.label, u.name in highlight_units) for u in lay.units),
        blocks=tuple(TikzBlock(_tikz_point(Point(b.box.x, b.box.y)), _n(b.box.w), _n(b.box.h), b.name, b.units,
                               b.activation) for b in lay.blocks),
        note=said,
        note_at=_tikz_point(Point(lay.width / 2, bottom + NOTE_HEIGHT / 2)),
        note_width=_n(lay.width),
        tables=tables if tables_below else (),
        table_font=_tikz_font(TABLE_FONT),
    )


def draw_tikz(lay: Layout, highlight_units: frozenset[str] = frozenset(), highlight_edges: frozenset[str] = frozenset(),
              *, tables: tuple[WeightTable, ...] = (), tables_below: bool = True, templates: Path | None = None) -> str:
    """``lay`` as a ``tikzpicture`` exactly its width wide; labels are LaTeX math source.
    Needs ``\\usetikzlibrary`` of ``TIKZ_LIBRARIES``. Highlighted units and edges (by unit
    and weight name) are drawn thick in the highlight colour; ``tables`` follow the picture
    (``tables_below``) or are the caller's to show (the note then says they come next)."""
    pic = tikz_context(lay, highlight_units, highlight_edges, tables, tables_below)
    return render("tikz/network.tex.j2", "tex", templates, pic=pic)


def tikz(
    network: Network,
    unit_labels: Mapping[str, str],
    edge_labels: Mapping[str, str],
    bias_labels: Mapping[str, str],
    highlight_units: frozenset[str] = frozenset(),
    highlight_edges: frozenset[str] = frozenset(),
    width_cm: float = 12.0,
    *,
    templates: Path | None = None,
) -> str:
    """The network laid out ``width_cm`` wide with LaTeX labels, drawn by ``draw_tikz`` with
    its tables (if any) under it."""
    lay = layout(network, unit_labels, edge_labels, bias_labels, width_cm, latex_width)
    tables = weight_tables(lay, layer_names(network), latex_width, width_cm)
    return draw_tikz(lay, highlight_units, highlight_edges, tables=tables, templates=templates)
