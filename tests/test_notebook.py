"""Jupyter display, in a real IPython shell: a Solution shows itself as its worked solution
(Markdown with the drawing inline) and, for LaTeX front ends, as the same solution in LaTeX
(compiled in a document of its own, as nbconvert's PDF export does)."""

from __future__ import annotations

import base64
import re

import pytest
from toolchain import compile_latex

from symprop import notebook, solve
from symprop.examples import path
from symprop.render.document import document
from symprop.render.worked import latex as latex_of
from symprop.render.worked import markdown, network_svg
from symprop.spec import load_spec

interactiveshell = pytest.importorskip("IPython.core.interactiveshell")


@pytest.fixture(scope="module")
def shell():
    return interactiveshell.InteractiveShell.instance()


def test_a_solution_displays_as_its_worked_solution(shell, tmp_path):
    assert notebook.register(shell)
    solution = solve(load_spec(path("sigmoid-2-2-2")))
    data, _ = shell.display_formatter.format(solution)
    md = data["text/markdown"]
    uri = re.search(r"\(<data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)>\)", md)
    assert uri and base64.b64decode(uri[1]).decode() == network_svg(solution.network)
    assert md == markdown(document(solution), svg=f"data:image/svg+xml;base64,{uri[1]}")
    assert "0.68492 * 0.19480 * 0.60108" in md  # seed 000's first product for w5
    latex = data["text/latex"]  # the whole worked solution, as nbconvert's PDF export puts it in a document
    assert latex.startswith("\\section*{Forward pass and back-propagation}") and "\\documentclass" not in latex
    tex = latex_of(document(solution), solution.network)
    body = tex.split("\\section*{Forward pass}", 1)[1].split("\\end{document}")[0].strip()
    assert body in latex  # every part after the network, as the LaTeX worked solution writes it
    assert "0.68492 * 0.19480 * 0.60108" in latex and "tikzpicture" not in latex
    compile_latex("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n" + latex
                  + "\n\\end{document}\n", tmp_path)


def test_the_delta_form_solution_still_displays_the_chain_style(shell):
    notebook.register(shell)
    solution = solve(load_spec(path("relu-3-2-1")), form="delta")
    md = shell.display_formatter.format(solution)[0]["text/markdown"]
    assert md.splitlines()[3].startswith("Style: chain;")


def test_no_shell_no_registration(monkeypatch):
    monkeypatch.delitem(__import__("sys").modules, "IPython", raising=False)
    assert notebook.register() is False
