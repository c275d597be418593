"""The network drawing's layout, computed once and drawn twice (TikZ and SVG, ``diagram``).

``layout`` computes, in centimetres with y pointing up, where every unit circle, weight
arrow, bias node and label box goes: layers left to right, the units of a layer evenly
spaced and centred, skip-layer edges curved around the units they pass (``routing``), a
bias node per bias parameter under the column before the layer it feeds, and each
weight's label on its edge (``placement``).

The layout it returns always reads unambiguously at the size it is printed (no label on
another label, a unit or another edge's line: ``placement.problems`` is empty). The
labelling gets plainer until that holds, and ``mode`` says which it is:

    full     every edge labelled as given (``w1 = 0.15``): more vertical room first, then
             labels off-centre, on two lines (name over value), smaller;
    names    every edge labelled with its name only (the label up to its ``=``); the
             drawing adds a table of the values;
    bare     units and arrows, no edge labels (and the table);
    blocks   one box per layer, for networks beyond ``MAX_LAYERS`` layers, ``MAX_UNITS``
             units in a layer or ``MAX_EDGES`` edges (and when nothing else fits).

With ``only`` (a path frame) just those edges are labelled (``partial``), and the spacing
does not depend on which: the units stay put from one path frame to the next. With
``height`` the drawing is at most that tall.

A layout is a frozen value, and the same network object with the same arguments gives
the very same one: ``layout`` keeps the last ``CACHE_SIZE`` it computed. Nothing drawn
at draw time (highlighting) is part of it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from ..core.graph import Network
from .geometry import Box, Curve, Point
from .measure import LABEL_FONT, PAD_X, PAD_Y, UNIT_FONT, Measure, text_width
from .placement import MIN_VISIBLE, Scene, place_labels, problems
from .routing import BiasArrow, BiasPlace, bias_places, edge_curve

__all__ = ["BiasArrow", "BiasPlace", "BlockPlace", "EdgePlace", "Layout", "UnitPlace", "label_lines", "layout"]

MIN_RADIUS = 0.32
CACHE_SIZE = 64  # layouts kept (a deck lays its network out at a handful of sizes)
MAX_LAYERS, MAX_UNITS, MAX_EDGES = 12, 40, 400  # beyond any of these: layer blocks
LABEL_EDGES = 120  # beyond this many edges, none is labelled (a table gives the values)
MIN_GAP = 0.3  # between the circles of neighbouring units at the closest spacing (cm)
ROOM = 0.7  # label area over the area between two columns above which labels cannot fit


@dataclass(frozen=True, slots=True)
class UnitPlace:
    name: str
    layer: int
    centre: Point
    radius: float
    label: str


@dataclass(frozen=True, slots=True)
class EdgePlace:
    """A weight's arrow (circle to circle) and its label box (None: unlabelled), centred on
    the curve at ``t``."""

    param: str
    source: str
    target: str
    curve: Curve
    t: float
    box: Box | None
    label: str  # as given (full); ``lines`` is what is set
    lines: tuple[str, ...]  # one line, the name over "= value", the name alone, or none


@dataclass(frozen=True, slots=True)
class BlockPlace:
    """A layer drawn as one box (a network too big to draw unit by unit)."""

    layer: int
    name: str
    units: int
    activation: str
    box: Box


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything drawn, in cm with y up; the canvas is ``[0, width] x [bottom, top]``."""

    width: float
    bottom: float
    top: float
    spacing: float  # vertical distance between the centres of neighbouring units
    label_font: float  # font size of edge and bias labels (cm)
    unit_font: float  # font size of the unit labels (cm)
    units: tuple[UnitPlace, ...]
    edges: tuple[EdgePlace, ...]
    biases: tuple[BiasPlace, ...]
    mode: str = "full"  # full | names | bare | blocks
    partial: bool = False  # only some edges are labelled (a path)
    blocks: tuple[BlockPlace, ...] = ()
    block_arrows: tuple[Curve, ...] = ()
    unit_biases: tuple[tuple[str, str], ...] = ()  # (unit, its bias's label as given), drawn or not

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def label_boxes(self) -> tuple[Box, ...]:
        return tuple(e.box for e in self.edges if e.box is not None) + tuple(b.box for b in self.biases)

    def problems(self) -> list[str]:
        return problems(self)


@dataclass(frozen=True, slots=True)
class _Style:
    """How labels are set: font scale, on one line or two, and whether a label may sit
    off-centre on its edge (the edge still crossing its box)."""

    scale: float
    split: bool
    shift: bool

    @property
    def font(self) -> float:
        return LABEL_FONT * self.scale


_FULL = (_Style(1.0, False, False), _Style(1.0, False, True), _Style(1.0, True, True), _Style(0.85, True, True))
_NAMES = (_Style(1.0, False, False), _Style(1.0, False, True), _Style(0.85, False, True))

