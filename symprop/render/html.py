"""The interactive web worked solution: one self-contained ``solution.html``.

The page is the Markdown worked solution's content (the same prepared ``Document``) in
HTML, its math typeset in the browser by the KaTeX the page carries (script, style and
woff2 fonts inlined from ``symprop.assets``: no network, works from a file:// URL), and
the network drawn inline (``htmlpic``): every weight and bias edge and label carries
``data-param``. Clicking a parameter marks the units and edges of its chain-rule paths
(``paths``: the page's JSON) and scrolls to its derivation, ``id="grad-NAME"``. The
step-through walks the forward pass unit by unit, the deltas layer by layer, then the
updates (``steps``), the drawing showing each unit's values as a step reaches them.
Everything is computed here; the templates ``html/`` only loop and format.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import assets
from ..core.graph import Network
from ..numbers.solution import Solution
from ..spec.values import plain_number
from .backward import delta_equations
from .document import Document, document
from .env import render
from .filters import PAGE_EM
from .htmlpic import HtmlPicture, picture
from .measure import wrap
from .parts import Equation
from .printer import given
from .worked import loss_svg
from .writer import Writer, eq

__all__ = ["Page", "Step", "aligned", "html_page", "katex_css", "katex_js", "path_sets", "steps"]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the step-through: its heading (plain), equations, the value badges of
    the drawing shown (ids), the units it is at and the edges it marks."""

    title: str
    equations: tuple[Equation, ...]
    show: tuple[str, ...]
    current: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    words: str = ""


MANY_PARAMS = 80  # above this, the page lays out only the derivations in view (a long page stays quick)


@dataclass(frozen=True)
class Page:
    doc: Document
    picture: HtmlPicture
    paths: str  # JSON: parameter -> {"units": [...], "edges": [...]}, safe inside <script>
    steps: tuple[Step, ...]
    params: tuple[str, ...]  # every parameter, in the spec's order
    matrix_params: tuple[str, ...]  # parameters whose gradient is only in a weight matrix (matrix style)
    katex_css: str
    katex_js: str
    curve: str = ""  # the loss curve of a training run, inline SVG
    many: int = MANY_PARAMS


def aligned(equation: Equation) -> str:
    """An equation as one ``aligned`` display, rows too wide for the page broken before a + or =."""
    rows = [r for row in equation.rows for r in wrap(row, PAGE_EM)]
    return "\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}"


# --- the chain-rule paths of each parameter --------------------------------------------------


