"""A training run in the worked solution: the tables write what the run computed, the
later steps worked in full start where the step before them left off, momentum rows add
up from their own printed digits, and the documents compile and render (TeX Live, KaTeX,
MathJax)."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
import toolchain
from specs import DENSE_3432, XOR_NETWORK, XOR_RUN

from symprop.cli import main
from symprop.numbers.solution import solve, step_solution
from symprop.render.document import document
from symprop.render.worked import latex, loss_svg, markdown
from symprop.spec import parse_spec_text

XOR = XOR_RUN + "rounding: {places: 4}\n" + XOR_NETWORK

SMALL = """
learning_rate: 1
training: {epochs: 3, mode: online}
rounding: {places: 3}
layers:
  - {units: [x]}
  - {units: [h], activation: tanh, weights: [[0.7]], bias: [0.1]}
  - {units: [o], activation: identity, weights: [[-0.4]], bias: [0.2]}
samples:
  - {input: [1], target: [0.5]}
  - {input: [-1], target: [0]}
"""


def _solution(text: str = XOR):
    return solve(parse_spec_text(text, "xor.yaml"))


@pytest.fixture(scope="module")
def xor():
    solution = _solution()
    return solution, document(solution, "chain", None, 3)


def _aligned(markdown_text: str, heading: str) -> str:
    """The text of one ``##`` section."""
    start = markdown_text.index(f"\n## {heading}\n")
    end = markdown_text.find("\n## ", start + 1)
    return markdown_text[start:end if end >= 0 else None]


def test_tables_write_the_run(xor):
    solution, doc = xor
    run = solution.run
    text = markdown(doc)
    section = _aligned(text, "Training")
    assert "3 epochs; the parameters are updated after each sample, in the given order; with momentum 0.9" in section
    found = re.findall(r"^\| (before training|epoch \d) \| \$(-?[\d.]+)\$ \| (?:\$(-?[\d.]+)\$)? \|$", section,
                       re.MULTILINE)
    rows = {when: after for when, after, _ in found}
    during = {when: summed for when, _, summed in found}
    assert "| | total error | during the epoch |" in section.replace("|  |", "| |")
    assert rows["before training"] == f"{run.error_initial.quantize(Decimal('0.0001'))}" and not during["before training"]
    for e in run.epochs:
        assert rows[f"epoch {e.number}"] == f"{e.error_total.quantize(Decimal('0.0001'))}"
        # online: the four updates' errors, each before its update, summed (what training code prints)
        summed = sum(s.evaluation.error_total for s in e.steps)
        assert len(e.steps) == 4 and during[f"epoch {e.number}"] == f"{summed.quantize(Decimal('0.0001'))}"
    # the initial error is over every sample, not the first step's one sample
    assert Decimal(rows["before training"]) != solution.hand.error_total.quantize(Decimal("0.0001"))
    last = re.search(r"^\| \$b_\{o\}\$ \| (.*) \|$", section, re.MULTILINE).group(1).split(" | ")
    assert last[0] == "$0.3$"
    assert last[-1] == f"${run.epochs[-1].updated['b_o'].quantize(Decimal('0.0001'))}$"
    assert "The parameters after each update" not in section  # nine parameters: too wide a table


