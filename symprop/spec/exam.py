"""The optional ``exam:`` section of a spec: the grids ``symprop exam`` draws values from,
and what it asks.

``weights``, ``biases``, ``inputs``, ``targets``: a grid ``{min, max, step}`` or ``keep``
(the spec's own values); ``ask``: quantity names as the checker names them; ``nonzero``,
``max_net``, ``allow_dead_relu``: which draws make poor questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import SympropError
from .validate import bool_value, check_keys, kind_text, listed, mapping
from .values import describe, parse_number

EXAM_KEYS = ("weights", "biases", "inputs", "targets", "ask", "nonzero", "max_net", "allow_dead_relu")
GRID_KEYS = ("min", "max", "step")
KEEP = "keep"  # an exam section's word for "the spec's own values, not drawn"


@dataclass(frozen=True, slots=True)
class Grid:
    """The values an exam draws from: ``min``, ``min + step``, ... up to ``max``."""

    min: Fraction
    max: Fraction
    step: Fraction

    @property
    def size(self) -> int:
        return int((self.max - self.min) // self.step) + 1

    def value(self, k: int) -> Fraction:
        return self.min + k * self.step


DEFAULT_GRID = Grid(Fraction(-1), Fraction(1), Fraction(1, 10))


@dataclass(frozen=True, slots=True)
class ExamSpec:
    """The optional ``exam:`` section: what ``symprop exam`` draws and asks.

    A grid of ``None`` keeps the spec's own values; ``ask`` holds the names as written
    (checker names, resolved by the exam against the solved network); ``nonzero`` leaves 0
    out of the drawn weights, biases and inputs (a target may be 0); ``max_net`` overrides
    the per-activation saturation limit; ``allow_dead_relu`` keeps draws with dead ReLU units.
    """

    weights: Grid | None = DEFAULT_GRID
    biases: Grid | None = DEFAULT_GRID
    inputs: Grid | None = None
    targets: Grid | None = None
    ask: tuple[str, ...] = ()
    nonzero: bool = True
    max_net: Fraction | None = None
    allow_dead_relu: bool = False


def parse_exam(raw: object) -> ExamSpec:
    """``exam:`` (empty: every default); the asked names are checked by the exam itself."""
    raw = mapping({} if raw is None else raw, "exam")
    check_keys(raw, EXAM_KEYS, "exam")
    default = ExamSpec()
    grids = {
        key: _grid(raw[key], f"exam.{key}") if key in raw else getattr(default, key)
        for key in ("weights", "biases", "inputs", "targets")
    }
    max_net = None
    if "max_net" in raw:
        max_net = parse_number(raw["max_net"], "exam.max_net")
        if max_net <= 0:
            raise SympropError(f"exam.max_net: {describe(raw['max_net'])} must be greater than 0")
    return ExamSpec(
        **grids, ask=_ask(raw.get("ask", [])), nonzero=bool_value(raw.get("nonzero", True), "exam.nonzero"),
        max_net=max_net, allow_dead_relu=bool_value(raw.get("allow_dead_relu", False), "exam.allow_dead_relu"),
    )


def _grid(raw: object, where: str) -> Grid | None:
    if raw == KEEP:
        return None
    if not isinstance(raw, dict):
        raise SympropError(
            f"{where}: expected {KEEP!r} (the spec's values) or a grid like {{min: -1, max: 1, step: 0.1}}, "
            f"got {kind_text(raw)}"
        )
    check_keys(raw, GRID_KEYS, where)
    for key in ("min", "max"):
        if key not in raw:
            raise SympropError(f"{where}.{key}: missing (a grid needs min and max; step defaults to 0.1)")
    low, high = parse_number(raw["min"], f"{where}.min"), parse_number(raw["max"], f"{where}.max")
    step = parse_number(raw.get("step", DEFAULT_GRID.step), f"{where}.step")
    if step <= 0:
        raise SympropError(f"{where}.step: {describe(raw.get('step'))} must be greater than 0")
    if low >= high:
        raise SympropError(f"{where}: min {describe(raw['min'])} must be less than max {describe(raw['max'])}")
    grid = Grid(low, high, step)
    if grid.size < 2:
        raise SympropError(
            f"{where}.step: {describe(raw.get('step'))} is wider than the range from {describe(raw['min'])} "
            f"to {describe(raw['max'])}, so the grid has a single value (make step at most max - min)"
        )
    return grid


def _ask(raw: object) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else listed(raw, "exam.ask")
    for k, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SympropError(f"exam.ask[{k}]: {describe(item)} is not a quantity name (e.g. 'out(o1)', 'grad(w5)')")
    return tuple(item.strip() for item in items)
