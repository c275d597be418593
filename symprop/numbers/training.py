"""A training run: several epochs of online, batch or mini-batch updates, with momentum.

Each update is one step of the one evaluator (``evaluate`` with a ``Start``): the
parameters and velocities the step before left, the samples of its batch; the run carries
them from step to step, the written values in a hand calculation (``carry: shown``) as a
person would. After each epoch a forward pass over every sample gives its total error.
The order of the samples is the spec's, or shuffled anew each epoch by
``random.Random(seed)`` (``spec.training``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.derive import Derivations
from ..errors import SympropError
from .arithmetic import to_decimal
from .evaluate import evaluate
from .records import Evaluation, Model, Pass, Recorder, Start, Write, exact


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, counted over the whole run
    epoch: int  # 1-based
    samples: tuple[int, ...]  # the batch, 0-based sample indices in the order used
    evaluation: Evaluation  # its forward and backward pass, gradients and update


@dataclass(frozen=True)
class Epoch:
    number: int  # 1-based
    steps: tuple[Step, ...]
    updated: dict[str, Decimal]  # the parameters at the end of the epoch
    after: tuple[Pass, ...]  # the forward pass of every sample then
    error_total: Decimal  # its total error


@dataclass(frozen=True)
class Run:
    mode: str
    epochs: tuple[Epoch, ...]
    initial: tuple[Pass, ...]  # the forward pass of every sample before any update
    error_initial: Decimal

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(s for e in self.epochs for s in e.steps)


def train(derivations: Derivations, write: Write = exact, form: str = "chain", model: Model | None = None,
          recorder: Recorder | None = None) -> Run:
    """The spec's training run of ``derivations.network``, every quantity written by ``write``."""
    spec = derivations.network.spec
    training = spec.training
    every = tuple(range(len(spec.samples)))
    params = {p.name: to_decimal(p.value) for p in derivations.network.params}
    velocity: dict[str, Decimal] = {}
    momentum = to_decimal(training.momentum)
    first = evaluate(derivations, write, form, model, None, start=Start(params, batch=every, after=()))
    # a step's forward passes are the passes after the update before it (same parameters, same
    # writing), where nothing records them by name and no kink's note depends on the pass
    reuse = recorder is None and not any(u.activation.kink for u in derivations.network.computed)
    ready: dict[int, Pass] = dict(zip(every, first.forward)) if reuse else {}
    epochs, number = [], 0
    for e, batches in enumerate(training.batches(len(spec.samples)), 1):
        steps = []
        for k, batch in enumerate(batches):
            number += 1
            last = k == len(batches) - 1
            known = tuple(ready[k] for k in batch) if all(k in ready for k in batch) else None
            start = Start(params, velocity, momentum, batch, every if last else (), known)
            named = Suffixed(recorder, f"[step {number}]") if recorder is not None else None
            result = evaluate(derivations, write, form, model, named, start=start)
            steps.append(Step(number, e, batch, result))
            params, velocity = result.updated, result.velocity
            ready = dict(zip(every, result.after)) if reuse and last else {}
            _check_bounded(params, number)
        final = steps[-1].evaluation
        if recorder is not None:
            recorder.put(f"E_total[epoch {e}]", final.error_total_after)
            for name, value in params.items():
                recorder.put(f"new({name})[epoch {e}]", value)
        epochs.append(Epoch(e, tuple(steps), dict(params), final.after, final.error_total_after))
    return Run(training.mode, tuple(epochs), first.forward, first.error_total)


DIVERGED = Decimal(10) ** 15  # a parameter beyond: the run diverges, and no worked solution could show it


def _check_bounded(params: dict[str, Decimal], step: int) -> None:
    if params and max(map(abs, params.values())) > DIVERGED:
        name = next(n for n, v in params.items() if abs(v) > DIVERGED)
        raise SympropError(f"training: the run diverges: after update {step}, {name} = {params[name]:.3e}; "
                           "use a smaller learning_rate (or momentum), or fewer epochs")


class Suffixed(Recorder):
    """A recorder that names every quantity of one step with the step: ``new(w5)[step 2]``."""

    def __init__(self, inner: Recorder, suffix: str):
        super().__init__(inner.given)
        self.inner, self.suffix = inner, suffix

    def put(self, name: str, value: Decimal) -> Decimal:
        return self.inner.put(name + self.suffix, value)