def path_sets(network: Network, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The units and edges (weight names, and the bias itself) on the chain-rule paths of
    parameter ``name``, in the network's order: every unit downstream of the units it enters
    (with the other units of a softmax layer, which its sums enter too), the edges between
    them, and the parameter's own edge with its source."""
    param = network.param[name]
    reached: set[str] = set()
    frontier = list(param.targets)
    while frontier:
        unit = frontier.pop()
        if unit in reached:
            continue
        reached.add(unit)
        frontier += [u for u in network.group(unit) if u not in reached]
        frontier += [e.target for e in network.outgoing[unit]]
    edges = {e.param for u in reached for e in network.outgoing[u]} | {name}
    if param.kind == "weight":
        reached.add(param.source)
    return (tuple(u.name for u in network.units if u.name in reached),
            tuple(p.name for p in network.params if p.name in edges))


def paths_json(network: Network) -> str:
    data = {}
    for p in network.params:
        units, edges = path_sets(network, p.name)
        data[p.name] = {"units": list(units), "edges": list(edges)}
    return script_json(data)


def script_json(data: object) -> str:
    """JSON that cannot end the ``<script>`` element it is written in."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- the step-through ------------------------------------------------------------------------


def steps(w: Writer, doc: Document) -> tuple[Step, ...]:
    """Forward unit by unit (each sample), the errors, δ layer by layer from the outputs back
    (each sample), the updates, and the error after them."""
    net, n = w.network, w.names
    many = w.samples > 1
    result: list[Step] = []
    for k, (sample, fwd) in enumerate(zip(w.solution.spec.samples, doc.forward)):
        of = f" (sample {k + 1})" if many else ""
        shown = [_badge_id("v", k, u) for u, _ in sample.input]
        result.append(Step(f"The inputs{of}", (eq(*(f"{w.mark(n.out[u], k)} &= {given(v)}"
                                                       for u, v in sample.input)),), tuple(shown),
                           tuple(u for u, _ in sample.input)))
        for step in fwd.units:
            shown.append(_badge_id("v", k, step.unit))
            result.append(Step(f"Forward pass{of}: unit {step.unit}", step.equations, tuple(shown), (step.unit,)))
        result.append(Step(f"Error{of}", fwd.error_equations, tuple(shown), tuple(u.name for u in net.outputs)))
    if doc.error_total is not None:
        result.append(Step("Total error", (doc.error_total,), result[-1].show))
    layers = sorted({u.layer for u in net.computed}, reverse=True)
    for k in range(w.samples):
        of = f" (sample {k + 1})" if many else ""
        shown = [_badge_id("v", k, u.name) for u in net.units]
        by_unit = dict(zip((u.name for u in reversed(net.computed)), delta_equations(w, k)))
        for layer in layers:
            units = [u.name for u in net.computed if u.layer == layer]
            shown += [_badge_id("d", k, u) for u in units]
            name = net.spec.layers[layer].name
            result.append(Step(f"Backward pass{of}: the deltas of layer {name}",
                               tuple(by_unit[u] for u in units), tuple(shown), tuple(units)))
    last = result[-1].show
    updated = tuple(p.name for p in net.params if p.kind == "weight" or w.solution.spec.update_biases)
    result.append(Step("Updates", doc.updates, last, (), updated,
                       words="Biases are not updated." if doc.biases_fixed else ""))
    result.append(Step("The error before and after the update", (doc.before_after,), last))
    return tuple(result)


def _badge_id(kind: str, k: int, unit: str) -> str:
    return f"{kind}{k + 1}-{unit}"


def badges(w: Writer) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Every value badge of the drawing: (id, unit, lines): each sample's inputs and outputs
    (``v``) and deltas (``d``), as the worked solution writes them (plain text; the sums are
    in the step's equations)."""
    net = w.network
    result = []
    for k, sample in enumerate(w.solution.spec.samples):
        inputs = dict(sample.input)
        fwd, back = w.hand.forward[k], w.hand.backward[k]
        for u in net.units:
            if u.is_input:
                lines = (f"{u.name} = {plain_number(inputs[u.name])}",)
            else:
                lines = (f"out = {w.show(fwd.out[u.name], 'out')}",)
            result.append((_badge_id("v", k, u.name), u.name, lines))
        for u in net.computed:
            result.append((_badge_id("d", k, u.name), u.name, (f"δ = {w.show(back.delta[u.name], 'delta')}",)))
    return tuple(result)


# --- KaTeX, inlined --------------------------------------------------------------------------

_FONT_SRC = re.compile(r'src:url\(fonts/(KaTeX_[A-Za-z0-9-]+)\.woff2\) format\("woff2"\)[^;}]*')


@lru_cache(maxsize=1)
def katex_css() -> str:
    """KaTeX's style with each font a woff2 data URI (the woff and ttf fallbacks dropped: a
    page that asks for no file beside it)."""
    css = assets.read("katex/katex.min.css").decode("utf-8")

    def inline(m: re.Match) -> str:
        data = base64.b64encode(assets.read(f"katex/fonts/{m.group(1)}.woff2")).decode("ascii")
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    return _FONT_SRC.sub(inline, css)


_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")


def inline_script(name: str) -> str:
    """A vendored script for a ``<script>`` element: without its source-map line (the map is
    not shipped), and no ``</script`` inside it."""
    text = _SOURCE_MAP.sub("\n", assets.read(name).decode("utf-8"))
    return text.replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def katex_js() -> str:
    return inline_script("katex/katex.min.js")


def _inline_svg(text: str) -> str:
    """A standalone SVG file's text for inside the page: without its XML declaration."""
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", text)


# --- the page --------------------------------------------------------------------------------


def html_page(solution: Solution, style: str = "chain", preset: str | None = None, full_steps: int = 1,
              templates: Path | None = None) -> str:
    """``solution.html``: the worked solution of ``solution`` as one self-contained page."""
    doc = document(solution, style, preset, full_steps)
    w = Writer.of(solution, style, preset)
    in_sections = {s.name for s in doc.backward}
    page = Page(
        doc=doc,
        picture=picture(solution.network, badges(w)),
        paths=paths_json(solution.network),
        steps=steps(w, doc),
        params=tuple(p.name for p in solution.network.params),
        matrix_params=tuple(p.name for p in solution.network.params if p.name not in in_sections),
        katex_css=katex_css(),
        katex_js=katex_js(),
        curve=_inline_svg(loss_svg(doc, templates)) if doc.training else "",
    )
    return render("html/solution.html.j2", "html", templates, page=page, doc=doc, aligned=aligned, files={})



def derivation_page(doc, templates: Path | None = None) -> str:
    """A derivation without numbers (``symbolic.Derivations``: ``--style general``,
    ``--numbers none``) as one self-contained page, its math typeset by the inlined KaTeX."""
    return render("html/derivation.html.j2", "html", templates, doc=doc, aligned=aligned, katex_css=katex_css(),
                  katex_js=katex_js())
