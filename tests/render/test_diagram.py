"""The network drawing: the geometry helpers, the shared layout (labels clear of each other,
of the circles and of the canvas sides; computed once per input), the SVG (well-formed, one
circle per unit, one label per edge and bias, escaped text, label boxes that do not overlap)
and the TikZ picture (compiles with pdflatex, no overfull box, exactly the asked width;
highlighting only restyles), both drawn through their templates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import OrderedDict
from itertools import combinations
from xml.sax.saxutils import escape

import pytest

from symprop.core.graph import build
from symprop.examples import names, path
from symprop.render import diagram, geometry, measure, worked
from symprop.render import layout as layout_module
from symprop.render.geometry import Box, Curve, Point
from symprop.spec import load_spec, parse_spec_text

SVG_NS = "{http://www.w3.org/2000/svg}"

DENSE_3442 = """
learning_rate: 0.5
layers:
  - {units: 3}
  - {units: 4, activation: tanh, bias: 0.1,
     weights: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [-0.1, -0.2, -0.3], [0.2, 0.0, -0.2]]}
  - {units: 4, activation: tanh, bias: [0.1, 0.2, 0.3, 0.4],
     weights: [[0.1, 0.2, 0.3, 0.4], [0.4, 0.5, 0.6, 0.7], [-0.1, -0.2, -0.3, 0.4], [0.2, 0.0, -0.2, 1/3]]}
  - {units: 2, activation: identity, weights: [[0.5, -0.5, 0.25, 1/3], [0.1, 0.2, 0.3, 0.4]]}
samples:
  - {input: [1, 0.5, -1], target: [0.3, 0.1]}
"""

SKIP = """
learning_rate: 0.5
layers:
  - {name: input, units: [i1, i2, i3]}
  - {name: hidden, units: [h1, h2, h3], activation: sigmoid}
  - {name: output, units: [o1, o2], activation: sigmoid}
weights:
  w1: i1 -> h1 = 0.1
  w2: i2 -> h2 = 0.2
  w3: i3 -> h3 = -0.3
  w4: i1 -> h2 = 0.4
  w5: h1 -> o1 = 0.5
  w6: h2 -> o1 = 0.6
  w7: h3 -> o2 = 0.7
  w8: i1 -> o1 = 1/3
  w9: i3 -> o2 = -1.25
  w10: i2 -> o1 = 0.05
  w11: h2 -> o2 = 0.9
biases:
  b1: h1, h2, h3 = 0.1
  b2: o1 = 0.2
  b3: o2 = 0.3
samples:
  - {input: [1, 0.5, -1], target: [0.3, 0.1]}
