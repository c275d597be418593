"""What a network drawing says about itself: the note under it when it is labelled plainer
than asked (``note``; its sentence is in the templates), and the values the edges do not
show, a table per layer (``weight_tables``). The TikZ and the SVG drawing both use them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.graph import Network
from .layout import Layout, label_lines
from .measure import PT, Measure, latex_width

NOTE_HEIGHT = 0.5  # the note line under a drawing (cm)
TABLE_FONT = 8.0 * PT  # the values' tables (cm)


def note(lay: Layout, tables: bool = True) -> str:
    """Which note the drawing carries (its sentence is in the templates): '' when every edge is
    labelled as asked; path (path-bare: not even the path), names, bare (``-next``: their table is
    not under the picture) or blocks."""
    if lay.mode == "blocks":
        return "blocks"
    if lay.partial:
        return "path-bare" if lay.mode == "bare" else "path"
    if lay.mode == "full":
        return ""
    return lay.mode if tables else f"{lay.mode}-next"


@dataclass(frozen=True, slots=True)
class WeightTable:
    """The values of the weights (and biases) into one layer: ``rows`` of (unit, one value
    per source in ``sources``, then the bias if ``bias``); '' where there is no edge."""

    layer: str
    sources: tuple[str, ...]
    bias: bool
    rows: tuple[tuple[str, tuple[str, ...]], ...]


def _value(label: str) -> str:
    lines = label_lines(label, True)
    return lines[1].removeprefix("=").strip() if len(lines) > 1 else label


def weight_tables(lay: Layout, layer_names: Mapping[int, str], measure: Measure = latex_width,
                  width: float | None = None) -> tuple[WeightTable, ...]:
    """The tables of a drawing whose edges do not show their values (none otherwise), a
    layer's columns split over several tables where they would be wider than ``width``."""
    if lay.mode not in ("names", "bare") or lay.partial:
        return ()
    label = {u.name: u.label for u in lay.units}
    layer_of = {u.name: u.layer for u in lay.units}
    order = {u.name: k for k, u in enumerate(lay.units)}
    bias_of = {unit: _value(label) for unit, label in lay.unit_biases}
    tables = []
    for layer in sorted({layer_of[e.target] for e in lay.edges}):
        into = [e for e in lay.edges if layer_of[e.target] == layer]
        sources = sorted({e.source for e in into}, key=order.__getitem__)
        targets = sorted({e.target for e in into}, key=order.__getitem__)
        cell = {(e.target, e.source): _value(e.label) for e in into}
        bias = any(t in bias_of for t in targets)
        sep = 0.45  # a column's padding (LaTeX's 2 \tabcolsep), cm
        first = max([measure(label[t]) for t in targets] + [0.5 * len(f"into {layer_names.get(layer, '')}")])
        column = max([measure(label[s]) for s in sources] + [measure(v) for v in cell.values()] + [1.5])
        room = (width or 0.0) - (first + 1.7 * bias) * TABLE_FONT - sep * (1 + bias)
        per = len(sources) if width is None else max(1, int(room / (column * TABLE_FONT + sep)))
        for start in range(0, len(sources), per):
            chunk = sources[start:start + per]
            last = start + per >= len(sources)
            rows = tuple((label[t], tuple(cell.get((t, s), "") for s in chunk) + ((bias_of.get(t, ""),) if bias and last
                                                                                   else ())) for t in targets)
            tables.append(WeightTable(layer_names.get(layer, str(layer)), tuple(label[s] for s in chunk),
                                      bias and last, rows))
    return tuple(tables)


def layer_names(network: Network) -> dict[int, str]:
    return {k: la.name for k, la in enumerate(network.spec.layers)}
