"""The question sheet of each exam variant as one prepared context, and its renderings.

``sheets`` builds, per variant, what a sheet states: the rules (activations, weighted sum,
error, update), the rounding instructions, the given numbers, the network drawing and the
questions (each asked quantity named in the notation preset, in words, with its answer and
tolerance for the key, and the wrong answers the classic mistakes give). The ``exam/``
templates only loop and format it: ``sheet.tex.j2`` (one variant, or all of them for
printing), ``sheet.md.j2``, ``key.tex.j2`` (the compact key), ``solutions.tex.j2`` (the
book binding every variant's worked solution) and ``stem.html.j2`` with
``question.html.j2`` / ``cloze.html.j2`` (the Moodle and Canvas question texts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import ascii_lowercase

from ..core.formulas import MAX_PATHS
from ..numbers.quantities import formula_param, kind_of, sample_of, when_of
from . import diagram
from .document import Document
from .env import render
from .notation import Names, names
from .printer import Printer, escape_text, given
from .symbolic import local_factors, product_rows
from .training import momentum_rule, run_words
from .worked import tikz_picture
from .writer import Writer

TIKZ_WIDTH_CM = 12.0  # the worked solution's width: its drawing, laid out once, serves the sheet too


@dataclass(frozen=True)
class Question:
    label: str  # a, b, c, ...
    quantity: str  # the checker's canonical name
    tex: str  # LaTeX math naming it in the preset
    text: str  # plain words
    answer: str
    tolerance: str
    wrong: tuple = ()  # the wrong answers of the classic mistakes (exam.mistaken.Wrong), outside the tolerance


@dataclass(frozen=True)
class Rule:
    """A line of the rules: ("text", words) and ("math", LaTeX math) parts, in order."""

    parts: tuple[tuple[str, str], ...]


def _rule(*parts: str) -> Rule:
    """Words and formulas alternating, words first."""
    return Rule(tuple((("text", "math")[k % 2], part) for k, part in enumerate(parts) if part))


LOSS_WORDS = {"half_sse": "half the sum of squared errors", "sse": "the sum of squared errors",
              "mse": "the mean squared error", "cross_entropy": "the cross-entropy",
              "binary_cross_entropy": "the binary cross-entropy"}


@dataclass(frozen=True)
class Sheet:
    number: str
    title: str  # plain text
    title_tex: str  # LaTeX-escaped
    policy: str  # plain text
    rules: tuple[Rule, ...]
    givens: tuple[tuple[str, str], ...]  # (LaTeX name, LaTeX value): inputs, targets, parameters, rate
    tikz: str
    questions: tuple[Question, ...]
    task: str = "One training step of back-propagation"  # plain text: what the sheet asks for
    symbolic: tuple[Symbolic, ...] = ()  # formula(PARAM) questions: one sample's gradient as a formula


@dataclass(frozen=True)
class Symbolic:
    """A symbolic question: one sample's ∂E/∂p as a formula (the same in every variant)."""

    label: str
    quantity: str  # formula(PARAM)
    tex: str  # ∂E/∂p in the preset
    text: str  # plain words
    key: str  # the key's formula in plain text (the JSON's)
    rows: tuple[str, ...]  # the key as aligned LaTeX rows, every local form substituted (a display)


def _label(k: int) -> str:
    return ascii_lowercase[k] if k < 26 else f"{ascii_lowercase[k // 26 - 1]}{ascii_lowercase[k % 26]}"


def describe(quantity: str, n: Names, p: Printer, run: bool = False) -> tuple[str, str]:
    """(LaTeX math, words) for a canonical quantity name under a preset; in a training
    ``run``, a name without ``[step N]`` or ``[epoch E]`` is the first update's."""
    kind, f, after, sample = kind_of(quantity)
    unit, param = f.get("unit", ""), f.get("param", "")
    word = "bias" if param and p.network.param[param].kind == "bias" else "weight"
    table = {  # the symbol names the unit or parameter, in the preset the drawing uses
        "net": (lambda: n.net[unit], "the weighted sum"),
        "out": (lambda: n.out[unit], "the output"),
        "error": (lambda: n.error[unit], "the error term"),
        "total": (lambda: n.total, "the total error"),
        "total_after": (lambda: n.total, "the total error after the update"),
        "delta": (lambda: n.delta[unit], "the delta of the unit"),
        "grad": (lambda: p.partial(n.total, n.param[param]), "the gradient of the total error"),
        "new": (lambda: n.new[param], f"the updated {word}"),
        "loss_factor": (lambda: p.partial(n.error[unit], n.out[unit]), "the error term differentiated by the output"),
        "activation_factor": (lambda: p.partial(n.out[unit], n.net[unit]), "the derivative of the activation"),
        "coupling_factor": (lambda: p.partial(n.out[unit], n.net[f["other"]]),
                            "the derivative of a softmax output by another unit's sum"),
        "dout": (lambda: p.partial(n.total, n.out[unit]), "the total error differentiated by the output"),
    }
    tex, text = table[kind]
    math = tex()
    if after:
        text += " after the update"
    k, when = sample_of(sample), when_of(quantity)
    if k:
        math = f"{{{math}}}^{{[{k}]}}"
        text += f", sample {k}"
    if when is not None:
        what, number = when
        math = rf"{math}\;\text{{({'update' if what == 'step' else 'epoch'} {number})}}"
        if what == "step" and kind in ("total", "total_after"):
            text += " of the update's samples"
        text += f", in update {number}" if what == "step" else f", after epoch {number}"
    elif run:
        text += ", in update 1"
    return math, text


