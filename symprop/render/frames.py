"""The frames of a lecture deck and how each is written: a forward step, a path of the
chain rule revealed factor by factor beside the network with that path highlighted, a
gradient in the delta form.

A ``Stage`` is the ``Writer`` of the deck (sums wrap sooner on a slide than on a page) and
the size of the slide. Displays are set as large as they fit (``SIZES``, from the body
size down, never below footnotesize): a frame whose rows would not fit is split into
frames marked "(continued)" rather than shrunk. The sizes are estimated from the LaTeX
source (``measure.latex_width``) with room to spare.

Drawings are printed at the size laid out, never scaled: the network is laid out for the
frame, and a path frame's side drawing for its column, labelled in full when every label
fits there, else only the path's edges (``diagram.layout(only=...)``).
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
from .measure import PT, display_width, rows_width, wrap
from .parts import Equation
from .printer import escape_text, given, operand
from .writer import Writer

PAGE = {"169": (13.8, 7.3), "43": (10.8, 7.9)}  # usable width, height under the frame title (cm)
PICTURE_COLUMN = {"169": 0.42, "43": 0.40}  # of the text width, on a path frame
SIZES = (("normalsize", 10.95), ("small", 10.0), ("footnotesize", 8.0))  # display font sizes (pt), largest first
REVEAL_SIZES = SIZES[1:]  # beside a drawing
FONT = 1.2  # the drawings' fonts, times a document's (labels 8.4 pt, units 12 pt)


@dataclass(frozen=True)
class Reveal:
    """One row of an aligned display, shown from overlay ``step`` on."""

    step: int
    lhs: str
    rhs: str


@dataclass(frozen=True)
class Frame:
    kind: str  # picture | equations | reveal | table | weights
    title: str  # LaTeX (already escaped)
    picture: str = ""
    equations: tuple[Equation, ...] = ()
    rows: tuple[Reveal, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    header: tuple[str, ...] = ()
    text: str = ""  # LaTeX (already escaped)
    size: str = "normalsize"  # the font size of the frame's displays
    tables: tuple[diagram.WeightTable, ...] = ()  # the values a drawing's edges do not show
    text_cells: int = 0  # a table's leading cells written as text (the others are math)
    align: str = ""  # a table's column alignment (default: every column left)
    units: frozenset[str] = frozenset()  # what a path frame's drawing highlights (for decks that draw it themselves)
    edges: frozenset[str] = frozenset()

    @property
    def steps(self) -> int:
        return max((r.step for r in self.rows), default=1)


def _points(row: str, pt: float) -> float:
    """Estimated height (pt) of a displayed row set at ``pt`` (measured: a row of fractions
    takes 1.6 em + 10 pt, 4 pt more with ``\\_`` in its subscripts, a plain row 1 em + 5.5 pt)."""
    tall = "\\frac" in row or "matrix" in row or "cases" in row
    deep = 4.0 if "\\_" in row else 0.0
    return (1.6 * pt + 10.0 + deep if tall else pt + 5.5) * (row.count("\\\\") + 1)


def display_size(rows: list[str], width: float, height: float, sizes=SIZES, displays: int = 1,
                 text: bool = False) -> str | None:
    """The largest of ``sizes`` at which ``rows`` fit ``width`` x ``height`` cm (None: none)."""
    wide = rows_width(rows)
    for name, pt in sizes:
        tall = sum(_points(r, pt) for r in rows) + 20.0 * displays + (2.5 * pt if text else 0.0)
        if wide * pt * PT <= width and tall * PT <= height:
            return name
    return None


@dataclass(frozen=True)
class Stage:
    """The deck's writer and its slide: usable ``width`` × ``height`` cm, and the share of
    the width the drawing takes beside a path frame's equations."""

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

    @property
    def text_width(self) -> float:
        """The width of the equations beside a drawing."""
        return self.width * (0.98 - self.column) - 0.3

    def frame(self, kind: str, title: str, **fields) -> Frame:
        return Frame(kind, title, **fields)

    def equation_frames(self, title: str, equations, text: str = "") -> list[Frame]:
        """``equations`` on as few frames as they fit on at a readable size, in order (a row
        too wide even at the smallest size wrapped, ``wrap``); the frames after the first are
        marked "(continued)"."""
        frames: list[Frame] = []
        group: list[Equation] = []
        room = self.width / (SIZES[-1][1] * PT)
        for equation in (Equation(tuple(r for row in e.rows for r in wrap(row, room))) for e in equations):
            if group and self._size(group + [equation], text and not frames) is None:
                frames.append(self._equations(title, group, text, len(frames)))
                group = []
            group.append(equation)
        if group or not frames:
            frames.append(self._equations(title, group, text, len(frames)))
        return frames

    def _size(self, equations: list[Equation], text: bool) -> str | None:
        rows = [r for e in equations for r in e.rows]
        return display_size(rows, self.width, self.height, displays=len(equations), text=text)

    def _equations(self, title: str, group: list[Equation], text: str, k: int) -> Frame:
        size = self._size(group, bool(text) and k == 0) or SIZES[-1][0]
        return Frame("equations", title + (" (continued)" if k else ""), equations=tuple(group),
                     text=text if k == 0 else "", size=size)

    # --- frames ---------------------------------------------------------------------------

    def forward_frames(self, after: bool) -> tuple[Frame, ...]:
        frames: list[Frame] = []
        passes = forward_passes(self.w, after)
        for sample in passes:
            mark = f" (sample {sample.index})" if len(passes) > 1 else ""
            if self.w.style == "matrix":
                frames += self.equation_frames(f"Forward pass{mark}", matrix_equations(self.w, sample.index - 1, after))
            else:
                for step in sample.units:
                    frames += self.equation_frames(f"Forward pass: \\({step.tex}\\){mark}", step.equations)
            frames += self.equation_frames(f"Total error{mark}", sample.error_equations)
        return tuple(frames)

    def inside_unit(self) -> list[Frame]:
        w = self.w
        unit = next(u for u in w.network.computed if u.layer == 1)
        step = unit_step(w, unit.name, w.solution.spec.samples[0], w.hand.forward[0], False)
        return self.equation_frames("Inside a unit", step.equations,
                                    "Two operations: the weighted sum of the inputs, then squashing it with the "
                                    "activation.")

    def reveal_frames(self, title: str, rows: list[Reveal], picture: str = "", units: frozenset[str] = frozenset(),
                      edges: frozenset[str] = frozenset()) -> list[Frame]:
        """``rows`` revealed beside ``picture`` (or alone): on one frame at the largest size
        they fit, else over as few frames as it takes at the largest size their width
        allows, each revealing its rows from overlay 1 on."""
        width = self.text_width if picture else self.width
        sizes = REVEAL_SIZES if picture else SIZES
        texts = [f"{r.lhs} &{r.rhs}" for r in rows]
        wide = [sz for sz in sizes if display_size(texts, width, 1e9, (sz,))] or list(sizes[-1:])
        whole = next((sz[0] for sz in wide if display_size(texts, width, self.height, (sz,))), None)
        if whole is not None:
            return [Frame("reveal", title, picture=picture, rows=tuple(rows), size=whole, units=units, edges=edges)]
        size = wide[0]
        groups: list[list[Reveal]] = []  # the rows revealed together stay together
        for row in rows:
            if groups and groups[-1][0].step == row.step:
                groups[-1].append(row)
            else:
                groups.append([row])
        chunks: list[list[Reveal]] = [[]]
        for group in groups:
            texts = [f"{r.lhs} &{r.rhs}" for r in chunks[-1] + group]
            if chunks[-1] and not display_size(texts, 1e9, self.height, (size,)):
                chunks.append([])
            chunks[-1].extend(group)
        frames = []
        for k, chunk in enumerate(chunks):
            first = chunk[0].step
            shifted = tuple(Reveal(r.step - first + 1, r.lhs, r.rhs) for r in chunk)
            frames.append(Frame("reveal", title + (" (continued)" if k else ""), picture=picture, rows=shifted,
                                size=size[0], units=units, edges=edges))
        return frames


