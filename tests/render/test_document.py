"""Worked solutions: every bundled example × style × format is its gallery folder in
``outputs/`` byte for byte (``gallery``), compiles with a real TeX engine, and renders
every Markdown math span with KaTeX.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import gallery
import pytest
from toolchain import compile_latex, katex_failures, mathjax_failures

from symprop.examples import names, path
from symprop.jobs.options import Rendering, SolveOptions
from symprop.jobs.solve import write_solution
from symprop.numbers.solution import solve
from symprop.render.document import document
from symprop.spec import load_spec
from symprop.spec.choices import NOTATIONS as PRESETS
from symprop.spec.choices import NUMERIC_STYLES as STYLES  # general: tests/render/test_symbolic.py

CASES = [(name, style) for name in names() for style in STYLES]


def rendered(tmp_path: Path, name: str, style: str, fmt: str) -> dict[str, str]:
    out = tmp_path / f"{name}-{style}"
    files = write_solution(load_spec(path(name)), SolveOptions(fmt, out, Rendering(style)))
    return {f.name: f.read_text(encoding="utf-8") for f in files if f.suffix != ".pdf"}


@pytest.mark.parametrize(("name", "style"), CASES)
def test_markdown_is_the_gallery_and_renders_in_katex(tmp_path, name, style):
    files = rendered(tmp_path, name, style, "md")
    for filename, text in files.items():
        gallery.check(gallery.folder(name, style) / filename, text)
    assert katex_failures(files["solution.md"]) == []
    assert mathjax_failures(files["solution.md"]) == []  # GitHub, Jupyter: MathJax
    svg = files["network.svg"]
    assert ET.fromstring(svg.split("-->", 1)[1] if svg.startswith("<!--") else svg).tag.endswith("svg")


@pytest.mark.parametrize(("name", "style"), CASES)
def test_latex_is_the_gallery_and_compiles(tmp_path, name, style):
    files = rendered(tmp_path, name, style, "tex")
    gallery.check(gallery.folder(name, style) / "solution.tex", files["solution.tex"])
    compile_latex(files["solution.tex"], tmp_path)


@pytest.mark.parametrize("preset", PRESETS)
def test_every_notation_preset_compiles_and_renders(tmp_path, preset):
    spec = load_spec(path("sigmoid-2-2-2"))
    out = tmp_path / preset
    md = write_solution(spec, SolveOptions("md", out, Rendering(notation=preset)))
    tex = write_solution(spec, SolveOptions("tex", out, Rendering(notation=preset)))
    assert katex_failures(md[1].read_text()) == []
    compile_latex(tex[0].read_text(), out, "solution")


def test_seed_numbers_appear_in_the_chain_document():
    doc = document(solve(load_spec(path("sigmoid-2-2-2"))), "chain")
    w1 = next(s for s in doc.backward if s.name == "w1")
    rows = [row for term in w1.terms for row in term.equation.rows]
    assert "&= 0.68492 * 0.19480 * 0.5 * 0.23978 * 0.1" in rows
    assert "&= -0.17044 * 0.17184 * 0.7 * 0.23978 * 0.1" in rows
    assert w1.total.rows[-1] == "&= 0.00159 + (-0.00049) = 0.00110"
    w5 = next(s for s in doc.backward if s.name == "w5")
    assert w5.terms[0].equation.rows[-2:] == ("&= 0.68492 * 0.19480 * 0.60108", "&= 0.08020")


def test_factors_are_derived_once():
    doc = document(solve(load_spec(path("sigmoid-2-2-2"))), "chain")
    fractions = [c.equation.rows[0].split(" &= ")[0] for s in doc.backward for c in s.components]
    assert len(fractions) == len(set(fractions))


def test_user_text_is_escaped_in_latex(tmp_path):
    spec = load_spec(path("sigmoid-2-2-2"))
    from dataclasses import replace

    evil = replace(spec, title=r"\input{/etc/passwd} \write18{rm -rf /} $x$ & 100% #1 ~ ^_")
    files = write_solution(evil, SolveOptions("tex", tmp_path))
    tex = files[0].read_text()
    assert r"\input{" not in tex and r"\write18" not in tex
    compile_latex(tex, tmp_path, "solution")


def test_a_file_the_user_wrote_is_not_overwritten(tmp_path):
    (tmp_path / "solution.md").write_text("my own notes\n")
    from symprop.errors import SympropError

    with pytest.raises(SympropError, match="not written by symprop"):
        write_solution(load_spec(path("sigmoid-2-2-2")), SolveOptions("md", tmp_path))
    assert (tmp_path / "solution.md").read_text() == "my own notes\n"


def test_cli_writes_markdown_into_outputs_by_default(tmp_path, monkeypatch, capsys):
    from symprop.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["solve", "relu-3-2-1", "--format", "md", "--notation", "bishop", "--style", "delta"]) == 0
    assert capsys.readouterr().out.split() == ["outputs/relu-3-2-1/network.svg", "outputs/relu-3-2-1/solution.md"]
    text = (tmp_path / "outputs/relu-3-2-1/solution.md").read_text()
    assert r"\delta^{(2)}_{1}" in text and "0.038" in text


def test_cli_writes_a_pdf(tmp_path, capsys):
    from toolchain import require

    from symprop.cli import main

    require("latexmk", "apt-get install latexmk")
    assert main(["solve", "sigmoid-2-2-2", "--format", "pdf", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "solution.pdf").read_bytes().startswith(b"%PDF")


def test_user_templates_override_a_block(tmp_path):
    folder = tmp_path / "mine" / "md"
    folder.mkdir(parents=True)
    (folder / "solution.md.j2").write_text(
        '((* extends "md/base.md.j2" *))\n((* block updates *))\n\nMY UPDATES ((( doc.update_table | length )))\n((* endblock *))\n'
    )
    files = write_solution(load_spec(path("sigmoid-2-2-2")), SolveOptions("md", tmp_path / "out", Rendering(templates=tmp_path / "mine")))
    text = files[1].read_text()
    assert "MY UPDATES 10" in text and "## Updates" not in text and "## Forward pass" in text
