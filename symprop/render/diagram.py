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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.graph import Network
from .env import render
from .geometry import Box, Curve, Point
from .layout import MIN_RADIUS, Layout, label_lines, layout
from .measure import LABEL_FONT, PAD_X, PT, TIP, Measure, latex_width, text_width

__all__ = [
    "TIKZ_LIBRARIES", "Layout", "WeightTable", "draw_svg", "draw_tikz", "label_lines", "latex_width", "layout", "note",
    "svg", "text_width", "tikz", "weight_tables",
]

TIKZ_LIBRARIES: tuple[str, ...] = ("arrows.meta",)
SVG_SCALE = 50.0  # SVG pixels per cm
SVG_WIDTH_CM = 12.0
NOTE_HEIGHT = 0.5  # the note line under a drawing (cm)
TABLE_FONT = 8.0 * PT  # the values' tables (cm)


# --- what the drawing says about itself ---------------------------------------------------------


def note(lay: Layout, tables: bool = True) -> str:
    """Which note the drawing carries (its sentence is in the templates): '' when every edge is
    labelled as asked; path (path-bare: not even the path), names, bare (``-next``: their table is
    not under the picture) or blocks."""
    if lay.mode == "blocks":
        return "blocks"
    if lay.partial:
        return "path-bare" if lay.mode == "bare" else "path"
    if lay.mode == "full":
        return ""
    return lay.mode if tables else f"{lay.mode}-next"


@dataclass(frozen=True, slots=True)
class WeightTable:
    """The values of the weights (and biases) into one layer: ``rows`` of (unit, one value
    per source in ``sources``, then the bias if ``bias``); '' where there is no edge."""

    layer: str
    sources: tuple[str, ...]
    bias: bool
    rows: tuple[tuple[str, tuple[str, ...]], ...]


def _value(label: str) -> str:
    lines = label_lines(label, True)
    return lines[1].removeprefix("=").strip() if len(lines) > 1 else label


def weight_tables(lay: Layout, layer_names: Mapping[int, str], measure: Measure = latex_width,
                  width: float | None = None) -> tuple[WeightTable, ...]:
    """The tables of a drawing whose edges do not show their values (none otherwise), a
    layer's columns split over several tables where they would be wider than ``width``."""
    if lay.mode not in ("names", "bare") or lay.partial:
        return ()
    label = {u.name: u.label for u in lay.units}
    layer_of = {u.name: u.layer for u in lay.units}
    order = {u.name: k for k, u in enumerate(lay.units)}
    bias_of = {unit: _value(label) for unit, label in lay.unit_biases}
    tables = []
    for layer in sorted({layer_of[e.target] for e in lay.edges}):
        into = [e for e in lay.edges if layer_of[e.target] == layer]
        sources = sorted({e.source for e in into}, key=order.__getitem__)
        targets = sorted({e.target for e in into}, key=order.__getitem__)
        cell = {(e.target, e.source): _value(e.label) for e in into}
        bias = any(t in bias_of for t in targets)
        sep = 0.45  # a column's padding (LaTeX's 2 \tabcolsep), cm
        first = max([measure(label[t]) for t in targets] + [0.5 * len(f"into {layer_names.get(layer, '')}")])
        column = max([measure(label[s]) for s in sources] + [measure(v) for v in cell.values()] + [1.5])
        room = (width or 0.0) - (first + 1.7 * bias) * TABLE_FONT - sep * (1 + bias)
        per = len(sources) if width is None else max(1, int(room / (column * TABLE_FONT + sep)))
        for start in range(0, len(sources), per):
            chunk = sources[start:start + per]
            last = start + per >= len(sources)
            rows = tuple((label[t], tuple(cell.get((t, s), "") for s in chunk) + ((bias_of.get(t, ""),) if bias and last
                                                                                   else ())) for t in targets)
            tables.append(WeightTable(layer_names.get(layer, str(layer)), tuple(label[s] for s in chunk),
                                      bias and last, rows))
    return tuple(tables)