def _policy(exam) -> str:
    r = exam.spec.rounding
    how = "rounded half up" if r.mode == "round" else "truncated (cut off, not rounded)"
    carry = ("carry the written values into the later steps, as a hand calculation does"
             if r.carries_shown else "compute every step with the exact values and round only what you write")
    return f"Write every answer with {r.places} decimals, {how}; {carry}."


def _rules(solution, n: Names, p: Printer) -> tuple[Rule, ...]:
    net, spec = solution.network, _whole(solution)
    rules = []
    for layer in spec.layers[1:]:
        first = layer.units[0]
        others = " (and alike for the layer's other units)" if len(layer.units) > 1 else ""
        formula = f"{n.out[first]} = {p.activation(first)}"
        rules.append(_rule(f"{layer.name} layer, {layer.activation}: ", formula, others))
    first = net.computed[0].name
    terms = " + ".join(f"{n.out[e.source]}{p.times}{n.param[e.param]}" for e in net.incoming[first])
    bias = "and the bias"
    if first in net.bias:
        threshold = net.bias_sign < 0
        terms += f" {'-' if threshold else '+'} {n.param[net.bias[first].name]}"
        bias = "minus the threshold" if threshold else bias
    rules.append(_rule(f"each weighted sum adds the inputs times their weights, {bias}: ", f"{n.net[first]} = {terms}"))
    outputs = [u.name for u in net.outputs]
    shown = outputs if len(outputs) <= 3 else outputs[:1]
    formulas = [f"{n.error[o]} = {p.error_term(o)}" for o in shown]
    if [n.total] != [n.error[o] for o in outputs]:  # one output, one name (pre_post): E = ½(y - o)²
        formulas.insert(0, f"{n.total} = {' + '.join(n.error[o] for o in outputs)}")
    several = len(spec.samples) > 1
    between = [part for f in formulas[1:] for part in (", ", f)]  # each formula its own part: a line breaks between
    rules.append(_rule(
        f"the error, {LOSS_WORDS.get(spec.loss, spec.loss)}: ", formulas[0], *between,
        (" and alike for the other outputs" if len(shown) < len(outputs) else "")
        + ("; the total error sums the samples' errors" if several else ""),
    ))
    w = next((q for q in net.params if q.kind == "weight"), net.params[0])
    biases = ("; biases are updated too" if spec.update_biases else "; biases are not updated") if spec.biases else ""
    momentum = momentum_rule(spec.training, n, p.times) if solution.course is not None else ""
    if momentum:
        rules.append(_rule(
            "one step of gradient descent with momentum: ", momentum,
            " with ", f"{n.rate} = {given(spec.learning_rate)}, {n.momentum} = {given(spec.training.momentum)}",
            f"{biases}; each velocity v starts at 0.",
        ))
    else:
        rules.append(_rule(
            "one step of gradient descent: ",
            f"{n.new[w.name]} = {n.param[w.name]} - {n.rate}{p.times}{p.partial(n.total, n.param[w.name])}",
            " with ", f"{n.rate} = {given(spec.learning_rate)}", f"{biases}.",
        ))
    if solution.course is not None:
        rules.append(_rule(f"training: {run_words(spec.training)}."))
    return tuple(rules)


def _whole(solution):
    """The spec of the whole exercise: a training run's, not only its first batch's."""
    return solution.course.spec if solution.course is not None else solution.spec


def _givens(solution, n: Names) -> tuple[tuple[str, str], ...]:
    spec = _whole(solution)
    rows = []
    for k, sample in enumerate(spec.samples):
        mark = f"^{{[{k + 1}]}}" if len(spec.samples) > 1 else ""
        rows += [(f"{{{n.out[u]}}}{mark}" if mark else n.out[u], given(v)) for u, v in sample.input]
        rows += [(f"{{{n.target[u]}}}{mark}" if mark else n.target[u], given(v)) for u, v in sample.target]
    rows += [(n.param[q.name], given(q.value)) for q in solution.network.params]
    rows.append((n.rate, given(spec.learning_rate)))
    return tuple(rows)