# --- the drawing: the whole network on a frame, and beside a path frame ---------------------------


def _edge_labels(stage: Stage, after: bool = False) -> dict[str, str]:
    """Each weight and its value; after the update under its new name."""
    w = stage.w
    names = w.names.new if after else w.names.param
    return {p.name: f"{names[p.name]} = {w.value(p.name, after)}" for p in w.network.params if p.kind == "weight"}


def _labels(stage: Stage) -> tuple[dict[str, str], dict[str, str]]:
    w = stage.w
    units = {u.name: short_label(w.names.out[u.name], u.name) for u in w.network.units}
    biases = {p.name: f"{w.names.param[p.name]} = {given(p.value)}" for p in w.network.params if p.kind == "bias"}
    return units, biases


def _layout(stage: Stage, labels: dict[str, str], width: float, height: float,
            only: frozenset[str] | None = None, scale: float = 1.0) -> diagram.Layout:
    """The network laid out ``width`` wide, filling at most ``height`` with its note, its
    fonts ``FONT`` times a document's (by ``scale``)."""
    units, biases = _labels(stage)
    return diagram.layout(stage.w.network, units, labels, biases, width, diagram.latex_width,
                          height - diagram.NOTE_HEIGHT, only, FONT * scale, fill=True)


def network_layout(stage: Stage, after: bool = False) -> diagram.Layout:
    """The whole network on a frame of its own."""
    return _layout(stage, _edge_labels(stage, after), stage.width, stage.height - 0.2)


