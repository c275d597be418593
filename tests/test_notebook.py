"""Jupyter display, in a real IPython shell: a Solution shows itself as its worked solution
(Markdown with the drawing inline) and, for LaTeX front ends, as its updates."""

from __future__ import annotations

import base64
import re

import pytest

from symprop import notebook, solve
from symprop.examples import path
from symprop.render.document import document
from symprop.render.worked import markdown, network_svg
from symprop.spec import load_spec

interactiveshell = pytest.importorskip("IPython.core.interactiveshell")


@pytest.fixture(scope="module")
def shell():
    return interactiveshell.InteractiveShell.instance()


def test_a_solution_displays_as_its_worked_solution(shell):
    assert notebook.register(shell)
    solution = solve(load_spec(path("sigmoid-2-2-2")))
    data, _ = shell.display_formatter.format(solution)
    md = data["text/markdown"]
    uri = re.search(r"\(<data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)>\)", md)
    assert uri and base64.b64decode(uri[1]).decode() == network_svg(solution.network)
    assert md == markdown(document(solution), svg=f"data:image/svg+xml;base64,{uri[1]}")
    assert "0.68492 * 0.19480 * 0.60108" in md  # seed 000's first product for w5
    latex = data["text/latex"]
    assert latex.startswith("$$\\begin{aligned}\n") and latex.endswith("\n\\end{aligned}$$")
    rows = [row for eq in document(solution).updates for row in eq.rows]
    assert latex[len("$$\\begin{aligned}\n"):-len("\n\\end{aligned}$$")].split(" \\\\\n") == rows


def test_the_delta_form_solution_still_displays_the_chain_style(shell):
    notebook.register(shell)
    solution = solve(load_spec(path("relu-3-2-1")), form="delta")
    md = shell.display_formatter.format(solution)[0]["text/markdown"]
    assert md.splitlines()[3].startswith("Style: chain;")


def test_no_shell_no_registration(monkeypatch):
    monkeypatch.delitem(__import__("sys").modules, "IPython", raising=False)
    assert notebook.register() is False
