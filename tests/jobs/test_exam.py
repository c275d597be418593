"""Exams (``symprop exam``): seeded variants, their rejection rules, the keys against the
engine and the checker, the Moodle XML, the LaTeX and Markdown sheets, and the files."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from toolchain import compile_latex, katex_failures, mathjax_failures, mathjax_html_failures, require

from symprop.cli import main
from symprop.errors import SympropError
from symprop.examples import path
from symprop.jobs.check.answers import Checker
from symprop.jobs.exam import MAX_VARIANTS, REASONS, default_ask, make_exam, tolerance, write_exam
from symprop.jobs.options import ExamOptions
from symprop.numbers.solution import solve
from symprop.render.printer import given
from symprop.spec import Grid, Rounding, load_spec, parse_spec_text

EXAMPLES = ("relu-3-2-1", "sigmoid-2-2-2", "tanh-2-3-3-2")
TANH_ASK = (
    "out(o1)[2],net(h1_2)[1],delta(h2_1)[2],E(o2)[1],E_total,grad(skip),grad(b_hidden2),new(b_hidden2),E_total_after"
)
# relu-3-2-1 writes 3 places with a learning rate of 0.1: an update is never 10 times apart
# from the update a wrong gradient gives, so its default questions (with new(w_000)) give up
RELU_ASK = "out(o),E_total,grad(w_100),grad(w_000)"
ASK = {"relu-3-2-1": ["--ask", RELU_ASK], "tanh-2-3-3-2": ["--ask", TANH_ASK]}

TWO_OUTPUTS = """\
title: Two outputs
learning_rate: 0.5
rounding: {places: 2}
layers:
  - {units: [i1]}
  - {units: [o1, o2], activation: identity}
weights:
  w1: i1 -> o1 = 0.1
  w2: i1 -> o2 = 0.2
samples:
  - {input: {i1: 1}, target: {o1: 0, o2: 0}}
exam:
  weights: {min: 0.1, max: 0.2, step: 0.1}
  ask: [out(o1), out(o2)]
