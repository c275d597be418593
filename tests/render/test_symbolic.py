"""Documents without numbers: ``--numbers none`` (chain and delta styles) and ``--style
general`` (the general derivation of backpropagation for the spec's layers).

The symbolic gradients are read back from their LaTeX (each symbol replaced by its exact
forward value, the expression evaluated by SymPy) and must equal the engine's exact
gradients, for every parameter of every bundled example; the general derivation is the gallery's for a 2-2-2, a 2-3-3-2 and a
softmax network, renders in KaTeX and MathJax and compiles, and so do the decks."""

from __future__ import annotations

import re
from decimal import Decimal

import gallery
import pytest
import sympy
from specs import DENSE_3432
from sympy.parsing.sympy_parser import implicit_multiplication, parse_expr, standard_transformations
from test_html_browser import browser  # noqa: F401  (the fixture: one Chromium per module)
from toolchain import compile_latex, katex_failures, mathjax_failures

from symprop.cli import main
from symprop.examples import names as examples
from symprop.examples import path
from symprop.jobs.options import Rendering, SlidesOptions, SolveOptions
from symprop.jobs.slides import slides_tex
from symprop.jobs.solve import write_solution
from symprop.numbers.solution import solve
from symprop.render.general import general_document
from symprop.render.notation import names
from symprop.render.symbolic import symbolic_document
from symprop.spec import load_spec, parse_spec_text

GENERAL = ["sigmoid-2-2-2", "tanh-2-3-3-2", "softmax-2-2-3"]


def latex_value(tex: str, values: dict[str, Decimal], times: str) -> float:
    """The value of a product-sum written in LaTeX, each symbol of ``values`` replaced by its value."""
    tex = tex.replace(times.strip(), "*")
    tex = re.sub(r"\\begin\{cases\} (.*?) & \\text\{if \} (.*?) > 0 \\\\ (.*?) & \\text\{otherwise\} \\end\{cases\}",
                 r"Piecewise((\1, \2 > 0), (\3, True))", tex)  # a ReLU's derivative
    symbols = {}
    for k, sym in enumerate(sorted(values, key=len, reverse=True)):
        tex = tex.replace(sym, f" v{k} ")
        symbols[f"v{k}"] = sympy.Float(str(values[sym]), 40)
    tex = tex.replace(r"\left(", "(").replace(r"\right)", ")")
    for _ in range(4):
        tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", tex)
    tex = tex.replace("^", "**").replace("{", "(").replace("}", ")")
    expr = parse_expr(tex, local_dict={k: sympy.Symbol(k) for k in symbols},
                      transformations=standard_transformations + (implicit_multiplication,))
    return float(expr.subs({sympy.Symbol(k): v for k, v in symbols.items()}))


def expansion(rows: tuple[str, ...]) -> str:
    """The right side of an equation's rows that hold no ∂ fraction, joined into one expression."""
    parts = []
    for row in rows:
        rhs = row.split("&", 1)[1]
        if r"\partial" in rhs:
            continue
        parts.append(re.sub(r"^\s*=\s*|\\q?quad", " ", rhs))
    return " ".join(parts)


@pytest.mark.parametrize("name", examples())
@pytest.mark.parametrize("style", ["chain", "delta"])
def test_every_symbolic_gradient_evaluates_to_the_engines(name, style):
    solution = solve(load_spec(path(name)), form="chain" if style == "chain" else "delta")
    doc = symbolic_document(solution, style)
    n = names(solution.network, solution.spec.notation)
    backward = next(s for s in doc.sections if s.title == "Backward pass")
    exact = solution.exact
    for block, param in zip(backward.blocks, solution.network.params, strict=True):
        assert n.param[param.name] in block.paragraphs[0].pieces[1][1]
        text = expansion(block.equations[-1].rows)
        total = 0.0
        for k, sample in enumerate(solution.spec.samples):
            values = {n.param[p.name]: Decimal(p.value.numerator) / p.value.denominator for p in solution.network.params}
            values |= {n.out[u]: v for u, v in exact.forward[k].out.items()}
            values |= {n.net[u]: v for u, v in exact.forward[k].net.items()}
            values |= {n.target[u]: Decimal(t.numerator) / t.denominator for u, t in sample.target}
            total += latex_value(text, values, n.times)
        assert total == pytest.approx(float(exact.gradients[param.name]), rel=1e-12, abs=1e-15), param.name


