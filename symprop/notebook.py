"""Jupyter display: a ``Solution`` shows itself as its worked solution.

The engine does not render (a ``Solution`` has no ``_repr_*`` methods): importing symprop
in a running IPython registers display formatters here, so a cell ending in
``solve(spec)`` shows the chain-style worked solution with the drawing inline (Markdown)
or, in LaTeX front ends (nbconvert's PDF export), the same solution as LaTeX. ``%load_ext symprop`` registers them in a kernel
that imported symprop before IPython started.
"""

from __future__ import annotations

import base64
import sys

from .numbers.solution import Solution


def markdown(solution: Solution) -> str:
    """The worked solution in Markdown (chain style), its drawing inline as a data URI."""
    from .render.document import document
    from .render.worked import markdown as render_markdown
    from .render.worked import network_svg

    data = base64.b64encode(network_svg(solution.network).encode()).decode()
    return render_markdown(document(solution.in_form("chain")), svg=f"data:image/svg+xml;base64,{data}")


def latex(solution: Solution) -> str:
    """For LaTeX front ends (nbconvert's PDF export): the whole worked solution (chain
    style) as the body of a document, its values in a table instead of the drawing."""
    from .render.document import document
    from .render.env import render

    files = {"tikz": "", "tikz_libraries": "", "curve": ""}  # no TikZ or pgfplots in a notebook's document
    return render("notebook/solution.tex.j2", "tex", doc=document(solution.in_form("chain")), files=files).strip("\n")


def register(ipython=None) -> bool:
    """Register the formatters with ``ipython`` (default: the running shell, if any);
    returns whether there was a shell."""
    if ipython is None:
        if "IPython" not in sys.modules:
            return False
        ipython = sys.modules["IPython"].get_ipython()
        if ipython is None:
            return False
    formatters = ipython.display_formatter.formatters
    formatters["text/markdown"].for_type(Solution, markdown)
    formatters["text/latex"].for_type(Solution, latex)
    return True
