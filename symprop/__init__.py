"""symprop: backpropagation worked solutions, derived symbolically by the chain rule.

The public API: ``load_spec`` / ``parse_spec`` / ``parse_spec_text`` (a validated
``Spec``), ``solve`` (the solved step, a ``Solution``: graph, chain-rule derivations,
numbers, JSON) and ``SympropError``. The layers, imports pointing down only:
``cli`` → ``jobs`` → ``render`` → ``numbers`` → ``core`` → ``spec``. In IPython a
``Solution`` displays itself as its worked solution (``notebook``).
"""

from . import notebook as _notebook
from .errors import SympropError
from .numbers.solution import Solution, solve
from .spec import Spec, load_spec, parse_spec, parse_spec_text
from .version import __version__

_notebook.register()


def load_ipython_extension(ipython) -> None:
    """``%load_ext symprop``: show every ``Solution`` as its worked solution."""
    _notebook.register(ipython)


__all__ = ["Solution", "Spec", "SympropError", "load_spec", "parse_spec", "parse_spec_text", "solve", "__version__"]