def test_the_lecture_form_of_w1_and_no_numbers():
    solution = solve(load_spec(path("sigmoid-2-2-2")))
    doc = symbolic_document(solution, "chain")
    backward = next(s for s in doc.sections if s.title == "Backward pass")
    w1 = backward.blocks[0].equations[-1].rows
    assert w1[0].endswith(r"&= \left(\text{output}_{o1} - \text{target}_{1}\right) * \text{output}_{o1} "
                          r"(1 - \text{output}_{o1}) * w_{5} * \text{output}_{h1} (1 - \text{output}_{h1}) * i_{1}")
    assert w1[1].startswith(r"&\quad + \left(\text{output}_{o2} - \text{target}_{2}\right)")
    text = str(doc)
    for value in ["0.15", "0.05", "0.01", "0.99", "0.5"]:  # weights, inputs, targets, learning rate
        assert value not in text


@pytest.mark.parametrize("name", GENERAL)
def test_general_derivation_is_the_gallery_renders_and_compiles(tmp_path, name):
    spec = load_spec(path(name))
    md = write_solution(spec, SolveOptions("md", tmp_path / "md", Rendering("general")))
    tex = write_solution(spec, SolveOptions("tex", tmp_path / "tex", Rendering("general")))
    assert [f.name for f in md] == ["solution.md"] and [f.name for f in tex] == ["solution.tex"]
    text = md[0].read_text(encoding="utf-8")
    gallery.check(gallery.folder(name, "general") / "solution.md", text)
    gallery.check(gallery.folder(name, "general") / "solution.tex", tex[0].read_text(encoding="utf-8"))
    assert katex_failures(text) == [] and mathjax_failures(text) == []
    compile_latex(tex[0].read_text(encoding="utf-8"), tmp_path)
    assert not re.search(r"\d\.\d", text.split("## The network")[1])  # no numbers: sizes and indices only


def test_general_derivation_of_a_3_4_3_2_network_renders_and_compiles(tmp_path):
    spec = parse_spec_text(DENSE_3432)
    md = write_solution(spec, SolveOptions("md", tmp_path / "md", Rendering("general")))[0].read_text(encoding="utf-8")
    assert "## Hidden layer 2: backpropagating the deltas" in md and "## Hidden layer 1: backpropagating the deltas" in md
    assert katex_failures(md) == [] and mathjax_failures(md) == []
    tex = write_solution(spec, SolveOptions("tex", tmp_path / "tex", Rendering("general")))[0]
    compile_latex(tex.read_text(encoding="utf-8"), tmp_path)


def test_general_derivation_substitutes_the_specs_derivatives():
    sigmoid = general_document(solve(load_spec(path("sigmoid-2-2-2"))))
    rows = [r for s in sigmoid.sections for b in s.blocks for e in b.equations for r in e.rows]
    assert r"&= \left(y_{k} - t_{k}\right) y_{k} (1 - y_{k})" in rows  # ½SSE and σ
    assert r"&= z^{(1)}_{j} (1 - z^{(1)}_{j}) \sum_{k=1}^{2} w^{(2)}_{kj} \delta^{(2)}_{k}" in rows
    softmax = general_document(solve(load_spec(path("softmax-2-2-3"))))
    rows = [r for s in softmax.sections for b in s.blocks for e in b.equations for r in e.rows]
    assert r"&= y_{k} - t_{k} \quad (\textstyle\sum_{c} t_{c} = 1)" in rows  # the shortcut, derived
    dense = general_document(solve(parse_spec_text(DENSE_3432)))
    titles = [s.title for s in dense.sections]
    assert titles.count("Hidden layer 2: backpropagating the deltas") == 1 and "Hidden layer 1: backpropagating the deltas" in titles
    rows = [r for s in dense.sections for b in s.blocks for e in b.equations for r in e.rows]
    assert r"&= \left(1 - {z^{(1)}_{j}}^{2}\right) \sum_{k=1}^{3} w^{(2)}_{kj} \delta^{(2)}_{k}" in rows  # tanh'
    assert r"\mathbf{W}^{(3)} \in \mathbb{R}^{2 \times 3}" in " ".join(rows)
    two = general_document(solve(load_spec(path("tanh-2-3-3-2"))))  # two samples: the batch gradient sums them
    assert any(r"\sum_{n=1}^{2} \boldsymbol{\delta}^{(1)}_{n}" in r for s in two.sections for b in s.blocks
               for e in b.equations for r in e.rows)