def _layer_names(network: Network) -> dict[int, str]:
    return {k: la.name for k, la in enumerate(network.spec.layers)}


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
    tables = weight_tables(lay, _layer_names(network), latex_width, width_cm)
    return draw_tikz(lay, highlight_units, highlight_edges, tables=tables, templates=templates)


# --- SVG --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SvgPoint:
    x: str
    y: str


@dataclass(frozen=True, slots=True)
class SvgPath:
    """A straight line, or a quadratic curve through ``control``; it ends at the arrow tip's
    base (the marker draws the tip up to the circle)."""

    start: SvgPoint
    end: SvgPoint
    control: SvgPoint | None


@dataclass(frozen=True, slots=True)
class SvgLine:
    y: str  # baseline
    text: str


@dataclass(frozen=True, slots=True)
class SvgText:
    """Centred text: ``y`` is the first baseline; lines after the first are tspans."""

    x: str
    y: str
    size: str
    lines: tuple[SvgLine, ...]

    @property
    def stacked(self) -> bool:
        return len(self.lines) > 1


@dataclass(frozen=True, slots=True)
class SvgBox:
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True, slots=True)
class SvgLabel:
    box: SvgBox
    text: SvgText


@dataclass(frozen=True, slots=True)
class SvgUnit:
    cx: str
    cy: str
    r: str
    text: SvgText


@dataclass(frozen=True, slots=True)
class SvgRule:
    """A horizontal line under a table's header."""

    x1: str
    x2: str
    y: str


@dataclass(frozen=True, slots=True)
class SvgPicture:
    width: str
    height: str
    tip: str  # the arrow marker's length and width
    tip_height: str
    edges: tuple[SvgPath, ...]
    bias_arrows: tuple[SvgPath, ...]
    edge_labels: tuple[SvgLabel, ...]
    bias_labels: tuple[SvgLabel, ...]
    units: tuple[SvgUnit, ...]
    blocks: tuple[SvgLabel, ...] = ()
    block_arrows: tuple[SvgPath, ...] = ()
    note: str = ""
    note_text: SvgText | None = None  # where the note's sentence goes (one empty line)
    cells: tuple[SvgText, ...] = ()  # the tables, every cell placed
    rules: tuple[SvgRule, ...] = ()


class _Pixels:
    """Layout cm (y up) written as SVG px (y down from the canvas top)."""

    def __init__(self, top: float) -> None:
        self.top = top

    def x(self, value: float) -> str:
        return f"{value * SVG_SCALE:.2f}"

    def y(self, value: float) -> str:
        return f"{(self.top - value) * SVG_SCALE:.2f}"

    def point(self, p: Point) -> SvgPoint:
        return SvgPoint(self.x(p.x), self.y(p.y))

    def path(self, curve: Curve) -> SvgPath:
        d = curve.end_direction()
        end = Point(curve.end.x - d.x * TIP * 0.9, curve.end.y - d.y * TIP * 0.9)
        control = None if curve.control is None else self.point(curve.control)
        return SvgPath(self.point(curve.start), self.point(end), control)

    def text(self, at: Point, size: float, lines: tuple[str, ...]) -> SvgText:
        first = at.y + (len(lines) - 1) / 2 * 1.2 * size - 0.35 * size  # first baseline
        baselines = tuple(SvgLine(self.y(first - k * 1.2 * size), line) for k, line in enumerate(lines))
        return SvgText(self.x(at.x), self.y(first), self.x(size), baselines)

    def label(self, box: Box, size: float, lines: tuple[str, ...]) -> SvgLabel:
        rect = SvgBox(self.x(box.left), self.y(box.top), self.x(box.w), self.x(box.h))
        return SvgLabel(rect, self.text(Point(box.x, box.y), size, lines))


