"""The network drawing: one layout, rendered as TikZ (documents, slides) and as SVG (web).

``layout`` computes, in centimetres with y pointing up, where every unit circle, weight
arrow, bias node and label box goes: layers left to right, the units of a layer evenly
spaced and centred, skip-layer edges curved around the units they pass, a bias node per
bias parameter under the column before the layer it feeds (dashed arrows to every unit
it feeds), and each weight's label on its edge (nearer the source) at the fraction that
collides with no circle, arrow tip, bias node or other label and crosses the fewest other
lines. The width is given; the vertical spacing grows until every label fits, and only
crowded networks fall back to labels off-centre on their edge, on two lines (name over
value) and smaller. ``tikz`` and ``svg`` only draw that layout, so the two pictures agree
and the tests check the label boxes of the very coordinates drawn. Output is
deterministic: fixed decimals, no set or hash order.

Label sizes are estimated from the text (``text_width`` for the SVG's plain Unicode,
``latex_width`` for LaTeX math source); the TikZ output shrinks a label that turns out
wider than its box, so a box is never exceeded.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from xml.sax.saxutils import escape

from ..core.graph import Network

TIKZ_LIBRARIES: tuple[str, ...] = ("arrows.meta",)

PT = 2.54 / 72.27  # one TeX point in cm
LABEL_FONT = 7.0 * PT  # edge and bias labels (cm)
UNIT_FONT = 10.0 * PT  # unit labels (cm)
PAD_X, PAD_Y = 0.06, 0.035  # label box padding (cm)
LABEL_GAP = 0.05  # minimum clearance between a label box and anything else (cm)
MIN_RADIUS = 0.32
TIP = 0.2  # arrow tip length (cm)
SVG_SCALE = 50.0  # SVG pixels per cm
FRACTIONS = tuple(round(0.1 + 0.025 * k, 3) for k in range(33))  # 0.1 .. 0.9 along an edge

Measure = Callable[[str], float]  # label text -> width in em


# --- geometry -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box (its sides; ``Box.around`` makes one from centre and size)."""

    left: float
    bottom: float
    right: float
    top: float

    @staticmethod
    def around(x: float, y: float, w: float, h: float) -> Box:
        return Box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    @property
    def x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def y(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def w(self) -> float:
        return self.right - self.left

    @property
    def h(self) -> float:
        return self.top - self.bottom

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.bottom - by, self.right + by, self.top + by)

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (
            self.left < other.right + gap
            and other.left < self.right + gap
            and self.bottom < other.top + gap
            and other.bottom < self.top + gap
        )

    def hits_circle(self, centre: Point, radius: float, gap: float = 0.0) -> bool:
        dx = max(self.left - centre.x, 0.0, centre.x - self.right)
        dy = max(self.bottom - centre.y, 0.0, centre.y - self.top)
        return dx * dx + dy * dy < (radius + gap) ** 2

    def boundary_towards(self, target: Point) -> Point:
        """Where the ray from the centre towards ``target`` leaves the box."""
        x, y = self.x, self.y
        dx, dy = target.x - x, target.y - y
        scale = min(self.w / 2 / abs(dx) if dx else math.inf, self.h / 2 / abs(dy) if dy else math.inf)
        return Point(x + dx * scale, y + dy * scale)


@dataclass(frozen=True, slots=True)
class Curve:
    """A straight segment, or a quadratic Bézier curve when ``control`` is set."""

    start: Point
    end: Point
    control: Point | None = None

    def at(self, t: float) -> Point:
        a, b = self.start, self.end
        if self.control is None:
            return Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
        c, s = self.control, 1 - t
        return Point(s * s * a.x + 2 * s * t * c.x + t * t * b.x, s * s * a.y + 2 * s * t * c.y + t * t * b.y)

    def end_direction(self) -> Point:
        """The unit tangent at the end (the arrow tip's direction)."""
        return _unit(self.control or self.start, self.end)

    def polyline(self, pieces: int = 16) -> tuple[Point, ...]:
        if self.control is None:
            return (self.start, self.end)
        return tuple(self.at(k / pieces) for k in range(pieces + 1))

    def cubic_controls(self) -> tuple[Point, Point]:
        """The same curve's two cubic control points (TikZ draws cubics)."""
        a, b, c = self.start, self.end, self.control or self.start
        return (
            Point(a.x + 2 / 3 * (c.x - a.x), a.y + 2 / 3 * (c.y - a.y)),
            Point(b.x + 2 / 3 * (c.x - b.x), b.y + 2 / 3 * (c.y - b.y)),
        )


def _unit(a: Point, b: Point) -> Point:
    d = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    return Point((b.x - a.x) / d, (b.y - a.y) / d)


def _toward(a: Point, b: Point, distance: float) -> Point:
    u = _unit(a, b)
    return Point(a.x + u.x * distance, a.y + u.y * distance)


