"""The optional ``training:`` section of a spec: several epochs, online, batch or
mini-batch updates, in the given or a seeded shuffled order, with classical momentum.

    training: {epochs: 3, mode: online, batch_size: 2, order: shuffle, seed: 7, momentum: 0.9}

Without it, a spec is one batch step (``Training()``: 1 epoch, batch mode, no momentum).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from ..errors import SympropError
from .choices import TRAINING_MODES, TRAINING_ORDERS
from .validate import check_keys, choice, mapping
from .values import describe, parse_number

TRAINING_KEYS = ("epochs", "mode", "batch_size", "order", "seed", "momentum")
MAX_EPOCHS = 10_000
MAX_STEPS = 20_000  # epochs x updates per epoch: a run a worked solution can tabulate


@dataclass(frozen=True, slots=True)
class Training:
    epochs: int = 1
    mode: str = "batch"  # online (after each sample) | batch (after all) | minibatch (after batch_size)
    batch_size: int | None = None  # minibatch only
    order: str = "given"  # given | shuffle (reshuffled each epoch by random.Random(seed))
    seed: int = 0
    momentum: Fraction = Fraction(0)  # v <- momentum v - eta grad; w <- w + v

    @property
    def is_one_step(self) -> bool:
        return self.epochs == 1 and self.mode == "batch" and self.momentum == 0

    def batches(self, n_samples: int) -> list[list[tuple[int, ...]]]:
        """The sample indices (0-based) of every update, epoch by epoch."""
        rng = random.Random(self.seed)
        size = {"online": 1, "batch": n_samples, "minibatch": self.batch_size or n_samples}[self.mode]
        epochs = []
        for _ in range(self.epochs):
            order = list(range(n_samples))
            if self.order == "shuffle":
                rng.shuffle(order)
            epochs.append([tuple(order[i:i + size]) for i in range(0, n_samples, size)])
        return epochs


def parse_training(raw: object, n_samples: int) -> Training:
    raw = mapping({} if raw is None else raw, "training")
    check_keys(raw, TRAINING_KEYS, "training")
    epochs = _whole(raw.get("epochs", 1), "training.epochs", 1, MAX_EPOCHS)
    mode = choice(raw.get("mode", "batch"), TRAINING_MODES, "training.mode")
    batch_size = None
    if mode == "minibatch":
        if "batch_size" not in raw:
            raise SympropError("training.batch_size: missing (minibatch updates after every batch_size samples)")
        batch_size = _whole(raw["batch_size"], "training.batch_size", 1, n_samples,
                            f" (the spec has {n_samples} sample{'s' if n_samples != 1 else ''})")
    elif "batch_size" in raw:
        raise SympropError(f"training.batch_size: only for mode: minibatch (mode is {mode})")
    order = choice(raw.get("order", "given"), TRAINING_ORDERS, "training.order")
    if "seed" in raw and order != "shuffle":
        raise SympropError("training.seed: only for order: shuffle (the order it shuffles the samples in)")
    seed = _whole(raw.get("seed", 0), "training.seed", 0, 2**63)
    momentum = parse_number(raw.get("momentum", 0), "training.momentum")
    if not 0 <= momentum <= 1:
        raise SympropError(f"training.momentum: {describe(raw.get('momentum'))} must be from 0 to 1")
    steps = epochs * -(-n_samples // {"online": 1, "batch": n_samples, "minibatch": batch_size or 1}[mode])
    if steps > MAX_STEPS:
        raise SympropError(f"training: {steps} updates in all; at most {MAX_STEPS} (fewer epochs, or larger batches)")
    return Training(epochs, mode, batch_size, order, seed, momentum)


def _whole(value: object, where: str, low: int, high: int, why: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SympropError(f"{where}: {describe(value)} is not a whole number from {low} to {high}{why}")
    return value
