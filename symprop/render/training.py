"""A training run as a worked solution shows it after its first update: how the run goes
(mode, order, momentum), the total error before training and after every epoch, every
parameter at the end of every epoch, the updates step by step (small runs), the later
steps worked in full that were asked for, and the loss curve (``curve``: drawn by
``svg/curve.svg.j2`` and ``tikz/curve.tex.j2``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ..numbers.solution import Solution
from .printer import given
from .writer import Writer

MAX_COLUMNS = 8  # epochs shown as columns of the parameter table: the first and last half
MAX_STEP_ROWS = 40  # updates listed one by one (a longer run: per epoch only)
MAX_STEP_PARAMS = 8  # parameters in the step-by-step table
MODE_WORDS = {
    "online": "the parameters are updated after each sample",
    "batch": "the parameters are updated once per epoch, from the gradients summed over every sample",
    "minibatch": "the parameters are updated after every {size} samples, from their summed gradients",
}
ELLIPSIS = "…"


@dataclass(frozen=True)
class Curve:
    """The total error per epoch in drawing coordinates (SVG pixels, y down), every number
    already written: the plot box, its ticks and labels, and the polyline."""

    width: str
    height: str
    box: tuple[str, str, str, str]  # left, top, width, height
    points: str  # "x,y x,y ..."
    marks: tuple[tuple[str, str], ...]
    x_ticks: tuple[tuple[str, str, str, str, str], ...]  # (x, tick top, tick bottom, label y, label)
    y_ticks: tuple[tuple[str, str, str, str, str, str], ...]  # (y, tick left, tick right, label x, label y, label)
    x_label_at: tuple[str, str]
    y_label_at: tuple[str, str]
    coordinates: str  # pgfplots: "(0, 0.4963) (1, 0.4968) ..."
    y_max: str  # pgfplots axis limits
    x_max: str


@dataclass(frozen=True)
class TrainingRun:
    words: str
    rule: str  # the momentum update in the document's symbols (LaTeX), or ""
    errors_header: tuple[str, ...]  # the error table's columns
    errors: tuple[tuple[str, ...], ...]  # (when, E_total as written[, the epoch's updates' errors summed])
    errors_words: str  # what the error table holds
    header: tuple[str, ...]  # the parameter table's columns
    rows: tuple[tuple[str, ...], ...]  # (parameter LaTeX, value at each column)
    steps_header: tuple[str, ...]
    steps: tuple[tuple[str, ...], ...]
    curve: Curve
    later: tuple  # documents of the later steps worked in full
    worked_words: str  # where the updates worked in full are


def training_run(w: Writer, later: tuple = ()) -> TrainingRun | None:
    """The training section of ``w``'s solution (None without a run)."""
    solution: Solution = w.solution
    run = solution.run
    if run is None:
        return None
    t = solution.course.spec.training
    words, rule = run_words(t), momentum_rule(t, w.names, w.printer.times)
    errors_header, errors, errors_words = error_table(w, run)
    shown = _columns(len(run.epochs))
    header = ("parameter", "before") + tuple(ELLIPSIS if k is None else f"epoch {k + 1}" for k in shown)
    params = solution.network.params
    rows = tuple(
        (w.names.param[p.name], given(p.value))
        + tuple(ELLIPSIS if k is None else w.show(run.epochs[k].updated[p.name], "update") for k in shown)
        for p in params
    )
    steps_header, steps = (), ()
    if len(run.steps) <= MAX_STEP_ROWS and len(params) <= MAX_STEP_PARAMS:
        steps_header = ("update", "epoch", "samples") + tuple(w.names.param[p.name] for p in params)
        steps = tuple(
            (str(s.number), str(s.epoch), ", ".join(str(k + 1) for k in s.samples))
            + tuple(w.show(s.evaluation.updated[p.name], "update") for p in params)
            for s in run.steps
        )
    values = [run.error_initial] + [e.error_total for e in run.epochs]
    curve = loss_curve([w.show(v, "error") for v in values], values)
    return TrainingRun(words, rule, errors_header, errors, errors_words, header, rows, steps_header, steps, curve,
                       later, _worked_words(len(later)))


