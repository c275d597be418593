"""Every drawing symprop emits reads unambiguously at the size it is printed, proven from the
layout's boxes and lines with a checker of this file's own (sampled geometry, not the
layout's predicates): no label box on another, on a unit circle or an arrow tip; no label
with another edge's line through its middle; every label on its own edge, every edge in
sight. Checked for the document drawing (TikZ 12 cm, SVG 12 cm), the exam sheet (12 cm),
the deck's network frame and every path frame's side drawing in both aspects (a handout
draws the same), for the bundled examples and networks up to 4-5-5-3; then the plainer
fallbacks (names and a table, path-only labels, layer blocks) and the time it takes."""

from __future__ import annotations

import math
import re
import time
from itertools import combinations, pairwise

import pytest
from specs import DENSE_3432

from symprop.core.graph import build
from symprop.examples import names, path
from symprop.numbers.solution import solve
from symprop.render import diagram, frames, worked
from symprop.render.deck import deck
from symprop.render.document import document
from symprop.render.frames import Stage
from symprop.render.geometry import Box, Point
from symprop.render.sheet import TIKZ_WIDTH_CM
from symprop.spec import load_spec, parse_spec_text

TWO_SAMPLES_232 = """
title: 2-3-2, tanh and sigmoid, two samples
learning_rate: 0.5
rounding: {places: 4, mode: round, carry: exact}
layers:
  - {name: input, units: [x1, x2]}
  - {name: hidden, units: [h1, h2, h3], activation: tanh}
  - {name: output, units: [y1, y2], activation: sigmoid}
weights:
  w1: x1 -> h1 = 0.15
  w2: x2 -> h1 = -0.2
  w3: x1 -> h2 = 0.25
  w4: x2 -> h2 = 0.3
  w5: x1 -> h3 = -0.35
  w6: x2 -> h3 = 0.4
  w7: h1 -> y1 = 0.45
  w8: h2 -> y1 = -0.5
  w9: h3 -> y1 = 0.55
  w10: h1 -> y2 = 0.6
  w11: h2 -> y2 = -0.65
  w12: h3 -> y2 = 0.7
biases:
  b1: h1, h2, h3 = 0.1
  b2: y1, y2 = -0.1
samples:
  - {input: {x1: 0.5, x2: -0.3}, target: {y1: 0.2, y2: 0.8}}
  - {input: {x1: -0.1, x2: 0.9}, target: {y1: 0.7, y2: 0.3}}
"""

DENSE_4553 = """
title: 4-5-5-3, shared and per-unit biases
learning_rate: 0.5
rounding: {places: 4, mode: round, carry: exact}
layers:
  - {units: 4}
  - {units: 5, activation: tanh, bias: 0.1, weights: [[0.1, -0.5, 0.3, -0.8], [-0.7, 0.8, -0.6, 0.2],
     [0.9, -0.8, 0.7, -0.3], [-0.8, -0.7, 0.4, 0.4], [-0.7, -0.2, -0.7, 0.8]]}
  - {units: 5, activation: tanh, bias: [0.4, -0.8, 0.9, -0.6, -0.2], weights: [[0.9, -0.8, 0.9, 0.9, 0.3],
     [-0.8, -0.2, -0.8, 0.8, -0.5], [0.1, 0.4, -0.5, 0.8, -0.6], [0.9, 0.1, 0.8, -0.4, -0.6],
     [0.9, 0.9, -0.3, 0.2, -0.6]]}
  - {units: 3, activation: sigmoid, bias: [0.8, -0.7, 0.9], weights: [[-0.8, -0.3, 0.6, 0.8, 0.4],
     [0.1, 0.5, 0.9, 0.5, 0.2], [0.1, -0.2, -0.4, -0.2, -0.7]]}
samples:
  - {input: [1, 0.5, -1, 0.2], target: [0.3, 0.9, 0.5]}
"""

OWN = {"tanh-2-3-2": TWO_SAMPLES_232, "dense-3-4-3-2": DENSE_3432, "dense-4-5-5-3": DENSE_4553}
NETWORKS = (*names(), *OWN)


def spec_of(name: str):
    return parse_spec_text(OWN[name]) if name in OWN else load_spec(path(name))


# --- the checker -----------------------------------------------------------------------------


