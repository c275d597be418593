"""Lecture slides: a Beamer deck that walks through one training step.

Title, outline, the network, inside a unit, the forward pass (one frame per unit), the
total error, the chain rule, then the backward pass: for each parameter worked in full, a
frame per path with the network drawn and the units and edges on that path highlighted,
the factors revealed one at a time (``\\uncover`` cell by cell inside ``aligned``: ``\\pause``
does not work in ``align``), then the sum of the paths; the other parameters in a
"proceeding similarly" table; the updates, the network with the new weights, the second
forward pass and the error before and after. The deck knows its own page count.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.derive import Derivation
from ..core.derive import Path as ChainPath
from ..errors import SympropError
from ..numbers.solution import Solution
from . import diagram
from .document import Builder, Equation, short_label
from .printer import escape_text, given, operand

PAGE = {"169": (13.8, 5.6), "43": (10.8, 6.0)}  # usable width, height in cm per aspect
PICTURE_COLUMN = {"169": 0.36, "43": 0.30}  # of the text width, on a backward frame
TABLE_ROWS = 8
DELTAS_PER_FRAME = 2
MAX_ROWS = 9  # rows of a revealed chain on one frame  # rows of a "proceeding similarly" table per frame


@dataclass(frozen=True)
class Reveal:
    """One row of an aligned display, shown from overlay ``step`` on."""

    step: int
    lhs: str
    rhs: str


@dataclass(frozen=True)
class Frame:
    kind: str  # picture | equations | reveal | table | title
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
class Deck:
    title: str
    aspect: str
    handout: bool
    tikz_libraries: str
    sections: tuple[tuple[str, tuple[Frame, ...]], ...]
    picture_column: float = 0.36  # share of the text width for the drawing on a backward frame

    @property
    def text_column(self) -> float:
        return round(0.98 - self.picture_column, 2)

    @property
    def pages(self) -> int:
        """Pages of the compiled deck: one per overlay step (one per frame in a handout),
        plus the title page and the outline."""
        frames = [f for _, frames in self.sections for f in frames]
        return 2 + sum(1 if self.handout else f.steps for f in frames)


class _Deck(Builder):
    def __init__(self, solution: Solution, style: str, preset: str | None, aspect: str):
        super().__init__(solution, style, preset)
        self.width, self.height = PAGE[aspect]
        self.column = PICTURE_COLUMN[aspect]

    # --- pictures ---------------------------------------------------------------------

    def picture(self, labels: dict[str, str], width: float, height: float,
                units: frozenset[str] = frozenset(), edges: frozenset[str] = frozenset()) -> str:
        """The network drawn to fit ``width`` × ``height`` cm, path highlighted."""
        doc_labels = self._labels()
        w, tall = width, 0.0
        for _ in range(4):
            lay = diagram.layout(self.net, doc_labels[0], labels, doc_labels[2], w, diagram.latex_width)
            tall = lay.top - lay.bottom
            if tall <= height + 1e-6:
                break
            w = max(3.0, w * height / tall * 0.98)
        picture = diagram.tikz(self.net, doc_labels[0], labels, doc_labels[2], units, edges, width_cm=w)
        if tall > height + 1e-6:  # the layout's spacing has a floor: scale what is left over
            picture = f"\\resizebox{{!}}{{{height:.2f}cm}}{{%\n{picture}}}"
        return picture

    def _labels(self):
        n = self.names
        units = {u.name: self._short(u.name) for u in self.net.units}
        return units, None, {p.name: f"{n.param[p.name]} = {given(p.value)}" for p in self.net.params if p.kind == "bias"}

    def _short(self, unit: str) -> str:
        return short_label(self.names.out[unit], unit)

    def edge_labels(self, after: bool = False) -> dict[str, str]:
        n = self.names
        names = n.new if after else n.param  # the updated weights under their own names
        return {p.name: f"{names[p.name]} = {self.value(p.name, after)}" for p in self.net.params if p.kind == "weight"}

    # --- frames -----------------------------------------------------------------------

    def frame(self, kind: str, title: str, **fields) -> Frame:
        """A frame whose displays are set in the size that fits the aspect ratio."""
        narrow = self.width < 12
        size = fields.pop("size", "footnotesize" if kind == "reveal" or narrow else "small")
        return Frame(kind, title, size=size, **fields)

    def forward_frames(self, after: bool) -> tuple[Frame, ...]:
        frames = []
        passes = self.forward(after)
        for sample in passes:
            mark = f" (sample {sample.index})" if len(passes) > 1 else ""
            if self.style == "matrix":
                equations = self.matrix_equations(sample.index - 1, after)
                for i in range(0, len(equations), 2):
                    frames.append(self.frame("equations", f"Forward pass{mark}", equations=equations[i:i + 2]))
            else:
                for step in sample.units:
                    frames.append(self.frame("equations", f"Forward pass: \\({step.tex}\\){mark}",
                                             equations=step.equations))
            frames.append(self.frame("equations", f"Total error{mark}", equations=sample.errors + (sample.total,)))
        return tuple(frames)

    def inside_unit(self) -> Frame:
        unit = next(u for u in self.net.computed if u.layer == 1)
        return self.frame("equations", "Inside a unit", equations=self.unit_step(unit.name, self.s.spec.samples[0],
                                                                                self.hand.forward[0], False).equations,
                     text="Two operations: the weighted sum of the inputs, then squashing it with the activation.")

    def chain_frames(self, d: Derivation) -> list[Frame]:
        n, p = self.names, self.p
        name = d.param.name
        paths = list(d.paths())
        frames = []
        samples = range(len(self.s.spec.samples))
        errors_unique = len({path.error for path in paths}) == len(paths)
        labels = self.edge_labels()
        for k in samples:
            for t, path in enumerate(paths, 1):
                if len(paths) == 1 and len(samples) == 1:
                    lhs = p.partial(n.total, n.param[name])
                elif errors_unique:
                    lhs = p.partial(n.error[path.error], n.param[name])
                else:
                    lhs = rf"\text{{term {t}}}"
                frames += self.path_frame(d, path, k, lhs, labels)
        if len(paths) * len(samples) > 1:
            values = [self.show(self.hand.path_value(path, k)) for k in samples for path in paths]
            lhs = p.partial(n.total, n.param[name])
            rows = [Reveal(1, lhs if i == 0 else "", ("= " if i == 0 else r"\quad + ") + self._sum_of(values[i:i + 4]))
                    for i in range(0, len(values), 4)]
            rows.append(Reveal(1, "", f"= {self.show(self.hand.gradients[name])}"))
            frames.append(self.frame("reveal", f"\\({n.param[name]}\\): adding up the paths", rows=tuple(rows)))
        return frames

    def sum_rows(self, lhs: str, terms: list[str], result: str = "", per_row: int | None = None) -> list[str]:
        """Weighted sums wrap sooner on a slide than on a page."""
        return super().sum_rows(lhs, terms, result, per_row or (3 if self.width > 12 else 2))

    def _sum_of(self, values: list[str]) -> str:
        return " + ".join(operand(v) if i else v for i, v in enumerate(values))

    def path_frame(self, d: Derivation, path: ChainPath, k: int, lhs: str, labels: dict[str, str]) -> list[Frame]:
        p = self.p
        units = frozenset(f.unit for f in path.factors) | frozenset(
            f.ref for f in path.factors if f.kind == "input")
        edges = frozenset(f.ref for f in path.factors if f.kind == "weight")
        if d.param.kind == "weight":
            edges |= {d.param.name}
        chain = [Reveal(1, lhs, "= " + p.product(p.frac(f) for f in path.factors[:3]))]
        for start in range(3, len(path.factors), 3):
            chain.append(Reveal(1, "", rf"\quad {self.names.times} " + p.product(p.frac(f) for f in path.factors[start:start + 3])))
        factors = []
        for f in path.factors:
            local, value = p.local(f), self.factor_text(f, k)
            factors.append((p.frac(f), f"= {local}" + (f" = {value}" if local != value else "")))
        values = [self.factor_text(f, k) for f in path.factors]
        per_row = 5 if self.width > 12 else 3
        product = [
            (lhs if i == 0 else "", ("= " if i == 0 else rf"\quad {self.names.times} ")
             + p.numbers(values[i:i + per_row], leading=i == 0))
            for i in range(0, len(values), per_row)
        ] + [("", f"= {self.show(self.hand.path_value(path, k))}")]
        mark = f", sample {k + 1}" if len(self.s.spec.samples) > 1 else ""
        picture = self.picture(labels, self.width * (self.column - 0.01), self.height, units, edges)
        through = ", ".join(sorted({f.unit for f in path.factors}, key=list(self.net.unit).index))
        title = f"\\({self.names.param[d.param.name]}\\): the path through {escape_text(through)}{mark}"
        # A long chain is revealed over two frames, so that every row stays on the slide.
        split = len(factors) if len(chain) + len(factors) + len(product) <= MAX_ROWS else (len(factors) + 1) // 2
        first = chain + [Reveal(step, a, b) for step, (a, b) in enumerate(factors[:split], 2)]
        if split == len(factors):
            first += [Reveal(split + 2, a, b) for a, b in product]
            return [self.frame("reveal", title, picture=picture, rows=tuple(first))]
        second = [Reveal(step, a, b) for step, (a, b) in enumerate(factors[split:], 1)]
        second += [Reveal(len(second) + 1, a, b) for a, b in product]
        return [self.frame("reveal", title, picture=picture, rows=tuple(first)),
                self.frame("reveal", title + " (continued)", picture=picture, rows=tuple(second))]

    def delta_frames(self, d: Derivation) -> list[Frame]:
        section = self.delta_section(d)
        target = frozenset(f.unit for f in d.last)
        picture = self.picture(self.edge_labels(), self.width * (self.column - 0.01), self.height, target,
                               frozenset({d.param.name}) if d.param.kind == "weight" else frozenset())
        symbolic, numbers = section.terms[0].equation.rows
        lhs, _, rhs = symbolic.partition("&")
        rows = [Reveal(1, lhs.strip(), rhs.strip())]
        body, _, result = numbers.removeprefix("&= ").rpartition(" = ")
        terms = body.split(" + ")
        for i in range(0, len(terms), 2):
            rows.append(Reveal(2, "", ("= " if i == 0 else r"\quad + ") + " + ".join(terms[i:i + 2])))
        rows.append(Reveal(2, "", f"= {result}"))
        return [self.frame("reveal", f"\\({self.names.param[d.param.name]}\\) in the delta form", picture=picture, rows=tuple(rows))]

    def deck(self, detail: list[str], handout: bool, aspect: str) -> Deck:
        spec, n = self.s.spec, self.names
        sections: list[tuple[str, tuple[Frame, ...]]] = []
        net_picture = self.picture(self.edge_labels(), self.width, self.height + 1.2)
        sections.append(("The network", (
            Frame("picture", "The network", picture=net_picture),
            self.inside_unit(),
        )))
        sections.append(("Forward pass", self.forward_frames(after=False)))
        chain_rule = Equation((r"\frac{dy}{dx} &= \frac{dy}{du} " + n.times + r" \frac{du}{dx}",))
        sections.append(("The chain rule", (self.frame("equations", "The chain rule", equations=(chain_rule,),
                                                   text="If \\(y = f(u)\\) and \\(u = g(x)\\):"),)))
        backward: list[Frame] = []
        if self.style != "chain":
            for k in range(len(spec.samples)):
                deltas = self.delta_equations(k)
                for start in range(0, len(deltas), DELTAS_PER_FRAME):
                    backward.append(self.frame("equations", "The deltas" + (f", sample {k + 1}" if len(spec.samples) > 1 else ""),
                                          equations=deltas[start:start + DELTAS_PER_FRAME]))
        if self.style == "matrix":
            for equation in self.gradient_matrices():
                backward.append(self.frame("equations", "Gradients of a weight matrix", equations=(equation,),
                                           size="scriptsize" if self.width < 12 else "footnotesize"))
        for name in detail:
            d = self.s.derivations.of[name]
            chain = self.style == "chain" and d.n_paths * len(spec.samples) <= 20
            backward += self.chain_frames(d) if chain else self.delta_frames(d)
        rest = [p for p in self.net.params if p.name not in detail]
        rows = tuple((n.param[p.name], self.show(self.hand.gradients[p.name]), self.value(p.name, True)) for p in rest)
        for start in range(0, len(rows), TABLE_ROWS):
            backward.append(Frame("table", "Proceeding similarly", table=rows[start:start + TABLE_ROWS],
                                  header=("parameter", "gradient", "new value")))
        sections.append(("Backward pass", tuple(backward)))
        updates, _ = self.updates()
        chosen = [eq for eq, p in zip(updates, [q for q in self.net.params if q.kind == "weight" or spec.update_biases])
                  if p.name in detail]
        update_frames = [self.frame("equations", "Updates", equations=tuple(chosen[i:i + 2])) for i in range(0, len(chosen), 2)]
        update_frames.append(Frame("picture", "The network with the updated weights",
                                   picture=self.picture(self.edge_labels(after=True), self.width, self.height + 1.2)))
        sections.append(("Updates", tuple(update_frames)))
        after = list(self.forward_frames(after=True))
        after.append(self.frame("equations", "The error before and after the update",
                           equations=(self.eq(rf"{n.total} &: {self.show(self.hand.error_total)} \rightarrow "
                                              rf"{self.show(self.hand.error_total_after)}"),)))
        sections.append(("After the update", tuple(after)))
        return Deck(escape_text(spec.title), aspect, handout, ",".join(diagram.TIKZ_LIBRARIES), tuple(sections),
                    self.column)


def default_detail(solution: Solution) -> list[str]:
    """The first weight into the output layer and the first weight into the first hidden layer."""
    net = solution.network
    last = len(net.spec.layers) - 1
    weights = [p for p in net.params if p.kind == "weight"]
    chosen = [next((p.name for p in weights if net.unit[p.targets[0]].layer == last), None),
              next((p.name for p in weights if net.unit[p.targets[0]].layer == 1), None)]
    return list(dict.fromkeys(c for c in chosen if c))


def deck(solution: Solution, detail: list[str] | None = None, style: str = "chain", preset: str | None = None,
         aspect: str = "169", handout: bool = False) -> Deck:
    detail = default_detail(solution) if detail is None else detail
    for name in detail:
        if name not in solution.network.param:
            raise SympropError(f"--detail: {name!r} is not a parameter of the spec "
                               f"(parameters: {', '.join(solution.network.param)})")
    return _Deck(solution, style, preset, aspect).deck(detail, handout, aspect)


