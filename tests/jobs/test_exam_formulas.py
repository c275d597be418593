"""Symbolic exam questions (``--ask 'formula(w1)'``): each sheet asks for one sample's
∂E/∂w1 as a formula, the key gives it (the JSON's formula in key.json and key.csv, the
expanded chain in key.tex), the checker grades the key's own formula, any equivalent form
and a wrong one as it should, and the LMS exports, which cannot grade a formula, leave
the question out."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from toolchain import compile_latex, katex_failures

from symprop.cli import main
from symprop.core.formulas import formulas
from symprop.examples import path
from symprop.numbers.solution import solve
from symprop.spec import load_spec


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    out = tmp_path_factory.mktemp("exam") / "out"
    assert main(["exam", "sigmoid-2-2-2", "--variants", "2", "--seed", "3", "--ask", "grad(w5),formula(w1),formula(w5)",
                 "-o", str(out), "--no-pdf"]) == 0
    return out


def test_the_key_holds_the_jsons_formulas(exam):
    texts, _ = formulas(solve(load_spec(path("sigmoid-2-2-2"))).derivations)
    rows = json.loads((exam / "key.json").read_text())
    symbolic = [r for r in rows if r["quantity"].startswith("formula(")]
    assert [(r["variant"], r["quantity"]) for r in symbolic] == [
        ("01", "formula(w1)"), ("01", "formula(w5)"), ("02", "formula(w1)"), ("02", "formula(w5)")]
    assert all(r["answer"] == texts[r["quantity"][8:-1]]["chain"] and r["tolerance"] is None for r in symbolic)
    table = list(csv.DictReader(io.StringIO((exam / "key.csv").read_text())))
    assert [r["answer"] for r in table if r["quantity"] == "formula(w1)"] == [texts["w1"]["chain"]] * 2
    assert json.loads((exam / "exam.json").read_text())["ask"] == ["grad(w5)", "formula(w1)", "formula(w5)"]


def test_the_sheets_ask_and_the_key_shows_the_expanded_chain(exam, tmp_path):
    sheet = (exam / "sheets" / "01.tex").read_text()
    assert sheet.count("one sample's gradient as a formula") == 2 and "out\\_h1" in sheet
    key = (exam / "key.tex").read_text()
    assert r"\left(\text{output}_{o1} - \text{target}_{1}\right) * \text{output}_{o1} (1 - \text{output}_{o1})" in key
    compile_latex(key, tmp_path, "key")
    md = (exam / "sheets" / "01.md").read_text()
    assert md.count("one sample's gradient as a formula") == 2 and katex_failures(md) == []


def test_the_checker_grades_the_keys_formula_and_others(exam, tmp_path, capsys):
    rows = json.loads((exam / "key.json").read_text())
    answers = {r["quantity"]: r["answer"] for r in rows if r["variant"] == "01"}
    answers["formula(w5)"] = "out_h1*(out_o1 - target_o1)*sigmoid(net_o1)*(1 - sigmoid(net_o1))"  # equivalent
    sheet = tmp_path / "answers.json"
    sheet.write_text(json.dumps({k: str(v) for k, v in answers.items()}))
    capsys.readouterr()
    assert main(["check", str(exam / "variants" / "01.yaml"), "--answers", str(sheet), "--format", "json"]) == 0
    verdicts = {r["quantity"]: r["verdict"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert verdicts == {"grad(w5)": "correct", "formula(w1)": "correct", "formula(w5)": "correct"}
    sheet.write_text(json.dumps({"formula(w1)": answers["formula(w1)"].replace("w7", "w8")}))
    assert main(["check", str(exam / "variants" / "01.yaml"), "--answers", str(sheet)]) == 1


def test_lms_exports_leave_symbolic_questions_out(exam):
    quiz = ET.parse(exam / "moodle.xml").getroot()
    names = [q.findtext("name/text") for q in quiz.iter("question") if q.get("type") == "numerical"]
    assert len(names) == 2 and not any("formula" in n for n in names)


def test_every_parameters_formula(tmp_path):
    from symprop.jobs.exam import make_exam

    exam = make_exam(load_spec(path("xor-threshold-2-2-1")), 1, 1, "formula(*)")
    assert exam.ask == () and exam.formulas == tuple(f"formula({p})" for p in
                                                     solve(load_spec(path("xor-threshold-2-2-1"))).network.param)


@pytest.mark.parametrize(("ask", "message"), [
    ("formula(w99)", "'w99' is no parameter"),
    ("grad(w5),formula(w99)", "'w99' is no parameter"),
])
def test_a_formula_of_no_parameter_is_one_line(tmp_path, capsys, ask, message):
    status = main(["exam", "sigmoid-2-2-2", "--variants", "1", "--seed", "1", "--ask", ask, "-o", str(tmp_path / "o"),
                   "--no-pdf"])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