def test_small_runs_list_every_update():
    solution = _solution(SMALL)
    run = solution.run
    section = _aligned(markdown(document(solution, "chain", None, 1)), "Training")
    assert "The parameters after each update" in section
    steps = re.findall(r"^\| (\d+) \| (\d) \| (\d) \| (.*) \|$", section, re.MULTILINE)
    assert [(int(a), int(b), int(c)) for a, b, c, _ in steps] == [(k + 1, k // 2 + 1, k % 2 + 1) for k in range(6)]
    for (_, _, _, cells), step in zip(steps, run.steps):
        values = [Decimal(c.strip("$")) for c in cells.split(" | ")]
        assert values == [step.evaluation.updated[p.name].quantize(Decimal("0.001")) for p in solution.network.params]


def test_later_steps_start_from_the_step_before(xor):
    solution, doc = xor
    assert [later.step for later in doc.training.later] == [2, 3]
    second = step_solution(solution, 2)
    first_new = solution.hand.updated
    assert second.spec.samples[0].input == solution.course.spec.samples[1].input
    for name, value in first_new.items():
        assert second.network.param[name].value == Fraction(value), name
    text = markdown(doc)
    later = text[text.index("\n## Update 2 (epoch 1, sample 2)\n"):text.index("\n## Update 3 (epoch 1, sample 3)\n")]
    assert "From the parameters after update 1." in later
    # sample 2's input (0, 1) and update 1's written parameters in its first sum
    w = {k: f"{v:.4f}" for k, v in first_new.items()}
    assert f"= 0 * {w['w_h1_x1']} + 1 * {w['w_h1_x2']} + {w['b_h1']} =" in later
    assert "### Forward pass" in later and "#### $w_{o,h1}$" in later


def test_momentum_rows_add_up_from_their_own_digits(xor):
    _, doc = xor
    text = markdown(doc)
    rows = re.findall(r"^&= 0\.9 \* \(?(-?[\d.]+)\)? - 0\.5 \* \(?(-?[\d.]+)\)? = (-?[\d.]+) \\\\$", text, re.MULTILINE)
    assert len(rows) == 9 * 3  # every parameter, in each of the three updates worked in full
    for before, grad, velocity in rows:
        exact = Decimal("0.9") * Decimal(before) - Decimal("0.5") * Decimal(grad)
        assert abs(exact - Decimal(velocity)) <= Decimal("0.00015"), (before, grad, velocity)
    assert any(Decimal(before) != 0 for before, _, _ in rows)  # the velocity carries over
    assert r"v_{w_{o,h1}} &= \mu * v_{w_{o,h1}} - \eta * \frac" in text


def test_momentum_is_not_the_learning_rate_letter():
    solution = _solution(XOR)
    doc = document(solution, "chain", "pre_post", 1)
    assert doc.updates and any(r"\alpha \cdot v_" in row for eq in doc.updates for row in eq.rows)
    assert not any(r"\mu \cdot v_" in row for eq in doc.updates for row in eq.rows)


def test_loss_curve_is_an_svg_of_every_epoch(xor):
    _, doc = xor
    svg = loss_svg(doc)
    root = ET.fromstring(svg.split("?>", 1)[1])
    lines = [e for e in root.iter() if e.tag.endswith("polyline")]
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 4
    assert "generated by symprop" in svg.splitlines()[1]


def test_batch_mode_words_and_every_sample():
    solution = _solution(XOR.replace("mode: online, momentum: 0.9", "mode: batch"))
    doc = document(solution, "chain", None, 2)
    text = markdown(doc)
    assert "once per epoch, from the gradients summed over every sample" in text
    assert "## Update 2 (epoch 2, every sample)" in text
    assert "momentum" not in _aligned(text, "Training")


def test_training_documents_compile_and_render(xor, tmp_path):
    solution, doc = xor
    toolchain.compile_latex(latex(doc, solution.network), tmp_path, "training")
    toolchain.require("pdftotext", "apt-get install poppler-utils")
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "training.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
    assert "Training" in pdf_text and "Update 3 (epoch 1, sample 3)" in pdf_text and "0.4921" in pdf_text
    text = markdown(doc)
    assert toolchain.katex_failures(text) == []
    assert toolchain.mathjax_failures(text) == []


def test_full_steps_out_of_range_is_one_line(tmp_path, capsys):
    spec = tmp_path / "xor.yaml"
    spec.write_text(XOR)
    assert main(["solve", str(spec), "-o", str(tmp_path / "out"), "--format", "md", "--full-steps", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--full-steps: 0 is not a whole number from 1 to 50" in err
    assert not (tmp_path / "out").exists()


def test_full_steps_beyond_the_run_works_every_step(tmp_path):
    spec = tmp_path / "xor.yaml"
    spec.write_text(XOR.replace("epochs: 3", "epochs: 1"))
    assert main(["solve", str(spec), "-o", str(tmp_path / "out"), "--format", "md", "--full-steps", "50"]) == 0
    text = (tmp_path / "out" / "solution.md").read_text()
    assert "## Update 4 (epoch 1, sample 4)" in text and "Update 5" not in text
    assert (tmp_path / "out" / "loss.svg").is_file()


def _deck_tex(text: str, style: str = "chain"):
    from symprop.render.deck import deck
    from symprop.render.env import render

    the_deck = deck(solve(parse_spec_text(text, "run.yaml"), form="chain" if style == "chain" else "delta"),
                    style=style)
    return the_deck, render("beamer/slides.tex.j2", "tex", deck=the_deck)


@pytest.mark.parametrize(("text", "style"), [(XOR, "chain"), (SMALL, "delta")], ids=["xor-chain", "small-delta"])
def test_the_deck_gets_a_training_section_that_compiles_with_its_pages(tmp_path, text, style):
    the_deck, tex = _deck_tex(text, style)
    solution = _solution(text)
    run = solution.run
    section = dict(the_deck.sections)["Training"]
    titles = [f.title for f in section]
    assert titles[:3] == ["How the run goes", "The total error per epoch", "The loss curve"]
    # the error table: before training and every epoch, the values the run computed, written at 4 / 3 places
    places = 4 if text is XOR else 3
    errors = [row for f in section if f.title.startswith("The total error") for row in f.table]
    assert [row[0] for row in errors] == ["before training"] + [f"epoch {e.number}" for e in run.epochs]
    expected = [run.error_initial] + [e.error_total for e in run.epochs]
    assert [Decimal(row[1]) for row in errors] == [round(v, places) for v in expected]
    # both runs are online: each epoch's updates' errors summed beside it
    summed = [sum(s.evaluation.error_total for s in e.steps) for e in run.epochs]
    assert [row[2] for row in errors] == [""] + [f"{round(v, places)}" for v in summed]
    # every parameter per epoch, at the update places; a small run also lists every update
    params = [row for f in section if f.title.startswith("Every parameter") for row in f.table]
    assert len(params) == len(solution.network.params)
    steps = [row for f in section if f.title.startswith("The parameters after each update") for row in f.table]
    assert len(steps) == (len(run.steps) if len(solution.network.params) <= 8 else 0)
    for row, step in zip(steps, run.steps if steps else [], strict=True):
        last = solution.network.params[-1].name
        assert Decimal(row[-1]) == round(step.evaluation.updated[last], places)
    assert ("momentum" in section[0].text) == (text is XOR) and "pgfplots" in tex
    log = toolchain.compile_latex(tex, tmp_path, "slides")
    assert int(re.search(r"Output written on \S+ \((\d+) pages?", log)[1]) == the_deck.pages
    assert "Training" not in dict(_deck_tex(SMALL.replace("training: {epochs: 3, mode: online}\n", ""))[0].sections)


def test_one_update_per_epoch_has_no_column_for_its_updates():
    """A batch run updates once per epoch: the summed column would repeat the row above."""
    solution = _solution(SMALL.replace("mode: online", "mode: batch"))
    section = _aligned(markdown(document(solution, "chain", None, 1)), "Training")
    assert "| | total error |\n|---|---|\n" in section.replace("|  |", "| |")
    assert "during the epoch" not in section and "each taken before its update" not in section


def test_a_big_networks_parameter_table_goes_on_over_the_pages():
    """A 3-4-3-2 run has 34 parameters: the LaTeX table of every parameter per epoch is a
    long table (a tabular would run off the page), its header repeated, every parameter a row."""
    spec = parse_spec_text(DENSE_3432.replace("layers:", "training: {epochs: 3, mode: online}\nlayers:", 1), "d.yaml")
    solution = solve(spec)
    tex = latex(document(solution, "chain", None, 1), solution.network)
    table = tex[tex.index("Every parameter at the end of each epoch:"):]
    table = table[:table.index("\\end{longtable}")]
    assert "\\begin{longtable}" in table and "\\endhead" in table and "tabular" not in table
    rows = [line for line in table.splitlines() if line.startswith("\\(") and line.endswith("\\\\")]
    assert len(rows) == len(solution.network.params) == 34