def network_frames(stage: Stage, title: str, after: bool = False) -> list[Frame]:
    """The whole network on a frame, and when its edges show no values, the tables."""
    lay = network_layout(stage, after)
    net = stage.w.network
    tables = diagram.weight_tables(lay, {k: la.name for k, la in enumerate(net.spec.layers)},
                                   diagram.latex_width, stage.width)
    picture = diagram.draw_tikz(lay, tables=tables, tables_below=False, templates=stage.templates)
    frames = [Frame("picture", title, picture=picture)]
    for start in range(0, len(tables), 2):
        frames.append(Frame("weights", title + (" (values)" if not start else " (values, continued)"),
                            tables=tables[start:start + 2]))
    return frames


def side_layout(stage: Stage, edges: frozenset[str], param: str) -> diagram.Layout:
    """The drawing beside a path frame: every label if all fit the column, else only the
    path's (``param`` and the highlighted edges); in smaller fonts if that is what it
    takes to label the path, or to draw it at all."""
    width, height = stage.width * (stage.column - 0.01), stage.height - 0.5
    labels, path = _edge_labels(stage), edges | {param}
    tries = (lambda: _layout(stage, labels, width, height), lambda: _layout(stage, labels, width, height, only=path),
             lambda: _layout(stage, labels, width, height, only=path, scale=1 / FONT),
             lambda: _layout(stage, labels, width, height, only=path, scale=0.85 / FONT))
    found = []
    for attempt in tries:
        found.append(attempt())
        if found[-1].mode == "full" or (found[-1].partial and found[-1].mode == "names"):
            return found[-1]
    return next((lay for lay in found if lay.mode != "blocks"), found[-1])


def side_picture(stage: Stage, units: frozenset[str], edges: frozenset[str], param: str) -> str:
    return diagram.draw_tikz(side_layout(stage, edges, param), units, edges, tables_below=False,
                             templates=stage.templates)


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
        frames += stage.reveal_frames(f"\\({n.param[name]}\\): adding up the paths", rows)
    return frames


