"""The spec layer: read and validate a network spec, its exam section, exact values and the
rounding policy, and write a spec back (exam variants). It imports nothing else of symprop
but ``errors`` and the bundled ``examples``: every other layer builds on it."""

from .exam import KEEP, ExamSpec, Grid
from .model import BiasSpec, Layer, Sample, Spec, WeightSpec
from .reader import load_spec, parse_spec, parse_spec_text
from .values import Rounding, describe, parse_number
from .yamlread import read_text, read_yaml

__all__ = [
    "KEEP", "BiasSpec", "ExamSpec", "Grid", "Layer", "Rounding", "Sample", "Spec", "WeightSpec", "describe",
    "load_spec", "parse_number", "parse_spec", "parse_spec_text", "read_text", "read_yaml",
]
