"""Drawing a variant: every weight, bias, input and target from its grid, exactly.

The spec's network is the template; the ``exam:`` section (``spec.ExamSpec``, or its
defaults) gives the grids, and an explicit ``random.Random(seed)`` draws from them as
exact ``Fraction`` values (a grid of ``keep`` keeps the spec's own value).
"""

from __future__ import annotations

import random
from fractions import Fraction

from ...spec import ExamSpec, Grid, Sample, Spec


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
