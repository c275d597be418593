"""Plane geometry for the network drawing, in centimetres with y pointing up: points, boxes,
straight and curved segments, and the distance and intersection tests the layout needs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise


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
        return direction(self.control or self.start, self.end)

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


def direction(a: Point, b: Point) -> Point:
    """The unit vector from ``a`` towards ``b``."""
    d = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    return Point((b.x - a.x) / d, (b.y - a.y) / d)


def toward(a: Point, b: Point, distance: float) -> Point:
    """The point ``distance`` from ``a`` on the way to ``b``."""
    u = direction(a, b)
    return Point(a.x + u.x * distance, a.y + u.y * distance)


def segment_clip(p: Point, q: Point, box: Box) -> tuple[float, float] | None:
    """Liang-Barsky: the part (t0, t1) of segment pq inside the box, or None."""
    t0, t1 = 0.0, 1.0
    dx, dy = q.x - p.x, q.y - p.y
    for den, num in ((-dx, p.x - box.left), (dx, box.right - p.x), (-dy, p.y - box.bottom), (dy, box.top - p.y)):
        if den == 0:
            if num < 0:
                return None
        else:
            r = num / den
            if den < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return None
    return (t0, t1)


def segment_hits_box(p: Point, q: Point, box: Box) -> bool:
    """Does segment pq enter the box?"""
    return segment_clip(p, q, box) is not None


def length(line: tuple[Point, ...]) -> float:
    return sum(math.hypot(q.x - p.x, q.y - p.y) for p, q in pairwise(line))


def outside_length(line: tuple[Point, ...], box: Box) -> float:
    """How much of the polyline lies outside the box."""
    total = 0.0
    for p, q in pairwise(line):
        length = math.hypot(q.x - p.x, q.y - p.y)
        inside = segment_clip(p, q, box)
        total += length * (1 - (inside[1] - inside[0] if inside else 0.0))
    return total


def segment_distance(c: Point, p: Point, q: Point) -> float:
    """The distance from ``c`` to the segment pq."""
    dx, dy = q.x - p.x, q.y - p.y
    t = max(0.0, min(1.0, ((c.x - p.x) * dx + (c.y - p.y) * dy) / ((dx * dx + dy * dy) or 1.0)))
    return math.hypot(p.x + t * dx - c.x, p.y + t * dy - c.y)


def polyline_near(line: tuple[Point, ...], p: Point, distance: float) -> bool:
    """Does the polyline pass closer than ``distance`` to ``p``?"""
    return any(segment_distance(p, a, b) < distance for a, b in pairwise(line))