# (id of the network, arguments) -> (the network, its layout); the network is kept so that
# its id cannot be reused by another while the entry lives
_cache: OrderedDict[tuple, tuple[Network, Layout]] = OrderedDict()


def layout(
    network: Network,
    unit_labels: Mapping[str, str],
    edge_labels: Mapping[str, str],
    bias_labels: Mapping[str, str],
    width_cm: float = 12.0,
    measure: Measure = text_width,
    height_cm: float | None = None,
    only: frozenset[str] | None = None,
    scale: float = 1.0,
    fill: bool = False,
) -> Layout:
    """The readable drawing of ``network`` ``width_cm`` wide (at most ``height_cm`` tall),
    labels sized by ``measure``, fonts ``scale`` times the documents'; with ``only``, just
    those edges labelled; with ``fill``, as much vertical room as fits rather than the least.
    Computed once per network object and equal arguments (of the last ``CACHE_SIZE`` asked for)."""
    key = (id(network), _items(unit_labels), _items(edge_labels), _items(bias_labels), width_cm, measure, height_cm,
           None if only is None else tuple(sorted(only)), scale, fill)
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key][1]
    lay = _laid_out(network, unit_labels, edge_labels, bias_labels, width_cm, measure, height_cm, only, scale, fill)
    _cache[key] = (network, lay)
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return lay


