"""The frames of a lecture deck and how each is written: a forward step, a path of the
chain rule revealed factor by factor beside the network with that path highlighted, a
gradient in the delta form.

A ``Stage`` is the ``Writer`` of the deck (sums wrap sooner on a slide than on a page) and
the size of the slide. The network is laid out once per set of labels and size, and each
path frame only draws it with other highlights.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.derive import Derivation
from ..core.derive import Path as ChainPath
from ..numbers.evaluate import MAX_CHAIN_TERMS
from . import diagram
from .backward import delta_gradient, path_label
from .document import short_label
from .forward import forward_passes, unit_step
from .matrix import matrix_equations
from .parts import Equation
from .printer import escape_text, given, operand
from .writer import Writer

PAGE = {"169": (13.8, 5.6), "43": (10.8, 6.0)}  # usable width, height in cm per aspect
PICTURE_COLUMN = {"169": 0.36, "43": 0.30}  # of the text width, on a backward frame
MAX_ROWS = 9  # rows of a revealed chain on one frame


@dataclass(frozen=True)
class Reveal:
    """One row of an aligned display, shown from overlay ``step`` on."""

    step: int
    lhs: str
    rhs: str


@dataclass(frozen=True)
class Frame:
    kind: str  # picture | equations | reveal | table
    title: str  # LaTeX (already escaped)
    picture: str = ""
    equations: tuple[Equation, ...] = ()
    rows: tuple[Reveal, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    header: tuple[str, ...] = ()
    text: str = ""  # LaTeX (already escaped)
    size: str = "small"  # the font size of the frame's displays

    @property
    def steps(self) -> int:
        return max((r.step for r in self.rows), default=1)


@dataclass(frozen=True)
class Stage:
    """The deck's writer and its slide: usable ``width`` × ``height`` cm, and the share of
    the width the drawing takes beside a backward frame's equations."""

    w: Writer
    width: float
    height: float
    column: float
    templates: Path | None = None  # the user's templates, for the drawing too

    @staticmethod
    def of(solution, style: str, preset: str | None, aspect: str, templates: Path | None = None) -> Stage:
        width, height = PAGE[aspect]
        return Stage(Writer.of(solution, style, preset, terms_per_row=3 if width > 12 else 2), width, height,
                     PICTURE_COLUMN[aspect], templates)

    @property
    def narrow(self) -> bool:
        return self.width < 12

    def frame(self, kind: str, title: str, **fields) -> Frame:
        """A frame whose displays are set in the size that fits the aspect ratio."""
        size = fields.pop("size", "footnotesize" if kind == "reveal" or self.narrow else "small")
        return Frame(kind, title, size=size, **fields)

    # --- the drawing ---------------------------------------------------------------------

    def edge_labels(self, after: bool = False) -> dict[str, str]:
        """Each weight and its value; after the update under its new name."""
        w = self.w
        names = w.names.new if after else w.names.param
        return {p.name: f"{names[p.name]} = {w.value(p.name, after)}" for p in w.network.params if p.kind == "weight"}

    def picture(self, labels: dict[str, str], width: float, height: float,
                units: frozenset[str] = frozenset(), edges: frozenset[str] = frozenset()) -> str:
        """The network drawn to fit ``width`` × ``height`` cm, the given units and edges highlighted."""
        w = self.w
        unit_labels = {u.name: short_label(w.names.out[u.name], u.name) for u in w.network.units}
        bias_labels = {p.name: f"{w.names.param[p.name]} = {given(p.value)}" for p in w.network.params
                       if p.kind == "bias"}
        fit, tall = width, 0.0
        for _ in range(4):  # narrower until it fits the height (its spacing grows with the width)
            tall = diagram.layout(w.network, unit_labels, labels, bias_labels, fit, diagram.latex_width).height
            if tall <= height + 1e-6:
                break
            fit = max(3.0, fit * height / tall * 0.98)
        lay = diagram.layout(w.network, unit_labels, labels, bias_labels, fit, diagram.latex_width)
        picture = diagram.draw_tikz(lay, units, edges, templates=self.templates)
        if tall > height + 1e-6:  # the layout's spacing has a floor: scale what is left over
            picture = f"\\resizebox{{!}}{{{height:.2f}cm}}{{%\n{picture}}}"
        return picture

    def side_picture(self, units: frozenset[str], edges: frozenset[str]) -> str:
        return self.picture(self.edge_labels(), self.width * (self.column - 0.01), self.height, units, edges)

    # --- frames ---------------------------------------------------------------------------

    def forward_frames(self, after: bool) -> tuple[Frame, ...]:
        frames = []
        passes = forward_passes(self.w, after)
        for sample in passes:
            mark = f" (sample {sample.index})" if len(passes) > 1 else ""
            if self.w.style == "matrix":
                equations = matrix_equations(self.w, sample.index - 1, after)
                for i in range(0, len(equations), 2):
                    frames.append(self.frame("equations", f"Forward pass{mark}", equations=equations[i:i + 2]))
            else:
                for step in sample.units:
                    frames.append(self.frame("equations", f"Forward pass: \\({step.tex}\\){mark}",
                                             equations=step.equations))
            frames.append(self.frame("equations", f"Total error{mark}", equations=sample.errors + (sample.total,)))
        return tuple(frames)

    def inside_unit(self) -> Frame:
        w = self.w
        unit = next(u for u in w.network.computed if u.layer == 1)
        step = unit_step(w, unit.name, w.solution.spec.samples[0], w.hand.forward[0], False)
        return self.frame("equations", "Inside a unit", equations=step.equations,
                          text="Two operations: the weighted sum of the inputs, then squashing it with the activation.")


