"""Exams on a training run: ``new(w)[step N]``, ``grad(w)[step N]``, ``E_total[epoch E]``
and ``new(w)[epoch E]`` asked, answered from an independent float run of each variant, the
key working the asked updates in full, and the checker grading the key's answers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from float_oracle import Oracle
from specs import XOR_NETWORK, XOR_RUN

from symprop.cli import main
from symprop.jobs.exam import default_ask, make_exam
from symprop.numbers.quantities import kind_of, when_of
from symprop.numbers.solution import solve
from symprop.spec import load_spec, parse_spec_text

SPEC = "title: XOR with momentum\n" + XOR_RUN + "rounding: {places: 4}\n" + XOR_NETWORK + """\
exam:
  weights: {min: -1, max: 1, step: 0.1}
  ask: ["new(w_o_h1)[step 2]", "grad(w_h1_x1)[step 3]", "E_total[epoch 3]", "new(b_o)[epoch 2]", "out(o)"]
"""


@pytest.fixture(scope="module")
def exam(tmp_path_factory):
    out = tmp_path_factory.mktemp("exam") / "exam"
    spec = out.parent / "xor.yaml"
    spec.write_text(SPEC)
    assert main(["exam", str(spec), "--variants", "3", "--seed", "5", "-o", str(out), "--no-pdf"]) == 0
    return out


def test_names_read_back():
    assert kind_of("new(w5)[step 2]") == ("new", {"param": "w5"}, "", "[step 2]")
    assert kind_of("E_total[epoch 3]") == ("total", {}, "", "[epoch 3]")
    assert kind_of("out(o1)[2][step 1]") == ("out", {"unit": "o1"}, "", "[2][step 1]")
    assert when_of("grad(w1)[step 12]") == ("step", 12) and when_of("out(o1)[2]") is None
    with pytest.raises(ValueError):
        kind_of("out(o1)[epoch 2]")  # an epoch's end is asked for E_total and the parameters only


def _oracle_value(spec, quantity: str) -> float:
    epochs = Oracle(spec).run()
    steps = [step for e_steps, _, _ in epochs for step in e_steps]
    kind, fields, _, _ = kind_of(quantity)
    what, number = when_of(quantity)
    if what == "epoch":
        _, params, error = epochs[number - 1]
        return error if kind == "total" else params[fields["param"]]
    gradients, params = steps[number - 1]
    return gradients[fields["param"]] if kind == "grad" else params[fields["param"]]


def test_key_answers_are_an_independent_float_run_of_each_variant(exam):
    rows = json.loads((exam / "key.json").read_text(), parse_float=Decimal)
    asked = [r for r in rows if when_of(r["quantity"]) is not None]
    assert len(asked) == 3 * 4
    for row in asked:
        spec = load_spec(exam / "variants" / f"{row['variant']}.yaml")
        expected = _oracle_value(spec, row["quantity"])
        assert abs(float(row["answer"]) - expected) <= 0.5e-4 + 1e-12, row
    first = [r for r in rows if r["quantity"] == "out(o)"]  # the first update's: sample 1
    for row in first:
        spec = load_spec(exam / "variants" / f"{row['variant']}.yaml")
        _, out = Oracle(spec).forward({w.name: float(w.value) for w in spec.weights}
                                      | {b.name: float(b.value) for b in spec.biases},
                                      {u: float(v) for u, v in spec.samples[0].input})
        assert abs(float(row["answer"]) - out["o"]) <= 0.5e-4


def test_the_key_works_the_asked_updates_in_full_and_the_sheet_says_when(exam):
    key = (exam / "key" / "01" / "solution.md").read_text()
    assert "## Update 3 (epoch 1, sample 3)" in key and "## Update 4" not in key
    assert (exam / "key" / "01" / "loss.svg").is_file()
    sheet = (exam / "sheets" / "01.md").read_text()
    assert "A training run of back-propagation (12 updates, see the rules)" in sheet
    assert "the updated weight, in update 2" in sheet and "the total error, after epoch 3" in sheet
    assert "the output, in update 1" in sheet
    assert "training: 3 epochs; the parameters are updated after each sample, in the given order" in sheet
    assert r"v \leftarrow \mu * v - \eta *" in sheet
    # every sample is given, not only the first update's
    assert "${x_{2}}^{[4]}$ | $1$" in sheet


def test_the_checker_grades_the_key_correct_and_a_slip_wrong(exam, tmp_path, capsys):
    rows = json.loads((exam / "key.json").read_text())
    answers = {r["quantity"]: str(r["answer"]) for r in rows if r["variant"] == "02"}
    sheet = tmp_path / "answers.yaml"
    sheet.write_text("".join(f"'{q}': '{a}'\n" for q, a in answers.items()))
    capsys.readouterr()
    assert main(["check", str(exam / "variants" / "02.yaml"), "--answers", str(sheet)]) == 0
    assert f"{len(answers)} correct" in capsys.readouterr().out
    slipped = dict(answers)
    slipped["E_total[epoch 3]"] = str(Decimal(answers["E_total[epoch 3]"]) + Decimal("0.01"))
    sheet.write_text("".join(f"'{q}': '{a}'\n" for q, a in slipped.items()))
    assert main(["check", str(exam / "variants" / "02.yaml"), "--answers", str(sheet)]) == 1


def test_default_questions_of_a_run_end_with_the_last_epoch():
    solution = solve(parse_spec_text(SPEC, "xor.yaml"))
    assert default_ask(solution)[-1] == "E_total[epoch 3]"


def test_a_step_beyond_the_run_is_named_with_the_known_names():
    spec = parse_spec_text(SPEC, "xor.yaml")
    with pytest.raises(Exception, match=r"new\(w_o_h1\)\[step 13\]"):
        make_exam(spec, 1, 1, "new(w_o_h1)[step 13]")
