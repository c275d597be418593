"""The exam: ``n`` variants drawn, written as specs, read back, solved, judged, answered.

Each variant's spec file is the variant (``symprop solve`` / ``check`` it): it is written
with ``spec.writer.dump_spec`` and read back through the spec loader, which must give the
spec it was written from. Each asked quantity's answer is the checker's ``shown`` value,
so ``symprop check variants/NN.yaml --answers`` grades a sheet made from the key as correct;
with it come the wrong answers the classic mistakes give (``mistaken``), for the LMS exports.

When the rules reject ``MAX_REJECTED_IN_A_ROW`` draws in a row, the exam gives up with what
rejected them (the commonest reason first, and its commonest culprit) and what to change.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ...core.formulas import formulas
from ...errors import SympropError
from ...numbers.quantities import formula_param, rounding_kind
from ...numbers.records import LogOfWrittenZero
from ...numbers.solution import Solution, solve
from ...spec import BiasSpec, ExamSpec, Spec, WeightSpec, parse_spec_text
from ...spec.choices import PROBABILITY_LOSSES
from ...spec.values import plain_number
from ...spec.writer import dump_spec
from .ask import asked, asked_formulas
from .draw import draw
from .judge import FIXES, REASONS, gradient_of, judge, tolerance_of, tolerance_rule, traces
from .mistaken import Wrong, ambiguous, touched, wrong_answers

MAX_VARIANTS = 500
MAX_REJECTED_IN_A_ROW = 1000  # then the rules reject too much to go on (an acceptance rate under ~0.5 %)
MAX_DRAWS_WITHOUT_ONE = 250  # no variant at all after this many draws: an acceptance rate under ~1.5 %
NAMED_SHARE = 0.1  # the give-up message says what to change for each reason behind this share of the draws
GENERATOR = "symprop exam"


@dataclass(frozen=True)
class Answer:
    quantity: str  # the checker's canonical name
    answer: str  # as the spec's policy writes it (the checker's ``shown``)
    tolerance: Decimal
    exact: Decimal
    wrong: tuple[Wrong, ...] = ()  # what the classic mistakes give, each outside the tolerance


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
    culprits: dict[str, str] = field(default_factory=dict)  # reason -> the quantity (or unit) it hit most
    formulas: tuple[str, ...] = ()  # symbolic questions, formula(PARAM): the same in every variant
    formula_keys: dict[str, str] = field(default_factory=dict)  # formula(PARAM) -> the key (the JSON's formula)

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


def make_exam(spec: Spec, n: int, seed: int, ask: str | None = None, preset: str | None = None) -> Exam:
    """``n`` variants of ``spec`` drawn with ``random.Random(seed)``, judged and answered."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_VARIANTS:
        raise SympropError(f"--variants: {n!r} is not a whole number from 1 to {MAX_VARIANTS}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:  # Random(-s) is Random(s)
        raise SympropError(f"--seed: {seed!r} is not a whole number, 0 or more")
    settings = spec.exam or ExamSpec()
    _check_targets(spec, settings)
    template = solve(spec)
    questions = asked(template, settings, ask, preset or spec.notation)
    symbolic = asked_formulas(template, settings, ask)
    keys = {}
    if symbolic:
        texts, _ = formulas(template.derivations)
        keys = {q: texts[formula_param(q)]["chain"] or texts[formula_param(q)]["delta"] for q in symbolic}
    rng = random.Random(seed)
    width = max(2, len(str(n)))
    rejected: Counter = Counter()
    culprits: dict[str, Counter] = {}
    variants: list[Variant] = []
    seen: set[tuple] = set()
    draws = in_a_row = 0
    while len(variants) < n:
        if in_a_row >= MAX_REJECTED_IN_A_ROW or (not variants and draws >= MAX_DRAWS_WITHOUT_ONE):
            raise SympropError(_give_up(spec, in_a_row, draws, len(variants), n, rejected, _commonest(culprits)))
        draws += 1
        in_a_row += 1
        params, samples = draw(spec, settings, rng)
        key = (tuple(params.values()), samples)
        if key in seen:
            rejected["duplicate"] += 1
            continue
        number = f"{len(variants) + 1:0{width}d}"
        variant = _variant(spec, params, samples, number, seed, questions, settings)
        if isinstance(variant, tuple):
            reason, culprit = variant
            rejected[reason] += 1
            if culprit:
                culprits.setdefault(reason, Counter())[culprit] += 1
            continue
        seen.add(key)
        variants.append(variant)
        in_a_row = 0
    return Exam(spec, settings, seed, questions, tuple(variants), draws, {r: rejected[r] for r in REASONS},
                _commonest(culprits), symbolic, keys)


def _commonest(culprits: dict[str, Counter]) -> dict[str, str]:
    """Each reason's commonest culprit (the first found among equals), in ``REASONS`` order."""
    return {r: culprits[r].most_common(1)[0][0] for r in REASONS if r in culprits}


def _check_targets(spec: Spec, settings: ExamSpec) -> None:
    """Drawn targets must fit the loss: a softmax's are a distribution, a probability's in [0, 1]."""
    grid = settings.targets
    if grid is None:
        return
    if spec.layers[-1].activation == "softmax":
        raise SympropError("exam.targets: the targets of softmax outputs are a distribution summing to 1; "
                           "keep them (targets: keep) and draw the weights and inputs")
    if spec.loss in PROBABILITY_LOSSES and (grid.min < 0 or grid.max > 1):
        raise SympropError(f"exam.targets: {spec.loss} needs targets from 0 to 1; the grid runs from "
                           f"{plain_number(grid.min)} to {plain_number(grid.max)}")


def _variant(spec: Spec, params, samples, number: str, seed: int, ask: tuple[str, ...],
             settings: ExamSpec) -> Variant | tuple[str, str]:
    """The variant of one draw, or the reason it is rejected and its culprit."""
    title = f"{spec.title}, variant {number}"
    source = f"variants/{number}.yaml"
    expected = replace(
        spec, title=title, source=source, exam=None, samples=samples,
        weights=tuple(WeightSpec(w.name, w.source, w.target, params[w.name]) for w in spec.weights),
        biases=tuple(BiasSpec(b.name, b.units, params[b.name]) for b in spec.biases),
    )
    text = dump_spec(expected, f"generated by {GENERATOR}: variant {number} of {spec.source}, seed {seed}")
    try:
        solution = solve(_read_back(text, source, expected))
    except LogOfWrittenZero:  # a hand calculation that writes an output 0 cannot take its log
        return "log_of_zero", ""
    exact_values, hand = traces(solution)
    show = solution.spec.rounding.show
    shown = {q: show(hand[q], rounding_kind(q)) for q in set(ask) | {gradient_of(q) for q in ask} if q}
    reason = judge(solution, ask, settings, shown)
    if reason is not None:
        return reason
    rounding = solution.spec.rounding
    tolerances = {q: tolerance_of(q, exact_values[q], Decimal(shown[q]), rounding) for q in ask}
    found = touched(solution, ask, exact_values)
    alike = ambiguous(found, {q: Decimal(shown[q]) for q in ask}, tolerances)
    if alike is not None:
        return "mistake", f"{alike.quantity} by {alike.name}"
    answers = tuple(Answer(q, shown[q], tolerances[q], exact_values[q], wrong_answers(found, q)) for q in ask)
    return Variant(number, text, solution.spec, solution, answers)


def _rate_hint(spec: Spec, reason: str, culprit: str) -> str:
    """What the learning rate has to do with a mistake graded correct: an update moves by
    the rate times its gradient, so a wrong gradient moves it that many times less; the
    updated weights differ from the old by the rate times their gradients."""
    quantity, _, mistake = culprit.partition(" by ")
    if reason != "mistake" or not (quantity.startswith("new(") or mistake == "updated_weights"):
        return ""
    why = ("an update moves by the learning rate times its gradient, so a wrong gradient moves it that many "
           "times less" if quantity.startswith("new(") else
           "the updated weights differ from the old by the learning rate times their gradients")
    return f"; or raise the learning rate (learning_rate, now {plain_number(spec.learning_rate)}): {why}"


def _give_up(spec: Spec, in_a_row: int, draws: int, found: int, n: int, rejected: Counter,
             culprits: dict[str, str]) -> str:
    """One line: how the draws went, then each reason behind a good share of them (the
    commonest first), what it means, its commonest culprit, and what to change."""
    why = ", ".join(f"{rejected[r]} {r}" for r in REASONS if rejected[r])
    ranked = sorted((r for r in REASONS if rejected[r]), key=lambda r: -rejected[r])  # stable: REASONS order
    named = [r for r in ranked if rejected[r] >= NAMED_SHARE * draws] or ranked[:1]
    places = f"(rounding.places, now {spec.rounding.places_json})"
    advice = "; ".join(
        f"{r} ({REASONS[r]}{f', most often {culprits[r]}' if r in culprits else ''}): "
        + FIXES[r].replace("(rounding.places)", places) + _rate_hint(spec, r, culprits.get(r, ""))
        for r in named
    )
    return (
        f"exam: gave up after {in_a_row} rejected draws in a row, {draws} in all, with {found} of {n} variants "
        f"accepted (rejected: {why}); the spec cannot give {n} good variants. What to change: {advice}"
    )


def _read_back(text: str, source: str, expected: Spec) -> Spec:
    """The variant file through the spec loader; it must be the spec it was written from."""
    variant = parse_spec_text(text, source=source)
    if variant != expected:  # pragma: no cover - a writer bug, never bad input
        raise RuntimeError(f"{source}: the written variant does not read back as drawn")
    return variant
