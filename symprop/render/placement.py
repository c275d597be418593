"""Where each weight's label goes on its edge, and the test that a drawing reads unambiguously.

Every labelled edge has candidate places: its label box centred on the curve at one of the
``FRACTIONS`` along it (and, when allowed, a little off-centre, the edge still crossing the
box). A place is ruled out when the box comes too close to a circle, an arrow tip, a bias
node or the canvas sides, when another edge's line runs through its middle (``core``: it
would read as that edge's label), or when it leaves too little of its own edge in sight.
The most constrained edges are placed first, each at the free place (clear of the labels
already placed) of least cost: nearest its preferred fraction, centred, crossing the
fewest other lines. An edge with no free place may move one placed label that can go
somewhere else; else the attempt fails at once (``place_labels`` returns None) and the
layout tries more room or a plainer labelling.

``problems`` checks a finished layout with the same predicates and no clearance: the
layout never hands out a drawing with problems, and the tests prove it from the boxes.
Items are filed in a ``Grid`` of 1 cm cells, so each query looks at its neighbourhood only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations, pairwise

from .geometry import Box, Curve, length, outside_length, segment_hits_box
from .measure import TIP

LABEL_GAP = 0.05  # clearance the placement keeps between a label box and anything else (cm)
MIN_VISIBLE = 0.3  # of an edge's line left in sight beside its label box (cm)
FRACTIONS = tuple(round(0.1 + 0.05 * k, 3) for k in range(17))  # 0.1 .. 0.9 along an edge
# Off-centre positions of a label box on its edge, as fractions of the box's width and height.
SHIFTS = ((0.0, 0.0), (0.3, 0.0), (-0.3, 0.0), (0.0, 0.3), (0.0, -0.3))

Option = tuple[float, float, Box]  # (cost, t, box)


class Grid:
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
        """The items filed under the cells ``box`` touches, in the order they were added."""
        cells, items = self._cells, self.items
        i0, i1 = math.floor(box.left), math.floor(box.right)
        j0, j1 = math.floor(box.bottom), math.floor(box.top)
        if i0 == i1 and j0 == j1:  # most queries: one cell, its items already in order
            found = cells.get((i0, j0), ())
        else:
            union: set[int] = set()
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    union.update(cells.get((i, j), ()))
            found = sorted(union)
        return [item for k in found if (item := items[k]) is not None]


def core(box: Box) -> Box:
    """The middle of a label box: a line through it reads as the label's own."""
    return Box.around(box.x, box.y, 0.4 * box.w, 0.6 * box.h)


def tip_box(curve: Curve) -> Box:
    """The square an arrow tip takes at the curve's end."""
    d = curve.end_direction()
    return Box.around(curve.end.x - d.x * TIP / 2, curve.end.y - d.y * TIP / 2, TIP, TIP)


def box_on(curve: Curve, t: float, size: tuple[float, float], dx: float = 0.0, dy: float = 0.0) -> Box:
    """The box of ``size`` around the curve's point at ``t``, moved by ``dx``, ``dy`` of its size."""
    p = curve.at(t)
    w, h = size
    return Box.around(p.x + dx * w, p.y + dy * h, w, h)


class Scene:
    """What labels keep clear of: circles, arrow tips and bias nodes (``solid``), and every
    edge's and bias arrow's line (``lines``, by owner)."""

    def __init__(self, units, biases, curves: Mapping[str, Curve], width: float) -> None:
        self.width = width
        self.circles, self.solid, self.lines = Grid(), Grid(), Grid()
        for u in units:
            self.circles.add(Box.around(u.centre.x, u.centre.y, 2 * u.radius, 2 * u.radius), u)
        for box in [tip_box(c) for c in curves.values()] + [tip_box(a.curve) for b in biases for a in b.arrows]:
            self.solid.add(box, ("tip", box))
        for b in biases:
            self.solid.add(b.box, (b.param, b.box))
        self.polylines = {name: c.polyline() for name, c in curves.items()}
        owned = list(self.polylines.items()) + [
            (f" {b.param} {a.target}", a.curve.polyline()) for b in biases for a in b.arrows
        ]
        for name, line in owned:
            for p, q in pairwise(line):
                self.lines.add(Box(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)), (name, p, q))

    def blocked(self, box: Box, gap: float, own: str | None = None) -> bool:
        """Too close to a circle, an arrow tip, a bias node (but ``own``) or the canvas sides."""
        if box.left < -1e-9 or box.right > self.width + 1e-9:
            return True
        grown = box.grown(gap)
        return any(box.hits_circle(u.centre, u.radius, gap) for u in self.circles.near(grown)) or any(
            name != own and box.overlaps(other, gap) for name, other in self.solid.near(grown)
        )

    def crossing(self, box: Box, own: str) -> set[str]:
        """The other lines (edges, bias arrows) that run through the box."""
        return {name for name, p, q in self.lines.near(box) if name != own and segment_hits_box(p, q, box)}

    def misread(self, box: Box, own: str) -> bool:
        """Does another line run through the middle of the box?"""
        return bool(self.crossing(core(box), own))


