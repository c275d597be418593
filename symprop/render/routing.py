"""How the drawing's lines run: each weight's arrow (straight between neighbouring layers,
bent around the layers a skip edge passes) and each bias node with its dashed arrows,
placed under the column before the layer it feeds."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core.graph import Network
from .geometry import Box, Curve, Point, polyline_near, toward


@dataclass(frozen=True, slots=True)
class BiasArrow:
    target: str
    curve: Curve


@dataclass(frozen=True, slots=True)
class BiasPlace:
    """A bias node (its label in a box) and its dashed arrows to the units it feeds."""

    param: str
    box: Box
    label: str  # as drawn (the name alone in a plainer labelling)
    arrows: tuple[BiasArrow, ...]


def bias_places(network: Network, bias_labels, sizes, centres, xs, by_layer, r: float,
                spacing: float) -> tuple[BiasPlace, ...]:
    """Bias nodes stacked below the column before the (first) layer they feed, right-aligned,
    in the order of the units they feed (lower where a neighbouring stack is in the way),
    each with dashed arrows from its right side to its units (so no arrow crosses a node
    above it)."""
    order = {u.name: k for k, u in enumerate(network.units)}
    stacks: dict[int, list] = {}
    for p in sorted((p for p in network.params if p.kind == "bias" and p.name in sizes), key=lambda p: min(order[u] for u in p.targets)):
        stacks.setdefault(min(network.unit[u].layer for u in p.targets) - 1, []).append(p)
    avoid = list(centres.items())
    places = []
    for column, params in sorted(stacks.items()):
        fed = {network.unit[u].layer for p in params for u in p.targets} | {column}
        lowest = min(centres[name].y for layer in fed for name in by_layer.get(layer, ()))
        right = xs[column] + max(sizes[p.name][0] for p in params) / 2
        top = lowest - r - max(0.3, 0.2 * spacing)
        for p in params:
            w, h = sizes[p.name]
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


def edge_curve(network: Network, source: str, target: str, centres: dict[str, Point], r: float) -> Curve:
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
