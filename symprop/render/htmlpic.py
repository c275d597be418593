"""The network drawing of the web page: the SVG drawing of ``diagram`` with names on it.

The geometry is ``diagram.svg_context``'s, of the same readable layout as the Markdown
drawing (labels plainer, tables of the values, layer blocks as the network grows). This
module adds what the page's script needs: the parameter of every edge, bias arrow and
label (``data-param``), the unit of every circle, which labels take the keyboard focus
(a parameter's label, or its edge when it has none), and the value badges the
step-through shows under each unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..core.graph import Network
from .layout import Layout, layout
from .legend import weight_tables
from .measure import LABEL_FONT, PAD_X, text_width
from .svgdraw import SVG_SCALE, SVG_WIDTH_CM, SvgBox, SvgLine, SvgPicture, SvgText, svg_context
from .worked import plain_labels

BADGE_FONT = LABEL_FONT * 1.05  # at most (cm)
MIN_BADGE_FONT = LABEL_FONT * 0.7
BADGE_LEADING = 1.3  # a badge's height in fonts
BADGE_GAP = 0.04  # between a circle and its badges (cm)


@dataclass(frozen=True, slots=True)
class Badge:
    """A unit's values as the step-through shows them: a box under its circle."""

    id: str
    unit: str
    box: SvgBox
    text: SvgText


@dataclass(frozen=True, slots=True)
class HtmlPicture:
    pic: SvgPicture
    top: str  # the canvas's top (px, 0 or above the drawing: room for the badges over the top units)
    height: str  # the canvas's height, with room for the badges
    edge_params: tuple[str, ...]  # of pic.edges, in order
    focus_edges: tuple[bool, ...]  # the edge takes the focus (its parameter has no label)
    label_params: tuple[str, ...]  # of pic.edge_labels
    arrow_params: tuple[tuple[str, str], ...]  # (bias, unit) of pic.bias_arrows
    bias_params: tuple[str, ...]  # of pic.bias_labels
    unit_names: tuple[str, ...]  # of pic.units
    badges: tuple[Badge, ...]


def picture(network: Network, values: Iterable[tuple[str, str, tuple[str, ...]]],
            labels: tuple[dict[str, str], dict[str, str], dict[str, str]] | None = None,
            tables: bool = True) -> HtmlPicture:
    """The page's drawing of ``network``; ``values``: the badges, (id, unit, lines);
    ``labels``: of the units, weights and biases (default: the spec's names and values);
    ``tables``: the values the edges do not show under the drawing (a deck has slides of them)."""
    lay = layout(network, *(labels or plain_labels(network)), SVG_WIDTH_CM, text_width)
    names = {k: la.name for k, la in enumerate(network.spec.layers)}
    pic = svg_context(lay, weight_tables(lay, names, text_width, SVG_WIDTH_CM) if tables else ())
    if not tables and pic.note in ("names", "bare"):
        pic = replace(pic, note=f"{pic.note}-next")  # the values are on slides of their own
    labelled = {e.param for e in lay.edges if e.box is not None}
    badge_list = _badges(lay, values)
    top = min([0.0] + [float(b.box.y) - 2.0 for b in badge_list])
    bottom = max([float(pic.height)] + [float(b.box.y) + float(b.box.height) + 2.0 for b in badge_list])
    return HtmlPicture(
        pic=pic,
        top=f"{top:.2f}",
        height=f"{bottom - top:.2f}",
        edge_params=tuple(e.param for e in lay.edges),
        focus_edges=tuple(e.param not in labelled for e in lay.edges),
        label_params=tuple(e.param for e in lay.edges if e.box is not None),
        arrow_params=tuple((b.param, a.target) for b in lay.biases for a in b.arrows),
        bias_params=tuple(b.param for b in lay.biases),
        unit_names=tuple(u.name for u in lay.units),
        badges=badge_list,
    )


def _px(value: float) -> str:
    return f"{value * SVG_SCALE:.2f}"


def _font(lay: Layout) -> float:
    """The badges' font: a badge under one circle and one over the next fit between them."""
    if len(lay.units) < 2 or lay.spacing <= 0:
        return BADGE_FONT
    room = lay.spacing - 2 * lay.units[0].radius - 4 * BADGE_GAP
    return max(MIN_BADGE_FONT, min(BADGE_FONT, room / (2 * BADGE_LEADING)))


def _badges(lay: Layout, values: Iterable[tuple[str, str, tuple[str, ...]]]) -> tuple[Badge, ...]:
    """Each unit's badges: its output under its circle, its δ over it, one line each (the
    badges of several samples take the same places: one sample is shown at a time)."""
    place = {u.name: u for u in lay.units}
    font = _font(lay)
    height = BADGE_LEADING * font
    result = []
    for ident, unit, lines in values:
        if unit not in place:  # a layer drawn as a block
            continue
        u = place[unit]
        text = " ".join(lines)
        width = text_width(text) * font + 2 * PAD_X
        left = max(0.02, min(lay.width - width - 0.02, u.centre.x - width / 2))  # inside the canvas
        below = ident[0] == "v"
        top = u.centre.y - u.radius - BADGE_GAP if below else u.centre.y + u.radius + BADGE_GAP + height
        y = lay.top - top  # cm from the canvas top
        baseline = y + height / 2 + 0.35 * font
        result.append(Badge(ident, unit, SvgBox(_px(left), _px(y), _px(width), _px(height)),
                            SvgText(_px(left + width / 2), _px(baseline), _px(font),
                                    (SvgLine(_px(baseline), text),))))
    return tuple(result)
