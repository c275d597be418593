"""The spec layer: read and validate a network spec, the exam section, exact values and the
rounding policy, and write a spec back (exam variants). It imports nothing else of symprop
but ``errors``: every other layer builds on it."""

from .reader import (
    BiasSpec,
    Layer,
    Sample,
    Spec,
    WeightSpec,
    load_spec,
    parse_spec,
    parse_spec_text,
    read_text,
    read_yaml,
)
from .values import Rounding, describe, parse_number

__all__ = [
    "BiasSpec", "Layer", "Rounding", "Sample", "Spec", "WeightSpec", "describe", "load_spec", "parse_number",
    "parse_spec", "parse_spec_text", "read_text", "read_yaml",
]
