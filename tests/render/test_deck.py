"""Lecture slides: every bundled example and style compiles with a real TeX engine, with no
errors, no overfull boxes beyond a few points, and exactly the pages its frames and
overlays call for; the backward frames highlight the path being differentiated."""

from __future__ import annotations

import re

import gallery
import pytest
from specs import DENSE_3432
from toolchain import compile_latex

from symprop.cli import main
from symprop.errors import SympropError
from symprop.examples import names, path
from symprop.jobs.options import Rendering, SlidesOptions
from symprop.jobs.slides import slides_tex, write_slides
from symprop.numbers.solution import solve
from symprop.render.deck import deck
from symprop.render.env import render
from symprop.spec import load_spec, parse_spec_text
from symprop.spec.choices import NUMERIC_STYLES as STYLES  # general: tests/render/test_symbolic.py


def tex_of(name: str, **options) -> tuple[str, int]:
    the_deck = deck(solve(load_spec(path(name)), form="chain" if options.get("style", "chain") == "chain" else "delta"),
                    **options)
    return render("beamer/slides.tex.j2", "tex", deck=the_deck), the_deck.pages


def pages(log: str) -> int:
    return int(re.search(r"Output written on \S+ \((\d+) pages?", log)[1])


@pytest.mark.parametrize(("name", "style"), [(n, s) for n in names() for s in STYLES])
def test_deck_is_the_gallery_and_compiles_with_the_expected_pages(tmp_path, name, style):
    """What ``symprop slides NAME --style STYLE --no-pdf`` writes is the gallery's slides.tex."""
    tex, expected = slides_tex(load_spec(path(name), name=name), SlidesOptions(rendering=Rendering(style)))
    gallery.check(gallery.folder(name, style) / "slides.tex", tex)
    assert pages(compile_latex(tex, tmp_path, "slides")) == expected


@pytest.mark.parametrize(("aspect", "handout"), [("43", False), ("169", True), ("43", True)])
def test_aspect_ratios_and_handout(tmp_path, aspect, handout):
    tex, expected = tex_of("sigmoid-2-2-2", aspect=aspect, handout=handout)
    assert f"aspectratio={aspect}" in tex and ("handout" in tex.split("\n")[1]) == handout
    assert pages(compile_latex(tex, tmp_path, "slides")) == expected


def test_overlays_reveal_one_factor_at_a_time():
    the_deck = deck(solve(load_spec(path("sigmoid-2-2-2"))), detail=["w5", "w1"])
    frames = [f for _, frames in the_deck.sections for f in frames if f.kind == "reveal"]
    w5 = frames[0]
    assert [r.step for r in w5.rows] == [1, 2, 3, 4, 5, 5]  # the chain, three factors, the product
    assert w5.rows[1].rhs == r"= \text{output}_{o1} - \text{target}_{1} = 0.68492"
    assert w5.rows[-2].rhs == "= 0.68492 * 0.19480 * 0.60108" and w5.rows[-1].rhs == "= 0.08020"
    # w1: one path per error term (the chain, five factors, the product: 7 steps, continued on
    # a second frame when it does not fit beside the drawing), then their sum
    w1 = [f for f in frames if f.title.startswith(r"\(w_{1}\)")]
    assert w1[-1].title.endswith("adding up the paths")
    assert w1[-1].rows[0].rhs == "= 0.00159 + (-0.00049)" and w1[-1].rows[-1].rhs == "= 0.00110"
    paths: dict[str, list] = {}
    for f in w1[:-1]:
        steps = sorted({r.step for r in f.rows})
        assert steps == list(range(1, f.steps + 1))  # each frame reveals from overlay 1 on, a step at a time
        paths.setdefault(f.title.removesuffix(" (continued)"), []).extend(f.rows)
    assert list(paths) == [r"\(w_{1}\): the path through h1, o1", r"\(w_{1}\): the path through h1, o2"]
    # rows may wrap, but each path starts seven of them: the chain, five factors, the product
    assert {sum(1 for r in rows if r.lhs) for rows in paths.values()} == {7}
    assert all(f.size in ("small", "footnotesize") for f in w1[:-1])  # beside a drawing, never smaller


def test_the_path_is_highlighted():
    the_deck = deck(solve(load_spec(path("sigmoid-2-2-2"))), detail=["w1"])
    first = next(f for _, frames in the_deck.sections for f in frames if f.kind == "reveal")
    assert first.title == r"\(w_{1}\): the path through h1, o1"
    highlighted_edges = re.findall(r"\\draw\[weight, highlight\]", first.picture)
    assert len(highlighted_edges) == 2  # w1 (i1 -> h1) and w5 (h1 -> o1)
    highlighted_units = re.findall(r"\\node\[unit, highlightunit\] at \S+ \{\$(\S+)\$\}", first.picture)
    assert highlighted_units == ["i_{1}", "h_{1}", "o_{1}"]


TITLED = """
title: A lecture on back-propagation
author: Ada Lovelace
institute: Dept. of CS & AI
date: 1 March 2026
"""


