"""The network drawing's layout, computed once and drawn twice (TikZ and SVG, ``diagram``).

``layout`` computes, in centimetres with y pointing up, where every unit circle, weight
arrow, bias node and label box goes: layers left to right, the units of a layer evenly
spaced and centred, skip-layer edges curved around the units they pass, a bias node per
bias parameter under the column before the layer it feeds (dashed arrows to every unit
it feeds), and each weight's label on its edge (``placement``). The width is given; the
vertical spacing grows until every label fits, and only crowded networks fall back to
labels off-centre on their edge, on two lines (name over value) and smaller.

A layout is a frozen value, and the same network object with the same labels, width and
measure gives the very same one: ``layout`` keeps the last ``CACHE_SIZE`` it computed.
Nothing drawn at draw time (highlighting) is part of it.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..core.graph import Network
from .geometry import Box, Curve, Point, polyline_near, toward
from .measure import LABEL_FONT, PAD_X, PAD_Y, UNIT_FONT, Measure, text_width
from .placement import place_labels

MIN_RADIUS = 0.32
CACHE_SIZE = 64  # layouts kept (a deck lays its network out at a handful of sizes)


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

# (id of the network, labels, width, measure) -> (the network, its layout); the network is
# kept so that its id cannot be reused by another while the entry lives
_cache: OrderedDict[tuple, tuple[Network, Layout]] = OrderedDict()


def layout(
    network: Network,
    unit_labels: Mapping[str, str],
    edge_labels: Mapping[str, str],
    bias_labels: Mapping[str, str],
    width_cm: float = 12.0,
    measure: Measure = text_width,
) -> Layout:
    """The drawing of ``network`` ``width_cm`` wide, labels sized by ``measure``; computed once:
    the same network object with equal labels, width and measure gives the same ``Layout``
    (of the last ``CACHE_SIZE`` asked for)."""
    key = (id(network), _items(unit_labels), _items(edge_labels), _items(bias_labels), width_cm, measure)
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key][1]
    lay = _laid_out(network, unit_labels, edge_labels, bias_labels, width_cm, measure)
    _cache[key] = (network, lay)
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return lay


def _items(labels: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


def _laid_out(network, unit_labels, edge_labels, bias_labels, width_cm: float, measure: Measure) -> Layout:
    """The first style, and in it the smallest vertical spacing (tried growing), at which every
    label fits clear of everything; else the attempt with the fewest collisions. A style is
    skipped when even its largest spacing does not fit."""
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
    placed, collisions = place_labels(_edges(network), labels.edges, units, biases, curves, width, style.shift)
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
        return _route(a, b, lambda aim: toward(a, aim, r), r, [], r, (None,))
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
    return _route(a, b, lambda aim: toward(a, aim, r), r, between, r, controls)


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
        curve = Curve(start_at(control or b), toward(b, control or a, r_end), control)
        line = curve.polyline(24)
        hits = sum(1 for p in avoid if polyline_near(line, p, r + 0.12))
        if hits == 0:
            return curve
        if best is None or hits < best[0]:
            best = (hits, curve)
    assert best is not None
    return best[1]
