"""A validated spec as frozen dataclasses: layers, weights, biases, samples, the spec.

Every value is exact (``Fraction``); every name has been checked; the dense shorthand has
been expanded into explicit weights and biases with generated names.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .exam import ExamSpec
from .training import Training
from .values import Rounding


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    units: tuple[str, ...]
    activation: str | None  # None for the input layer
    slope: Fraction | None = None  # leaky_relu only


@dataclass(frozen=True, slots=True)
class WeightSpec:
    name: str
    source: str
    target: str
    value: Fraction


@dataclass(frozen=True, slots=True)
class BiasSpec:
    name: str
    units: tuple[str, ...]  # one bias may be shared by several units
    value: Fraction


@dataclass(frozen=True, slots=True)
class Sample:
    input: tuple[tuple[str, Fraction], ...]  # (input unit, value) in layer order
    target: tuple[tuple[str, Fraction], ...]  # (output unit, value) in layer order


@dataclass(frozen=True, slots=True)
class Spec:
    title: str
    notation: str
    loss: str
    learning_rate: Fraction
    update_biases: bool
    rounding: Rounding
    layers: tuple[Layer, ...]
    weights: tuple[WeightSpec, ...]
    biases: tuple[BiasSpec, ...]
    samples: tuple[Sample, ...]
    source: str = "<spec>"
    exam: ExamSpec | None = None  # the exam section, when the spec has one
    author: str = ""  # for a deck's title page (and a document's header)
    institute: str = ""
    date: str = ""
    bias_convention: str = "add"  # add: net = sum w x + b | threshold: net = sum w x - theta
    training: Training = Training()  # one batch step unless the spec says otherwise

    @property
    def parameters(self) -> tuple[WeightSpec | BiasSpec, ...]:
        return self.weights + self.biases
