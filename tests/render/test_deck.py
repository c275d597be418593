"""Lecture slides: every bundled example and style compiles with a real TeX engine, with no
errors, no overfull boxes beyond a few points, and exactly the pages its frames and
overlays call for; the backward frames highlight the path being differentiated."""

from __future__ import annotations

import re

import gallery
import pytest
from toolchain import compile_latex

from symprop.cli import main
from symprop.errors import SympropError
from symprop.examples import names, path
from symprop.jobs.options import Rendering, SlidesOptions
from symprop.jobs.slides import slides_tex, write_slides
from symprop.numbers.solution import solve
from symprop.render.deck import deck
from symprop.render.env import render
from symprop.spec import load_spec
from symprop.spec.choices import STYLES


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
    # w1: one frame per error term, five factors each, then their sum
    w1 = [f for f in frames if f.title.startswith(r"\(w_{1}\)")]
    assert len(w1) == 3 and w1[-1].title.endswith("adding up the paths")
    assert w1[-1].rows[0].rhs == "= 0.00159 + (-0.00049)" and w1[-1].rows[-1].rhs == "= 0.00110"
    assert w1[0].steps == 7


def test_the_path_is_highlighted():
    the_deck = deck(solve(load_spec(path("sigmoid-2-2-2"))), detail=["w1"])
    first = next(f for _, frames in the_deck.sections for f in frames if f.kind == "reveal")
    assert first.title == r"\(w_{1}\): the path through h1, o1"
    highlighted_edges = re.findall(r"\\draw\[weight, highlight\]", first.picture)
    assert len(highlighted_edges) == 2  # w1 (i1 -> h1) and w5 (h1 -> o1)
    highlighted_units = re.findall(r"\\node\[unit, highlightunit\] at \S+ \{\$(\S+)\$\}", first.picture)
    assert highlighted_units == ["i_{1}", "h_{1}", "o_{1}"]


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