def error_table(w: Writer, run) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], str]:
    """(columns, rows, words) of the total error before training and after each epoch; with
    several updates per epoch also the errors of the epoch's updates, each taken before its
    update, summed: what training code prints as its epoch error."""
    words = "The total error over every sample, before training and after each epoch"
    rows = [("before training", w.show(run.error_initial, "error"))] + [
        (f"epoch {e.number}", w.show(e.error_total, "error")) for e in run.epochs]
    if max(len(e.steps) for e in run.epochs) == 1:
        return ("", "total error"), tuple(rows), words + ":"
    during = [""] + [w.show(sum((s.evaluation.error_total for s in e.steps), Decimal(0)), "error") for e in run.epochs]
    words += (", and the errors of the epoch's updates summed, each taken before its update "
              "(the epoch error that training code prints):")
    return ("", "total error", "during the epoch"), tuple(r + (d,) for r, d in zip(rows, during)), words


def run_words(t) -> str:
    """How a run goes, in words: epochs, mode, order, momentum (``spec.training``)."""
    words = MODE_WORDS[t.mode].format(size=t.batch_size)
    words += ", in the given order" if t.order == "given" else f", in an order shuffled anew each epoch (seed {t.seed})"
    if t.momentum:
        words += f"; with momentum {given(t.momentum)}"
    return f"{t.epochs} epoch{'s' if t.epochs != 1 else ''}; {words}"


def momentum_rule(t, n, times: str) -> str:
    """The momentum update in a document's symbols (LaTeX), or "" without momentum."""
    if not t.momentum:
        return ""
    return (rf"v \leftarrow {n.momentum}{times}v - {n.rate}{times}"
            rf"\frac{{\partial {n.total}}}{{\partial w}},\quad w \leftarrow w + v")


def _worked_words(later: int) -> str:
    if not later:
        return "The first update is worked in full above."
    if later == 1:
        return "The first update is worked in full above, update 2 after the tables."
    return f"The first update is worked in full above, updates 2 to {later + 1} after the tables."


def _columns(epochs: int) -> list[int | None]:
    """The epochs shown as columns (0-based), ``None`` for the ones left out in between."""
    if epochs <= MAX_COLUMNS:
        return list(range(epochs))
    half = MAX_COLUMNS // 2
    return list(range(half)) + [None] + list(range(epochs - half, epochs))


# --- the loss curve ----------------------------------------------------------------------------

WIDTH, HEIGHT = 480.0, 260.0
LEFT, RIGHT, TOP, BOTTOM = 64.0, 16.0, 16.0, 44.0


def loss_curve(labels: list[str], values: list[Decimal]) -> Curve:
    """E_total before training (epoch 0) and after each epoch, on real axes."""
    top = float(max(values)) if values else 1.0
    top = top * 1.1 if top > 0 else 1.0
    ticks = _ticks(top)
    y_max = ticks[-1]
    epochs = len(values) - 1
    x_step = max(1, _nice(epochs / 6)) if epochs else 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(epoch: float) -> float:
        return LEFT + plot_w * (epoch / epochs if epochs else 0.5)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / y_max)

    points = [(x(k), y(float(v))) for k, v in enumerate(values)]
    return Curve(
        width=_px(WIDTH), height=_px(HEIGHT),
        box=(_px(LEFT), _px(TOP), _px(plot_w), _px(plot_h)),
        points=" ".join(f"{_px(a)},{_px(b)}" for a, b in points),
        marks=tuple((_px(a), _px(b)) for a, b in points) if len(points) <= 60 else (),
        x_ticks=tuple((_px(x(k)), _px(TOP + plot_h), _px(TOP + plot_h + 4), _px(TOP + plot_h + 16), str(k))
                      for k in range(0, epochs + 1, int(x_step))),
        y_ticks=tuple((_px(y(v)), _px(LEFT - 4), _px(LEFT), _px(LEFT - 7), _px(y(v) + 4), _label(v)) for v in ticks),
        x_label_at=(_px(LEFT + plot_w / 2), _px(HEIGHT - 8)),
        y_label_at=(_px(16), _px(TOP + plot_h / 2)),
        coordinates=" ".join(f"({k}, {label})" for k, label in enumerate(labels)),
        y_max=_label(y_max), x_max=str(max(epochs, 1)),
    )


def _nice(value: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _ticks(top: float) -> list[float]:
    step = _nice(top / 5)
    count = int(-(-top // step))
    return [k * step for k in range(count + 1)]


def _label(value: float) -> str:
    text = f"{value:.6g}"
    return "0" if text in ("0", "-0") else text


def _px(value: float) -> str:
    return f"{value:.1f}"
