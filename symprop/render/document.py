"""The worked solution as one prepared context: every equation built here, in LaTeX math.

The renderers pass this context to the templates, which only loop and format. Three
styles over the same derivation: ``chain`` (the seeds' chain-rule products, each factor
derived once), ``delta`` (δ of every unit, gradient = δ × input) and ``matrix``
(vectorised forward pass and gradients). Every number is the engine's ``shown`` value.
The pieces are written by ``forward``, ``backward`` and ``matrix`` with one ``Writer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..numbers.evaluate import MAX_CHAIN_TERMS
from ..numbers.solution import Solution, step_solution
from .backward import chain_section, delta_equations, delta_section
from .forward import forward_passes
from .matrix import full_layers, gradient_matrices, matrix_equations
from .notation import split
from .parts import Equation, ParamSection, SamplePass
from .printer import escape_text, given, operand
from .training import TrainingRun, training_run
from .writer import Writer, eq

ROUNDING_WORDS = {"round": "rounded half up", "truncate": "truncated"}


@dataclass(frozen=True)
class Document:
    title: str  # LaTeX-escaped text
    title_plain: str
    style: str
    preset: str
    policy: str  # plain text
    notes: tuple[str, ...]
    network_rows: tuple[tuple[str, str], ...]  # (quantity LaTeX, value)
    unit_labels: dict[str, str]
    edge_labels: dict[str, str]
    bias_labels: dict[str, str]
    forward: tuple[SamplePass, ...]
    error_total: Equation | None
    deltas: tuple[tuple[int, tuple[Equation, ...]], ...]  # (sample, δ equations)
    matrix: tuple[tuple[int, tuple[Equation, ...]], ...]  # (sample, vectorised forward pass)
    matrix_gradients: tuple[Equation, ...]  # ∂E/∂W of each layer (matrix style)
    backward: tuple[ParamSection, ...]
    updates: tuple[Equation, ...]
    update_table: tuple[tuple[str, str, str, str], ...]  # (param, old, gradient, new)
    biases_fixed: bool
    after: tuple[SamplePass, ...]
    error_after: Equation | None
    before_after: Equation
    n_samples: int = 1
    training: TrainingRun | None = None  # a run's course after its first update
    step: int = 1  # the update of a training run this document works
    step_words: str = ""  # which update, epoch and samples (later steps of a run)


def document(solution: Solution, style: str = "chain", preset: str | None = None, full_steps: int = 1) -> Document:
    """The prepared context of ``solution``'s worked solution; of a training run, its first
    update, then the run, with the updates up to ``full_steps`` worked in full."""
    w = Writer.of(solution, style, preset)
    spec, n = w.solution.spec, w.names
    forward = forward_passes(w, after=False)
    backward, delta_needed = _backward(w)
    samples = range(len(spec.samples))
    deltas = tuple((k + 1, delta_equations(w, k)) for k in samples) if delta_needed or style == "matrix" else ()
    updates, table = update_equations(w)
    many = len(spec.samples) > 1
    show, hand = w.show, w.hand
    total_eq = eq(f"{n.total} &= " + " + ".join(rf"E^{{[{s.index}]}}" for s in forward)
                  + f" = {show(hand.error_total, 'error')}") if many else None
    return Document(
        title=escape_text(spec.title), title_plain=spec.title, style=style, preset=n.preset,
        policy=policy_words(spec.rounding), notes=w.solution.notes,
        network_rows=_network_rows(w),
        unit_labels={u.name: short_label(n.out[u.name], u.name) for u in w.network.units},
        edge_labels={p.name: f"{n.param[p.name]} = {given(p.value)}" for p in w.network.params if p.kind == "weight"},
        bias_labels={p.name: f"{n.param[p.name]} = {given(p.value)}" for p in w.network.params if p.kind == "bias"},
        forward=forward, error_total=total_eq, deltas=deltas, backward=backward,
        matrix=tuple((k + 1, matrix_equations(w, k)) for k in samples) if style == "matrix" else (),
        matrix_gradients=gradient_matrices(w) if style == "matrix" else (),
        updates=updates, update_table=table, biases_fixed=not spec.update_biases,
        after=forward_passes(w, after=True),
        error_after=eq(f"{n.total} &= {show(hand.error_total_after, 'error')}") if many else None,
        before_after=eq(rf"{n.total} &: {show(hand.error_total, 'error')} \rightarrow "
                        rf"{show(hand.error_total_after, 'error')}"),
        n_samples=len(spec.samples),
        training=_training(w, style, preset, full_steps),
        step=solution.step, step_words=_step_words(solution),
    )


def _training(w: Writer, style: str, preset: str | None, full_steps: int) -> TrainingRun | None:
    solution = w.solution
    if solution.course is None or solution.step != 1:
        return None
    count = min(full_steps, len(solution.run.steps))
    later = tuple(document(step_solution(solution, k), style, preset) for k in range(2, count + 1))
    return training_run(w, later)


def _step_words(solution: Solution) -> str:
    if solution.course is None:
        return ""
    step = solution.course.exact.steps[solution.step - 1]
    if len(step.samples) == len(solution.course.spec.samples) > 1:
        which = "every sample"
    else:
        which = f"sample{'s' if len(step.samples) > 1 else ''} {', '.join(str(k + 1) for k in step.samples)}"
    return f"Update {step.number} (epoch {step.epoch}, {which})"


def _network_rows(w: Writer) -> tuple[tuple[str, str], ...]:
    """The given numbers: each sample's inputs and targets, the biases, the learning rate."""
    spec, n = w.solution.spec, w.names
    rows: list[tuple[str, str]] = []
    for k, sample in enumerate(spec.samples):
        mark = f"^{{[{k + 1}]}}" if len(spec.samples) > 1 else ""
        rows += [(f"{{{n.out[u]}}}{mark}" if mark else n.out[u], given(v)) for u, v in sample.input]
        rows += [(f"{{{n.target[u]}}}{mark}" if mark else n.target[u], given(v)) for u, v in sample.target]
    rows += [(n.param[b.name], given(b.value)) for b in spec.biases]
    rows.append((n.rate, given(spec.learning_rate)))
    return tuple(rows)


