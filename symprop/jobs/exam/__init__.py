"""``symprop exam``: seeded exam variants of one spec, with everything needed to grade them.

One pipeline, R/exams style: parameters -> question -> worked solution -> meta.

- **Draw** (``draw``): the spec's network is the template; the ``exam:`` section
  (``spec.ExamSpec``, or its defaults) gives the grids weights, biases, inputs and targets
  are drawn from, as exact ``Fraction`` values, by an explicit ``random.Random(seed)``.
- **Variant spec** (``spec.writer.dump_spec``): the drawn numbers written as an explicit spec, read
  back with the spec loader (the file is the variant: ``symprop solve`` / ``check`` it).
- **Judge** (``judge``): a draw that makes a poor question is rejected, and counted by
  reason (``REASONS``): saturated units, dead ReLU units, a weighted sum on a ReLU kink,
  asked gradients that are 0 at the shown places, two asked answers alike, a repeat.
- **Answers** (``answers``): each asked quantity's ``shown`` value (the checker's, so
  ``symprop check variants/NN.yaml --answers`` grades a sheet made from the key as correct)
  and its tolerance, derived from the rounding policy (``tolerance``).

``write_exam`` is the driver: question sheets and the compact key (``exam_sheets`` and the
``exam/`` templates), the worked solutions (``write``), ``key.csv``, ``key.json``,
``moodle.xml`` and ``moodle-cloze.xml`` (``moodle``), and ``exam.json``, the manifest: the
draw counts, the grids, the tolerance rule and every file written. Same spec and seed, same
bytes (PDFs included: pdfTeX gets ``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import fnmatch
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ...errors import SympropError
from ...numbers.arithmetic import to_decimal
from ...numbers.dump import dumps
from ...numbers.evaluate import exact
from ...numbers.quantities import kind_of
from ...numbers.solution import Solution, solve
from ...numbers.trace import base_model, trace
from ...render import moodle
from ...render import sheet as exam_sheets
from ...render.deck import default_detail
from ...render.document import document
from ...render.printer import given
from ...render.worked import latex, markdown, network_svg
from ...spec import KEEP, BiasSpec, ExamSpec, Grid, Sample, Spec, WeightSpec, parse_spec_text
from ...spec.values import Rounding
from ...spec.writer import dump_spec
from ..check.answers import split_names
from ..check.names import NameTable, name_table
from ..files import write_outputs
from ..options import ExamOptions, output_folder

MAX_VARIANTS = 500
MAX_REJECTED_IN_A_ROW = 1000  # then the rules reject too much to go on (an acceptance rate under ~0.5 %)
SATURATION = {"sigmoid": Decimal(4), "tanh": Decimal(2)}  # |net| beyond: f' < 0.018 (σ), < 0.071 (tanh)
REASONS = {
    "duplicate": "the same numbers as an earlier variant",
    "saturated": "a weighted sum beyond its activation's useful range, |net| > max_net",
    "dead_relu": "a ReLU unit whose weighted sum is 0 or less for every sample, so its output and gradients are 0",
    "kink": "a weighted sum exactly 0 at a ReLU kink",
    "zero_gradient": "an asked gradient, or the gradient of an asked update, that is 0 at the shown places",
    "tie": "two asked answers with the same value, so a swapped answer would pass",
}
DERIVATIVES = ("grad", "delta", "loss_factor", "activation_factor", "dout")
MANIFEST = "exam.json"
GENERATOR = "symprop exam"


@dataclass(frozen=True)
class Answer:
    quantity: str  # the checker's canonical name
    answer: str  # as the spec's policy writes it (the checker's ``shown``)
    tolerance: Decimal
    exact: Decimal


@dataclass(frozen=True)
class Variant:
    number: str  # "01": the NN of variants/NN.yaml
    text: str  # the variant's spec file
    spec: Spec
    solution: Solution
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Exam:
    spec: Spec  # the template
    settings: ExamSpec
    seed: int
    ask: tuple[str, ...]  # canonical names
    variants: tuple[Variant, ...]
    draws: int
    rejected: dict[str, int]  # every reason of REASONS, in that order

    @property
    def summary(self) -> str:
        """One line: how many draws were made, kept and rejected, and why."""
        why = ", ".join(f"{n} {reason}" for reason, n in self.rejected.items() if n)
        kept = f"{len(self.variants)} variant(s) from {self.draws} draw(s)"
        return f"{kept}; rejected: {why}" if why else f"{kept}; none rejected"

    @property
    def rejections(self) -> list[tuple[str, int, str]]:
        """(reason, count, what it means) of every reason that rejected a draw."""
        return [(reason, n, REASONS[reason]) for reason, n in self.rejected.items() if n]

    @property
    def tolerance_rule(self) -> str:
        return tolerance_rule(self.spec.rounding)


# --- drawing -------------------------------------------------------------------------------


def _draw_value(grid: Grid, rng: random.Random, nonzero: bool) -> Fraction:
    """A value of ``grid``, uniformly; with ``nonzero``, never 0."""
    size = grid.size
    zero = -grid.min / grid.step if grid.min <= 0 <= grid.max else None
    if nonzero and zero is not None and zero.denominator == 1:
        k = rng.randrange(size - 1)
        return grid.value(k + 1 if k >= zero else k)
    return grid.value(rng.randrange(size))


def draw(spec: Spec, settings: ExamSpec, rng: random.Random) -> tuple[dict[str, Fraction], tuple[Sample, ...]]:
    """One draw: every parameter's value and the samples (kept where the grid is ``keep``)."""
    def pick(grid: Grid | None, kept: Fraction, nonzero: bool) -> Fraction:
        return kept if grid is None else _draw_value(grid, rng, nonzero)

    params = {w.name: pick(settings.weights, w.value, settings.nonzero) for w in spec.weights}
    params |= {b.name: pick(settings.biases, b.value, settings.nonzero) for b in spec.biases}
    samples = tuple(
        Sample(
            input=tuple((u, pick(settings.inputs, v, settings.nonzero)) for u, v in s.input),
            target=tuple((u, pick(settings.targets, v, False)) for u, v in s.target),
        )
        for s in spec.samples
    )
    return params, samples