def _segment_hits_box(p: Point, q: Point, box: Box) -> bool:
    """Liang-Barsky: does segment pq enter the box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = q.x - p.x, q.y - p.y
    for den, num in ((-dx, p.x - box.left), (dx, box.right - p.x), (-dy, p.y - box.bottom), (dy, box.top - p.y)):
        if den == 0:
            if num < 0:
                return False
        else:
            r = num / den
            if den < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def _segment_distance(c: Point, p: Point, q: Point) -> float:
    dx, dy = q.x - p.x, q.y - p.y
    t = max(0.0, min(1.0, ((c.x - p.x) * dx + (c.y - p.y) * dy) / ((dx * dx + dy * dy) or 1.0)))
    return math.hypot(p.x + t * dx - c.x, p.y + t * dy - c.y)


# --- label widths -----------------------------------------------------------------------

# DejaVu Sans advance widths (em); it is wider than Arial or Helvetica, so an upper bound.
_SANS = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974,
    0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525,
)))
_SANS.update({d: 0.636 for d in "0123456789"})
_SANS.update({" ": 0.318, ".": 0.318, ",": 0.318, ":": 0.337, "=": 0.838, "-": 0.361, "+": 0.838,
              "−": 0.838, "_": 0.5, "(": 0.390, ")": 0.390, "/": 0.337, "'": 0.275, "·": 0.318})

# Computer Modern math italic (em), and the space TeX puts around relations and binary operators.
_MATH = dict(zip("abcdefghijklmnopqrstuvwxyz", (
    0.529, 0.429, 0.433, 0.520, 0.466, 0.490, 0.477, 0.576, 0.345, 0.412, 0.521, 0.298, 0.878,
    0.600, 0.485, 0.503, 0.446, 0.451, 0.469, 0.361, 0.572, 0.485, 0.716, 0.572, 0.490, 0.465,
)))
_MATH.update({d: 0.5 for d in "0123456789"})
_MATH.update({"=": 0.778 + 0.556, "+": 0.778 + 0.444, "-": 0.778 + 0.444, "<": 0.778 + 0.556,
              ">": 0.778 + 0.556, ".": 0.278, ",": 0.445, ";": 0.445, ":": 0.278 + 0.556, "(": 0.389,
              ")": 0.389, "[": 0.278, "]": 0.278, "/": 0.5, "'": 0.3, "|": 0.278, "!": 0.278, "*": 0.5})
_MATH_SPACES = {",": 0.167, ":": 0.222, ";": 0.278, "!": -0.167, " ": 0.333, "quad": 1.0, "qquad": 2.0}
_MATH_FONTS = {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathnormal", "boldsymbol", "text", "textrm",
               "textit", "textbf", "textsf", "texttt", "operatorname", "mathcal", "mbox", "hbox", "left", "right",
               "displaystyle", "textstyle", "scriptstyle", "mathstrut", "strut"}
_MATH_SYMBOLS = {"cdot": 0.778, "times": 0.778, "pm": 0.778, "mp": 0.778, "approx": 1.334, "leq": 1.334,
                 "geq": 1.334, "le": 1.334, "ge": 1.334, "neq": 1.334, "ne": 1.334, "to": 1.556,
                 "rightarrow": 1.556, "leftarrow": 1.556, "ldots": 1.172, "dots": 1.172, "cdots": 1.172}


def text_width(label: str) -> float:
    """Width in em of plain text in a sans-serif font (an upper estimate)."""
    return sum(_SANS.get(ch, 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.75) for ch in label)


def latex_width(source: str) -> float:
    """Width in em of LaTeX math source set in text style at the label size (an estimate with
    10% to spare: small fonts are drawn wider than 10pt ones, scripts wider still)."""
    width, _ = _math_group(source, 0, 1.0, stop="")
    return 1.1 * 1.13 * width


def _math_group(src: str, i: int, scale: float, stop: str) -> tuple[float, int]:
    """Width of ``src[i:]`` up to the closing ``stop`` (or the end); returns (width, next index)."""
    total = 0.0
    while i < len(src) and src[i] != stop:
        width, i = _math_token(src, i, scale)
        total += width
    return total, i + 1


def _math_token(src: str, i: int, scale: float) -> tuple[float, int]:
    ch = src[i]
    if ch == "{":
        return _math_group(src, i + 1, scale, "}")
    if ch in "_^":
        if i + 1 >= len(src):
            return 0.0, i + 1
        return _math_token(src, i + 1, scale * 0.8)
    if ch == "\\":
        return _math_command(src, i + 1, scale)
    if ch in " \t\n~&$}":
        return 0.0, i + 1
    return scale * _MATH.get(ch.lower() if ch.isascii() else ch, 0.75 if ch.isupper() else 0.6), i + 1


def _math_command(src: str, i: int, scale: float) -> tuple[float, int]:
    j = i
    while j < len(src) and src[j].isalpha():
        j += 1
    name = src[i:j] if j > i else src[i : i + 1]
    j = max(j, i + 1)
    if name in _MATH_SPACES:
        return scale * _MATH_SPACES[name], j
    if name in _MATH_FONTS:
        return 0.0, j
    if name in ("frac", "tfrac", "dfrac") and j < len(src):
        top, j = _math_token(src, j, scale * 0.8)
        bottom, j = _math_token(src, j, scale * 0.8) if j < len(src) else (0.0, j)
        return max(top, bottom) + 0.2 * scale, j
    return scale * _MATH_SYMBOLS.get(name, 0.8 if len(name) > 1 else 0.6), j


# --- the layout ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitPlace:
    name: str
    layer: int
    centre: Point
    radius: float
    label: str


@dataclass(frozen=True, slots=True)
class EdgePlace:
    """A weight's arrow (circle to circle) and its label box, centred on the curve at ``t``."""

    param: str
    source: str
    target: str
    curve: Curve
    t: float
    box: Box
    label: str
    lines: tuple[str, ...]  # the label as set: one line, or the name over "= value"