# --- a parameter worked in full ------------------------------------------------------------------


def gradient_frames(stage: Stage, d: Derivation) -> list[Frame]:
    """A parameter worked in full: path by path, or in the delta form when it has too many."""
    if stage.w.style == "chain" and d.n_paths * len(stage.w.solution.spec.samples) <= MAX_CHAIN_TERMS:
        return chain_frames(stage, d)
    return delta_frames(stage, d)

def chain_frames(stage: Stage, d: Derivation) -> list[Frame]:
    w, n, p = stage.w, stage.w.names, stage.w.printer
    name = d.param.name
    paths = list(d.paths())
    samples = range(len(w.solution.spec.samples))
    frames = []
    for k in samples:
        for t, path in enumerate(paths, 1):
            lhs = p.partial(n.total, n.param[name]) if len(paths) == 1 and len(samples) == 1 \
                else path_label(w, d, paths, t, path)
            frames += path_frames(stage, d, path, k, lhs)
    if len(paths) * len(samples) > 1:
        values = [w.show(w.hand.path_value(path, k)) for k in samples for path in paths]
        lhs = p.partial(n.total, n.param[name])
        rows = [Reveal(1, lhs if i == 0 else "", ("= " if i == 0 else r"\quad + ") + _sum_of(values[i:i + 4]))
                for i in range(0, len(values), 4)]
        rows.append(Reveal(1, "", f"= {w.show(w.hand.gradients[name])}"))
        frames.append(stage.frame("reveal", f"\\({n.param[name]}\\): adding up the paths", rows=tuple(rows)))
    return frames

def path_frames(stage: Stage, d: Derivation, path: ChainPath, k: int, lhs: str) -> list[Frame]:
    """One path: the chain, each factor revealed, the product; over two frames when long."""
    w, p, times = stage.w, stage.w.printer, stage.w.names.times
    units = frozenset(f.unit for f in path.factors) | frozenset(f.ref for f in path.factors if f.kind == "input")
    edges = frozenset(f.ref for f in path.factors if f.kind == "weight")
    if d.param.kind == "weight":
        edges |= {d.param.name}
    chain = [Reveal(1, lhs, "= " + p.product(p.frac(f) for f in path.factors[:3]))]
    for start in range(3, len(path.factors), 3):
        chain.append(Reveal(1, "", rf"\quad {times} " + p.product(p.frac(f) for f in path.factors[start:start + 3])))
    factors = []
    for f in path.factors:
        local, value = p.local(f), w.factor_text(f, k)
        factors.append((p.frac(f), f"= {local}" + (f" = {value}" if local != value else "")))
    values = [w.factor_text(f, k) for f in path.factors]
    per_row = 5 if stage.width > 12 else 3
    product = [
        (lhs if i == 0 else "", ("= " if i == 0 else rf"\quad {times} ") + p.numbers(values[i:i + per_row], leading=i == 0))
        for i in range(0, len(values), per_row)
    ] + [("", f"= {w.show(w.hand.path_value(path, k))}")]
    mark = f", sample {k + 1}" if len(w.solution.spec.samples) > 1 else ""
    picture = stage.side_picture(units, edges)
    through = ", ".join(sorted({f.unit for f in path.factors}, key=list(w.network.unit).index))
    title = f"\\({w.names.param[d.param.name]}\\): the path through {escape_text(through)}{mark}"
    # A long chain is revealed over two frames, so that every row stays on the slide.
    split = len(factors) if len(chain) + len(factors) + len(product) <= MAX_ROWS else (len(factors) + 1) // 2
    first = chain + [Reveal(step, a, b) for step, (a, b) in enumerate(factors[:split], 2)]
    if split == len(factors):
        first += [Reveal(split + 2, a, b) for a, b in product]
        return [stage.frame("reveal", title, picture=picture, rows=tuple(first))]
    second = [Reveal(step, a, b) for step, (a, b) in enumerate(factors[split:], 1)]
    second += [Reveal(len(second) + 1, a, b) for a, b in product]
    return [stage.frame("reveal", title, picture=picture, rows=tuple(first)),
            stage.frame("reveal", title + " (continued)", picture=picture, rows=tuple(second))]

def delta_frames(stage: Stage, d: Derivation) -> list[Frame]:
    """Σ δ · input: the symbols, then every product, two to a row, then the gradient."""
    g = delta_gradient(stage.w, d)
    picture = stage.side_picture(frozenset(f.unit for f in d.last),
                                frozenset({d.param.name}) if d.param.kind == "weight" else frozenset())
    terms = [t for sample in g.products for t in sample]
    rows = [Reveal(1, g.lhs, f"= {g.symbols}")]
    for i in range(0, len(terms), 2):
        rows.append(Reveal(2, "", ("= " if i == 0 else r"\quad + ") + " + ".join(terms[i:i + 2])))
    rows.append(Reveal(2, "", f"= {g.result}"))
    title = f"\\({stage.w.names.param[d.param.name]}\\) in the delta form"
    return [stage.frame("reveal", title, picture=picture, rows=tuple(rows))]


def _sum_of(values: list[str]) -> str:
    return " + ".join(operand(v) if i else v for i, v in enumerate(values))