def samples(line: tuple[Point, ...], step: float = 0.01) -> list[Point]:
    """Points every ``step`` cm along a polyline."""
    found = []
    for p, q in pairwise(line):
        n = max(1, math.ceil(math.hypot(q.x - p.x, q.y - p.y) / step))
        found += [Point(p.x + (q.x - p.x) * k / n, p.y + (q.y - p.y) * k / n) for k in range(n + 1)]
    return found


def inside(p: Point, box: Box) -> bool:
    return box.left < p.x < box.right and box.bottom < p.y < box.top


def middle(box: Box) -> Box:
    """The middle of a label: a line through it reads as the label's own."""
    return Box.around(box.x, box.y, 0.3 * box.w, 0.5 * box.h)


def unreadable(lay: diagram.Layout) -> list[str]:
    """What makes ``lay`` hard to read, found by sampling its lines and testing its boxes."""
    found = []
    labels = [(e.param, e.box) for e in lay.edges if e.box is not None] + [(b.param, b.box) for b in lay.biases]
    for (a, box), (b, other) in combinations(labels, 2):
        if box.overlaps(other):
            found.append(f"{a} overlaps {b}")
    lines = {e.param: samples(e.curve.polyline(48)) for e in lay.edges}
    lines |= {f"{b.param}->{a.target}": samples(a.curve.polyline(48)) for b in lay.biases for a in b.arrows}
    tips = [Box.around(e.curve.end.x, e.curve.end.y, 0.12, 0.12) for e in lay.edges]
    for name, box in labels:
        if not (-1e-9 <= box.left and box.right <= lay.width + 1e-9 and lay.bottom <= box.bottom):
            found.append(f"{name} off the canvas")
        found += [f"{name} on unit {u.name}" for u in lay.units if box.hits_circle(u.centre, u.radius)]
        found += [f"{name} on an arrow tip" for tip in tips if box.overlaps(tip)]
        found += [f"{name} reads as {other}'s" for other, points in lines.items()
                  if other != name and not other.startswith(f"{name}->") and any(inside(p, middle(box)) for p in points)]
    for e in lay.edges:
        points = lines[e.param]
        if e.box is not None and not any(inside(p, e.box) for p in points):
            found.append(f"{e.param}: label off its edge")
        shown = [p for p in points if e.box is None or not inside(p, e.box)]
        if len(shown) * 0.01 < 0.25:
            found.append(f"{e.param}: edge hidden")
    for a, b in combinations(lay.units, 2):
        if math.hypot(a.centre.x - b.centre.x, a.centre.y - b.centre.y) < a.radius + b.radius + 0.1:
            found.append(f"{a.name} on {b.name}")
    return found


def assert_readable(lay: diagram.Layout, width: float, height: float | None = None) -> None:
    assert unreadable(lay) == [] and lay.problems() == []
    assert lay.width == width
    if height is not None:
        assert lay.height <= height + 1e-6, (lay.height, height)


def test_the_checker_sees_a_label_on_a_foreign_edge():
    net = build(spec_of("sigmoid-2-2-2"))
    lay = diagram.layout(net, *worked.plain_labels(net))
    assert unreadable(lay) == []
    w1 = next(e for e in lay.edges if e.param == "w1")
    w3 = next(e for e in lay.edges if e.param == "w3")  # i2 -> h1: crosses w2 in the middle
    moved = [e if e.param != "w1" else type(e)(e.param, e.source, e.target, e.curve, 0.5,
                                                Box.around(w3.curve.at(0.5).x, w3.curve.at(0.5).y, w1.box.w, w1.box.h),
                                                e.label, e.lines) for e in lay.edges]
    bad = type(lay)(lay.width, lay.bottom, lay.top, lay.spacing, lay.label_font, lay.unit_font, lay.units,
                    tuple(moved), lay.biases)
    assert any("w1 reads as" in p for p in unreadable(bad)) and any("w1" in p for p in bad.problems())


# --- every drawing, at its printed size ---------------------------------------------------------