@dataclass(frozen=True, slots=True)
class BiasArrow:
    target: str
    curve: Curve


@dataclass(frozen=True, slots=True)
class BiasPlace:
    """A bias node (its label in a box) and its dashed arrows to the units it feeds."""

    param: str
    box: Box
    label: str
    arrows: tuple[BiasArrow, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything drawn, in cm with y up; the canvas is ``[0, width] x [bottom, top]``."""

    width: float
    bottom: float
    top: float
    spacing: float  # vertical distance between the centres of neighbouring units
    label_font: float  # font size of edge and bias labels (cm)
    units: tuple[UnitPlace, ...]
    edges: tuple[EdgePlace, ...]
    biases: tuple[BiasPlace, ...]
    collisions: int  # edge labels that found no place clear of everything (0 normally)

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def label_boxes(self) -> tuple[Box, ...]:
        return tuple(e.box for e in self.edges) + tuple(b.box for b in self.biases)


@dataclass(frozen=True, slots=True)
class _Style:
    """How things are drawn: the circles' radius; the labels' font scale, on one line or two,
    and whether a label may sit off-centre on its edge (the edge still crossing its box)."""

    radius: float
    scale: float
    split: bool
    shift: bool

    @property
    def font(self) -> float:
        return LABEL_FONT * self.scale


# (scale, split, shift), tried in order until every label fits: off-centre, two-line and
# smaller labels only for crowded networks.
_FALLBACKS = ((1.0, False, False), (1.0, False, True), (1.0, True, True), (0.85, True, True), (0.72, True, True))
# Off-centre positions of a label box on its edge, as fractions of the box's width and height.
_SHIFTS = ((0.0, 0.0), (0.3, 0.0), (-0.3, 0.0), (0.0, 0.3), (0.0, -0.3), (0.3, 0.3), (-0.3, -0.3), (0.3, -0.3),
           (-0.3, 0.3))


def layout(
    network: Network,
    unit_labels: dict[str, str],
    edge_labels: dict[str, str],
    bias_labels: dict[str, str],
    width_cm: float = 12.0,
    measure: Measure = text_width,
) -> Layout:
    """The drawing of ``network`` ``width_cm`` wide: the first style, and in it the smallest
    vertical spacing (tried growing), at which every label fits clear of everything; else
    the attempt with the fewest collisions. A style is skipped when even its largest
    spacing does not fit."""
    widest = max((measure(unit_labels.get(u.name, u.name)) for u in network.units), default=1.0)
    radius = max(MIN_RADIUS, widest * UNIT_FONT / 2 + 0.08)
    best: Layout | None = None
    for scale, split, shift in _FALLBACKS:
        style = _Style(radius, scale, split, shift)
        labels = _LabelSizes.of(network, edge_labels, bias_labels, style, measure)
        xs = _columns(network, width_cm, style, labels)
        spacings = list(_spacings(xs, style, labels))

        def attempt(spacing: float, style: _Style = style, labels: _LabelSizes = labels, xs=xs) -> Layout:
            return _layout_at(network, unit_labels, edge_labels, bias_labels, width_cm, style, labels, xs, spacing)

        widest_spacing = attempt(spacings[-1])
        if widest_spacing.collisions == 0:
            return next((a for a in map(attempt, spacings[:-1]) if a.collisions == 0), widest_spacing)
        if best is None or widest_spacing.collisions < best.collisions:
            best = widest_spacing
    assert best is not None
    return best


def label_lines(label: str, split: bool) -> tuple[str, ...]:
    """The label on one line, or split before its first top-level ``=`` (outside braces)."""
    depth = 0
    for k, ch in enumerate(label):
        depth += (ch == "{") - (ch == "}")
        if ch == "=" and depth == 0 and split and label[:k].strip():
            return (label[:k].strip(), label[k:].strip())
    return (label,)


@dataclass(frozen=True, slots=True)
class _LabelSizes:
    edges: dict[str, tuple[float, float]]  # weight name -> (w, h) of its label box
    biases: dict[str, tuple[float, float]]

    @staticmethod
    def of(network: Network, edge_labels, bias_labels, style: _Style, measure: Measure) -> _LabelSizes:
        def size(text: str, split: bool) -> tuple[float, float]:
            lines = label_lines(text, split)
            width = max(measure(line) for line in lines) * style.font + 2 * PAD_X
            return (width, len(lines) * 1.2 * style.font + 2 * PAD_Y)

        params = network.params
        return _LabelSizes(
            edges={p.name: size(edge_labels.get(p.name, p.name), style.split) for p in params if p.kind == "weight"},
            biases={p.name: size(bias_labels.get(p.name, p.name), False) for p in params if p.kind == "bias"},
        )


def _bias_column(network: Network, targets: tuple[str, ...]) -> int:
    return min(network.unit[u].layer for u in targets) - 1


def _columns(network: Network, width: float, style: _Style, labels: _LabelSizes) -> tuple[float, ...]:
    """The x of each layer: evenly spaced, the outer circles and bias nodes inside the width."""
    layers = len(network.spec.layers)
    first = [p for p in network.params if p.kind == "bias" and _bias_column(network, p.targets) == 0]
    first_bias = max((labels.biases[p.name][0] for p in first), default=0.0)
    left = max(style.radius, first_bias / 2) + 0.06
    right = style.radius + 0.06
    gap = (width - left - right) / max(layers - 1, 1)
    return tuple(left + k * gap for k in range(layers))


def _spacings(xs: tuple[float, ...], style: _Style, labels: _LabelSizes) -> Iterable[float]:
    """Vertical spacings to try: from a pleasant minimum (a little under half the gap between
    layers, at most 2.4 cm) growing by 15% up to 3.5 cm."""
    gap = xs[1] - xs[0] if len(xs) > 1 else 3.0
    tallest = max((h for _, h in labels.edges.values()), default=0.0)
    spacing = max(1.3, 2 * style.radius + 0.7, 2.5 * tallest, min(0.45 * gap, 2.4))
    last = max(spacing, 3.5)
    while spacing <= last + 1e-9:
        yield spacing
        spacing *= 1.15


def _layout_at(network, unit_labels, edge_labels, bias_labels, width: float, style: _Style, labels: _LabelSizes,
               xs: tuple[float, ...], spacing: float) -> Layout:
    r = style.radius
    by_layer: dict[int, list[str]] = {}
    for u in network.units:
        by_layer.setdefault(u.layer, []).append(u.name)
    centres = {
        name: Point(xs[layer], ((len(names) - 1) / 2 - k) * spacing)
        for layer, names in by_layer.items()
        for k, name in enumerate(names)
    }
    units = tuple(
        UnitPlace(u.name, u.layer, centres[u.name], r, unit_labels.get(u.name, u.name)) for u in network.units
    )
    biases = _bias_places(network, bias_labels, labels, centres, xs, by_layer, r, spacing)
    curves = {e.param: _edge_curve(network, e.source, e.target, centres, r) for e in _edges(network)}
    placed, collisions = _place_labels(network, labels, units, biases, curves, width, style.shift)
    edges = tuple(
        EdgePlace(e.param, e.source, e.target, curves[e.param], *placed[e.param], edge_labels.get(e.param, e.param),
                  label_lines(edge_labels.get(e.param, e.param), style.split))
        for e in _edges(network)
    )
    ys = [y for e in edges for y in (e.box.bottom, e.box.top)] + [p.y for c in curves.values() for p in c.polyline()]
    ys += [b.box.bottom for b in biases] + [u.centre.y + s * r for u in units for s in (-1, 1)]
    return Layout(width, min(ys) - 0.1, max(ys) + 0.1, spacing, style.font, units, edges, biases, collisions)


def _edges(network: Network):
    return tuple(e for u in network.units for e in network.outgoing[u.name])


def _bias_places(network, bias_labels, labels: _LabelSizes, centres, xs, by_layer, r: float,
                 spacing: float) -> tuple[BiasPlace, ...]:
    """Bias nodes stacked below the column before the (first) layer they feed, right-aligned,
    in the order of the units they feed (lower where a neighbouring stack is in the way),
    each with dashed arrows from its right side to its units (so no arrow crosses a node
    above it)."""
    order = {u.name: k for k, u in enumerate(network.units)}
    stacks: dict[int, list] = {}
    for p in sorted((p for p in network.params if p.kind == "bias"), key=lambda p: min(order[u] for u in p.targets)):
        stacks.setdefault(_bias_column(network, p.targets), []).append(p)
    avoid = list(centres.items())
    places = []
    for column, params in sorted(stacks.items()):
        fed = {network.unit[u].layer for p in params for u in p.targets} | {column}
        lowest = min(centres[name].y for layer in fed for name in by_layer.get(layer, ()))
        right = xs[column] + max(labels.biases[p.name][0] for p in params) / 2
        top = lowest - r - max(0.3, 0.2 * spacing)
        for p in params:
            w, h = labels.biases[p.name]
            box = Box(right - w, top - h, right, top)
            while clash := next((b.box for b in places if b.box.overlaps(box, 0.1)), None):
                box = Box(box.left, clash.bottom - 0.2 - h, box.right, clash.bottom - 0.2)  # below a wide neighbour
            top = box.top
            start = Point(box.right, box.y)
            arrows = tuple(
                BiasArrow(u, _bias_curve(start, centres[u], r, [c for n, c in avoid if n != u]))
                for u in sorted(p.targets, key=order.__getitem__)
            )
            places.append(BiasPlace(p.name, box, bias_labels.get(p.name, p.name), arrows))
            top -= h + 0.2
    return tuple(places)


def _edge_curve(network: Network, source: str, target: str, centres: dict[str, Point], r: float) -> Curve:
    """Straight between neighbouring layers; a skip-layer edge bent around the layers between
    (outwards from the middle of the drawing first, by the least amount that clears them)."""
    a, b = centres[source], centres[target]
    la, lb = network.unit[source].layer, network.unit[target].layer
    if lb - la < 2:
        return _route(a, b, lambda toward: _toward(a, toward, r), r, [], r, (None,))
    between = [centres[u.name] for u in network.units if la < u.layer < lb]
    length = math.hypot(b.x - a.x, b.y - a.y)
    normal = Point(-(b.y - a.y) / length, (b.x - a.x) / length)
    mid = Point((a.x + b.x) / 2, (a.y + b.y) / 2)
    outward = (1.0 if mid.y >= 0 else -1.0) * (1.0 if normal.y >= 0 else -1.0)
    controls = tuple(
        Point(mid.x + normal.x * s * outward * k * length, mid.y + normal.y * s * outward * k * length)
        for k in (0.12, 0.2, 0.3, 0.4, 0.55, 0.7)
        for s in (1, -1)
    )
    return _route(a, b, lambda toward: _toward(a, toward, r), r, between, r, controls)


def _bias_curve(start: Point, target: Point, r: float, avoid: list[Point]) -> Curve:
    """Straight from the bias node's side to the unit if that clears the other units, else
    a curve that climbs in the gap before the unit's layer (so it keeps clear of the units
    below the one it feeds)."""
    dx, dy = target.x - start.x, target.y - start.y
    controls = (None,) + tuple(
        Point(start.x + f * dx, target.y - g * dy) for g in (0.3, 0.45, 0.15) for f in (0.5, 0.65, 0.8)
    )
    return _route(start, target, lambda _: start, r, avoid, r, controls)


def _route(a: Point, b: Point, start_at: Callable[[Point], Point], r_end: float, avoid: list[Point], r: float,
           controls: Iterable[Point | None]) -> Curve:
    """The first of the curves from ``a`` to the circle around ``b`` (straight for a control
    of None, else a quadratic Bézier curve) that clears the circles around ``avoid``; if
    none does, the one touching the fewest."""
    best: tuple[int, Curve] | None = None
    for control in controls:
        toward = control or b
        curve = Curve(start_at(toward), _toward(b, control or a, r_end), control)
        line = curve.polyline(24)
        hits = sum(1 for p in avoid if _polyline_near(line, p, r + 0.12))
        if hits == 0:
            return curve
        if best is None or hits < best[0]:
            best = (hits, curve)
    assert best is not None
    return best[1]


def _polyline_near(line: tuple[Point, ...], p: Point, distance: float) -> bool:
    return any(_segment_distance(p, a, b) < distance for a, b in pairwise(line))


class _Grid:
    """Items filed under the 1 cm cells their bounding boxes touch, to find those near a box."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[int]] = {}
        self.items: list = []

    @staticmethod
    def _keys(box: Box) -> Iterable[tuple[int, int]]:
        for i in range(math.floor(box.left), math.floor(box.right) + 1):
            for j in range(math.floor(box.bottom), math.floor(box.top) + 1):
                yield (i, j)

    def add(self, bounds: Box, item) -> int:
        self.items.append(item)
        for key in self._keys(bounds):
            self._cells.setdefault(key, []).append(len(self.items) - 1)
        return len(self.items) - 1

    def discard(self, index: int) -> None:
        self.items[index] = None

    def near(self, box: Box) -> list:
        found = sorted({k for key in self._keys(box) for k in self._cells.get(key, ())})
        return [self.items[k] for k in found if self.items[k] is not None]