def _items(labels: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


def too_big(network: Network) -> bool:
    """Beyond a size where no drawing unit by unit can be read."""
    layers = network.spec.layers
    edges = sum(len(network.outgoing[u.name]) for u in network.units)
    return len(layers) > MAX_LAYERS or max(len(la.units) for la in layers) > MAX_UNITS or edges > MAX_EDGES


def label_lines(label: str, split: bool) -> tuple[str, ...]:
    """The label on one line, or split before its first top-level ``=`` (outside braces)."""
    depth = 0
    for k, ch in enumerate(label):
        depth += (ch == "{") - (ch == "}")
        if ch == "=" and depth == 0 and split and label[:k].strip():
            return (label[:k].strip(), label[k:].strip())
    return (label,)


def _laid_out(network, unit_labels, edge_labels, bias_labels, width: float, measure: Measure,
              height: float | None, only: frozenset[str] | None, scale: float, fill: bool) -> Layout:
    if too_big(network):
        return _blocks(network, width)
    names = {k: label_lines(v, True)[0] for k, v in edge_labels.items()}
    bias_names = {k: label_lines(v, True)[0] for k, v in bias_labels.items()}
    plan = _Plan(network, unit_labels, edge_labels, bias_labels, width, measure, height, scale, fill)
    partial = only is not None
    if partial:  # the path's labels, and of the bias nodes only the path's
        chosen, chosen_names, bias_names = ({k: v for k, v in d.items() if k in only}
                                            for d in (edge_labels, names, bias_names))
        fixed = plan.one_spacing(bias_names)
        tries = [("full", chosen, bias_names, _FULL), ("names", chosen_names, bias_names, _NAMES)]
    else:
        fixed = None
        tries = [("full", edge_labels, bias_labels, _FULL), ("names", names, bias_names, _NAMES)]
    if len(plan.edges) > LABEL_EDGES:
        tries = []
    tries += [("bare", {}, bias_names, _NAMES[:1]), ("bare", {}, {}, _NAMES[:1])]
    for mode, edges, biases, styles in tries:
        found = plan.search(mode, edges, biases, styles, fixed, partial)
        if found is not None:
            return found
    return _blocks(network, width)


@dataclass(frozen=True, slots=True)
class _Frame:
    """Circles, curves and bias nodes at one spacing: everything but the edge labels."""

    spacing: float
    units: tuple[UnitPlace, ...]
    biases: tuple[BiasPlace, ...]
    curves: dict[str, Curve]
    bottom: float
    top: float


class _Plan:
    """One network to lay out at one width: the columns, the spacings to try, the frames."""

    def __init__(self, network: Network, unit_labels, edge_labels, bias_labels, width: float, measure: Measure,
                 height: float | None, scale: float = 1.0, fill: bool = False) -> None:
        self.network, self.unit_labels, self.edge_labels = network, unit_labels, edge_labels
        self.bias_labels = bias_labels
        self.width, self.measure, self.height = width, measure, height
        widest = max((measure(unit_labels.get(u.name, u.name)) for u in network.units), default=1.0)
        self.scale, self.fill = scale, fill
        self.radius = max(MIN_RADIUS * scale, widest * UNIT_FONT * scale / 2 + 0.08)
        self.edges = tuple(e for u in network.units for e in network.outgoing[u.name])
        self.most = max(len(la.units) for la in network.spec.layers)

    def sizes(self, labels: Mapping[str, str], style: _Style, split: bool) -> dict[str, tuple[float, float]]:
        def size(text: str) -> tuple[float, float]:
            lines = label_lines(text, split)
            font = style.font * self.scale
            width = max(self.measure(line) for line in lines) * font + 2 * PAD_X
            return (width, len(lines) * 1.2 * font + 2 * PAD_Y)

        return {name: size(text) for name, text in labels.items()}

    def columns(self, bias_sizes: Mapping[str, tuple[float, float]]) -> tuple[float, ...]:
        """The x of each layer: evenly spaced, the outer circles and bias nodes inside the width."""
        layers = len(self.network.spec.layers)
        first = [p.name for p in self.network.params if p.name in bias_sizes and _bias_column(self.network, p) == 0]
        left = max(self.radius, max((bias_sizes[p][0] for p in first), default=0.0) / 2) + 0.06
        right = self.radius + 0.06
        gap = (self.width - left - right) / max(layers - 1, 1)
        return tuple(left + k * gap for k in range(layers))

    def pleasant(self, xs: tuple[float, ...], sizes: Mapping[str, tuple[float, float]]) -> float:
        """The closest spacing that looks right: a little under half the gap between layers (at
        most 2.4 cm), room for the labels' height."""
        gap = xs[1] - xs[0] if len(xs) > 1 else 3.0
        tallest = max((h for _, h in sizes.values()), default=0.0)
        return max(1.3, 2 * self.radius + 0.7, 2.5 * tallest, min(0.45 * gap, 2.4))

    def spacings(self, xs, sizes, bias_labels) -> list[float]:
        """Spacings to try, from the pleasant one up to 3.5 cm (a few); under a height,
        only those that keep the drawing inside it (and the tallest that does)."""
        spacing = self.pleasant(xs, sizes)
        last = max(spacing, 3.5)
        found = [spacing * f for f in (1.0, 1.15, 1.35, 1.6, 1.9) if spacing * f < last - 1e-9] + [last]
        if self.height is not None and self.most > 1:
            tallest = self.tallest(xs, bias_labels)
            found = [s for s in found if s < tallest - 1e-9] + ([tallest] if tallest < last + 1e-9 else [])
        return found[::-1] if self.fill else found

    def tallest(self, xs, bias_labels) -> float:
        """The widest spacing at which the drawing stays inside the height (0 if none does)."""
        closest = 2 * self.radius + MIN_GAP
        low, high = self.frame(xs, bias_labels, 1.0), self.frame(xs, bias_labels, 2.0)
        per = max(high.top - high.bottom - (low.top - low.bottom), 1e-6)
        spacing = 1.0 + (self.height - (low.top - low.bottom)) / per
        for _ in range(6):
            if spacing < closest:
                return 0.0
            frame = self.frame(xs, bias_labels, spacing)
            if frame.top - frame.bottom <= self.height + 1e-9:
                return spacing
            spacing *= 0.97
        return 0.0

    def one_spacing(self, bias_labels) -> float:
        """The one spacing of a path frame: the pleasant one, or as tall as the height allows."""
        xs = self.columns(self.sizes(bias_labels, _NAMES[0], False))
        pleasant = self.pleasant(xs, {})
        if self.height is None or self.most == 1:
            return pleasant
        return min(max(pleasant, 3.5), self.tallest(xs, bias_labels)) or 0.0

    def frame(self, xs, bias_labels, spacing: float) -> _Frame:
        net, r = self.network, self.radius
        by_layer: dict[int, list[str]] = {}
        for u in net.units:
            by_layer.setdefault(u.layer, []).append(u.name)
        centres = {name: Point(xs[layer], ((len(names) - 1) / 2 - k) * spacing)
                   for layer, names in by_layer.items() for k, name in enumerate(names)}
        units = tuple(UnitPlace(u.name, u.layer, centres[u.name], r, self.unit_labels.get(u.name, u.name))
                      for u in net.units)
        sizes = self.sizes(bias_labels, _NAMES[0], False)
        biases = bias_places(net, bias_labels, sizes, centres, xs, by_layer, r, spacing)
        curves = {e.param: edge_curve(net, e.source, e.target, centres, r) for e in self.edges}
        ys = [p.y for c in curves.values() for p in c.polyline()] + [b.box.bottom for b in biases]
        ys += [u.centre.y + s * r for u in units for s in (-1, 1)]
        return _Frame(spacing, units, biases, curves, min(ys) - 0.1, max(ys) + 0.1)

    def roomy(self, xs, frame: _Frame, sizes) -> bool:
        """Whether the labels between each two neighbouring columns could fit at all."""
        net = self.network
        area: dict[int, float] = {}
        for e in self.edges:
            if e.param in sizes:
                layer = net.unit[e.source].layer
                if net.unit[e.target].layer == layer + 1:
                    w, h = sizes[e.param]
                    area[layer] = area.get(layer, 0.0) + w * h
        counts = [len(la.units) for la in net.spec.layers]
        for layer, need in area.items():
            span = (max(counts[layer], counts[layer + 1]) - 1) * frame.spacing + 2 * self.radius
            if need > ROOM * (xs[layer + 1] - xs[layer] - 2 * self.radius) * span:
                return False
        return True

    def search(self, mode: str, edge_labels, bias_labels, styles, fixed: float | None,
               partial: bool) -> Layout | None:
        """The first style and, in it, the closest spacing at which ``edge_labels`` all fit."""
        xs = self.columns(self.sizes(bias_labels, _NAMES[0], False))
        gap = min((b - a for a, b in pairwise(xs)), default=self.width) - 2 * self.radius - MIN_VISIBLE
        for style in styles:
            sizes = self.sizes(edge_labels, style, style.split)
            if sizes and max(w for w, _ in sizes.values()) > gap:  # wider than the room between columns
                continue
            spacings = [fixed] if fixed is not None else self.spacings(xs, sizes, bias_labels)
            for spacing in spacings:
                if spacing <= 0:
                    continue
                frame = self.frame(xs, bias_labels, spacing)
                if self.height is not None and frame.top - frame.bottom > self.height + 1e-9:
                    break
                if not self.roomy(xs, frame, sizes):
                    continue
                scene = Scene(frame.units, frame.biases, frame.curves, self.width)
                placed = place_labels(self.edges, sizes, scene, frame.curves, style.shift)
                if placed is None:
                    continue
                lay = self.assemble(frame, placed, style, mode, partial)
                if not lay.problems():
                    return lay
        return None

    def assemble(self, frame: _Frame, placed, style: _Style, mode: str, partial: bool) -> Layout:
        edges = []
        for e in self.edges:
            label = self.edge_labels.get(e.param, e.param)
            if e.param in placed:
                t, box = placed[e.param]
                lines = (label_lines(label, True)[0],) if mode == "names" else label_lines(label, style.split)
            else:
                t, box, lines = 0.5, None, ()
            edges.append(EdgePlace(e.param, e.source, e.target, frame.curves[e.param], t, box, label, lines))
        ys = [y for e in edges if e.box is not None for y in (e.box.bottom - 0.1, e.box.top + 0.1)]
        biases = tuple((u.name, self.bias_labels[b.name]) for u in self.network.units
                       if (b := self.network.bias.get(u.name)) is not None and b.name in self.bias_labels)
        return Layout(self.width, min([frame.bottom, *ys]), max([frame.top, *ys]), frame.spacing,
                      style.font * self.scale, UNIT_FONT * self.scale, frame.units, tuple(edges), frame.biases, mode,
                      partial, unit_biases=biases)


def _bias_column(network: Network, param) -> int:
    return min(network.unit[u].layer for u in param.targets) - 1


# --- layer blocks --------------------------------------------------------------------------

BLOCK_W, BLOCK_H, BLOCK_GAP = 2.0, 1.0, 0.45  # cm


def _blocks(network: Network, width: float) -> Layout:
    """One box per layer, in rows read like a snake (left to right, then right to left), an
    arrow from each layer to the next."""
    layers = network.spec.layers
    per_row = max(1, min(len(layers), int((width + BLOCK_GAP) // (BLOCK_W + BLOCK_GAP))))
    step = (width - BLOCK_W) / max(per_row - 1, 1) if per_row > 1 else 0.0
    blocks = []
    for k, la in enumerate(layers):
        row, col = divmod(k, per_row)
        col = col if row % 2 == 0 else per_row - 1 - col
        x = BLOCK_W / 2 + col * step if per_row > 1 else width / 2
        y = -row * (BLOCK_H + BLOCK_GAP)
        blocks.append(BlockPlace(k, la.name, len(la.units), la.activation or "input", Box.around(x, y, BLOCK_W, BLOCK_H)))
    arrows = []
    for a, b in pairwise(blocks):
        if abs(a.box.y - b.box.y) < 1e-9:
            sign = 1 if b.box.x > a.box.x else -1
            start = Point(a.box.x + sign * a.box.w / 2, a.box.y)
            arrows.append(Curve(start, Point(b.box.x - sign * b.box.w / 2, b.box.y)))
        else:
            arrows.append(Curve(Point(a.box.x, a.box.bottom), Point(b.box.x, b.box.top)))
    return Layout(width, blocks[-1].box.bottom - 0.1 if blocks else 0.0, BLOCK_H / 2 + 0.1, 0.0, LABEL_FONT,
                  UNIT_FONT, (), (), (), "blocks", False, tuple(blocks), tuple(arrows))