@pytest.mark.parametrize("name", NETWORKS)
def test_document_drawings_are_readable(name):
    """The TikZ picture of solution.tex (12 cm), the exam sheet's (12 cm) and network.svg."""
    spec = spec_of(name)
    solution = solve(spec)
    doc = document(solution)
    net = solution.network
    for width in (12.0, TIKZ_WIDTH_CM):
        lay = diagram.layout(net, doc.unit_labels, doc.edge_labels, doc.bias_labels, width, diagram.latex_width)
        assert_readable(lay, width)
        assert worked.tikz_picture(doc, net, width).startswith(diagram.draw_tikz(lay).split("\\end{tikzpicture}")[0])
    lay = diagram.layout(net, *worked.plain_labels(net), diagram.SVG_WIDTH_CM, diagram.text_width)
    assert_readable(lay, diagram.SVG_WIDTH_CM)


def deck_layouts(name: str, aspect: str):
    """The layouts of a deck's drawings, each with the picture drawn from it in the deck."""
    solution = solve(spec_of(name))
    the_deck = deck(solution, aspect=aspect)
    pictures = [f.picture for _, fs in the_deck.sections for f in fs if f.picture]
    stage = Stage.of(solution, "chain", None, aspect)
    drawn = {frames.network_layout(stage): None, frames.network_layout(stage, after=True): None}
    for f in (f for _, fs in the_deck.sections for f in fs if f.kind == "reveal" and f.picture):
        edges = frozenset(re.findall(r"\\draw\[weight, highlight\]", f.picture))
        assert edges, "a path frame highlights its path"
    for param in the_deck_detail(solution):
        for p in solution.derivations.of[param].paths():
            edges = frozenset(x.ref for x in p.factors if x.kind == "weight") | {param}
            drawn[frames.side_layout(stage, edges, param)] = edges
    return stage, pictures, drawn


def the_deck_detail(solution):
    from symprop.render.deck import default_detail

    return default_detail(solution)


@pytest.mark.parametrize("aspect", ["169", "43"])
@pytest.mark.parametrize("name", NETWORKS)
def test_deck_drawings_are_readable_at_their_size(name, aspect):
    """The network frames fill the slide, the side drawings their column: never scaled."""
    stage, pictures, drawn = deck_layouts(name, aspect)
    side = stage.width * (stage.column - 0.01)
    for lay, edges in drawn.items():
        width = stage.width if edges is None else side
        height = stage.height - 0.2 if edges is None else stage.height - 0.5
        assert_readable(lay, width, height - diagram.NOTE_HEIGHT)
        if edges is not None:
            assert lay.mode != "blocks"
            picture = diagram.draw_tikz(lay, frozenset(), edges, tables_below=False)
            assert picture.count("\\draw[weight, highlight]") == sum(1 for e in lay.edges if e.param in edges)
    for picture in pictures:
        assert "\\resizebox{!}" not in picture  # printed at the size laid out
        box = re.search(r"\\useasboundingbox \(0\.000,(-?[\d.]+)\) rectangle \(([\d.]+),(-?[\d.]+)\)", picture)
        assert float(box[2]) <= stage.width + 1e-9 and float(box[3]) - float(box[1]) <= stage.height + 1e-6


# --- the fallbacks -------------------------------------------------------------------------------


def test_known_bad_cases_are_fixed():
    # 2-3-2 path frames: only the path labelled (no stacked labels), the rest lighter
    _, _, drawn = deck_layouts("tanh-2-3-2", "169")
    sides = [lay for lay, edges in drawn.items() if edges is not None]
    assert sides and all(lay.partial and lay.mode in ("full", "names") for lay in sides)
    lit = diagram.draw_tikz(sides[0], frozenset(), frozenset({"w1", "w7"}))
    assert "light]" in lit and "Only the weights on the highlighted path are labelled." in lit
    # 3-2-1: no bias box on w6's label, in either aspect; 2-2-2 in 4:3: the w1 path drawn, its labels clear
    for aspect in ("169", "43"):
        for lay in deck_layouts("relu-3-2-1", aspect)[2]:
            labels = [e.box for e in lay.edges if e.box is not None]
            assert not any(b.box.overlaps(box) for b in lay.biases for box in labels)
    _, _, drawn = deck_layouts("sigmoid-2-2-2", "43")
    w1 = next(lay for lay, edges in drawn.items() if edges and "w1" in edges)
    assert {e.param for e in w1.edges if e.box is not None} >= {"w1", "w5"}
    assert diagram.draw_tikz(w1, frozenset(), frozenset({"w1", "w5"})).count("\\draw[weight, highlight]") == 2