# --- the variant as a spec file ------------------------------------------------------------


def _read_back(text: str, source: str, expected: Spec) -> Spec:
    """The variant file through the spec loader; it must be the spec it was written from."""
    variant = parse_spec_text(text, source=source)
    if variant != expected:  # pragma: no cover - a writer bug, never bad input
        raise RuntimeError(f"{source}: the written variant does not read back as drawn")
    return variant


# --- judging a draw ------------------------------------------------------------------------


def _traces(solution: Solution) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Every named quantity, exact and as written (the checker's two traces)."""
    model = base_model(solution)
    exact_values = trace(solution, model, exact).values
    rounding = solution.spec.rounding
    hand = trace(solution, model, rounding).values if rounding.carries_shown else exact_values
    return exact_values, hand


def judge(solution: Solution, ask: tuple[str, ...], settings: ExamSpec,
          shown: dict[str, str]) -> str | None:
    """The first reason (``REASONS`` order) that makes this variant a poor question, or None."""
    net = solution.network
    forward = solution.exact.forward
    for unit in net.computed:
        limit = to_decimal(settings.max_net) if settings.max_net is not None else SATURATION.get(unit.activation.name)
        if limit is not None and any(abs(p.net[unit.name]) > limit for p in forward):
            return "saturated"
    if not settings.allow_dead_relu:
        for unit in net.computed:
            if unit.activation.name == "relu" and all(p.net[unit.name] <= 0 for p in forward):
                return "dead_relu"
    if solution.exact.notes or solution.hand.notes:  # a weighted sum of exactly 0 at a kink
        return "kink"
    for q in ask:
        kind = kind_of(q)[0]
        if (kind in DERIVATIVES or kind == "new") and Decimal(shown[_gradient_of(q)]).is_zero():
            return "zero_gradient"
    values = [shown[q] for q in ask]
    if len(set(values)) < len(values):
        return "tie"
    return None


def _gradient_of(quantity: str) -> str:
    """The gradient an update ``new(p)`` is made from; any other quantity itself."""
    kind, fields, _, _ = kind_of(quantity)
    return f"grad({fields['param']})" if kind == "new" else quantity


def tolerance(exact_value: Decimal, written: Decimal, rounding: Rounding) -> Decimal:
    """One unit of the last shown place; with ``carry: shown``, as many units as it takes to
    also accept the exact value rounded to the places (k = ⌈|shown − exact| / unit + ½⌉)."""
    unit = Decimal(1).scaleb(-rounding.places)
    if not rounding.carries_shown:
        return unit
    k = max(1, math.ceil(abs(written - exact_value) / unit + Decimal("0.5")))
    return unit * k


def tolerance_rule(rounding: Rounding) -> str:
    """The tolerance of ``tolerance`` in words, for the key and the manifest."""
    unit = f"{Decimal(1).scaleb(-rounding.places):f}"
    rule = (f"one unit of the last written place ({unit} at {rounding.places} places), which accepts the "
            f"policy's value, the exact value rounded or truncated, and a last digit off by one")
    if rounding.carries_shown:
        rule += ("; where the hand calculation, carrying its written values, drifted further from the exact value, "
                 "k units with k = ceil(|shown - exact| / unit + 1/2), so the exact value rounded passes too")
    return rule


# --- asked quantities ------------------------------------------------------------------------


def default_ask(solution: Solution) -> tuple[str, ...]:
    """The outputs, E_total, two gradients (the first weight into the output layer and into
    the first hidden layer) and the update of the last of them."""
    net, n = solution.network, len(solution.spec.samples)
    suffixes = [f"[{k + 1}]" if n > 1 else "" for k in range(n)]
    outputs = [f"out({u.name}){s}" for s in suffixes for u in net.outputs]
    params = default_detail(solution)
    params += [p.name for p in net.params if p.name not in params][: max(0, 2 - len(params))]
    return tuple(outputs + ["E_total"] + [f"grad({p})" for p in params] + [f"new({params[-1]})"])


def resolve_ask(items: list[str], table: NameTable, where: str, source: str) -> tuple[str, ...]:
    """Checker names (canonical, a preset's alias, or a pattern like ``grad(*)``) to canonical."""
    wanted: list[str] = []
    for item in items:
        canonical = table.resolve(item)
        if canonical is not None:
            wanted.append(canonical)
            continue
        matched = [n for n in table.canonical if fnmatch.fnmatchcase(n, item)] if any(c in item for c in "*?[") else []
        if not matched:
            close = table.suggest(item)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise SympropError(
                f"{where}: {item!r} is no quantity of {source} (checker names: out(UNIT), net(UNIT), E_total, "
                f"grad(PARAM), new(PARAM), delta(UNIT), ...){hint}"
            )
        wanted += matched
    if not wanted:
        raise SympropError(f"{where}: no quantities given (e.g. out(o1),E_total,grad(w5))")
    return tuple(dict.fromkeys(wanted))


def asked(solution: Solution, settings: ExamSpec, ask: str | None, preset: str) -> tuple[str, ...]:
    """``--ask``, else the exam section's ``ask``, else ``default_ask``."""
    values, _ = _traces(solution)
    table = name_table(solution, tuple(values), preset)
    if ask is not None:
        return resolve_ask(split_names(ask), table, "--ask", solution.spec.source)
    if settings.ask:
        items = [name for item in settings.ask for name in split_names(item)]
        return resolve_ask(items, table, "exam.ask", solution.spec.source)
    return default_ask(solution)


# --- the exam --------------------------------------------------------------------------------


def make_exam(spec: Spec, n: int, seed: int, ask: str | None = None, preset: str | None = None) -> Exam:
    """``n`` variants of ``spec`` drawn with ``random.Random(seed)``, judged and answered."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_VARIANTS:
        raise SympropError(f"--variants: {n!r} is not a whole number from 1 to {MAX_VARIANTS}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:  # Random(-s) is Random(s)
        raise SympropError(f"--seed: {seed!r} is not a whole number, 0 or more")
    settings = spec.exam or ExamSpec()
    questions = asked(solve(spec), settings, ask, preset or spec.notation)
    rng = random.Random(seed)
    width = max(2, len(str(n)))
    rejected = Counter()
    variants: list[Variant] = []
    seen: set[tuple] = set()
    draws = in_a_row = 0
    while len(variants) < n:
        if in_a_row >= MAX_REJECTED_IN_A_ROW:
            raise SympropError(_give_up(draws, len(variants), n, rejected))
        draws += 1
        in_a_row += 1
        params, samples = draw(spec, settings, rng)
        key = (tuple(params.values()), samples)
        if key in seen:
            rejected["duplicate"] += 1
            continue
        number = f"{len(variants) + 1:0{width}d}"
        variant = _variant(spec, params, samples, number, seed, questions, settings)
        if isinstance(variant, str):
            rejected[variant] += 1
            continue
        seen.add(key)
        variants.append(variant)
        in_a_row = 0
    return Exam(spec, settings, seed, questions, tuple(variants), draws, {r: rejected[r] for r in REASONS})


def _variant(spec: Spec, params, samples, number: str, seed: int, ask: tuple[str, ...],
             settings: ExamSpec) -> Variant | str:
    """The variant of one draw, or the reason it is rejected."""
    title = f"{spec.title}, variant {number}"
    source = f"variants/{number}.yaml"
    expected = replace(
        spec, title=title, source=source, exam=None, samples=samples,
        weights=tuple(WeightSpec(w.name, w.source, w.target, params[w.name]) for w in spec.weights),
        biases=tuple(BiasSpec(b.name, b.units, params[b.name]) for b in spec.biases),
    )
    text = dump_spec(expected, f"generated by {GENERATOR}: variant {number} of {spec.source}, seed {seed}")
    solution = solve(_read_back(text, source, expected))
    exact_values, hand = _traces(solution)
    show = solution.spec.rounding.show
    shown = {q: show(hand[q]) for q in set(ask) | {_gradient_of(q) for q in ask}}
    reason = judge(solution, ask, settings, shown)
    if reason is not None:
        return reason
    rounding = solution.spec.rounding
    answers = tuple(
        Answer(q, shown[q], tolerance(exact_values[q], Decimal(shown[q]), rounding), exact_values[q]) for q in ask
    )
    return Variant(number, text, solution.spec, solution, answers)


def _give_up(draws: int, found: int, n: int, rejected: Counter) -> str:
    why = ", ".join(f"{rejected[r]} {r}" for r in REASONS if rejected[r])
    return (
        f"exam: gave up after {MAX_REJECTED_IN_A_ROW} rejected draws in a row, {draws} in all, with {found} of "
        f"{n} variants accepted (rejected: {why}); "
        f"widen the grids under exam: (weights, biases, inputs, targets), raise exam.max_net, "
        f"set exam.allow_dead_relu, ask for other quantities or for fewer variants"
    )


# --- files -----------------------------------------------------------------------------------


def key_rows(exam: Exam) -> list[dict]:
    """The compact key: {variant, quantity, answer, tolerance} per asked quantity per variant."""
    return [
        {"variant": v.number, "quantity": a.quantity, "answer": Decimal(a.answer), "tolerance": a.tolerance}
        for v in exam.variants for a in v.answers
    ]


def key_csv(exam: Exam) -> str:
    lines = ["variant,quantity,answer,tolerance"]
    lines += [f"{r['variant']},{r['quantity']},{r['answer']},{r['tolerance']}" for r in key_rows(exam)]
    return "\n".join(lines) + "\n"


def _grid_json(grid: Grid | None) -> object:
    return KEEP if grid is None else {"min": given(grid.min), "max": given(grid.max), "step": given(grid.step)}


def manifest(exam: Exam, files: list[str]) -> str:
    s = exam.settings
    limits = {"all": given(s.max_net)} if s.max_net is not None else {k: str(v) for k, v in SATURATION.items()}
    data = {
        "generator": GENERATOR,
        "spec": exam.spec.source,
        "title": exam.spec.title,
        "seed": exam.seed,
        "variants": len(exam.variants),
        "ask": list(exam.ask),
        "draws": exam.draws,
        "summary": exam.summary,
        "rejected": [{"reason": r, "count": n, "why": REASONS[r]} for r, n in exam.rejected.items()],
        "grids": {k: _grid_json(getattr(s, k)) for k in ("weights", "biases", "inputs", "targets")},
        "nonzero": s.nonzero,
        "max_net": limits,
        "allow_dead_relu": s.allow_dead_relu,
        "rounding": {"places": exam.spec.rounding.places, "mode": exam.spec.rounding.mode,
                     "carry": exam.spec.rounding.carry},
        "tolerance": exam.tolerance_rule,
        "files": files,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _previous_files(out_dir: Path) -> set[str]:
    """The files the last ``symprop exam`` wrote into ``out_dir`` (its manifest), if any."""
    path = out_dir / MANIFEST
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR or not isinstance(data.get("files"), list):
        raise SympropError(f"{path}: exists and was not written by {GENERATOR}; move it away or choose another -o")
    return {f for f in data["files"] if isinstance(f, str) and ".." not in Path(f).parts and not Path(f).is_absolute()}


def exam_files(exam: Exam, preset: str | None, templates: Path | None,
               pdf: bool) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Every text file of the exam (relative path -> text) and the PDFs to compile from them."""
    docs = [document(v.solution, "chain", preset) for v in exam.variants]  # each variant's key, built once
    sheets = [exam_sheets.sheet(exam, v, doc) for v, doc in zip(exam.variants, docs)]
    texts: dict[str, str] = {}
    jobs: list[tuple[str, str]] = []
    for variant, sheet, doc in zip(exam.variants, sheets, docs):
        nn = variant.number
        svg = network_svg(variant.solution.network)  # laid out once: it takes a while
        texts[f"variants/{nn}.yaml"] = variant.text
        texts[f"sheets/{nn}.svg"] = svg
        texts[f"sheets/{nn}.md"] = exam_sheets.render_md(exam, sheet, f"{nn}.svg", templates)
        texts[f"sheets/{nn}.tex"] = exam_sheets.render_tex(exam, [sheet], templates)
        texts[f"key/{nn}/network.svg"] = svg
        texts[f"key/{nn}/solution.md"] = markdown(doc, templates)
        texts[f"key/{nn}/solution.tex"] = latex(doc, variant.solution.network, templates)
        jobs += [(f"sheets/{nn}.tex", f"sheets/{nn}.pdf"), (f"key/{nn}/solution.tex", f"key/{nn}/solution.pdf")]
    texts["sheets.tex"] = exam_sheets.render_tex(exam, sheets, templates)
    texts["key.tex"] = exam_sheets.render_key(exam, sheets, templates)
    jobs += [("sheets.tex", "sheets.pdf"), ("key.tex", "key.pdf")]
    texts["key.csv"] = key_csv(exam)
    texts["key.json"] = dumps(key_rows(exam)) + "\n"
    svgs = {v.number: texts[f"sheets/{v.number}.svg"] for v in exam.variants}
    texts["moodle.xml"] = moodle.numerical_xml(exam, sheets, svgs, templates)
    texts["moodle-cloze.xml"] = moodle.cloze_xml(exam, sheets, svgs, templates)
    return texts, (jobs if pdf else [])


def write_exam(spec: Spec, options: ExamOptions) -> tuple[list[Path], str]:
    """The ``exam`` command: draw, judge, render and write; returns the main files and folders,
    and the one-line summary of the draws (how many were rejected, and why).

    Every target is checked before anything is written: a file is replaced only when it is
    listed in the folder's manifest of an earlier run or carries symprop's mark. Files of an
    earlier run that this one does not write are removed, so the folder is exactly this exam.
    The manifest is written first: it claims the files that follow.
    """
    out_dir = output_folder(spec, options.output, "-exam")
    if out_dir.exists() and not out_dir.is_dir():
        raise SympropError(f"{out_dir}: is a file, not a folder; choose another output folder with -o")
    exam = make_exam(spec, options.variants, options.seed, options.ask, options.notation)
    texts, pdfs = exam_files(exam, options.notation, options.templates, options.pdf)
    names = sorted(list(texts) + [pdf for _, pdf in pdfs] + [MANIFEST])
    previous = _previous_files(out_dir)
    write_outputs(out_dir, {MANIFEST: manifest(exam, names), **texts}, pdfs, ours=previous,
                  stale=previous - set(names))
    main = [MANIFEST, "key.csv", "key.json", "moodle.xml", "moodle-cloze.xml"]
    main += ["sheets.pdf", "key.pdf"] if pdfs else ["sheets.tex", "key.tex"]
    return [out_dir / name for name in main] + [out_dir / d for d in ("variants", "sheets", "key")], exam.summary
