"""What one evaluation reads and gives, apart from how it runs (``numbers.evaluate``).

- ``Model``: how a step is computed, the engine's rows (``base_model``) or a known
  mistake's; ``Recorder``: the hook that sees every quantity by name;
- ``Start``: where a step of a training run starts;
- ``Pass``, ``Backward``, ``Evaluation``: a sample's forward and backward quantities and the
  whole step's result;
- ``Write``: how a quantity is written down (``exact``, or a rounding policy's).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from ..core.derive import Path
from ..core.graph import Network
from ..core.rules import Activation, Loss
from ..errors import SympropError
from .arithmetic import CONTEXT, to_decimal

Write = Callable[[Decimal, str | None], Decimal]  # (value, kind of quantity) -> as written
ONE = Decimal(1)
ZERO = Decimal(0)


class LogOfWrittenZero(SympropError):
    """A hand calculation wrote an output 0 (or 1) whose logarithm its error needs."""


def exact(value: Decimal, kind: str | None = None) -> Decimal:
    return value


@dataclass(frozen=True)
class Model:
    """How a step is computed: the engine's way (``base_model``), or one mistake's way.

    ``weight_param`` maps a weight to the parameter whose value its ∂sum/∂out factor reads
    (the wrong-weight mistake swaps two); ``updated_weights`` makes the hidden deltas read
    the already updated weights (``trace`` runs the step once per layer for it);
    ``only_error`` keeps, for parameters below the output layer, the paths from that
    output's error term only.
    """

    loss: Loss
    activation: Mapping[str, Activation]  # by unit name
    rate: Decimal
    weight_param: Mapping[str, str] = field(default_factory=dict)
    updated_weights: bool = False
    only_error: str | None = None


def base_model(network: Network) -> Model:
    """The engine's own model of ``network``'s step."""
    return Model(
        loss=network.loss,
        activation={u.name: u.activation for u in network.computed},
        rate=to_decimal(network.spec.learning_rate),
    )


class Recorder:
    """The hook that sees every quantity by name: this one only applies ``given`` values
    (each replaces the computed one from there on); ``trace.Named`` also records them."""

    def __init__(self, given: Mapping[str, Decimal] | None = None):
        self.given = given or {}

    def put(self, name: str, value: Decimal) -> Decimal:
        return self.given.get(name, value)


def by_name(recorder: Recorder) -> bool:
    """Whether quantities go to ``recorder`` by name: a plain recorder with nothing given
    keeps every value, so a step need not name them for it."""
    return type(recorder) is not Recorder or bool(recorder.given)


@dataclass(frozen=True)
class Pass:
    """One forward pass of one sample: weighted sums, outputs (inputs included), errors."""

    net: dict[str, Decimal]
    out: dict[str, Decimal]
    error: dict[str, Decimal]  # per output unit
    total: Decimal  # the sample's error, the sum of its terms


@dataclass(frozen=True)
class Backward:
    """One sample's backward quantities: every factor's value (by ``Factor.key``) and δ."""

    factor: dict[str, Decimal]
    delta: dict[str, Decimal]


@dataclass(frozen=True)
class Evaluation:
    forward: tuple[Pass, ...]
    backward: tuple[Backward, ...]
    error_total: Decimal
    gradients: dict[str, Decimal]
    updated: dict[str, Decimal]
    after: tuple[Pass, ...]
    error_total_after: Decimal
    notes: tuple[str, ...]
    write: Write
    velocity: dict[str, Decimal] = field(default_factory=dict)  # after the step, with momentum
    momentum: Decimal = ZERO
    previous_velocity: dict[str, Decimal] = field(default_factory=dict)  # before the step

    def path_value(self, path: Path, sample: int) -> Decimal:
        """A path product as written: the product of the written factors, written."""
        return path_value(self.backward[sample], path, self.write)


def path_value(backward: Backward, path: Path, write: Write) -> Decimal:
    product = ONE
    with localcontext(CONTEXT):
        for f in path.factors:
            product *= backward.factor[f.key]
    return write(product, "gradient")


@dataclass(frozen=True)
class Start:
    """Where a training step starts: the parameters, the velocities (momentum), which samples
    it learns from, and which samples the pass after its update runs over."""

    params: Mapping[str, Decimal] | None = None  # None: the spec's own values
    velocity: Mapping[str, Decimal] | None = None  # None: all 0
    momentum: Decimal = ZERO
    batch: tuple[int, ...] | None = None  # sample indices (0-based); None: every sample
    after: tuple[int, ...] | None = None  # the pass after the update; None: the batch
    forward: tuple[Pass, ...] | None = None  # the batch's forward passes, already made (the step before's after)