def test_beyond_the_labels_that_fit_names_and_a_table():
    solution = solve(spec_of("dense-4-5-5-3"))
    doc = document(solution)
    net = solution.network
    lay = diagram.layout(net, doc.unit_labels, doc.edge_labels, doc.bias_labels, 12.0, diagram.latex_width)
    assert lay.mode in ("names", "bare")
    picture = worked.tikz_picture(doc, net)
    assert "their values are in the table below." in picture
    tables = picture.split("\\end{tikzpicture}")[1]
    for label in doc.edge_labels.values():  # every value the edges do not show is in a table
        assert f"${label.split(' = ')[1]}$" in tables
    svg = worked.network_svg(net)
    assert "their values are in the table below." in svg and svg.count('class="table-cell"') > len(doc.edge_labels)
    # on a slide, the tables get frames of their own, and the note says so
    the_deck = deck(solution)
    kinds = [(f.kind, f.title) for _, fs in the_deck.sections for f in fs]
    assert ("weights", "The network (values)") in kinds
    network_frame = the_deck.sections[0][1][0]
    assert "on the next slide." in network_frame.picture and "\\begin{tabular}" not in network_frame.picture


def dense(sizes: list[int]) -> str:
    layers = [f"  - {{units: {sizes[0]}}}"]
    for a, b in pairwise(sizes):
        rows = ", ".join("[" + ", ".join("0.1" for _ in range(a)) + "]" for _ in range(b))
        layers.append(f"  - {{units: {b}, activation: sigmoid, bias: 0.1, weights: [{rows}]}}")
    inputs = ", ".join("0.5" for _ in range(sizes[0]))
    targets = ", ".join("0.5" for _ in range(sizes[-1]))
    return "learning_rate: 0.5\nlayers:\n" + "\n".join(layers) + f"\nsamples:\n  - {{input: [{inputs}], target: [{targets}]}}\n"


@pytest.mark.parametrize(("sizes", "mode", "seconds"), [
    ([3] + [4] * 11 + [2], "blocks", 0.5),  # 13 layers
    ([2] + [3] * 198 + [1], "blocks", 0.5),  # 200 layers
    ([10, 20, 20, 10], "blocks", 0.5),  # 800 edges
    ([50, 2], "blocks", 0.5),  # 50 units in a layer
    ([10, 15, 10], "bare", 3.0),  # 300 edges: too many to label
    ([6, 8, 8, 3], None, 10.0),
])
def test_big_networks_are_drawn_in_bounded_time(sizes, mode, seconds):
    net = build(parse_spec_text(dense(sizes)))
    labels = worked.plain_labels(net)
    start = time.perf_counter()
    lay = diagram.layout(net, *labels, 12.0, diagram.text_width)
    svg = diagram.draw_svg(lay)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, elapsed
    assert mode is None or lay.mode == mode
    assert lay.problems() == []
    if lay.mode == "blocks":
        assert len(lay.blocks) == len(sizes) and len(lay.block_arrows) == len(sizes) - 1
        assert "each layer is drawn as a box" in svg and svg.count('class="block-box"') == len(sizes)
        tikz = diagram.draw_tikz(lay)
        assert tikz.count("\\node[block") == len(sizes) and "each layer is drawn as a box" in tikz


def test_blocks_read_as_a_snake():
    net = build(parse_spec_text(dense([2] + [3] * 13 + [1])))
    lay = diagram.layout(net, *worked.plain_labels(net), 12.0)
    rows = [b.box.y for b in lay.blocks]
    per_row = rows.count(rows[0])
    assert per_row > 1 and lay.blocks[per_row].box.x == lay.blocks[per_row - 1].box.x  # turns below the row's end
    for arrow, a in zip(lay.block_arrows, lay.blocks, strict=False):
        assert not any(a.box.overlaps(c.box) for c in lay.blocks if c is not a)
        assert abs(arrow.start.x - arrow.end.x) < 1e-9 or abs(arrow.start.y - arrow.end.y) < 1e-9


def test_reveal_sizes_never_below_footnotesize():
    assert [s for s, _ in frames.SIZES] == ["normalsize", "small", "footnotesize"]
    solution = solve(spec_of("dense-4-5-5-3"))
    the_deck = deck(solution, aspect="43")
    sizes = {f.size for _, fs in the_deck.sections for f in fs if f.kind in ("reveal", "equations")}
    assert sizes <= {"normalsize", "small", "footnotesize"}