def test_numbers_none_documents_and_decks_compile(tmp_path):
    spec = load_spec(path("softmax-2-2-3"))
    md = write_solution(spec, SolveOptions("md", tmp_path / "md", Rendering("delta", numbers="none")))
    text = md[0].read_text(encoding="utf-8")
    assert katex_failures(text) == [] and mathjax_failures(text) == []
    tex = write_solution(spec, SolveOptions("tex", tmp_path / "tex", Rendering("chain", numbers="none")))
    compile_latex(tex[0].read_text(encoding="utf-8"), tmp_path)
    for name, rendering in [("sigmoid-2-2-2", Rendering("chain", numbers="none")),
                            ("dense", Rendering("general", notation="layer_superscript"))]:
        spec = load_spec(path(name)) if name != "dense" else parse_spec_text(DENSE_3432)
        deck, pages = slides_tex(spec, SlidesOptions(rendering=rendering))
        log = compile_latex(deck, tmp_path, "slides")
        assert int(re.search(r"Output written on \S+ \((\d+) pages?", log)[1]) == pages


@pytest.mark.parametrize(("argv", "message"), [
    (["solve", "sigmoid-2-2-2", "--style", "matrix", "--numbers", "none", "--format", "md"],
     "--numbers none: only with --style chain or delta"),
    (["solve", "sigmoid-2-2-2", "--style", "general"], "not json"),
    (["solve", "sigmoid-2-2-2", "--numbers", "some"], "invalid choice"),
])
def test_bad_combinations_are_one_line(tmp_path, capsys, argv, message):
    try:
        status = main([*argv, "-o", str(tmp_path / "out")])
    except SystemExit as exc:  # argparse's own choices
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err


def test_every_preset_renders_in_katex_and_mathjax():
    from symprop.render.env import render
    from symprop.spec.choices import NOTATIONS

    texts = []
    for name in ["softmax-2-2-3", "xor-threshold-2-2-1"]:
        chain, delta = solve(load_spec(path(name))), solve(load_spec(path(name)), form="delta")
        for preset in NOTATIONS:
            for doc in (general_document(chain, preset), symbolic_document(chain, "chain", preset),
                        symbolic_document(delta, "delta", preset)):
                texts.append(render("md/derivation.md.j2", "md", None, doc=doc))
    text = "\n\n".join(texts)
    assert katex_failures(text) == [] and mathjax_failures(text) == []


@pytest.mark.parametrize(("name", "rendering"), [("tanh-2-3-3-2", Rendering("general")),
                                                  ("softmax-2-2-3", Rendering("delta", numbers="none"))])
def test_the_web_page_without_numbers_typesets_offline(tmp_path, browser, name, rendering):  # noqa: F811
    from test_html_browser import Opened

    files = write_solution(load_spec(path(name)), SolveOptions("html", tmp_path / "html", rendering))
    assert [f.name for f in files] == ["solution.html"]
    opened = Opened(browser, files[0])
    try:
        counts = opened.js("""() => ({
          spans: document.querySelectorAll('.tex').length,
          typeset: document.querySelectorAll('.tex .katex').length,
          errors: document.querySelectorAll('.katex-error').length})""")
        assert counts["spans"] > 20 and counts["typeset"] == counts["spans"] and counts["errors"] == 0
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()