def _place_labels(network, labels: _LabelSizes, units, biases, curves: dict[str, Curve], width: float,
                  shift: bool):
    """Each weight's label at the fraction along its edge that is clear of circles, arrow
    tips, bias nodes, the canvas sides and the labels already placed (the most constrained
    edges first), crossing the fewest other lines, nearest its preferred fraction (near
    the source; mid-curve for skip edges) and centred on it (with ``shift``, boxes may also
    sit off-centre, the edge still crossing them); where no place is clear, the one
    overlapping the fewest labels. Returns {weight: (t, box)} and the number of such collisions."""
    edges = _edges(network)
    circles, fixed, segments, placed_boxes = _Grid(), _Grid(), _Grid(), _Grid()
    for u in units:
        circles.add(Box.around(u.centre.x, u.centre.y, 2 * u.radius, 2 * u.radius), u)
    for box in [_tip_box(c) for c in curves.values()] + [_tip_box(a.curve) for b in biases for a in b.arrows]:
        fixed.add(box, box)
    for b in biases:
        fixed.add(b.box, b.box)
    lines = [(name, c.polyline()) for name, c in curves.items()] + [
        (f" {b.param} {a.target}", a.curve.polyline()) for b in biases for a in b.arrows
    ]
    for name, line in lines:
        for p, q in pairwise(line):
            segments.add(Box(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)), (name, p, q))

    def blocked(box: Box) -> int:
        """How many circles, arrow tips and bias nodes the box comes too close to (99 off the canvas)."""
        if box.left < 0 or box.right > width:
            return 99
        grown = box.grown(LABEL_GAP)
        return sum(1 for u in circles.near(grown) if box.hits_circle(u.centre, u.radius, LABEL_GAP)) + sum(
            1 for other in fixed.near(grown) if box.overlaps(other, LABEL_GAP)
        )

    def crossings(box: Box, own: str) -> int:
        return len({name for name, p, q in segments.near(box) if name != own and _segment_hits_box(p, q, box)})

    shifts = _SHIFTS if shift else _SHIFTS[:1]
    candidates: dict[str, list[tuple[int, float, float, Box]]] = {}  # (blocked, preference cost, t, box)
    for e in edges:
        prefer = 0.5 if curves[e.param].control is not None else 0.3
        options = []
        for k, t in enumerate(FRACTIONS):
            for dx, dy in shifts if k % 2 == 0 else shifts[:1]:
                box = _box_on(curves[e.param], t, labels.edges[e.param], dx, dy)
                options.append((blocked(box), 3 * abs(t - prefer) + 2 * (abs(dx) + abs(dy)), t, box))
        candidates[e.param] = sorted(options, key=lambda o: (o[0], o[1], o[2]))
    placed: dict[str, tuple[float, Box]] = {}
    index: dict[str, int] = {}

    def put(param: str, t: float, box: Box) -> None:
        placed[param] = (t, box)
        index[param] = placed_boxes.add(box, (param, box))

    def take(param: str) -> tuple[float, Box]:
        placed_boxes.discard(index.pop(param))
        return placed.pop(param)

    def crowded(box: Box) -> list[str]:
        """The labels already placed that the box comes too close to."""
        return [name for name, other in placed_boxes.near(box.grown(LABEL_GAP)) if box.overlaps(other, LABEL_GAP)]

    def free(param: str) -> list[tuple[int, float, float, Box]]:
        return [o for o in candidates[param] if o[0] == 0 and not crowded(o[3])]

    def bump(param: str) -> bool:
        """Place ``param`` where it blocks one placed label that can move somewhere clear."""
        for option in [o for o in candidates[param] if o[0] == 0][:60]:
            blockers = crowded(option[3])
            if len(blockers) != 1:
                continue
            (other,) = blockers
            before = take(other)
            put(param, option[2], option[3])
            moved = [o for o in free(other) if not o[3].overlaps(option[3], LABEL_GAP)]
            if moved:
                put(other, moved[0][2], moved[0][3])
                return True
            take(param)
            put(other, *before)
        return False

    collisions = 0
    for edge in sorted(edges, key=lambda e: (sum(1 for o in candidates[e.param] if o[0] == 0), e.param)):
        options = free(edge.param)
        if not options:
            if bump(edge.param):
                continue
            collisions += 1
            options = [min(candidates[edge.param], key=lambda o: (o[0] + len(crowded(o[3])), o[1], o[2]))]
        best: tuple[float, float] | None = None
        choice = options[0]
        for option in options[:40]:  # sorted by preference cost: stop once it alone exceeds the best
            if best is not None and option[1] >= best[0]:
                break
            cost = (option[1] + crossings(option[3], edge.param), option[2])
            if best is None or cost < best:
                best, choice = cost, option
        put(edge.param, choice[2], choice[3])
    return placed, collisions