"""


def run(out: Path, spec: str = "sigmoid-2-2-2", n: int = 3, seed: int = 1, *extra: str) -> None:
    assert main(["exam", spec, "--variants", str(n), "--seed", str(seed), "-o", str(out), "--no-pdf", *extra]) == 0


def key(out: Path) -> list[dict]:
    return json.loads((out / "key.json").read_text(), parse_float=Decimal)


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def write_spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> str:
    (tmp_path / name).write_text(text)
    return str(tmp_path / name)


def engine_shown(data: dict, quantity: str) -> str:
    """A quantity's ``shown`` value from ``symprop solve``'s JSON (an independent path)."""
    m = re.fullmatch(r"(\w+)(?:\((\w+)\))?(\*?)(?:\[(\d+)\])?", quantity)
    kind, name, after, k = m[1], m[2], m[3], int(m[4] or 1) - 1
    if kind == "E_total":
        return data["error_total"]["shown"]
    if kind == "E_total_after":
        return data["after"]["error_total"]["shown"]
    if kind == "grad":
        return data["gradients"][name]["shown"]
    if kind == "new":
        return data["updated"][name]["shown"]
    sample = (data["after"]["samples"] if after else data["samples"])[k]
    if kind == "E":
        return sample["error"][name]["shown"]
    return sample["units"][name][kind]["shown"]


# --- the keys are the engine's answers ------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_key_answer_is_the_engine_on_its_variant_spec(tmp_path, name):
    out = tmp_path / "exam"
    run(out, name, 3, 7, *ASK.get(name, []))
    rows = key(out)
    manifest = json.loads((out / "exam.json").read_text())
    assert len(rows) == 3 * len(manifest["ask"]) and {r["variant"] for r in rows} == {"01", "02", "03"}
    for number in ("01", "02", "03"):
        spec = load_spec(out / "variants" / f"{number}.yaml")
        solution = solve(spec)
        data = json.loads(solution.to_json())
        checker = Checker(solution)
        for row in (r for r in rows if r["variant"] == number):
            q = row["quantity"]
            written = engine_shown(data, q) if "delta" not in q else checker.shown(q)
            assert f"{row['answer']:f}" == written == checker.shown(q), (number, q)
            assert Decimal(written) == row["answer"]
            # the exact value rounded or truncated at the policy's places lies within the tolerance
            for mode in ("round", "truncate"):
                written_exactly = Rounding(spec.rounding.places, mode)(checker.exact[q])
                assert abs(written_exactly - row["answer"]) <= row["tolerance"], (number, q, mode)


def test_a_key_answer_sheet_is_graded_correct_by_the_checker(tmp_path, capsys):
    out = tmp_path / "exam"
    run(out, "relu-3-2-1", 2, 3, *ASK["relu-3-2-1"])
    for number in ("01", "02"):
        answers = {r["quantity"]: str(r["answer"]) for r in key(out) if r["variant"] == number}
        sheet = tmp_path / f"answers-{number}.yaml"
        sheet.write_text("".join(f"'{q}': '{a}'\n" for q, a in answers.items()))
        capsys.readouterr()
        assert main(["check", str(out / "variants" / f"{number}.yaml"), "--answers", str(sheet)]) == 0
        assert f"{len(answers)} correct" in capsys.readouterr().out
    wrong = dict(answers, E_total=str(Decimal(answers["E_total"]) + Decimal("0.05")))
    sheet.write_text("".join(f"'{q}': '{a}'\n" for q, a in wrong.items()))
    assert main(["check", str(out / "variants" / "02.yaml"), "--answers", str(sheet)]) == 1


def test_default_questions_and_the_csv_key(tmp_path):
    assert default_ask(solve(load_spec(path("sigmoid-2-2-2")))) == (
        "out(o1)", "out(o2)", "E_total", "grad(w5)", "grad(w1)", "new(w1)")
    assert default_ask(solve(load_spec(path("tanh-2-3-3-2"))))[:5] == (
        "out(o1)[1]", "out(o2)[1]", "out(o1)[2]", "out(o2)[2]", "E_total")
    out = tmp_path / "exam"
    run(out, n=2)
    lines = (out / "key.csv").read_text().splitlines()
    assert lines[0] == "variant,quantity,answer,tolerance" and len(lines) == 1 + 2 * 6
    assert [line.split(",")[:2] for line in lines[1:3]] == [["01", "out(o1)"], ["01", "out(o2)"]]
    assert all(line.endswith(",0.00001") for line in lines[1:])  # carry exact: one unit of the 5th place


def test_tolerance_follows_the_rounding_policy():
    exact_policy, shown_policy = Rounding(3, "round", "exact"), Rounding(3, "round", "shown")
    assert tolerance(Decimal("0.12345"), Decimal("0.123"), exact_policy) == Decimal("0.001")
    assert tolerance(Decimal("0.12345"), Decimal("0.123"), shown_policy) == Decimal("0.001")
    assert tolerance(Decimal("0.12345"), Decimal("0.125"), shown_policy) == Decimal("0.003")  # drifted 1.55 units


# --- variants: determinism, distinctness, their spec files ------------------------------------


def test_same_seed_same_bytes_other_seed_other_numbers(tmp_path):
    run(tmp_path / "a", "tanh-2-3-3-2", 2, 11)
    run(tmp_path / "b", "tanh-2-3-3-2", 2, 11)
    run(tmp_path / "c", "tanh-2-3-3-2", 2, 12)
    a, b, c = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "c")
    assert a == b
    assert a["variants/01.yaml"] != c["variants/01.yaml"] and a["key.csv"] != c["key.csv"]


def test_variants_are_distinct_and_on_the_grid(tmp_path):
    out = tmp_path / "exam"
    run(out, n=12, seed=5)
    specs = [load_spec(p) for p in sorted((out / "variants").glob("*.yaml"))]
    assert len(specs) == 12
    drawn = {tuple(p.value for p in s.parameters) for s in specs}
    assert len(drawn) == 12
    for s in specs:
        assert all(-1 <= p.value <= 1 and (p.value * 10).denominator == 1 and p.value != 0 for p in s.parameters)
        assert s.samples == load_spec(path("sigmoid-2-2-2")).samples  # inputs and targets kept
        assert s.exam is None


def test_a_variant_file_reads_back_with_the_dense_names_written_out(tmp_path):
    out = tmp_path / "exam"
    run(out, "tanh-2-3-3-2", 1, 3)
    text = (out / "variants" / "01.yaml").read_text()
    assert text.startswith("# generated by symprop exam: variant 01 of tanh-2-3-3-2, seed 3\n")
    assert "  w_h1_1_i1: i1 -> h1_1 = " in text and "  b_hidden2: h2_1, h2_2, h2_3 = " in text
    template, variant = load_spec(path("tanh-2-3-3-2")), load_spec(out / "variants" / "01.yaml")
    assert variant.layers == template.layers and variant.rounding == template.rounding
    assert [w.name for w in variant.weights] == [w.name for w in template.weights]


def test_yaml_words_and_fractions_survive_the_variant_file(tmp_path):
    spec = write_spec(tmp_path, """\
