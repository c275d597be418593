"""symprop: backpropagation worked solutions, derived symbolically by the chain rule.

The pipeline, one module per step: ``spec`` (load and validate) → ``graph`` (units,
edges, SymPy symbols) → ``rules`` (activation and loss derivatives as a table) →
``derive`` (chains, paths, deltas) → ``numeric`` (evaluation and rounding) → ``solve``
(the solved step and its JSON) → ``cli``.
"""

__version__ = "0.1.0"

from .errors import SympropError  # noqa: E402
from .numbers.solution import Solution, solve  # noqa: E402
from .spec.reader import Spec, load_spec, parse_spec, parse_spec_text  # noqa: E402

__all__ = ["Solution", "Spec", "SympropError", "load_spec", "parse_spec", "parse_spec_text", "solve", "__version__"]