def titled_spec(tmp_path):
    text = path("sigmoid-2-2-2").read_text()
    spec = tmp_path / "titled.yaml"
    spec.write_text(TITLED.lstrip() + "\n".join(line for line in text.splitlines() if not line.startswith("title:")))
    return spec


def test_title_page_has_author_institute_and_date(tmp_path):
    spec = titled_spec(tmp_path)
    tex, _ = slides_tex(load_spec(spec), SlidesOptions())
    assert "\\title{A lecture on back-propagation}" in tex and "\\author{Ada Lovelace}" in tex
    assert "\\institute{Dept. of CS \\& AI}" in tex and "\\date{1 March 2026}" in tex
    assert "\\begin{frame}[plain]\n\\titlepage" in tex
    # the command line overrides them, escaped for LaTeX
    assert main(["slides", str(spec), "--no-pdf", "-o", str(tmp_path / "out"), "--author", "A & B_1",
                 "--date", ""]) == 0
    written = (tmp_path / "out" / "slides.tex").read_text()
    assert "\\author{A \\& B\\_1}" in written and "\\date{}" in written
    assert "\\institute{Dept. of CS \\& AI}" in written  # not overridden: the spec's
    plain, _ = slides_tex(load_spec(path("sigmoid-2-2-2")), SlidesOptions())
    assert "\\author{}" in plain and "\\date{}" in plain  # deterministic: no \\today


def test_our_own_theme():
    tex, _ = tex_of("sigmoid-2-2-2")
    assert "\\usetheme" not in tex and "\\definecolor{symprophighlight}{RGB}{213,94,0}" in tex
    assert "\\setbeamertemplate{navigation symbols}{}" in tex
    footline = tex[tex.index("\\setbeamertemplate{footline}"):tex.index("\\setbeamertemplate{title page}")]
    assert "\\insertsection" in footline and "\\insertframenumber" in footline
    assert "aspectratio=169,11pt" in tex
    # displays as large as they fit, never below footnotesize; a drawing is never scaled to fit
    assert "\n\\scriptsize\n" not in tex and "\\resizebox{!}" not in tex
    assert "\\normalsize\n\\[" in tex


OWN_DECKS = {
    "tanh-2-3-2": """
title: 2-3-2, tanh and sigmoid, two samples
learning_rate: 0.5
rounding: {places: 4, mode: round, carry: exact}
layers:
  - {name: input, units: [x1, x2]}
  - {name: hidden, units: [h1, h2, h3], activation: tanh}
  - {name: output, units: [y1, y2], activation: sigmoid}
weights: {w1: x1 -> h1 = 0.15, w2: x2 -> h1 = -0.2, w3: x1 -> h2 = 0.25, w4: x2 -> h2 = 0.3, w5: x1 -> h3 = -0.35,
  w6: x2 -> h3 = 0.4, w7: h1 -> y1 = 0.45, w8: h2 -> y1 = -0.5, w9: h3 -> y1 = 0.55, w10: h1 -> y2 = 0.6,
  w11: h2 -> y2 = -0.65, w12: h3 -> y2 = 0.7}
biases: {b1: "h1, h2, h3 = 0.1", b2: "y1, y2 = -0.1"}
samples:
  - {input: {x1: 0.5, x2: -0.3}, target: {y1: 0.2, y2: 0.8}}
  - {input: {x1: -0.1, x2: 0.9}, target: {y1: 0.7, y2: 0.3}}
""",
    "dense-3-4-3-2": DENSE_3432,
}


@pytest.mark.parametrize(("name", "aspect", "handout"), [("tanh-2-3-2", "43", False), ("dense-3-4-3-2", "169", True)])
def test_decks_of_bigger_networks_compile_with_the_expected_pages(tmp_path, name, aspect, handout):
    spec = parse_spec_text(OWN_DECKS[name])
    tex, expected = slides_tex(spec, SlidesOptions(aspect=aspect, handout=handout))
    assert pages(compile_latex(tex, tmp_path, "slides")) == expected


def test_the_rest_goes_into_the_proceeding_similarly_table():
    the_deck = deck(solve(load_spec(path("sigmoid-2-2-2"))), detail=["w5"])
    tables = [f for _, frames in the_deck.sections for f in frames if f.kind == "table"]
    rows = [row for t in tables for row in t.table]
    assert len(rows) == 9 and ("w_{7}", "-0.01760", "0.71056") in rows


def test_unknown_detail_is_bad_input(capsys):
    assert main(["slides", "sigmoid-2-2-2", "--detail", "w9", "--no-pdf", "-o", "/nonexistent/never"]) == 2
    err = capsys.readouterr().err
    assert "--detail: 'w9' is not a parameter" in err and "w5" in err


def test_cli_writes_slides(tmp_path, capsys):
    from toolchain import require

    require("latexmk", "apt-get install latexmk")
    assert main(["slides", "relu-3-2-1", "-o", str(tmp_path), "--detail", "w_100,w_000"]) == 0
    assert (tmp_path / "slides.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(SympropError, match="not written by symprop"):
        (tmp_path / "other").mkdir()
        (tmp_path / "other" / "slides.tex").write_text("mine")
        write_slides(load_spec(path("relu-3-2-1")), SlidesOptions(tmp_path / "other", pdf=False))