title: 'Quotes "and" colons: yes'
learning_rate: 1/3
layers:
  - {units: ['no', 'on']}
  - {units: ['yes'], activation: leaky_relu, slope: 1/8}
weights:
  w1: no -> yes = 0.5
  'null': on -> yes = 0.25
samples:
  - {input: {'no': 1/3, 'on': 1}, target: {'yes': 1}}
exam:
  weights: {min: 1/3, max: 2, step: 1/3}
  biases: keep
""")
    out = tmp_path / "exam"
    run(out, spec, 2, 1, "--ask", "out(yes),grad(null)")
    variant = load_spec(out / "variants" / "01.yaml")
    assert variant.title == 'Quotes "and" colons: yes, variant 01'
    assert variant.learning_rate.denominator == 3 and variant.layers[1].slope == Decimal("0.125")
    assert all(w.value.denominator in (1, 3) for w in variant.weights)


# --- rejection rules --------------------------------------------------------------------------


def rejected(out: Path) -> dict[str, int]:
    return {r["reason"]: r["count"] for r in json.loads((out / "exam.json").read_text())["rejected"]}


def test_saturated_draws_are_rejected_and_counted(tmp_path):
    text = path("sigmoid-2-2-2").read_text() + "exam:\n  weights: {min: -4, max: 4, step: 0.5}\n"
    out = tmp_path / "exam"
    run(out, write_spec(tmp_path, text), 6, 2)
    counts = rejected(out)
    assert list(counts) == list(REASONS) and counts["saturated"] > 0
    summary = json.loads((out / "exam.json").read_text())["summary"]
    assert f"{counts['saturated']} saturated" in summary
    for p in (out / "variants").glob("*.yaml"):
        forward = solve(load_spec(p)).exact.forward
        assert all(abs(net) <= 4 for f in forward for net in f.net.values())


def test_max_net_tightens_the_saturation_limit(tmp_path):
    text = path("sigmoid-2-2-2").read_text() + "exam: {max_net: 0.5}\n"
    out = tmp_path / "exam"
    run(out, write_spec(tmp_path, text), 3, 2)
    assert rejected(out)["saturated"] > 0
    for p in (out / "variants").glob("*.yaml"):
        assert all(abs(net) <= Decimal("0.5") for f in solve(load_spec(p)).exact.forward for net in f.net.values())


def test_dead_relu_units_are_rejected_unless_allowed(tmp_path):
    out = tmp_path / "exam"
    run(out, "relu-3-2-1", 8, 4, *ASK["relu-3-2-1"])
    assert rejected(out)["dead_relu"] > 0
    for p in (out / "variants").glob("*.yaml"):
        solution = solve(load_spec(p))
        for unit in ("h0", "h1"):
            assert any(f.net[unit] > 0 for f in solution.exact.forward)
    allowed = path("relu-3-2-1").read_text().replace("\nexam:\n", "\nexam:\n  allow_dead_relu: true\n")
    out2 = tmp_path / "allowed"
    run(out2, write_spec(tmp_path, allowed), 8, 4, *ASK["relu-3-2-1"])
    assert rejected(out2)["dead_relu"] == 0


def test_kinks_and_gradients_that_vanish_at_the_shown_places_are_rejected(tmp_path):
    kinked = """\