def _box_on(curve: Curve, t: float, size: tuple[float, float], dx: float = 0.0, dy: float = 0.0) -> Box:
    """The box of ``size`` around the curve's point at ``t``, moved by ``dx``, ``dy`` of its size."""
    p = curve.at(t)
    w, h = size
    return Box.around(p.x + dx * w, p.y + dy * h, w, h)


def _tip_box(curve: Curve) -> Box:
    d = curve.end_direction()
    return Box.around(curve.end.x - d.x * TIP / 2, curve.end.y - d.y * TIP / 2, TIP, TIP)


# --- TikZ ------------------------------------------------------------------------------------


def _n(value: float) -> str:
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


def _c(p: Point) -> str:
    return f"({_n(p.x)},{_n(p.y)})"


def _tikz_path(curve: Curve) -> str:
    if curve.control is None:
        return f"{_c(curve.start)} -- {_c(curve.end)}"
    c1, c2 = curve.cubic_controls()
    return f"{_c(curve.start)} .. controls {_c(c1)} and {_c(c2)} .. {_c(curve.end)}"


def _font(size_cm: float, leading: float) -> str:
    pt = size_cm / PT
    return f"\\fontsize{{{pt:.2f}}}{{{pt * leading:.2f}}}\\selectfont"


def tikz(
    network: Network,
    unit_labels: dict[str, str],
    edge_labels: dict[str, str],
    bias_labels: dict[str, str],
    highlight_units: frozenset[str] = frozenset(),
    highlight_edges: frozenset[str] = frozenset(),
    width_cm: float = 12.0,
) -> str:
    """The network as a ``tikzpicture`` exactly ``width_cm`` wide; labels are LaTeX math
    source, set in ``$...$`` here. Needs ``\\usetikzlibrary`` of ``TIKZ_LIBRARIES``.
    Highlighted units and edges (by unit and weight name) are drawn thick and red."""
    lay = layout(network, unit_labels, edge_labels, bias_labels, width_cm, latex_width)
    diameter = 2 * lay.units[0].radius if lay.units else 2 * MIN_RADIUS
    tip = f"Stealth[length={_n(TIP * 10)}mm, width=1.4mm]"
    lines = [
        "\\begin{tikzpicture}[x=1cm, y=1cm, line cap=round,",
        (
            f"  unit/.style={{circle, draw, line width=0.6pt, fill=white, inner sep=0pt, "
            f"minimum size={_n(diameter)}cm, font={_font(UNIT_FONT, 1.2)}}},"
        ),
        f"  weight/.style={{-{{{tip}}}, line width=0.5pt}},",
        f"  bias/.style={{-{{{tip}}}, line width=0.4pt, dashed, gray!70!black}},",
        f"  label/.style={{fill=white, inner sep=0pt, align=center, font={_font(lay.label_font, 1.2)}}},",
        (
            f"  biasnode/.style={{draw=gray!70!black, line width=0.4pt, fill=gray!8, rounded corners=1pt, "
            f"inner sep=0pt, font={_font(lay.label_font, 1.2)}}},"
        ),
        "  highlight/.style={draw=red!75!black, line width=1.4pt},",
        "  highlightunit/.style={draw=red!75!black, line width=1.6pt, fill=red!8},",
        "  highlightlabel/.style={text=red!75!black}]",
        f"\\useasboundingbox {_c(Point(0, lay.bottom))} rectangle {_c(Point(lay.width, lay.top))};",
    ]
    for e in lay.edges:
        style = "weight, highlight" if e.param in highlight_edges else "weight"
        lines.append(f"\\draw[{style}] {_tikz_path(e.curve)};")
    for b in lay.biases:
        lines.extend(f"\\draw[bias] {_tikz_path(a.curve)};" for a in b.arrows)
    for e in lay.edges:
        style = "label, highlightlabel" if e.param in highlight_edges else "label"
        lines.append(_tikz_box(style, e.box, e.lines))
    for b in lay.biases:
        lines.append(_tikz_box("biasnode", b.box, (b.label,)))
    for u in lay.units:
        style = "unit, highlightunit" if u.name in highlight_units else "unit"
        lines.append(f"\\node[{style}] at {_c(u.centre)} {{${u.label}$}};")
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines) + "\n"


