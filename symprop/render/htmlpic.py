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
from dataclasses import dataclass

from ..core.graph import Network
from .diagram import SVG_SCALE, SVG_WIDTH_CM, SvgBox, SvgLine, SvgPicture, SvgText, svg_context, weight_tables
from .layout import Layout, layout
from .measure import LABEL_FONT, PAD_X, text_width
from .worked import plain_labels

BADGE_FONT = LABEL_FONT * 1.05  # cm
BADGE_GAP = 0.06  # between a circle and its first badge, and between two badges (cm)


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
    height: str  # the canvas, with room for the lowest badges
    edge_params: tuple[str, ...]  # of pic.edges, in order
    focus_edges: tuple[bool, ...]  # the edge takes the focus (its parameter has no label)
    label_params: tuple[str, ...]  # of pic.edge_labels
    arrow_params: tuple[tuple[str, str], ...]  # (bias, unit) of pic.bias_arrows
    bias_params: tuple[str, ...]  # of pic.bias_labels
    unit_names: tuple[str, ...]  # of pic.units
    badges: tuple[Badge, ...]


def picture(network: Network, values: Iterable[tuple[str, str, tuple[str, ...]]]) -> HtmlPicture:
    """The page's drawing of ``network``; ``values``: the badges, (id, unit, lines)."""
    lay = layout(network, *plain_labels(network), SVG_WIDTH_CM, text_width)
    names = {k: la.name for k, la in enumerate(network.spec.layers)}
    pic = svg_context(lay, weight_tables(lay, names, text_width, SVG_WIDTH_CM))
    labelled = {e.param for e in lay.edges if e.box is not None}
    badge_list = _badges(lay, values)
    lowest = max((float(b.box.y) + float(b.box.height) for b in badge_list), default=0.0)
    return HtmlPicture(
        pic=pic,
        height=f"{max(float(pic.height), lowest + 2.0):.2f}",
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


def _badges(lay: Layout, values: Iterable[tuple[str, str, tuple[str, ...]]]) -> tuple[Badge, ...]:
    """Each unit's badges stacked under its circle (a sample's values first, then its δ);
    the badges of several samples take the same places (one sample is shown at a time)."""
    place = {u.name: u for u in lay.units}
    below: dict[tuple[str, str], float] = {}  # (unit, kind) -> the top of that badge (cm, y up)
    result = []
    for ident, unit, lines in values:
        if unit not in place:  # a layer drawn as a block
            continue
        u = place[unit]
        kind = ident[0]
        height = len(lines) * 1.2 * BADGE_FONT + 0.08
        width = max(text_width(line) for line in lines) * BADGE_FONT + 2 * PAD_X
        top = below.setdefault((unit, kind), u.centre.y - u.radius - BADGE_GAP if kind == "v"
                               else below.get((unit, "v-bottom"), u.centre.y - u.radius - BADGE_GAP))
        if kind == "v":
            below[(unit, "v-bottom")] = top - height - BADGE_GAP
        y = lay.top - top  # cm from the canvas top
        left = max(0.02, min(lay.width - width - 0.02, u.centre.x - width / 2))  # inside the canvas
        first = y + 0.04 + 0.95 * BADGE_FONT
        text = SvgText(_px(left + width / 2), _px(first), _px(BADGE_FONT),
                       tuple(SvgLine(_px(first + k * 1.2 * BADGE_FONT), line) for k, line in enumerate(lines)))
        result.append(Badge(ident, unit, SvgBox(_px(left), _px(y), _px(width), _px(height)), text))
    return tuple(result)