class _Placed:
    """The labels placed so far, filed to find those a box comes too close to."""

    def __init__(self, candidates: Mapping[str, list[Option]]) -> None:
        self.candidates = candidates
        self.at: dict[str, tuple[float, Box]] = {}
        self._index: dict[str, int] = {}
        self._boxes = Grid()

    def put(self, param: str, t: float, box: Box) -> None:
        self.at[param] = (t, box)
        self._index[param] = self._boxes.add(box, (param, box))

    def take(self, param: str) -> tuple[float, Box]:
        self._boxes.discard(self._index.pop(param))
        return self.at.pop(param)

    def crowded(self, box: Box) -> list[str]:
        """The labels already placed that the box comes too close to."""
        return [name for name, other in self._boxes.near(box.grown(LABEL_GAP)) if box.overlaps(other, LABEL_GAP)]

    def first_free(self, param: str) -> Option | None:
        return next((o for o in self.candidates[param] if not self.crowded(o[2])), None)

    def bump(self, param: str) -> bool:
        """Place ``param`` where it blocks one placed label that can move somewhere clear."""
        for option in self.candidates[param][:40]:
            blockers = self.crowded(option[2])
            if len(blockers) != 1:
                continue
            (other,) = blockers
            before = self.take(other)
            self.put(param, option[1], option[2])
            moved = self.first_free(other)
            if moved:
                self.put(other, moved[1], moved[2])
                return True
            self.take(param)
            self.put(other, *before)
        return False


def place_labels(edges: Sequence, sizes: Mapping[str, tuple[float, float]], scene: Scene,
                 curves: Mapping[str, Curve], shift: bool) -> dict[str, tuple[float, Box]] | None:
    """Each labelled weight's label (of ``sizes``; edges without a size stay unlabelled) at a
    place clear of everything and not read as another edge's, the most constrained edges
    first; None as soon as one finds no place. Returns {weight: (t, box)}."""
    shifts = SHIFTS if shift else SHIFTS[:1]
    labelled = [e for e in edges if e.param in sizes]
    candidates = {e.param: _options(curves[e.param], e.param, sizes[e.param], shifts, scene) for e in labelled}
    placed = _Placed(candidates)
    for edge in sorted(labelled, key=lambda e: (len(candidates[e.param]), e.param)):
        option = placed.first_free(edge.param)
        if option is None:
            if placed.bump(edge.param):
                continue
            return None
        placed.put(edge.param, option[1], option[2])
    return placed.at


def _options(curve: Curve, own: str, size: tuple[float, float], shifts, scene: Scene) -> list[Option]:
    """The edge's places clear of the scene, cheapest first: near the preferred fraction (near
    the source; mid-curve for skip edges), centred, crossing few other lines."""
    prefer = 0.5 if curve.control is not None else 0.3
    line = scene.polylines[own]
    options = []
    for k, t in enumerate(FRACTIONS):
        for dx, dy in shifts if k % 2 == 0 else shifts[:1]:
            box = box_on(curve, t, size, dx, dy)
            if scene.blocked(box, LABEL_GAP) or scene.misread(box.grown(LABEL_GAP), own):
                continue
            if outside_length(line, box) < MIN_VISIBLE:
                continue
            cost = 3 * abs(t - prefer) + 2 * (abs(dx) + abs(dy)) + len(scene.crossing(box, own))
            options.append((cost, t, box))
    return sorted(options, key=lambda o: (o[0], o[1]))


def problems(lay) -> list[str]:
    """What makes ``lay`` hard to read, at its own size: label boxes (edge labels and bias
    nodes) overlapping each other, a circle or an arrow tip, or outside the canvas; another
    line through a label's middle; an edge label off its edge or hiding nearly all of it;
    units on top of each other; layer blocks overlapping."""
    found: list[str] = []
    curves = {e.param: e.curve for e in lay.edges}
    scene = Scene(lay.units, lay.biases, curves, lay.width)
    labels = [(e.param, e.box) for e in lay.edges if e.box is not None] + [(b.param, b.box) for b in lay.biases]
    boxes = Grid()
    for name, box in labels:
        for other, other_box in boxes.near(box):
            if box.overlaps(other_box):
                found.append(f"{name} overlaps {other}")
        boxes.add(box, (name, box))
        if scene.blocked(box, 0.0, own=name) or box.bottom < lay.bottom or box.top > lay.top:
            found.append(f"{name} touches a unit, an arrow tip or the canvas side")
        if scene.misread(box, name):
            found.append(f"{name} sits on the line of {', '.join(sorted(scene.crossing(core(box), name)))}")
    for e in lay.edges:
        if length(scene.polylines[e.param]) < MIN_VISIBLE:
            found.append(f"{e.param}: edge too short to see")
        if e.box is not None:
            if not any(segment_hits_box(p, q, e.box) for p, q in pairwise(scene.polylines[e.param])):
                found.append(f"{e.param}: label off its edge")
            if outside_length(scene.polylines[e.param], e.box) < MIN_VISIBLE - 1e-6:
                found.append(f"{e.param}: label hides its edge")
    for a, b in combinations(lay.units, 2):
        if math.hypot(a.centre.x - b.centre.x, a.centre.y - b.centre.y) < a.radius + b.radius:
            found.append(f"units {a.name} and {b.name} overlap")
    for a, b in combinations(lay.blocks, 2):
        if a.box.overlaps(b.box):
            found.append(f"blocks {a.name} and {b.name} overlap")
    return found
