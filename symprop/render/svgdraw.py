"""The network drawing as SVG (web pages, Markdown): a ``Layout`` written in px with y
pointing down (``svg_context``, every coordinate already written out) and rendered through
``svg/network.svg.j2``; labels are plain Unicode, escaped by the template."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.graph import Network
from .env import render
from .geometry import Box, Curve, Point
from .layout import Layout, layout
from .legend import NOTE_HEIGHT, TABLE_FONT, WeightTable, layer_names, note, weight_tables
from .measure import LABEL_FONT, TIP, text_width

SVG_SCALE = 50.0  # SVG pixels per cm
SVG_WIDTH_CM = 12.0


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
    return draw_svg(lay, weight_tables(lay, layer_names(network), text_width, SVG_WIDTH_CM), templates=templates)
