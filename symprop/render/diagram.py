"""The network drawing: one layout (``layout``), drawn as TikZ (documents, slides) and as SVG (web).

``draw_tikz`` and ``draw_svg`` turn a ``Layout`` into a drawing context (frozen records
whose every coordinate is in the drawing's units and already written out: cm for TikZ,
px with y pointing down for SVG) and render it through the templates
``tikz/network.tex.j2`` and ``svg/network.svg.j2``; the pictures' text lives there, so
the two pictures agree and the tests check the label boxes of the very coordinates drawn.
Highlighting is applied here, at draw time; the layout does not know of it. ``tikz`` and
``svg`` lay out and draw in one call. Output is deterministic: fixed decimals, no set or
hash order.

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
from .measure import PAD_X, PT, TIP, UNIT_FONT, latex_width, text_width

__all__ = [
    "TIKZ_LIBRARIES", "Layout", "draw_svg", "draw_tikz", "label_lines", "latex_width", "layout", "svg", "text_width",
    "tikz",
]

TIKZ_LIBRARIES: tuple[str, ...] = ("arrows.meta",)
SVG_SCALE = 50.0  # SVG pixels per cm
SVG_WIDTH_CM = 12.0


# --- TikZ ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TikzPoint:
    x: str
    y: str


@dataclass(frozen=True, slots=True)
class TikzPath:
    """A straight line, or a cubic curve through its two ``controls``."""

    start: TikzPoint
    end: TikzPoint
    controls: tuple[TikzPoint, ...]
    highlight: bool = False


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


def _n(value: float) -> str:
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


def _tikz_point(p: Point) -> TikzPoint:
    return TikzPoint(_n(p.x), _n(p.y))


def _tikz_path(curve: Curve, highlight: bool = False) -> TikzPath:
    controls = curve.cubic_controls() if curve.control is not None else ()
    return TikzPath(_tikz_point(curve.start), _tikz_point(curve.end), tuple(map(_tikz_point, controls)), highlight)


def _tikz_node(box: Box, lines: tuple[str, ...], highlight: bool = False) -> TikzNode:
    return TikzNode(_tikz_point(Point(box.x, box.y)), _n(box.w), _n(box.h), _n(box.w - 2 * PAD_X), lines, highlight)


def _tikz_font(size_cm: float, leading: float = 1.2) -> TikzFont:
    pt = size_cm / PT
    return TikzFont(f"{pt:.2f}", f"{pt * leading:.2f}")


def tikz_context(lay: Layout, highlight_units: frozenset[str] = frozenset(),
                 highlight_edges: frozenset[str] = frozenset()) -> TikzPicture:
    """The TikZ drawing context of ``lay``, the highlighted units and edges marked."""
    diameter = 2 * lay.units[0].radius if lay.units else 2 * MIN_RADIUS
    return TikzPicture(
        diameter=_n(diameter),
        tip=_n(TIP * 10),
        unit_font=_tikz_font(UNIT_FONT),
        label_font=_tikz_font(lay.label_font),
        bottom_left=_tikz_point(Point(0, lay.bottom)),
        top_right=_tikz_point(Point(lay.width, lay.top)),
        edges=tuple(_tikz_path(e.curve, e.param in highlight_edges) for e in lay.edges),
        bias_arrows=tuple(_tikz_path(a.curve) for b in lay.biases for a in b.arrows),
        edge_labels=tuple(_tikz_node(e.box, e.lines, e.param in highlight_edges) for e in lay.edges),
        bias_nodes=tuple(_tikz_node(b.box, (b.label,)) for b in lay.biases),
        units=tuple(TikzUnit(_tikz_point(u.centre), u.label, u.name in highlight_units) for u in lay.units),
    )


def draw_tikz(lay: Layout, highlight_units: frozenset[str] = frozenset(), highlight_edges: frozenset[str] = frozenset(),
              *, templates: Path | None = None) -> str:
    """``lay`` as a ``tikzpicture`` exactly its width wide; labels are LaTeX math source.
    Needs ``\\usetikzlibrary`` of ``TIKZ_LIBRARIES``. Highlighted units and edges (by unit
    and weight name) are drawn thick and red."""
    pic = tikz_context(lay, highlight_units, highlight_edges)
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
    """The network laid out ``width_cm`` wide with LaTeX labels, drawn by ``draw_tikz``."""
    lay = layout(network, unit_labels, edge_labels, bias_labels, width_cm, latex_width)
    return draw_tikz(lay, highlight_units, highlight_edges, templates=templates)


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


def svg_context(lay: Layout) -> SvgPicture:
    """The SVG drawing context of ``lay``."""
    px = _Pixels(lay.top)
    tip = TIP * SVG_SCALE
    return SvgPicture(
        width=f"{lay.width * SVG_SCALE:.2f}",
        height=f"{lay.height * SVG_SCALE:.2f}",
        tip=f"{tip:.2f}",
        tip_height=f"{tip * 0.7:.2f}",
        edges=tuple(px.path(e.curve) for e in lay.edges),
        bias_arrows=tuple(px.path(a.curve) for b in lay.biases for a in b.arrows),
        edge_labels=tuple(px.label(e.box, lay.label_font, e.lines) for e in lay.edges),
        bias_labels=tuple(px.label(b.box, lay.label_font, (b.label,)) for b in lay.biases),
        units=tuple(
            SvgUnit(px.x(u.centre.x), px.y(u.centre.y), px.x(u.radius), px.text(u.centre, UNIT_FONT, (u.label,)))
            for u in lay.units
        ),
    )


def draw_svg(lay: Layout, *, templates: Path | None = None) -> str:
    """``lay`` as a standalone SVG 1.1 file (``SVG_SCALE`` px per cm), marked as ours; labels
    are plain Unicode text, escaped by the template."""
    return render("svg/network.svg.j2", "html", templates, pic=svg_context(lay))


def svg(network: Network, unit_labels: Mapping[str, str], edge_labels: Mapping[str, str],
        bias_labels: Mapping[str, str], *, templates: Path | None = None) -> str:
    """The network laid out ``SVG_WIDTH_CM`` wide with plain labels, drawn by ``draw_svg``."""
    lay = layout(network, unit_labels, edge_labels, bias_labels, SVG_WIDTH_CM, text_width)
    return draw_svg(lay, templates=templates)