"""


def network(name: str):
    if name == "dense-3-4-4-2":
        return build(parse_spec_text(DENSE_3442))
    if name == "skip-3-3-2":
        return build(parse_spec_text(SKIP))
    return build(load_spec(path(name)))


NETWORKS = (*names(), "dense-3-4-4-2", "skip-3-3-2")


def value(param) -> str:
    v = param.value
    return str(v.numerator) if v.denominator == 1 else f"{float(v):.6g}"


def plain_labels(net):
    units = {u.name: u.name for u in net.units}
    edges = {p.name: f"{p.name} = {value(p)}" for p in net.params if p.kind == "weight"}
    biases = {p.name: f"{p.name} = {value(p)}" for p in net.params if p.kind == "bias"}
    return units, edges, biases


def tex_name(name: str) -> str:
    """w_h1_1_i1 -> w_{h1\\_1\\_i1}; h1 -> h_{1}."""
    match = re.fullmatch(r"([A-Za-z]+?)_?([0-9].*|(?<=_).*)", name)
    if not match:
        return name
    return f"{match.group(1)}_{{{match.group(2).replace('_', chr(92) + '_')}}}"


def tex_labels(net):
    units = {u.name: tex_name(u.name) for u in net.units}
    edges = {p.name: f"{tex_name(p.name)} = {value(p)}" for p in net.params if p.kind == "weight"}
    biases = {p.name: f"{tex_name(p.name)} = {value(p)}" for p in net.params if p.kind == "bias"}
    return units, edges, biases


def test_tex_name():
    assert tex_name("h1") == "h_{1}"
    assert tex_name("w_h1_1_i1") == r"w_{h1\_1\_i1}"
    assert tex_name("o") == "o"


# --- geometry -------------------------------------------------------------------------------


def test_box():
    box = Box.around(1.0, 2.0, 4.0, 2.0)
    assert box == Box(-1.0, 1.0, 3.0, 3.0) and (box.x, box.y, box.w, box.h) == (1.0, 2.0, 4.0, 2.0)
    assert box.grown(0.5) == Box(-1.5, 0.5, 3.5, 3.5)
    assert box.overlaps(Box(2.9, 2.9, 4.0, 4.0)) and not box.overlaps(Box(3.1, 0.0, 4.0, 1.0))
    assert box.overlaps(Box(3.1, 0.0, 4.0, 1.0), gap=0.2)
    assert box.hits_circle(Point(4.0, 2.0), 1.01) and not box.hits_circle(Point(4.0, 2.0), 0.99)
    assert box.boundary_towards(Point(5.0, 2.0)) == Point(3.0, 2.0)
    assert box.boundary_towards(Point(1.0, 10.0)) == Point(1.0, 3.0)


def test_curve():
    line = Curve(Point(0.0, 0.0), Point(2.0, 0.0))
    assert line.at(0.25) == Point(0.5, 0.0) and line.polyline() == (line.start, line.end)
    arc = Curve(Point(0.0, 0.0), Point(2.0, 0.0), Point(1.0, 1.0))
    assert arc.at(0.5) == Point(1.0, 0.5)
    assert len(arc.polyline(8)) == 9 and arc.polyline(8)[4] == arc.at(0.5)
    c1, c2 = arc.cubic_controls()
    assert (c1.x, c1.y, c2.x, c2.y) == pytest.approx((2 / 3, 2 / 3, 4 / 3, 2 / 3))
    d = arc.end_direction()
    assert (d.x, d.y) == pytest.approx((0.5**0.5, -(0.5**0.5)))


def test_segments():
    assert geometry.toward(Point(0.0, 0.0), Point(3.0, 4.0), 2.5) == Point(1.5, 2.0)
    assert geometry.direction(Point(1.0, 1.0), Point(1.0, 1.0)) == Point(0.0, 0.0)
    box = Box(-1.0, 1.0, 3.0, 3.0)
    assert geometry.segment_hits_box(Point(-2.0, 2.0), Point(5.0, 2.0), box)
    assert geometry.segment_hits_box(Point(0.0, 0.0), Point(0.0, 1.5), box)
    assert not geometry.segment_hits_box(Point(-2.0, 0.0), Point(5.0, 0.0), box)
    assert not geometry.segment_hits_box(Point(-2.0, 2.5), Point(-1.5, 5.0), box)
    assert geometry.segment_distance(Point(0.0, 1.0), Point(-1.0, 0.0), Point(1.0, 0.0)) == 1.0
    assert geometry.segment_distance(Point(3.0, 0.0), Point(-1.0, 0.0), Point(1.0, 0.0)) == 2.0
    line = (Point(0.0, 0.0), Point(1.0, 0.0), Point(1.0, 1.0))
    assert geometry.polyline_near(line, Point(1.2, 0.5), 0.25) and not geometry.polyline_near(line, Point(0.5, 0.5), 0.4)


# --- the layout ---------------------------------------------------------------------------


def assert_clear(lay: diagram.Layout) -> None:
    """No two label boxes overlap, none touches a circle, all lie inside the width, and the
    layout finds nothing hard to read in itself (test_readable checks that independently)."""
    boxes = lay.label_boxes()
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert 0 <= box.left and box.right <= lay.width + 1e-9, box
        for u in lay.units:
            assert not box.hits_circle(u.centre, u.radius), (box, u.name)
    for u in lay.units:
        assert u.radius <= u.centre.x <= lay.width - u.radius
    assert lay.problems() == []


# 12 cm for documents, 10 cm for a Beamer frame; 8 cm only for three layers: four layers
# of dense-shorthand names (w_h2_1_h1_1 = 0.2) do not fit so narrow a picture.
WIDTHS = [(n, w) for n in NETWORKS for w in (12.0, 10.0)] + [
    (n, 8.0) for n in NETWORKS if len(network(n).spec.layers) == 3
]


@pytest.mark.parametrize(("name", "width"), WIDTHS)
def test_layout_labels_clear(name, width):
    net = network(name)
    assert_clear(diagram.layout(net, *plain_labels(net), width_cm=width))
    tex = diagram.layout(net, *tex_labels(net), width_cm=width, measure=diagram.latex_width)
    assert_clear(tex)
    if name == "sigmoid-2-2-2":  # small enough to label every edge in full
        assert tex.mode == "full" and all(e.box is not None for e in tex.edges)


def test_layout_is_computed_once(monkeypatch):
    net = network("sigmoid-2-2-2")  # a network object of its own: nothing cached for it yet
    calls = []
    real = layout_module._laid_out
    monkeypatch.setattr(layout_module, "_laid_out", lambda *args: calls.append(args) or real(*args))
    first = diagram.layout(net, *plain_labels(net), width_cm=11.0)
    attempts = len(calls)
    assert attempts >= 1
    again = diagram.layout(net, *plain_labels(net), width_cm=11.0)  # equal labels, fresh dicts
    assert again is first and len(calls) == attempts
    # a different width, measure, label or network object is laid out anew
    assert diagram.layout(net, *plain_labels(net), width_cm=10.0) is not first
    assert diagram.layout(net, *plain_labels(net), width_cm=11.0, measure=diagram.latex_width) is not first
    units, edges, biases = plain_labels(net)
    edges["w1"] = "w1 = 9"
    relabelled = diagram.layout(net, units, edges, biases, width_cm=11.0)
    assert relabelled is not first
    assert {e.label for e in relabelled.edges} - {e.label for e in first.edges} == {"w1 = 9"}
    twin = diagram.layout(network("sigmoid-2-2-2"), *plain_labels(net), width_cm=11.0)
    assert twin is not first and twin == first  # same input, same drawing
    # tikz lays out with the LaTeX measure: after layout() of the same arguments it only draws
    tex = tex_labels(net)
    lay = diagram.layout(net, *tex, width_cm=12.0, measure=diagram.latex_width)
    before = len(calls)
    assert diagram.tikz(net, *tex, width_cm=12.0) == diagram.draw_tikz(lay) and len(calls) == before


def test_layout_cache_is_bounded_and_least_recently_used_goes(monkeypatch):
    monkeypatch.setattr(layout_module, "_cache", OrderedDict())
    monkeypatch.setattr(layout_module, "_laid_out", lambda *args: object())
    net = network("sigmoid-2-2-2")

    def lay(width: float):
        return diagram.layout(net, {}, {}, {}, width)

    first, second = lay(1.0), lay(2.0)
    for k in range(layout_module.CACHE_SIZE - 2):
        lay(10.0 + k)
    assert len(layout_module._cache) == layout_module.CACHE_SIZE
    assert lay(1.0) is first  # used again: now the most recent
    lay(99.0)  # one more evicts the least recently used, the 2 cm one
    assert len(layout_module._cache) == layout_module.CACHE_SIZE
    assert lay(1.0) is first and lay(2.0) is not second
    assert all(entry[0] is net for entry in layout_module._cache.values())  # keeps its id from being reused


def test_layout_geometry():
    net = network("sigmoid-2-2-2")
    lay = diagram.layout(net, *plain_labels(net))
    at = {u.name: u.centre for u in lay.units}
    # layers left to right, a layer's units evenly spaced and centred on the same x
    assert at["i1"].x == at["i2"].x < at["h1"].x == at["h2"].x < at["o1"].x == at["o2"].x
    assert at["i1"].y > at["i2"].y and at["i1"].y == -at["i2"].y
    assert at["h1"].y - at["h2"].y == pytest.approx(lay.spacing)
    # each edge runs from its source's circle to its target's
    for e in lay.edges:
        a, b = at[e.source], at[e.target]
        r = lay.units[0].radius
        assert abs(((e.curve.start.x - a.x) ** 2 + (e.curve.start.y - a.y) ** 2) ** 0.5 - r) < 1e-9
        assert abs(((e.curve.end.x - b.x) ** 2 + (e.curve.end.y - b.y) ** 2) ** 0.5 - r) < 1e-9
        centre = e.curve.at(e.t)
        assert (e.box.x, e.box.y) == pytest.approx((centre.x, centre.y))  # the label sits on its edge
    # one bias node per bias parameter, an arrow to each unit it feeds, below the units
    assert {b.param: tuple(a.target for a in b.arrows) for b in lay.biases} == {"b1": ("h1", "h2"), "b2": ("o1", "o2")}
    assert all(b.box.top < min(p.y for p in at.values()) for b in lay.biases)


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("width", [12.0, 8.0, 6.0])
def test_bias_nodes_and_units_never_overlap(name, width):
    """Even where edge labels are too many for the width, the nodes stay apart and inside it."""
    net = network(name)
    lay = diagram.layout(net, *tex_labels(net), width_cm=width, measure=diagram.latex_width)
    nodes = [b.box for b in lay.biases]
    for a, b in combinations(nodes, 2):
        assert not a.overlaps(b)
    for box in nodes:
        assert 0 <= box.left and box.right <= width + 1e-9
        assert not any(box.hits_circle(u.centre, u.radius) for u in lay.units)
    assert all(u.radius <= u.centre.x <= width - u.radius for u in lay.units)


def test_network_without_biases():
    net = build(
        parse_spec_text(
            "learning_rate: 1\nlayers:\n  - {units: 1}\n  - {units: 1, activation: relu, weights: [[2]]}\n"
            "samples:\n  - {input: [1], target: [0]}\n"
        )
    )
    lay = diagram.layout(net, *plain_labels(net))
    assert lay.biases == () and len(lay.edges) == 1 and lay.problems() == []
    root = parse_svg(diagram.svg(net, *plain_labels(net)))
    assert len(of_class(root, "circle", "unit")) == 2 and not of_class(root, "text", "bias-label")
    assert "\\draw[bias]" not in diagram.tikz(net, *tex_labels(net))


def test_skip_edges_are_curved_clear_of_the_layers_between():
    net = network("skip-3-3-2")
    lay = diagram.layout(net, *plain_labels(net))
    hidden = [u for u in lay.units if u.layer == 1]
    skips = [e for e in lay.edges if net.unit[e.target].layer - net.unit[e.source].layer == 2]
    assert {e.param for e in skips} == {"w8", "w9", "w10"}
    for e in skips:
        assert e.curve.control is not None
        for p in e.curve.polyline(64):
            for u in hidden:
                assert ((p.x - u.centre.x) ** 2 + (p.y - u.centre.y) ** 2) ** 0.5 > u.radius
    assert all(e.curve.control is None for e in lay.edges if e not in skips)


def test_bias_arrows_clear_other_units():
    for name in NETWORKS:
        net = network(name)
        lay = diagram.layout(net, *plain_labels(net))
        for b in lay.biases:
            for arrow in b.arrows:
                for p in arrow.curve.polyline(64):
                    for u in lay.units:
                        if u.name != arrow.target:
                            distance = ((p.x - u.centre.x) ** 2 + (p.y - u.centre.y) ** 2) ** 0.5
                            assert distance > u.radius, (name, b.param)


def test_label_lines():
    assert diagram.label_lines("w1 = 0.1", False) == ("w1 = 0.1",)
    assert diagram.label_lines("w1 = 0.1", True) == ("w1", "= 0.1")
    assert diagram.label_lines(r"w_{a=b} = 0.1", True) == (r"w_{a=b}", "= 0.1")
    assert diagram.label_lines("w1", True) == ("w1",)


def test_diagram_reexports_the_layout_and_measures():
    assert diagram.layout is layout_module.layout and diagram.Layout is layout_module.Layout
    assert diagram.label_lines is layout_module.label_lines
    assert diagram.text_width is measure.text_width and diagram.latex_width is measure.latex_width
    assert diagram.TIKZ_LIBRARIES == ("arrows.meta",)


def test_widths():
    assert diagram.text_width("w1 = 0.1") > diagram.text_width("w1")
    assert diagram.latex_width(r"w_{1} = 0.1") > diagram.latex_width(r"w_{1}") > diagram.latex_width("w")
    assert diagram.latex_width(r"\frac{1}{3}") < diagram.latex_width("13")
    for source in (r"\mathrm{out}_{h1}", "x^", "\\", r"\frac{1}", "{unclosed", "a}b"):
        assert diagram.latex_width(source) >= 0


# --- SVG ----------------------------------------------------------------------------------


def parse_svg(text: str) -> ET.Element:
    root = ET.fromstring(text.encode())
    assert root.tag == f"{SVG_NS}svg"
    return root


def of_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG_NS}{tag}") if el.get("class") == cls]


@pytest.mark.parametrize("name", NETWORKS)
def test_svg_document(name):
    net = network(name)
    text = diagram.svg(net, *plain_labels(net))
    assert text.startswith("<!-- generated by symprop -->\n<svg ") and text.endswith("</svg>\n")
    assert worked.network_svg(net) == diagram.svg(net, *worked.plain_labels(net))
    root = parse_svg(text)
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    assert len(root.findall(f".//{SVG_NS}circle")) == len(net.units)
    weights = [p for p in net.params if p.kind == "weight"]
    lay = diagram.layout(net, *plain_labels(net), diagram.SVG_WIDTH_CM)
    labelled = [e for e in lay.edges if e.box is not None]
    assert len(of_class(root, "text", "edge-label")) == len(labelled)
    assert len(of_class(root, "text", "bias-label")) == len(lay.biases)
    assert len(of_class(root, "path", "edge")) == len(weights)
    assert len(of_class(root, "path", "bias-edge")) == sum(len(b.arrows) for b in lay.biases)
    # a label may be set on two lines (tspans): compare without spaces
    shown = sorted("".join(el.itertext()).replace(" ", "") for el in of_class(root, "text", "edge-label"))
    if lay.mode == "full":  # every label as given
        assert shown == sorted(label.replace(" ", "") for label in plain_labels(net)[1].values())
        assert not of_class(root, "text", "table-cell")
    else:  # the names on the edges, every value in the tables under the drawing
        assert shown == sorted(e.lines[0].replace(" ", "") for e in labelled)
        cells = ["".join(el.itertext()) for el in of_class(root, "text", "table-cell")]
        assert all(label.split(" = ")[1] in cells for label in plain_labels(net)[1].values())
        assert of_class(root, "text", "note")
    assert not any(el.tag in (f"{SVG_NS}script", f"{SVG_NS}image", f"{SVG_NS}foreignObject") for el in root.iter())
    assert "@import" not in text and "http" not in text.replace("http://www.w3.org/2000/svg", "")


def rect_of(el: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


@pytest.mark.parametrize("name", NETWORKS)
def test_svg_label_boxes_do_not_overlap(name):
    """Read back from the SVG itself: label boxes overlap neither each other nor circles,
    and stay inside the picture."""
    net = network(name)
    root = parse_svg(diagram.svg(net, *plain_labels(net)))
    width, height = float(root.get("width")), float(root.get("height"))
    rects = [rect_of(el) for el in of_class(root, "rect", "edge-label-box") + of_class(root, "rect", "bias-label-box")]
    assert len(rects) == len(diagram.layout(net, *plain_labels(net), diagram.SVG_WIDTH_CM).label_boxes())
    for a, b in combinations(rects, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    circles = [tuple(float(c.get(k)) for k in ("cx", "cy", "r")) for c in of_class(root, "circle", "unit")]
    for left, top, right, bottom in rects:
        assert 0 <= left and right <= width and 0 <= top and bottom <= height
        for cx, cy, r in circles:
            dx = max(left - cx, 0, cx - right)
            dy = max(top - cy, 0, cy - bottom)
            assert dx * dx + dy * dy >= r * r, ((left, top, right, bottom), (cx, cy, r))
    for cx, cy, r in circles:
        assert r <= cx <= width - r and r <= cy <= height - r


def test_svg_escapes_text():
    net = network("sigmoid-2-2-2")
    units, edges, biases = plain_labels(net)
    units["h1"] = "<h&1>"
    edges["w1"] = 'w1 <&> "0.1"'
    biases["b1"] = "b1 & <b2>"
    text = diagram.svg(net, units, edges, biases)
    assert "<h&1>" not in text and "&lt;h&amp;1&gt;" in text
    for label in ("<h&1>", 'w1 <&> "0.1"', "b1 & <b2>"):  # escaped as XML text: quotes stay
        assert f">{escape(label)}</" in text
    root = parse_svg(text)
    assert "<h&1>" in {"".join(el.itertext()) for el in of_class(root, "text", "unit-label")}
    assert 'w1 <&> "0.1"' in {"".join(el.itertext()) for el in of_class(root, "text", "edge-label")}
    assert "b1 & <b2>" in {"".join(el.itertext()) for el in of_class(root, "text", "bias-label")}


def test_deterministic():
    for name in NETWORKS:
        net = network(name)
        assert diagram.svg(net, *plain_labels(net)) == diagram.svg(network(name), *plain_labels(net))
        assert diagram.tikz(net, *tex_labels(net)) == diagram.tikz(network(name), *tex_labels(net))


# --- TikZ ----------------------------------------------------------------------------------


def test_tikz_structure():
    net = network("sigmoid-2-2-2")
    text = diagram.tikz(
        net, *tex_labels(net), highlight_units=frozenset({"h1", "o1"}), highlight_edges=frozenset({"w5"})
    )
    assert text.startswith("\\begin{tikzpicture}") and text.rstrip().endswith("\\end{tikzpicture}")
    assert text.count("\\node[unit") == 4 + 2
    assert text.count("\\node[unit, highlightunit]") == 2
    assert text.count("\\draw[weight") == 8 and text.count("\\draw[weight, highlight]") == 1
    assert text.count("\\node[label, highlightlabel") == 1
    assert text.count("\\draw[bias]") == 4 and text.count("\\node[biasnode") == 2
    assert "$w_{5} = 0.5$" in text and "$h_{1}$" in text and "$b_{1} = 0.25$" in text
    assert "\\useasboundingbox (0.000," in text and "rectangle (12.000," in text
    assert not re.search(r"\d\.\d{4}", text)  # fixed decimals
    plain = diagram.tikz(net, *tex_labels(net))
    assert "highlightunit]" not in plain and "highlight]" not in plain
    skip = network("skip-3-3-2")
    assert diagram.tikz(skip, *tex_labels(skip)).count(".. controls") == 3


def test_highlight_changes_only_the_highlighted_styles():
    net = network("sigmoid-2-2-2")
    lay = diagram.layout(net, *tex_labels(net), measure=diagram.latex_width)
    plain = diagram.draw_tikz(lay).splitlines()
    lit = diagram.draw_tikz(lay, frozenset({"h1"}), frozenset({"w5"})).splitlines()
    assert len(plain) == len(lit)
    changed = [(a, b) for a, b in zip(plain, lit, strict=True) if a != b]
    restyled = (("\\draw[weight]", "\\draw[weight, highlight]"), ("\\node[label,", "\\node[label, highlightlabel,"),
                ("\\node[unit]", "\\node[unit, highlightunit]"))
    assert [next(new for old, new in restyled if a.startswith(old) and b == a.replace(old, new, 1)) for a, b in changed] \
        == [new for _, new in restyled]
    w5 = next(e for e in lay.edges if e.param == "w5")
    first = next(k for k, line in enumerate(plain) if line.startswith("\\draw[weight"))  # after the header lines
    assert changed[0][0] == plain[first + lay.edges.index(w5)]  # the arrow of w5
    assert "$w_{5} = 0.5$" in changed[1][0] and changed[2][0].endswith("{$h_{1}$};")
    assert diagram.draw_tikz(lay, frozenset({"h1"}), frozenset({"w5"})) == diagram.tikz(
        net, *tex_labels(net), frozenset({"h1"}), frozenset({"w5"})
    )


def test_drawing_context_is_written_out():
    """Every number of the drawing contexts is a string already formatted; nothing is left to compute."""
    net = network("skip-3-3-2")
    lay = diagram.layout(net, *tex_labels(net), measure=diagram.latex_width)
    pic = diagram.tikz_context(lay, frozenset({"h1"}))
    assert (pic.diameter, pic.tip, pic.unit_font, pic.bottom_left.x, pic.top_right.x) == (
        f"{2 * lay.units[0].radius:.3f}", "2.000", diagram.TikzFont("10.00", "12.00"), "0.000", "12.000"
    )
    assert [u.highlight for u in pic.units].count(True) == 1
    assert [len(p.controls) for p in pic.edges].count(2) == 3 and all(len(p.controls) in (0, 2) for p in pic.edges)
    plain = diagram.layout(net, *plain_labels(net), width_cm=diagram.SVG_WIDTH_CM)
    svg = diagram.svg_context(plain)
    assert (svg.width, svg.tip, svg.tip_height) == (f"{12 * diagram.SVG_SCALE:.2f}", "10.00", "7.00")
    unit = plain.units[0]
    assert (svg.units[0].cx, svg.units[0].cy) == (
        f"{unit.centre.x * 50:.2f}", f"{(plain.top - unit.centre.y) * 50:.2f}"
    )
    assert all(isinstance(v, str) for v in (svg.units[0].text.x, svg.units[0].text.y, svg.units[0].text.size))


def test_drawing_templates_can_be_overridden(tmp_path):
    """A user folder's tikz/network.tex.j2 and svg/network.svg.j2 replace ours."""
    (tmp_path / "tikz").mkdir()
    (tmp_path / "svg").mkdir()
    (tmp_path / "tikz" / "network.tex.j2").write_text(
        "% ((( pic.units | length ))) units((* for u in pic.units if u.highlight *)) ((( u.label )))((* endfor *)).\n"
    )
    (tmp_path / "svg" / "network.svg.j2").write_text("<svg>((( pic.edge_labels[0].text.lines[0].text | text )))</svg>\n")
    net = network("sigmoid-2-2-2")
    assert diagram.tikz(net, *tex_labels(net), frozenset({"h1"}), templates=tmp_path) == "% 6 units h_{1}.\n"
    units, edges, biases = plain_labels(net)
    edges["w1"] = "w1 < 1 & so"
    assert diagram.svg(net, units, edges, biases, templates=tmp_path) == "<svg>w1 &lt; 1 &amp; so</svg>\n"
    assert worked.network_svg(net, templates=tmp_path).startswith("<svg>w1 = ")
    assert diagram.tikz(net, *tex_labels(net)).startswith("\\begin{tikzpicture}")  # ours again without the folder


