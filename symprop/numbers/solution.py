"""A solved training step: the spec, its graph, its derivations and its numbers, as one
record, and its JSON form (the output contract of ``symprop solve --format json``).

Each quantity is reported twice: ``value``, the exact result at full precision, and
``shown``, the string a person writes under the spec's rounding policy (with
``carry: shown`` that is the hand calculation's own carried value, not the exact one
rounded).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from ..core.derive import Derivations, derive
from ..core.formulas import formulas
from ..core.graph import Network, build
from ..errors import SympropError
from ..spec import Spec
from ..spec.choices import FORMS
from .arithmetic import PRECISION, report, report_all, to_decimal
from .dump import Q, QRow, dumps
from .evaluate import MAX_CHAIN_TERMS, evaluate
from .records import Evaluation, Start, exact
from .training import Run, train


@dataclass(frozen=True)
class Course:
    """A training run of several updates (the spec's ``training``): the whole spec, its
    network, and the run exact and as written (per form, as a step's hand calculation)."""

    spec: Spec
    network: Network
    derivations: Derivations
    exact: Run
    hands: dict[str, Run]


@dataclass(frozen=True)
class Solution:
    """One solved training step. ``hands`` holds the hand calculation (the numbers as
    written down) per form, chain and delta, which differ only when written values are
    carried and a gradient is short enough to be summed path by path; ``form`` says which
    one ``hand`` (and the JSON) is.

    With a training run (``spec.training`` of several updates), the solution is its first
    update step (its ``spec`` holds the samples of that step's batch), and ``course`` the
    whole run."""

    spec: Spec
    network: Network
    derivations: Derivations
    exact: Evaluation  # full precision
    hands: dict[str, Evaluation]  # by form; each the exact one when carry is exact
    form: str = "chain"  # how the hand calculation adds up its gradients (chain | delta)
    course: Course | None = None
    step: int = 1  # which update of a training run this solution works

    @property
    def run(self) -> Run | None:
        """The training run as written, in this solution's form (None for one step)."""
        return self.course.hands[self.form] if self.course is not None else None

    @property
    def hand(self) -> Evaluation:
        return self.hands[self.form]

    def in_form(self, form: str) -> Solution:
        """This solution with its hand calculation adding up gradients in ``form``."""
        _check_form(form)
        return self if form == self.form else replace(self, form=form)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the reader must know (a derivative taken at a kink), each once."""
        return tuple(dict.fromkeys(self.exact.notes + self.hand.notes))

    def quantity(self, exact_value: Decimal, hand_value: Decimal, kind: str | None = None) -> dict:
        """A Q of the JSON: the exact value, and the hand calculation's as written (its kind's places)."""
        return Q(value=report(exact_value), shown=self.spec.rounding.shower(kind)(hand_value))

    def to_dict(self) -> dict:
        """The JSON contract: every Q is ``{"value": number, "shown": "string"}``."""
        e, h, q = self.exact, self.hand, self.quantity
        samples = []
        for k in range(len(self.spec.samples)):
            units = {
                u.name: {
                    "net": q(e.forward[k].net[u.name], h.forward[k].net[u.name], "net"),
                    "out": q(e.forward[k].out[u.name], h.forward[k].out[u.name], "out"),
                    "delta": q(e.backward[k].delta[u.name], h.backward[k].delta[u.name], "delta"),
                }
                for u in self.network.computed
            }
            samples.append({"units": units, "error": self._errors(e.forward[k], h.forward[k])})
        after = [self._pass(e.after[k], h.after[k]) for k in range(len(self.spec.samples))]
        names = [p.name for p in self.network.params]
        return {
            "title": self.spec.title,
            "samples": samples,
            "error_total": q(e.error_total, h.error_total, "error"),
            "gradients": {n: q(e.gradients[n], h.gradients[n], "gradient") for n in names},
            "updated": {n: q(e.updated[n], h.updated[n], "update") for n in names},
            "after": {"error_total": q(e.error_total_after, h.error_total_after, "error"), "samples": after},
            "rounding": {
                "places": self.spec.rounding.places_json,
                "mode": self.spec.rounding.mode,
                "carry": self.spec.rounding.carry,
            },
            "notes": list(self.notes),
            **self._derivations(),
            **({"training": self._training()} if self.course is not None else {}),
        }

    def _derivations(self) -> dict:
        """Each parameter's chain-rule paths and gradient as SymPy text (``core.formulas``)."""
        per_param, deltas = formulas(self.derivations)
        return {"derivations": per_param, **({"delta_formulas": deltas} if deltas is not None else {})}

    def _pass(self, e, h) -> dict:
        """A forward pass after an update: each unit's sum and output, the errors."""
        rounding = self.spec.rounding
        show_net, show_out = rounding.shower("net"), rounding.shower("out")
        units = {u: QRow.row(_NET_OUT, (report(e.net[u]), report(e.out[u])), (show_net(h.net[u]), show_out(h.out[u])))
                 for u in (unit.name for unit in self.network.computed)}
        return {"units": units, "error": self._errors(e, h)}

    def _training(self) -> dict:
        """The whole run: every update step (its batch, gradients and parameters after it),
        and after each epoch the parameters and the forward pass of every sample."""
        q, exact_run, hand_run = self.quantity, self.course.exact, self.run
        names = [p.name for p in self.network.params]
        show_gradient, show_update = self.spec.rounding.shows("gradient"), self.spec.rounding.shows("update")

        def row(exact: dict, hand: dict, show) -> QRow:  # every parameter's Q, a row at a time
            return QRow.row(names, report_all([exact[n] for n in names]), show([hand[n] for n in names]))

        momentum = bool(self.course.spec.training.momentum)

        def step(se, sh) -> dict:
            result = {
                "samples": [k + 1 for k in se.samples],
                "error_total": q(se.evaluation.error_total, sh.evaluation.error_total, "error"),  # before it
                "gradients": row(se.evaluation.gradients, sh.evaluation.gradients, show_gradient),
                "updated": row(se.evaluation.updated, sh.evaluation.updated, show_update),
            }
            if momentum:  # v after the step: the change it made to each parameter
                result["velocity"] = row(se.evaluation.velocity, sh.evaluation.velocity, show_update)
            return result

        epochs = []
        for e, h in zip(exact_run.epochs, hand_run.epochs):
            steps = [step(se, sh) for se, sh in zip(e.steps, h.steps)]
            epochs.append({
                "epoch": e.number,
                "steps": steps,
                "updated": steps[-1]["updated"],  # the parameters its last update left
                "after": {"error_total": q(e.error_total, h.error_total, "error"),
                          "samples": [self._pass(pe, ph) for pe, ph in zip(e.after, h.after)]},
            })
        return {"mode": self.course.spec.training.mode,
                "initial": {"error_total": q(exact_run.error_initial, hand_run.error_initial, "error")},
                "epochs": epochs}

    def _errors(self, e, h) -> dict:
        """Each output's error term and the sample's total, a row of quantities."""
        names = [*e.error, "total"]
        exact_values = [*(e.error[u] for u in e.error), e.total]
        written = [*(h.error[u] for u in e.error), h.total]
        return QRow.row(names, map(report, exact_values), map(self.spec.rounding.shower("error"), written))

    def to_json(self) -> str:
        return dumps(self.to_dict())


_NET_OUT = ("net", "out")  # a unit's quantities in a pass after an update


def solve(spec: Spec, form: str = "chain") -> Solution:
    """Build, derive and evaluate ``spec``; ``form`` (chain | delta) is how a hand
    calculation with ``carry: shown`` adds up its gradients. A spec with a training run of
    several updates is solved as its first update (the samples of its first batch), with the
    whole run as the solution's ``course``."""
    _check_form(form)
    try:
        if spec.training.is_one_step:
            return _solved(spec, form)
        first = spec.training.batches(len(spec.samples))[0][0]
        step_spec = replace(spec, samples=tuple(spec.samples[k] for k in first))
        course = _course(spec)
        built = (course.network, course.derivations) if step_spec == spec else None  # a batch of every sample
        return replace(_solved(step_spec, form, built=built), course=course)
    except (decimal.Overflow, decimal.DivisionByZero, decimal.InvalidOperation) as exc:
        raise SympropError(f"{spec.source}: the numbers leave what {PRECISION}-digit arithmetic holds "
                           f"({type(exc).__name__}); use smaller weights, inputs or biases") from None


def _solved(spec: Spec, form: str, exact_start: Start | None = None, hand_starts: dict | None = None,
            built: tuple[Network, Derivations] | None = None) -> Solution:
    """The step of ``spec``; ``built``: its network and derivations, already made."""
    if built is None:
        network = build(spec)
        built = (network, derive(network))
    network, derivations = built
    start = Start(momentum=to_decimal(spec.training.momentum))  # the first step of a run with momentum
    exact_eval = evaluate(derivations, exact, start=exact_start or start)
    rounding = spec.rounding
    hands = dict.fromkeys(FORMS, exact_eval)
    if rounding.carries_shown:
        starts = hand_starts or dict.fromkeys(FORMS, start)
        hands["chain"] = evaluate(derivations, rounding, "chain", start=starts["chain"])
        if _summed_by_paths(spec, derivations):
            hands["delta"] = evaluate(derivations, rounding, "delta", start=starts["delta"])
        else:
            hands["delta"] = hands["chain"]
    return Solution(spec, network, derivations, exact_eval, hands, form)


def step_solution(solution: Solution, number: int) -> Solution:
    """The ``number``-th update step of ``solution``'s training run, worked like a first
    step: its batch's samples, the parameters (as the hand calculation wrote them) and
    velocities the step before left; exact values start from the exact run's."""
    course = solution.course
    exact_steps = course.exact.steps
    previous = number - 2  # the step before, 0-based
    step = exact_steps[number - 1]
    hand_runs = {form: run.steps for form, run in course.hands.items()}
    hand_params = hand_runs[solution.form][previous].evaluation.updated
    spec = replace(
        course.spec, samples=tuple(course.spec.samples[k] for k in step.samples),
        weights=tuple(replace(w, value=Fraction(hand_params[w.name])) for w in course.spec.weights),
        biases=tuple(replace(b, value=Fraction(hand_params[b.name])) for b in course.spec.biases),
    )
    momentum = to_decimal(course.spec.training.momentum)

    def start(steps) -> Start:
        before = steps[previous].evaluation
        return Start(before.updated, before.velocity, momentum)

    solved = _solved(spec, solution.form, start(exact_steps), {f: start(s) for f, s in hand_runs.items()})
    return replace(solved, course=course, step=number)


def _summed_by_paths(spec: Spec, derivations: Derivations) -> bool:
    """Whether a hand calculation's chain form differs from its delta form: some gradient is
    short enough to be summed path by path."""
    terms = len(spec.samples)
    return any(d.n_paths * terms <= MAX_CHAIN_TERMS for d in derivations.of.values())


def _course(spec: Spec) -> Course:
    network = build(spec)
    derivations = derive(network)
    exact_run = train(derivations, exact)
    hands = dict.fromkeys(FORMS, exact_run)
    if spec.rounding.carries_shown:
        hands["chain"] = train(derivations, spec.rounding, "chain")
        hands["delta"] = train(derivations, spec.rounding, "delta") if _summed_by_paths(spec, derivations) \
            else hands["chain"]
    return Course(spec, network, derivations, exact_run, hands)


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {', '.join(FORMS)}")