def sheet(exam, variant, doc: Document, templates: Path | None = None) -> Sheet:
    """The question sheet of ``variant``; ``doc`` is its worked solution (the key), whose
    drawing the sheet shows."""
    solution = variant.solution
    n = names(solution.network, doc.preset)
    p = Printer(solution.network, n)
    questions = []
    for k, answer in enumerate(variant.answers):
        tex, text = describe(answer.quantity, n, p, solution.course is not None)
        questions.append(Question(_label(k), answer.quantity, tex, text, answer.answer, str(answer.tolerance),
                                  answer.wrong))
    title = exam.spec.title
    return Sheet(
        number=variant.number, title=title, title_tex=escape_text(title), policy=_policy(exam),
        rules=_rules(solution, n, p), givens=_givens(solution, n),
        tikz=tikz_picture(doc, solution.network, TIKZ_WIDTH_CM, templates), questions=tuple(questions),
        task=_task(solution), symbolic=_symbolic(exam, solution, doc.preset, len(questions)),
    )


def _symbols_words(network) -> str:
    """What a symbolic answer is written in, with this network's own examples."""
    unit, output, inp = network.computed[0].name, network.outputs[0].name, network.inputs[0].name
    param = network.params[0].name
    return (f"one sample's gradient as a formula, in the symbols out_UNIT and net_UNIT (out_{unit}, net_{unit}; "
            f"an input's value is out_{inp}), target_OUTPUT (target_{output}) and the parameters' names ({param})")


def _symbolic(exam, solution, preset: str, start: int) -> tuple[Symbolic, ...]:
    """The symbolic questions (``exam.formulas``), labelled after the numeric ones."""
    if not exam.formulas:
        return ()
    w = Writer.of(solution, "chain", preset)
    result = []
    for k, quantity in enumerate(exam.formulas, start):
        param = formula_param(quantity)
        d = solution.derivations.of[param]
        lhs = w.printer.partial("E", w.names.param[param])
        rows = product_rows(w, f"{lhs} &= ", [local_factors(w, path) for path in d.paths()]) \
            if d.n_paths <= MAX_PATHS else (rf"{lhs} &= \text{{see the key's file}}",)
        result.append(Symbolic(_label(k), quantity, lhs, _symbols_words(solution.network), exam.formula_keys[quantity],
                               tuple(rows)))
    return tuple(result)


def _task(solution) -> str:
    if solution.course is None:
        return "One training step of back-propagation"
    steps = len(solution.run.steps)
    return f"A training run of back-propagation ({steps} update{'s' if steps != 1 else ''}, see the rules)"




# --- rendering -------------------------------------------------------------------------------


def _context(exam) -> dict:
    return {
        "title": exam.spec.title, "title_tex": escape_text(exam.spec.title), "seed": exam.seed,
        "ask": exam.ask, "summary": exam.summary, "n": len(exam.variants), "draws": exam.draws,
        "rejected": exam.rejections, "tolerance": exam.tolerance_rule,
        "tikz_libraries": ",".join(diagram.TIKZ_LIBRARIES), "places": exam.spec.rounding.places,
    }


def render_tex(exam, the_sheets: list[Sheet], templates: Path | None) -> str:
    """The question sheets of ``the_sheets`` as one LaTeX document (a page break between)."""
    return render("exam/sheet.tex.j2", "tex", templates, exam=_context(exam), sheets=the_sheets)


def render_md(exam, the_sheet: Sheet, svg: str, templates: Path | None) -> str:
    return render("exam/sheet.md.j2", "md", templates, exam=_context(exam), sheet=the_sheet, svg=svg)


def render_key(exam, the_sheets: list[Sheet], templates: Path | None) -> str:
    """The compact key: every variant's answers and tolerances, and how the draws went."""
    return render("exam/key.tex.j2", "tex", templates, exam=_context(exam), sheets=the_sheets)


def render_solutions(exam, the_sheets: list[Sheet], paths: list[str], templates: Path | None) -> str:
    """The book of worked solutions: each variant's compiled ``key/NN/solution.pdf`` (``paths``)
    bound as a chapter, its number in the header."""
    return render("exam/solutions.tex.j2", "tex", templates, exam=_context(exam),
                  parts=list(zip(the_sheets, paths)))


def render_stem(the_sheet: Sheet, image: str, templates: Path | None) -> str:
    """The stem of a variant's LMS questions (HTML): the drawing (``image``, its URL), the
    numbers, the rules and the rounding instructions. Rendered once per variant."""
    return render("exam/stem.html.j2", "html", templates, sheet=the_sheet, image=image).strip() + "\n"


def render_html(the_sheet: Sheet, stem: str, templates: Path | None, question: Question | None = None,
                cloze: dict[str, str] | None = None, name: str = "exam/question.html.j2",
                scale: tuple[int, str, str] | None = None) -> str:
    """An LMS question text: ``stem`` (``render_stem``) and one question, or every question
    with its cloze code (``cloze``: label -> ``{1:NUMERICAL:=...}``); ``scale``: (power, an
    example, the example scaled) when the answer is asked times 10^power (Canvas keeps 4
    decimals)."""
    return render(name, "html", templates, sheet=the_sheet, stem=stem, question=question,
                  cloze=cloze or {}, scale=scale).strip() + "\n"