def path_frames(stage: Stage, d: Derivation, path: ChainPath, k: int, lhs: str) -> list[Frame]:
    """One path: the chain, each factor revealed, the product, set as large as one frame takes
    them (rows wrapped to the column at that size); else at the reveal size over more frames."""
    w = stage.w
    units = frozenset(f.unit for f in path.factors) | frozenset(f.ref for f in path.factors if f.kind == "input")
    edges = frozenset(f.ref for f in path.factors if f.kind == "weight")
    if d.param.kind == "weight":
        edges |= {d.param.name}
    mark = f", sample {k + 1}" if len(w.solution.spec.samples) > 1 else ""
    picture = side_picture(stage, units, edges, d.param.name)
    through = ", ".join(sorted({f.unit for f in path.factors}, key=list(w.network.unit).index))
    title = f"\\({w.names.param[d.param.name]}\\): the path through {escape_text(through)}{mark}"
    for size in REVEAL_SIZES:
        rows = _path_rows(stage, path, k, lhs, size[1])
        texts = [f"{r.lhs} &{r.rhs}" for r in rows]
        if display_size(texts, stage.text_width, stage.height, (size,)):
            return [Frame("reveal", title, picture=picture, rows=tuple(rows), size=size[0], units=units, edges=edges)]
    return stage.reveal_frames(title, _path_rows(stage, path, k, lhs, REVEAL_SIZES[0][1]), picture, units, edges)


def _path_rows(stage: Stage, path: ChainPath, k: int, lhs: str, pt: float) -> list[Reveal]:
    """The chain (1), each factor (2, 3, ...) and the product, wrapped to the column at ``pt``."""
    w, p, times = stage.w, stage.w.printer, stage.w.names.times
    room = stage.text_width / (pt * PT)  # em

    def fits(*rows: tuple[str, str]) -> bool:
        return max(display_width(a) for a, _ in rows) + max(display_width(b) for _, b in rows) <= room

    chain: list[Reveal] = []
    on_row = 0  # fractions on the chain's last row: at most three
    for frac in (p.frac(f) for f in path.factors):
        if chain and on_row < 3 and fits((lhs, chain[-1].rhs + f" {times} " + frac)):
            chain[-1], on_row = Reveal(1, chain[-1].lhs, chain[-1].rhs + f" {times} " + frac), on_row + 1
        else:
            chain.append(Reveal(1, "" if chain else lhs, (rf"\quad {times} " if chain else "= ") + frac))
            on_row = 1
    factors = []
    for step, f in enumerate(path.factors, 2):
        local, value = p.local(f), w.factor_text(f, k)
        row = Reveal(step, p.frac(f), f"= {local}" + (f" = {value}" if local != value else ""))
        if local != value and not fits((row.lhs, row.rhs)):
            factors += [Reveal(step, p.frac(f), f"= {local}"), Reveal(step, "", f"= {value}")]  # too wide for one row
        else:
            factors.append(row)
    values = [w.factor_text(f, k) for f in path.factors]
    left = [(r.lhs, "") for r in chain + factors]
    per = next((n for n in range(5, 1, -1) if all(
        fits(*left, ("", rf"\quad {times} " + p.numbers(values[i:i + n], leading=True)))
        for i in range(0, len(values), n))), 2)
    last = len(path.factors) + 2
    product = [Reveal(last, lhs if i == 0 else "",
                      ("= " if i == 0 else rf"\quad {times} ") + p.numbers(values[i:i + per], leading=i == 0))
               for i in range(0, len(values), per)]
    return chain + factors + product + [Reveal(last, "", f"= {w.show(w.hand.path_value(path, k))}")]


def delta_frames(stage: Stage, d: Derivation) -> list[Frame]:
    """Σ δ · input: the symbols, then every product, two to a row, then the gradient."""
    g = delta_gradient(stage.w, d)
    edges = frozenset({d.param.name}) if d.param.kind == "weight" else frozenset()
    units = frozenset(f.unit for f in d.last)
    picture = side_picture(stage, units, edges, d.param.name)
    terms = [t for sample in g.products for t in sample]
    rows = [Reveal(1, g.lhs, f"= {g.symbols}")]
    for i in range(0, len(terms), 2):
        rows.append(Reveal(2, "", ("= " if i == 0 else r"\quad + ") + " + ".join(terms[i:i + 2])))
    rows.append(Reveal(2, "", f"= {g.result}"))
    title = f"\\({stage.w.names.param[d.param.name]}\\) in the delta form"
    return stage.reveal_frames(title, rows, picture, units, edges)


def _sum_of(values: list[str]) -> str:
    return " + ".join(operand(v) if i else v for i, v in enumerate(values))