def _tikz_box(style: str, box: Box, lines: tuple[str, ...]) -> str:
    inner = _n(box.w - 2 * PAD_X)
    # a line LaTeX sets wider than the box is shrunk to fit (no macro with parameters: the
    # picture may sit in a Beamer frame, which would need them doubled)
    text = "\\\\".join(
        f"\\setbox0=\\hbox{{${line}$}}\\ifdim\\wd0>{inner}cm\\resizebox{{{inner}cm}}{{!}}{{\\box0}}\\else\\box0\\fi"
        for line in lines
    )
    return (
        f"\\node[{style}, minimum width={_n(box.w)}cm, minimum height={_n(box.h)}cm] "
        f"at {_c(Point(box.x, box.y))} {{{text}}};"
    )


# --- SVG --------------------------------------------------------------------------------------

_SVG_FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
SVG_WIDTH_CM = 12.0


def svg(network: Network, unit_labels: dict[str, str], edge_labels: dict[str, str], bias_labels: dict[str, str]) -> str:
    """The network as a standalone SVG 1.1 document (``SVG_WIDTH_CM`` at ``SVG_SCALE`` px/cm);
    labels are plain Unicode text, escaped here."""
    lay = layout(network, unit_labels, edge_labels, bias_labels, SVG_WIDTH_CM, text_width)
    width, height = lay.width * SVG_SCALE, lay.height * SVG_SCALE

    def x(value: float) -> str:
        return f"{value * SVG_SCALE:.2f}"

    def y(value: float) -> str:
        return f"{(lay.top - value) * SVG_SCALE:.2f}"

    def p(point: Point) -> str:
        return f"{x(point.x)},{y(point.y)}"

    def path(curve: Curve) -> str:
        # the line stops at the arrow tip's base; the marker draws the tip up to the end
        d = curve.end_direction()
        end = Point(curve.end.x - d.x * TIP * 0.9, curve.end.y - d.y * TIP * 0.9)
        if curve.control is None:
            return f"M{p(curve.start)} L{p(end)}"
        return f"M{p(curve.start)} Q{p(curve.control)} {p(end)}"

    def text(at: Point, size: float, lines: tuple[str, ...], cls: str) -> str:
        first = at.y + (len(lines) - 1) / 2 * 1.2 * size - 0.35 * size  # first baseline
        if len(lines) == 1:
            body = escape(lines[0])
        else:
            body = "".join(
                f'<tspan x="{x(at.x)}" y="{y(first - k * 1.2 * size)}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
        return (
            f'<text class="{cls}" x="{x(at.x)}" y="{y(first)}" font-size="{x(size)}" '
            f'text-anchor="middle">{body}</text>'
        )

    def rect(box: Box, cls: str, style: str) -> str:
        return (
            f'<rect class="{cls}" x="{x(box.left)}" y="{y(box.top)}" width="{x(box.w)}" height="{x(box.h)}" '
            f'rx="2" {style}/>'
        )

    tip = TIP * SVG_SCALE
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width:.2f}" height="{height:.2f}" '
            f'viewBox="0 0 {width:.2f} {height:.2f}" font-family="{_SVG_FONT}">'
        ),
        "<defs>",
        *(
            f'<marker id="{mid}" viewBox="0 0 10 10" refX="1" refY="5" markerUnits="userSpaceOnUse" '
            f'markerWidth="{tip:.2f}" markerHeight="{tip * 0.7:.2f}" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for mid, colour in (("arrow", "#000000"), ("bias-arrow", "#555555"))
        ),
        "</defs>",
        f'<rect x="0" y="0" width="{width:.2f}" height="{height:.2f}" fill="#ffffff"/>',
    ]
    out += [
        f'<path class="edge" d="{path(e.curve)}" fill="none" stroke="#000000" stroke-width="1.2" '
        f'marker-end="url(#arrow)"/>'
        for e in lay.edges
    ]
    out += [
        f'<path class="bias-edge" d="{path(a.curve)}" fill="none" stroke="#555555" stroke-width="1" '
        f'stroke-dasharray="4,3" marker-end="url(#bias-arrow)"/>'
        for b in lay.biases
        for a in b.arrows
    ]
    for e in lay.edges:
        out.append(rect(e.box, "edge-label-box", 'fill="#ffffff"'))
        out.append(text(Point(e.box.x, e.box.y), lay.label_font, e.lines, "edge-label"))
    for b in lay.biases:
        out.append(rect(b.box, "bias-label-box", 'fill="#f3f3f3" stroke="#555555" stroke-width="0.8"'))
        out.append(text(Point(b.box.x, b.box.y), lay.label_font, (b.label,), "bias-label"))
    for u in lay.units:
        out.append(
            f'<circle class="unit" cx="{x(u.centre.x)}" cy="{y(u.centre.y)}" r="{x(u.radius)}" fill="#ffffff" '
            f'stroke="#000000" stroke-width="1.5"/>'
        )
        out.append(text(u.centre, UNIT_FONT, (u.label,), "unit-label"))
    out.append("</svg>")
    return "\n".join(out) + "\n"
