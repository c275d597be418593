"""Where each weight's label goes on its edge, once the circles, arrows and bias nodes are laid out.

Every edge has candidate places: its label box centred on the curve at one of the
``FRACTIONS`` along it (and, when allowed, a little off-centre, the edge still crossing the
box). A place is blocked when the box comes too close to a circle, an arrow tip, a bias
node or the canvas sides (``_Obstacles``). The most constrained edges are placed first,
each at the free place (clear of the labels already placed, ``_Placed``) nearest its
preferred fraction that crosses the fewest other lines; an edge with no free place may
move one placed label that can go somewhere else, else it takes the place overlapping the
fewest labels and counts as a collision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from .geometry import Box, Curve, segment_hits_box
from .measure import TIP

LABEL_GAP = 0.05  # minimum clearance between a label box and anything else (cm)
FRACTIONS = tuple(round(0.1 + 0.025 * k, 3) for k in range(33))  # 0.1 .. 0.9 along an edge
# Off-centre positions of a label box on its edge, as fractions of the box's width and height.
SHIFTS = ((0.0, 0.0), (0.3, 0.0), (-0.3, 0.0), (0.0, 0.3), (0.0, -0.3), (0.3, 0.3), (-0.3, -0.3), (0.3, -0.3),
          (-0.3, 0.3))

Option = tuple[int, float, float, Box]  # (obstacles too close, preference cost, t, box)


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
        found = sorted({k for key in self._keys(box) for k in self._cells.get(key, ())})
        return [self.items[k] for k in found if self.items[k] is not None]


class _Obstacles:
    """What a label keeps clear of (circles, arrow tips, bias nodes, the canvas sides) and the
    lines it would rather not cross (every edge and bias arrow)."""

    def __init__(self, units, biases, curves: Mapping[str, Curve], width: float) -> None:
        self.width = width
        self.circles, self.fixed, self.segments = Grid(), Grid(), Grid()
        for u in units:
            self.circles.add(Box.around(u.centre.x, u.centre.y, 2 * u.radius, 2 * u.radius), u)
        for box in [tip_box(c) for c in curves.values()] + [tip_box(a.curve) for b in biases for a in b.arrows]:
            self.fixed.add(box, box)
        for b in biases:
            self.fixed.add(b.box, b.box)
        lines = [(name, c.polyline()) for name, c in curves.items()] + [
            (f" {b.param} {a.target}", a.curve.polyline()) for b in biases for a in b.arrows
        ]
        for name, line in lines:
            for p, q in pairwise(line):
                self.segments.add(Box(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y)), (name, p, q))

    def blocked(self, box: Box) -> int:
        """How many circles, arrow tips and bias nodes the box comes too close to (99 off the canvas)."""
        if box.left < 0 or box.right > self.width:
            return 99
        grown = box.grown(LABEL_GAP)
        return sum(1 for u in self.circles.near(grown) if box.hits_circle(u.centre, u.radius, LABEL_GAP)) + sum(
            1 for other in self.fixed.near(grown) if box.overlaps(other, LABEL_GAP)
        )

    def crossings(self, box: Box, own: str) -> int:
        """How many other lines (edges, bias arrows) run through the box."""
        return len({name for name, p, q in self.segments.near(box) if name != own and segment_hits_box(p, q, box)})


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

    def free(self, param: str) -> list[Option]:
        """The places of ``param`` clear of every obstacle and every label placed."""
        return [o for o in self.candidates[param] if o[0] == 0 and not self.crowded(o[3])]

    def bump(self, param: str) -> bool:
        """Place ``param`` where it blocks one placed label that can move somewhere clear."""
        for option in [o for o in self.candidates[param] if o[0] == 0][:60]:
            blockers = self.crowded(option[3])
            if len(blockers) != 1:
                continue
            (other,) = blockers
            before = self.take(other)
            self.put(param, option[2], option[3])
            moved = [o for o in self.free(other) if not o[3].overlaps(option[3], LABEL_GAP)]
            if moved:
                self.put(other, moved[0][2], moved[0][3])
                return True
            self.take(param)
            self.put(other, *before)
        return False


def place_labels(edges: Sequence, sizes: Mapping[str, tuple[float, float]], units, biases,
                 curves: Mapping[str, Curve], width: float, shift: bool) -> tuple[dict[str, tuple[float, Box]], int]:
    """Each weight's label (of ``sizes``) at the place clear of circles, arrow tips, bias nodes,
    the canvas sides and the labels already placed (the most constrained edges first), crossing
    the fewest other lines, nearest its preferred fraction (near the source; mid-curve for skip
    edges) and centred on its edge (with ``shift``, boxes may also sit off-centre); where no
    place is clear, the one overlapping the fewest labels. Returns {weight: (t, box)} and the
    number of such collisions."""
    obstacles = _Obstacles(units, biases, curves, width)
    shifts = SHIFTS if shift else SHIFTS[:1]
    placed = _Placed({e.param: _options(curves[e.param], sizes[e.param], shifts, obstacles) for e in edges})
    collisions = 0
    for edge in sorted(edges, key=lambda e: (sum(1 for o in placed.candidates[e.param] if o[0] == 0), e.param)):
        options = placed.free(edge.param)
        if not options:
            if placed.bump(edge.param):
                continue
            collisions += 1
            options = [min(placed.candidates[edge.param], key=lambda o: (o[0] + len(placed.crowded(o[3])), o[1], o[2]))]
        choice = _least_crossing(options, edge.param, obstacles)
        placed.put(edge.param, choice[2], choice[3])
    return placed.at, collisions


def _options(curve: Curve, size: tuple[float, float], shifts, obstacles: _Obstacles) -> list[Option]:
    """The edge's candidate places, sorted: least blocked, then nearest the preferred fraction."""
    prefer = 0.5 if curve.control is not None else 0.3
    options = []
    for k, t in enumerate(FRACTIONS):
        for dx, dy in shifts if k % 2 == 0 else shifts[:1]:
            box = box_on(curve, t, size, dx, dy)
            options.append((obstacles.blocked(box), 3 * abs(t - prefer) + 2 * (abs(dx) + abs(dy)), t, box))
    return sorted(options, key=lambda o: (o[0], o[1], o[2]))


def _least_crossing(options: list[Option], own: str, obstacles: _Obstacles) -> Option:
    """Of the (preference-sorted) options, the one of least preference cost plus lines crossed."""
    best: tuple[float, float] | None = None
    choice = options[0]
    for option in options[:40]:  # sorted by preference cost: stop once it alone exceeds the best
        if best is not None and option[1] >= best[0]:
            break
        cost = (option[1] + obstacles.crossings(option[3], own), option[2])
        if best is None or cost < best:
            best, choice = cost, option
    return choice


def box_on(curve: Curve, t: float, size: tuple[float, float], dx: float = 0.0, dy: float = 0.0) -> Box:
    """The box of ``size`` around the curve's point at ``t``, moved by ``dx``, ``dy`` of its size."""
    p = curve.at(t)
    w, h = size
    return Box.around(p.x + dx * w, p.y + dy * h, w, h)


def tip_box(curve: Curve) -> Box:
    """The square an arrow tip takes at the curve's end."""
    d = curve.end_direction()
    return Box.around(curve.end.x - d.x * TIP / 2, curve.end.y - d.y * TIP / 2, TIP, TIP)