learning_rate: 0.5
rounding: {places: 2}
layers:
  - {units: [x]}
  - {units: [h], activation: relu}
  - {units: [y], activation: identity}
weights: {u: x -> h = 1, v: h -> y = 1}
biases: {b: h = 0}
samples: [{input: {x: 1}, target: {y: 0}}]
exam:
  weights: {min: -1, max: 1, step: 0.5}
  biases: {min: -1, max: 1, step: 0.5}
  ask: [out(y), grad(u)]
"""
    out = tmp_path / "kink"
    run(out, write_spec(tmp_path, kinked), 3, 1)
    assert rejected(out)["kink"] > 0
    for p in (out / "variants").glob("*.yaml"):
        assert not solve(load_spec(p)).to_dict()["notes"]
    small = path("sigmoid-2-2-2").read_text().replace("places: 5", "places: 4")
    out2 = tmp_path / "zero"
    run(out2, write_spec(tmp_path, small, "small.yaml"), 4, 1, "--ask", "grad(w1),new(w2)")
    assert rejected(out2)["zero_gradient"] > 0
    for number in ("01", "02", "03", "04"):
        checker = Checker(solve(load_spec(out2 / "variants" / f"{number}.yaml")))
        assert Decimal(checker.shown("grad(w1)")) != 0 and Decimal(checker.shown("grad(w2)")) != 0


def test_ties_and_duplicates_are_rejected_and_a_hopeless_exam_gives_up(tmp_path, capsys):
    spec = write_spec(tmp_path, TWO_OUTPUTS)
    out = tmp_path / "exam"
    run(out, spec, 2, 1)
    counts = rejected(out)
    answers = [(r["variant"], r["answer"]) for r in key(out)]
    assert answers[0][1] != answers[1][1] and answers[2][1] != answers[3][1]
    assert counts["tie"] + counts["duplicate"] > 0
    capsys.readouterr()
    assert main(["exam", spec, "--variants", "3", "--seed", "1", "-o", str(tmp_path / "no"), "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"gave up after 1000 rejected draws in a row, \d+ in all, with 2 of 3 variants accepted "
                     r"\(rejected: \d+ duplicate, \d+ tie\)", err)
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "no").exists()


# --- Moodle XML ---------------------------------------------------------------------------------


def test_moodle_xml_has_a_numerical_question_per_asked_quantity_per_variant(tmp_path):
    out = tmp_path / "exam"
    run(out, "relu-3-2-1", 3, 9, "--ask", "out(o),E_total,grad(w_100),grad(b_00)")
    rows = key(out)
    root = ET.parse(out / "moodle.xml").getroot()
    assert root.tag == "quiz"
    categories = root.findall("question[@type='category']")
    questions = root.findall("question[@type='numerical']")
    assert len(categories) == 4 and len(questions) == 3 * 4 == len(rows)
    assert categories[0].findtext("category/text") == (
        "$course$/top/Forward and backward pass in a neural network (symprop exam, seed 9)/out(o)")
    by_quantity = sorted(rows, key=lambda r: (["out(o)", "E_total", "grad(w_100)", "grad(b_00)"].index(r["quantity"]),
                                              r["variant"]))
    for question, row in zip(questions, by_quantity):
        assert question.findtext("name/text") == f"Variant {row['variant']}: {row['quantity']}"
        answer = question.find("answer")
        assert answer.get("fraction") == "100"
        assert Decimal(answer.findtext("text")) == row["answer"] and f"{row['answer']:f}" == answer.findtext("text")
        assert Decimal(answer.findtext("tolerance")) == row["tolerance"] >= Decimal("0.001")
        body = question.find("questiontext")
        assert body.get("format") == "html"
        text = body.findtext("text")
        assert "<img src=\"@@PLUGINFILE@@/network-" in text and "What is " in text
        file = body.find("file")
        assert file.get("name") == f"network-{row['variant']}.svg" and file.get("encoding") == "base64"
        assert b"<svg" in base64.b64decode(file.text)
    variant = load_spec(out / "variants" / "02.yaml")
    text = questions[1].findtext("questiontext/text")  # out(o), variant 02
    assert all(f"{given(w.value)}\\)" in text for w in variant.weights)
    cloze = ET.parse(out / "moodle-cloze.xml").getroot().findall("question[@type='cloze']")
    assert len(cloze) == 3
    for question, number in zip(cloze, ("01", "02", "03")):
        text = question.findtext("questiontext/text")
        codes = re.findall(r"\{1:NUMERICAL:=(-?[\d.]+):([\d.]+)[~}]", text)
        assert codes == [(f"{r['answer']:f}", f"{r['tolerance']:f}") for r in rows if r["variant"] == number]


def test_moodle_text_is_escaped(tmp_path):
    text = path("sigmoid-2-2-2").read_text().replace(
        "title: Forward pass and back-propagation", "title: 'A <b>bold</b> & \"quoted\" ]]> title'")
    out = tmp_path / "exam"
    run(out, write_spec(tmp_path, text), 1, 1)
    for name in ("moodle.xml", "moodle-cloze.xml"):
        root = ET.parse(out / name).getroot()  # well-formed
        question = root.findall("question")[1]  # the first after the category
        body = question.findtext("questiontext/text")
        assert "A &lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\" ]]&gt; title, variant 01" in body
        assert html.unescape(body).count("<b>bold</b>") == 1


# --- sheets: LaTeX compiles, Markdown math renders ------------------------------------------------


def test_question_sheets_and_the_key_compile(tmp_path):
    out = tmp_path / "exam"
    run(out, "tanh-2-3-3-2", 2, 1)
    log = compile_latex((out / "sheets.tex").read_text(), tmp_path, "sheets")
    assert re.search(r"Output written on sheets\.pdf \(\d+ pages", log)
    compile_latex((out / "key.tex").read_text(), tmp_path, "key")
    sheet = (out / "sheets" / "01.tex").read_text()
    assert sheet.startswith("% generated by symprop exam") and sheet.count(r"\answerbox \\") == 8
    assert r"\(a^{3}_{1}{}^{[2]}" in sheet or r"\({a^{3}_{1}}^{[2]}" in sheet


@pytest.mark.parametrize("name", EXAMPLES)
def test_markdown_sheets_render_with_katex(tmp_path, name):
    out = tmp_path / "exam"
    run(out, name, 1, 1, *ASK.get(name, []))
    sheet = (out / "sheets" / "01.md").read_text()
    assert sheet.startswith("<!-- generated by symprop exam") and "![The network](<01.svg>)" in sheet
    assert katex_failures(sheet) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_sheets_and_moodle_math_render_in_mathjax(tmp_path, name):
    """Moodle and the Markdown viewers render with MathJax: no error, no visible backslash."""
    out = tmp_path / "exam"
    run(out, name, 1, 1, *ASK.get(name, []))
    assert mathjax_failures((out / "sheets" / "01.md").read_text()) == []
    for moodle in ("moodle.xml", "moodle-cloze.xml"):
        assert mathjax_html_failures((out / moodle).read_text()) == []


def test_a_users_template_overrides_a_block(tmp_path):
    mine = tmp_path / "mine" / "exam"
    mine.mkdir(parents=True)
    (mine / "sheet.md.j2").write_text(
        '((* extends "exam/base.md.j2" *))\n((* block header -*))\n'
        "<!-- generated by symprop exam -->\n# Midterm, version ((( sheet.number )))\n((* endblock *))\n"
    )
    out = tmp_path / "exam"
    run(out, "sigmoid-2-2-2", 1, 1, "--templates", str(tmp_path / "mine"))
    sheet = (out / "sheets" / "01.md").read_text()
    assert sheet.startswith("<!-- generated by symprop exam -->\n# Midterm, version 01\n") and "## Questions" in sheet


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])


def test_pdfs_are_written_and_reproducible(tmp_path):

    spec = load_spec(path("sigmoid-2-2-2"), name="sigmoid-2-2-2")
    require("latexmk", "apt-get install latexmk texlive-latex-base")
    first, _ = write_exam(spec, ExamOptions(2, 4, output=tmp_path / "a"))
    write_exam(spec, ExamOptions(2, 4, output=tmp_path / "b"))
    assert [p.name for p in first][:9] == ["exam.json", "key.csv", "key.json", "moodle.xml", "moodle-cloze.xml",
                                          "qti.zip", "sheets.pdf", "key.pdf", "solutions.pdf"]
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert {"sheets/01.pdf", "key/01/solution.pdf", "sheets.pdf", "key.pdf", "solutions.pdf"} <= set(a)
    assert a == b
    # the book: every variant's worked solution, page for page, its number in the header
    require("pdfinfo", "apt-get install poppler-utils")
    book, first_pages = tmp_path / "a" / "solutions.pdf", [1]
    for number in ("01", "02"):
        first_pages.append(first_pages[-1] + pages(tmp_path / "a" / "key" / number / "solution.pdf"))
    assert pages(book) == first_pages[-1] - 1 and pages(tmp_path / "a" / "key.pdf") == 1
    for number, page in zip(("01", "02"), first_pages):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(book), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert f"Variant {number}" in text and f"variant {number}" in text


# --- bad input and the output folder ------------------------------------------------------------


@pytest.mark.parametrize(("argv", "message"), [
    (["--variants", "0"], "--variants: 0 is not a whole number from 1 to 500"),
    (["--variants", str(MAX_VARIANTS + 1)], f"--variants: {MAX_VARIANTS + 1} is not a whole number"),
    (["--ask", "out(o3)"], "--ask: 'out(o3)' is no quantity of sigmoid-2-2-2"),
    (["--ask", "grad(w9)"], "did you mean grad(w8)"),
    (["--ask", " , "], "--ask: no quantities given"),
    (["--seed", "-3"], "--seed: -3 is not a whole number, 0 or more"),
])
def test_bad_options(tmp_path, capsys, argv, message):
    argv = ["exam", "sigmoid-2-2-2", "--variants", "2", "--seed", "1", "-o", str(tmp_path / "x"), "--no-pdf", *argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("section", "message"), [
    ("exam: {weights: {min: 1, max: -1}}", "exam.weights: min 1 must be less than max -1"),
    ("exam: {biases: {min: 0, max: 1, step: 0}}", "exam.biases.step: 0 must be greater than 0"),
    ("exam: {inputs: {min: 0, max: 1, step: 2}}", "exam.inputs.step: 2 is wider than the range from 0 to 1"),
    ("exam: {targets: {max: 1}}", "exam.targets.min: missing"),
    ("exam: {weights: fixed}", "exam.weights: expected 'keep' (the spec's values) or a grid"),
    ("exam: {wieghts: keep}", "exam: unknown key 'wieghts'"),
    ("exam: {weights: {min: 0, max: 1, stepp: 0.1}}", "exam.weights: unknown key 'stepp'"),
    ("exam: {nonzero: 1}", "exam.nonzero: 1 is not true or false"),
    ("exam: {max_net: -2}", "exam.max_net: -2 must be greater than 0"),
    ("exam: {ask: [out(o1), 3]}", "exam.ask[1]: 3 is not a quantity name"),
    ("exam: [1]", "exam: expected a mapping"),
])
def test_bad_exam_sections(section, message):
    text = path("sigmoid-2-2-2").read_text() + section + "\n"
    with pytest.raises(SympropError) as info:
        parse_spec_text(text, source="s.yaml")
    assert message in str(info.value) and str(info.value).startswith("s.yaml: ")


def test_exam_sections_parse_with_defaults():
    base = path("sigmoid-2-2-2").read_text()
    assert load_spec(path("sigmoid-2-2-2")).exam is None
    empty = parse_spec_text(base + "exam:\n").exam
    assert empty.weights == empty.biases == Grid(Decimal(-1), Decimal(1), Decimal("0.1"))
    assert empty.inputs is None and empty.targets is None and empty.nonzero and not empty.allow_dead_relu
    full = parse_spec_text(base + "exam: {inputs: {min: 0, max: 1}, biases: keep, ask: 'out(o1), E_total'}\n").exam
    assert full.inputs == Grid(0, 1, Decimal("0.1")) and full.inputs.size == 11 and full.biases is None
    assert full.ask == ("out(o1), E_total",)


def test_the_exam_sections_ask_is_used_and_checked(tmp_path, capsys):
    base = path("sigmoid-2-2-2").read_text()
    out = tmp_path / "exam"
    run(out, write_spec(tmp_path, base + "exam: {ask: 'out(h1), sum_o1, dE_total/dw6'}\n"), 1, 1)
    assert [r["quantity"] for r in key(out)] == ["out(h1)", "net(o1)", "grad(w6)"]  # preset aliases resolve
    bad = write_spec(tmp_path, base + "exam: {ask: [out(h3)]}\n", "bad.yaml")
    assert main(["exam", bad, "--variants", "1", "--seed", "1", "-o", str(tmp_path / "y"), "--no-pdf"]) == 2
    assert "exam.ask: 'out(h3)' is no quantity of" in capsys.readouterr().err


def test_foreign_files_stop_the_exam_and_stale_files_go(tmp_path, capsys):
    out = tmp_path / "exam"
    out.mkdir()
    (out / "key.csv").write_text("mine\n")
    assert main(["exam", "sigmoid-2-2-2", "--variants", "2", "--seed", "1", "-o", str(out), "--no-pdf"]) == 2
    assert "key.csv: exists and was not written by symprop" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["key.csv"]
    (out / "key.csv").unlink()
    run(out, n=3)
    run(out, n=2)  # over its own files: fine, and variant 03 is gone
    manifest = json.loads((out / "exam.json").read_text())
    assert sorted(files(out)) == sorted(manifest["files"])
    assert not (out / "variants" / "03.yaml").exists() and not (out / "key" / "03").exists()
    (out / "exam.json").write_text("{}")
    assert main(["exam", "sigmoid-2-2-2", "--variants", "2", "--seed", "1", "-o", str(out), "--no-pdf"]) == 2
    assert "exam.json: exists and was not written by symprop exam" in capsys.readouterr().err
    assert main(["exam", "sigmoid-2-2-2", "--variants", "1", "--seed", "1", "-o", str(out / "key.csv")]) == 2
    assert "key.csv: is a file, not a folder" in capsys.readouterr().err


def test_make_exam_is_pure_and_counts_every_draw():
    spec = load_spec(path("sigmoid-2-2-2"))
    exam = make_exam(spec, 4, 3)
    again = make_exam(spec, 4, 3)
    assert [v.text for v in exam.variants] == [v.text for v in again.variants]
    assert exam.draws == len(exam.variants) + sum(exam.rejected.values())
    assert exam.summary.startswith("4 variant(s) from ")