def _backward(w: Writer) -> tuple[tuple[ParamSection, ...], bool]:
    """Every parameter's gradient, output layer first; and whether the deltas are needed."""
    style, samples = w.style, len(w.solution.spec.samples)
    layer = {u.name: u.layer for u in w.network.units}
    order = sorted(w.solution.derivations.of.values(), key=lambda d: -max(layer[t] for t in d.param.targets))
    in_matrix = {e.param for _, targets in full_layers(w) for t in targets for e in w.network.incoming[t]}
    sections, delta_needed, derived = [], style == "delta", set()
    for d in order:
        if style == "matrix" and d.param.name in in_matrix:
            continue  # shown in its layer's gradient matrix
        terms = d.n_paths * samples
        if style == "chain" and terms <= MAX_CHAIN_TERMS:
            sections.append(chain_section(w, d, derived))
        else:
            note = f"{terms} chain-rule terms: shown in the delta form" if style == "chain" else ""
            delta_needed = True
            sections.append(delta_section(w, d, note))
    return tuple(sections), delta_needed


def update_equations(w: Writer) -> tuple[tuple[Equation, ...], tuple[tuple[str, str, str, str], ...]]:
    """Each updated parameter's equation, and the table of (parameter, old, gradient, new)."""
    n, p, spec = w.names, w.printer, w.solution.spec
    equations, table = [], []
    for param in w.network.params:
        name = param.name
        grad = w.show(w.hand.gradients[name], "gradient")
        new = w.value(name, after=True)
        table.append((n.param[name], w.value(name), grad, new))
        if param.kind == "bias" and not spec.update_biases:
            continue
        frac = p.partial(n.total, n.param[name])
        old_value = w.value(name)
        if w.hand.momentum:  # v <- mu v - eta dE/dw; w <- w + v
            v, before = rf"v_{{{n.param[name]}}}", w.show(w.hand.previous_velocity.get(name, Decimal(0)), "update")
            velocity = w.show(w.hand.velocity[name], "update")
            equations.append(eq(
                rf"{v} &= {n.momentum}{p.times}{v} - {n.rate}{p.times}{frac}",
                f"&= {given(spec.training.momentum)}{p.times}{operand(before)} - {given(spec.learning_rate)}"
                f"{p.times}{operand(grad)} = {velocity}",
                f"{n.new[name]} &= {n.param[name]} + {v} = {old_value} + {operand(velocity)} = {new}",
            ))
            continue
        rule = f"{n.new[name]} &= {n.param[name]} - {n.rate}{p.times}{frac}"
        if param.kind == "bias" and w.network.bias_sign < 0:  # ∂E/∂θ = −Σ δ: the threshold moves with δ
            rise = w.show(-w.hand.gradients[name], "gradient")
            equations.append(eq(f"{rule} = {n.param[name]} + {n.rate}{p.times}{_threshold_deltas(w, param)}",
                                f"&= {old_value} + {given(spec.learning_rate)}{p.times}{operand(rise)} = {new}"))
            continue
        equations.append(eq(rule, f"&= {old_value} - {given(spec.learning_rate)}{p.times}{operand(grad)} = {new}"))
    return tuple(equations), tuple(table)


def _threshold_deltas(w: Writer, param) -> str:
    """Σ of the δ of the units a threshold enters (over the samples, when several)."""
    n = w.names
    deltas = [f"{{{n.delta[t]}}}^{{[n]}}" if w.samples > 1 else n.delta[t] for t in param.targets]
    inner = " + ".join(deltas)
    if w.samples > 1:
        return rf"\sum_{{n}} ({inner})" if len(deltas) > 1 else rf"\sum_{{n}} {inner}"
    return f"({inner})" if len(deltas) > 1 else inner


KIND_WORDS = {"net": "sums", "out": "outputs", "error": "errors", "factor": "local derivatives", "delta": "deltas",
              "gradient": "gradients", "update": "updated parameters"}


def policy_words(rounding) -> str:
    """The rounding policy in words, as the document states it."""
    carry = ("each step uses the written values, as a hand calculation does"
             if rounding.carries_shown else "each step is computed with exact values")
    places = f"{rounding.places} decimals"
    if rounding.kinds:
        places += " (" + ", ".join(f"{KIND_WORDS[k]} {p}" for k, p in rounding.kinds) + ")"
    return f"numbers are written with {places}, {ROUNDING_WORDS[rounding.mode]}; {carry}"


def short_label(label: str, name: str) -> str:
    """A unit's label in the drawing: its preset name when short enough for a circle."""
    return label if "text" not in label else str(split(name))