def _svg_tables(tables: tuple[WeightTable, ...], top: float, width: float) -> tuple[list, list, float]:
    """Every table cell as centred text, tables one under another from ``top`` down: the
    cells, the header rules and the bottom."""
    cells: list[tuple[Point, str]] = []
    rules: list[tuple[float, float, float]] = []
    row = 1.3 * TABLE_FONT
    y = top
    for table in tables:
        header = (f"into {table.layer}", *table.sources, *(("bias",) if table.bias else ()))
        columns = [[header[0], *(r[0] for r in table.rows)]] + [
            [h, *(r[1][k] for r in table.rows)] for k, h in enumerate(header[1:])
        ]
        widths = [max(text_width(c) for c in col) * TABLE_FONT + 0.3 for col in columns]
        x = max(0.0, (width - sum(widths)) / 2)
        for col, w in zip(columns, widths):
            for k, text in enumerate(col):
                cells.append((Point(x + w / 2, y - (k + 0.5) * row), text))
            x += w
        rules.append((max(0.0, (width - sum(widths)) / 2), x, y - row))
        y -= (len(table.rows) + 1) * row + 0.3
    return cells, rules, y


def svg_context(lay: Layout, tables: tuple[WeightTable, ...] = ()) -> SvgPicture:
    """The SVG drawing context of ``lay``, its note and ``tables`` under it."""
    said = note(lay)
    cells, rules, bottom = _svg_tables(tables, lay.bottom - (NOTE_HEIGHT if said else 0.0), lay.width)
    px = _Pixels(lay.top)
    tip = TIP * SVG_SCALE
    block_font = LABEL_FONT * 1.2
    return SvgPicture(
        width=f"{lay.width * SVG_SCALE:.2f}",
        height=f"{(lay.top - bottom) * SVG_SCALE:.2f}",
        tip=f"{tip:.2f}",
        tip_height=f"{tip * 0.7:.2f}",
        edges=tuple(px.path(e.curve) for e in lay.edges),
        bias_arrows=tuple(px.path(a.curve) for b in lay.biases for a in b.arrows),
        edge_labels=tuple(px.label(e.box, lay.label_font, e.lines) for e in lay.edges if e.box is not None),
        bias_labels=tuple(px.label(b.box, lay.label_font, (b.label,)) for b in lay.biases),
        units=tuple(
            SvgUnit(px.x(u.centre.x), px.y(u.centre.y), px.x(u.radius), px.text(u.centre, lay.unit_font, (u.label,)))
            for u in lay.units
        ),
        blocks=tuple(px.label(b.box, block_font, (b.name, f"{b.units} units", b.activation)) for b in lay.blocks),
        block_arrows=tuple(px.path(c) for c in lay.block_arrows),
        note=said,
        note_text=px.text(Point(lay.width / 2, lay.bottom - NOTE_HEIGHT / 2), LABEL_FONT * 1.15, ("",)) if said
        else None,
        cells=tuple(px.text(p, TABLE_FONT, (text,)) for p, text in cells),
        rules=tuple(SvgRule(px.x(a), px.x(b), px.y(y)) for a, b, y in rules),
    )


def draw_svg(lay: Layout, tables: tuple[WeightTable, ...] = (), *, templates: Path | None = None) -> str:
    """``lay`` as a standalone SVG 1.1 file (``SVG_SCALE`` px per cm), marked as ours; labels
    are plain Unicode text, escaped by the template."""
    return render("svg/network.svg.j2", "html", templates, pic=svg_context(lay, tables))


def svg(network: Network, unit_labels: Mapping[str, str], edge_labels: Mapping[str, str],
        bias_labels: Mapping[str, str], *, templates: Path | None = None) -> str:
    """The network laid out ``SVG_WIDTH_CM`` wide with plain labels, drawn by ``draw_svg``
    with its tables (if any) under it."""
    lay = layout(network, unit_labels, edge_labels, bias_labels, SVG_WIDTH_CM, text_width)
    return draw_svg(lay, weight_tables(lay, _layer_names(network), text_width, SVG_WIDTH_CM), templates=templates)