def pdflatex() -> str:
    found = shutil.which("pdflatex")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("pdflatex is not installed, and CI=true requires the TikZ compile tests")
    pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base texlive-pictures)")


def compile_tex(tmp_path, body: str, preamble: str = "", cls: str = "article") -> str:
    libraries = ",".join(diagram.TIKZ_LIBRARIES)
    source = (
        f"\\documentclass{{{cls}}}\n\\usepackage{{tikz}}\n\\usetikzlibrary{{{libraries}}}\n{preamble}\n"
        f"\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    (tmp_path / "doc.tex").write_text(source)
    run = subprocess.run(
        [pdflatex(), "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert run.returncode == 0, log[-3000:]
    assert not re.search(r"^! ", log, re.MULTILINE), log[-3000:]
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert all(w <= 2.0 for w in overfull), overfull
    assert (tmp_path / "doc.pdf").exists()
    return log


@pytest.mark.parametrize("name", NETWORKS)
def test_tikz_compiles_at_its_width(tmp_path, name):
    net = network(name)
    labels = tex_labels(net)
    first_unit = net.units[0].name
    first_weight = next(p.name for p in net.params if p.kind == "weight")
    wide = diagram.tikz(net, *labels, frozenset({first_unit}), frozenset({first_weight}), width_cm=12.0)
    narrow = diagram.tikz(net, *labels, width_cm=8.0)
    # the text block is exactly as wide as the picture: a wider picture would be overfull
    picture = narrow.split("\\end{tikzpicture}")[0] + "\\end{tikzpicture}"  # without the tables under it
    body = (
        "\\noindent\n" + wide + "\n\n\\noindent\\begin{minipage}{8cm}\\noindent\n" + narrow + "\\end{minipage}\n"
        "\\typeout{PICTUREWIDTH:}\\setbox0=\\hbox{" + picture + "}\\typeout{PICTUREWIDTH:\\the\\wd0}"
    )
    log = compile_tex(tmp_path, body, preamble="\\setlength{\\textwidth}{12cm}\\pagestyle{empty}")
    measured = re.findall(r"PICTUREWIDTH:([\d.]+)pt", log)
    assert measured and abs(float(measured[0]) - 8 / 2.54 * 72.27) < 0.5


def test_tikz_shrinks_a_label_wider_than_estimated(tmp_path):
    net = network("sigmoid-2-2-2")
    units, edges, biases = tex_labels(net)
    edges["w1"] = r"w_{1}\hspace{3cm} = 0.1"  # the estimate does not know \hspace
    pic = diagram.tikz(net, units, edges, biases)
    compile_tex(tmp_path, "\\noindent\n" + pic, preamble="\\setlength{\\textwidth}{12cm}")


def test_tikz_compiles_in_beamer(tmp_path):
    net = network("sigmoid-2-2-2")
    pic = diagram.tikz(net, *tex_labels(net), frozenset({"h1"}), frozenset({"w1", "w5"}), width_cm=10.0)
    compile_tex(tmp_path, "\\begin{frame}{Network}\n" + pic + "\\end{frame}", cls="beamer")
