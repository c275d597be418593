"""``symprop check SPEC --answers FILE``: answer sheets judged against the engine.

Sheets are built from the engine's own values (correct, rounded, truncated, hand-carried,
carried forward from a wrong value) and from each known mistake, whose values for the
2-2-2 network of the lecture notes are computed here by hand (floats, the formulas of the
notes), not by symprop.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import gallery
import pytest

from symprop.cli import main
from symprop.errors import SympropError
from symprop.examples import names, path
from symprop.jobs.check.answers import Checker, agrees
from symprop.jobs.check.names import normalize
from symprop.jobs.check.reports import answers_report
from symprop.jobs.check.sheets import Answer, parse_value, read_answers
from symprop.numbers.records import exact
from symprop.numbers.solution import solve
from symprop.numbers.trace import base_model, trace
from symprop.spec import Rounding, load_spec

FIXTURES = gallery.FIXTURES / "check"
RESULT_KEYS = ["quantity", "given", "expected", "verdict", "diagnosis", "diagnoses", "note"]


def solution(name: str = "sigmoid-2-2-2", **changes):
    spec = load_spec(path(name), name=name)
    return solve(replace(spec, **changes) if changes else spec)


def shown_values(sol) -> dict[str, str]:
    """Every quantity the checker knows, as the spec's policy writes it."""
    checker = Checker(sol)
    return {name: checker.shown(name) for name in checker.names.canonical}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys, *argv: str) -> tuple[int, list[dict]]:
    status, out, err = run(capsys, *argv, "--format", "json")
    assert err == ""
    return status, json.loads(out)["results"]


def write_yaml(tmp_path: Path, values: dict[str, str], name: str = "answers.yaml") -> Path:
    file = tmp_path / name
    file.write_text("".join(f"{q}: {json.dumps(v)}\n" for q, v in values.items()), encoding="utf-8")
    return file


def verdicts(results: list[dict]) -> dict[str, str]:
    return {r["quantity"]: r["verdict"] for r in results}


def check(sol, values: dict[str, str]) -> dict:
    """name -> Result for a sheet given as name -> value text."""
    answers = [Answer(n, *parse_value(v, "sheet", n)) for n, v in values.items()]
    return {r.quantity: r for r in Checker(sol).check(answers)}


# --- the evaluator reproduces the engine --------------------------------------------------


@pytest.mark.parametrize("name", names())
def test_trace_reproduces_the_engine_digit_for_digit(name):
    sol = solution(name)
    n = len(sol.spec.samples)
    for evaluation, write in ((sol.exact, exact), (sol.hand, sol.spec.rounding if sol.spec.rounding.carries_shown else exact)):
        values = trace(sol, base_model(sol), write).values
        expected = {"E_total": evaluation.error_total, "E_total_after": evaluation.error_total_after}
        for k in range(n):
            sfx = f"[{k + 1}]" if n > 1 else ""
            for mark, passes in (("", evaluation.forward), ("*", evaluation.after)):
                for unit in sol.network.computed:
                    expected[f"net({unit.name}){mark}{sfx}"] = passes[k].net[unit.name]
                    expected[f"out({unit.name}){mark}{sfx}"] = passes[k].out[unit.name]
                for unit, value in passes[k].error.items():
                    expected[f"E({unit}){mark}{sfx}"] = value
            for unit, value in evaluation.backward[k].delta.items():
                expected[f"delta({unit}){sfx}"] = value
            for f in list(sol.derivations.loss.values()) + list(sol.derivations.activation.values()):
                expected[f"{f.key}{sfx}"] = evaluation.backward[k].factor[f.key]
        for p in sol.network.params:
            expected[f"grad({p.name})"] = evaluation.gradients[p.name]
            expected[f"new({p.name})"] = evaluation.updated[p.name]
        assert {q: values[q] for q in expected} == expected


# --- correct, rounded, truncated, hand-carried, carried ------------------------------------


@pytest.mark.parametrize("name", names())
def test_the_engines_shown_values_are_correct(tmp_path, capsys, name):
    file = write_yaml(tmp_path, shown_values(solution(name)))
    status, results = run_json(capsys, name, "--answers", str(file), "--require", "all")
    assert status == 0
    assert {r["verdict"] for r in results} == {"correct"}
    assert all(r["given"] == r["expected"] for r in results)


@pytest.mark.parametrize("name", names())
def test_exact_values_rounded_or_truncated_at_fewer_places_are_rounded(name):
    sol = solution(name)
    checker = Checker(sol)
    places = sol.spec.rounding.places - 1
    for mode in ("round", "truncate"):
        write = Rounding(places, mode)
        sheet = {q: f"{write(checker.exact[q]):f}" for q in checker.names.canonical}
        # one significant digit (0.09 for 0.0918) is too coarse to tell from a mistake
        sheet = {q: v for q, v in sheet.items() if len(v.lstrip("-0.").replace(".", "")) >= 2}
        results = check(sol, sheet)
        assert {r.verdict for r in results.values()} <= {"correct", "rounded"}
        assert "rounded" in {r.verdict for r in results.values()}


def test_more_digits_than_the_policy_are_correct_and_the_other_mode_is_rounded():
    sol = solution()  # 5 places, truncated: out(h1) = 0.6010878788...
    results = check(sol, {"out(h1)": "0.60108", "out(h2)": "0.6153837", "net(o1)": "1.019774", "out(o1)": "0.73492"})
    assert {q: r.verdict for q, r in results.items()} == {
        "out(h1)": "correct", "out(h2)": "correct", "net(o1)": "correct", "out(o1)": "correct",
    }
    results = check(sol, {"out(h1)": "0.60109", "grad(w5)": "0.0802", "grad(w7)": "-0.0176"})
    assert results["out(h1)"].verdict == "rounded"  # rounded where the notes truncate
    assert results["out(h1)"].note == "the exact value, rounded"
    assert results["grad(w5)"].verdict == "correct"  # 0.0802 = 0.08020, the shown value
    assert results["grad(w7)"].verdict == "correct"


def test_tolerance_follows_the_digits_written():
    # half a unit of the last digit for rounding, one unit toward zero for truncation
    assert agrees(Decimal("0.601"), Decimal("0.6014"), 5) == "rounded"
    assert agrees(Decimal("0.602"), Decimal("0.6014"), 5) is None
    assert agrees(Decimal("0.601"), Decimal("0.6019"), 5) == "truncated"
    assert agrees(Decimal("-0.017"), Decimal("-0.0176"), 5) == "truncated"
    assert agrees(Decimal("-0.018"), Decimal("-0.0176"), 5) == "rounded"
    assert agrees(Decimal("0.6"), Decimal("0.6010"), 5) is None  # one significant digit: too coarse
    assert agrees(Decimal("0.60"), Decimal("0.6010"), 5) == "rounded"


def test_a_hand_calculation_carrying_its_written_values_is_rounded():
    """The 2-2-2 notes keep exact values; a student who carries the written ones gets other
    last digits (E_1 = 0.5 * 0.68492^2 = 0.234557... -> 0.23455): rounded, never wrong."""
    sol = solution()
    checker = Checker(sol)
    hand = trace(sol, base_model(sol), Rounding(5, "truncate", "shown")).values
    sheet = {q: f"{hand[q]:f}" for q in checker.names.canonical}
    assert sheet["E(o1)"] == "0.23455" and checker.shown("E(o1)") == "0.23456"
    results = check(sol, sheet)
    assert results["E(o1)"].verdict == "rounded"
    assert {r.verdict for r in results.values()} == {"correct", "rounded"}


def test_values_following_from_the_students_own_rounded_values_are_rounded():
    sol = solution()
    # out(o1) rounded to 3 places; E_1 from it: 0.5 * (0.05 - 0.735)^2 = 0.2346125
    results = check(sol, {"out(o1)": "0.735", "E(o1)": "0.23461"})
    assert results["out(o1)"].verdict == "rounded"
    assert results["E(o1)"].verdict == "rounded"
    assert results["E(o1)"].note == "follows from your own values, written at your digits"


def test_a_wrong_value_carried_forward():
    sol = solution()
    # out(h1) wrong (0.61); net(o1) = 0.61 * 0.5 + 0.6153837 * 0.6 + 0.35 = 1.0242302 -> 1.02423
    out_o1 = 1 / (1 + math.exp(-1.02423))
    results = check(sol, {"out(h1)": "0.61", "net(o1)": "1.02423", "out(o1)": f"{out_o1:.5f}", "net(o2)": "1.33"})
    assert results["out(h1)"].verdict == "wrong"
    assert results["net(o1)"].verdict == "carried"
    assert results["net(o1)"].note == "error carried forward (ECF) from your out(h1) = 0.61"
    assert results["out(o1)"].verdict == "carried"
    # which replaces out(h1)'s influence
    assert results["out(o1)"].note == "error carried forward (ECF) from your net(o1) = 1.02423"
    assert results["net(o2)"].verdict == "wrong"  # 0.61 * 0.7 + 0.6153837 * 0.8 + 0.35 = 1.26930...
    assert results["net(o1)"].expected == "1.01977"


def test_a_carried_update_from_a_wrong_gradient(capsys, tmp_path):
    file = write_yaml(tmp_path, {"grad(w5)": "0.09", "new(w5)": "0.446"})  # 0.5 - 0.6 * 0.09 = 0.446
    status, results = run_json(capsys, "sigmoid-2-2-2", "--answers", str(file))
    assert status == 1
    assert verdicts(results) == {"grad(w5)": "wrong", "new(w5)": "carried"}


# --- mistakes, computed by hand for the 2-2-2 network of the notes -------------------------


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def by_hand() -> dict[str, float]:
    """The 2-2-2 network of the notes, one pass, in floats."""
    i1, i2, t1, t2 = 0.1, 0.5, 0.05, 0.95
    w = {1: 0.1, 2: 0.2, 3: 0.3, 4: 0.4, 5: 0.5, 6: 0.6, 7: 0.7, 8: 0.8}
    b1, b2, rate = 0.25, 0.35, 0.6
    v = {"i1": i1, "i2": i2, "t1": t1, "t2": t2, "rate": rate, **{f"w{k}": x for k, x in w.items()}}
    v["net_h1"] = i1 * w[1] + i2 * w[3] + b1
    v["net_h2"] = i1 * w[2] + i2 * w[4] + b1
    v["h1"], v["h2"] = sigmoid(v["net_h1"]), sigmoid(v["net_h2"])
    v["net_o1"] = v["h1"] * w[5] + v["h2"] * w[6] + b2
    v["net_o2"] = v["h1"] * w[7] + v["h2"] * w[8] + b2
    v["o1"], v["o2"] = sigmoid(v["net_o1"]), sigmoid(v["net_o2"])
    v["d_o1"] = (v["o1"] - t1) * v["o1"] * (1 - v["o1"])
    v["d_o2"] = (v["o2"] - t2) * v["o2"] * (1 - v["o2"])
    v["s_h1"] = v["h1"] * (1 - v["h1"])
    return v


def truncated(x: float) -> str:
    return str(Decimal(repr(x)).quantize(Decimal("0.00001"), rounding=ROUND_DOWN))


def mistaken_values() -> list[tuple[str, str, float]]:
    """(mistake, quantity, the value a student makes with that mistake)."""
    v = by_hand()
    grad_w5 = v["d_o1"] * v["h1"]
    new_w5, new_w7 = v["w5"] - v["rate"] * grad_w5, v["w7"] - v["rate"] * v["d_o2"] * v["h1"]
    return [
        # target - output: dE/dw5 = (t1 - o1) o1 (1 - o1) out_h1 = -0.08020...
        ("sign_flip", "grad(w5)", (v["t1"] - v["o1"]) * v["o1"] * (1 - v["o1"]) * v["h1"]),
        ("sign_flip", "delta(o1)", -v["d_o1"]),
        # sigma' left out: (o1 - t1) out_h1
        ("no_activation_derivative", "grad(w5)", (v["o1"] - v["t1"]) * v["h1"]),
        ("no_activation_derivative", "grad(w1)", (v["d_o1"] * v["w5"] + v["d_o2"] * v["w7"]) * v["i1"]),
        # out(1 - out) evaluated on the sum: net_o1 (1 - net_o1)
        ("activation_derivative_of_net", "dout(o1)/dnet(o1)", v["net_o1"] * (1 - v["net_o1"])),
        ("activation_derivative_of_net", "grad(w5)", (v["o1"] - v["t1"]) * v["net_o1"] * (1 - v["net_o1"]) * v["h1"]),
        # w1 from E_1 only: the 0.00159 of the notes' dE_1/dw1
        ("missing_path", "grad(w1)", v["d_o1"] * v["w5"] * v["s_h1"] * v["i1"]),
        # the hidden delta with the updated w5 and w7
        ("updated_weights", "grad(w1)", (v["d_o1"] * new_w5 + v["d_o2"] * new_w7) * v["s_h1"] * v["i1"]),
        ("updated_weights", "delta(h1)", (v["d_o1"] * new_w5 + v["d_o2"] * new_w7) * v["s_h1"]),
        # the learning rate not applied / the step added
        ("learning_rate", "new(w5)", v["w5"] - grad_w5),
        ("learning_rate", "new(w1)", v["w1"] - (v["d_o1"] * v["w5"] + v["d_o2"] * v["w7"]) * v["s_h1"] * v["i1"]),
        # w6 on the dsum_o1/dout_h1 factor (instead of w5)
        ("wrong_weight", "grad(w1)", (v["d_o1"] * v["w6"] + v["d_o2"] * v["w7"]) * v["s_h1"] * v["i1"]),
        # the loss without its 1/2
        ("half_missing", "E(o1)", (v["t1"] - v["o1"]) ** 2),
        ("half_missing", "E_total", (v["t1"] - v["o1"]) ** 2 + (v["t2"] - v["o2"]) ** 2),
    ]


def test_the_hand_values_are_the_notes():
    v = by_hand()
    assert truncated(v["h1"]) == "0.60108"
    assert truncated(v["d_o1"] * v["h1"]) == "0.08020"
    assert truncated((v["t1"] - v["o1"]) * v["o1"] * (1 - v["o1"]) * v["h1"]) == "-0.08020"
    assert truncated(v["d_o1"] * v["w5"] * v["s_h1"] * v["i1"]) == "0.00159"


@pytest.mark.parametrize(("mistake", "quantity", "value"), mistaken_values(), ids=lambda x: str(x)[:30])
def test_each_mistake_is_diagnosed(mistake, quantity, value):
    results = check(solution(), {quantity: truncated(value)})
    assert results[quantity].verdict == "wrong"
    assert results[quantity].diagnosis == mistake


def test_added_instead_of_subtracted_with_the_right_gradient_given():
    v = by_hand()
    grad = v["d_o1"] * v["h1"]
    results = check(solution(), {"grad(w5)": "0.08020", "new(w5)": truncated(v["w5"] + v["rate"] * grad)})
    assert results["new(w5)"].diagnoses == ("update_sign",)  # the right gradient given: no sign flip


def test_a_wrong_value_no_mistake_explains():
    results = check(solution(), {"grad(w5)": "0.12345"})
    assert (results["grad(w5)"].verdict, results["grad(w5)"].diagnosis) == ("wrong", None)


def test_mistakes_in_the_other_examples():
    sol = solution("relu-3-2-1")  # 3 places, round, carried: dE/dw_100 = 0.526 * 0.249 * 0.29 = 0.038
    results = check(sol, {"dE/dw_100": "-0.038", "w*_100": "0.662", "E": "0.277"})
    assert results["dE/dw_100"].diagnosis == "sign_flip"
    assert results["w*_100"].diagnosis == "learning_rate"  # 0.7 - 0.038
    assert results["E"].diagnosis == "half_missing"  # 0.526^2 = 0.276676


# --- names -------------------------------------------------------------------------------


def test_aliases_of_every_preset():
    relu = check(solution("relu-3-2-1"), {
        "h_pre0": "0.29", "h_pre,0": "0.290", "h_0": "0.29", "o_pre": "0.103", "o": "0.526", "E": "0.138",
        "dE/do": "0.526", "do/do_pre": "0.249", "dE/dh_0": "0.092", "dE/dw_100": "0.038", "w*_100": "0.696",
        "w_100^*": "0.696", "o*": "0.519", "E*": "0.135",
    })
    assert {r.verdict for r in relu.values()} == {"correct"}, [r for r in relu.values() if r.verdict != "correct"]
    assert relu["h_pre0"].canonical == "net(h0)" and relu["o*"].canonical == "out(o)*"
    two = check(solution(), {
        "sum_h1": "0.41", "output_h1": "0.60108", "E_1": "0.23456", "E_total": "0.24908", "new_w5": "0.45187",
        "new_w_5": "0.45187", "dE_total/dw5": "0.08020", "∂E_total/∂w_5": "0.08020", "delta_o1": "0.13342",
        "dE_1/doutput_o1": "0.68492", "doutput_o1/dsum_o1": "0.19480",
    })
    assert {r.verdict for r in two.values()} == {"correct"}, [r for r in two.values() if r.verdict != "correct"]
    deep = check(solution("tanh-2-3-3-2"), {"a^1_1[2]": "0.0", "a_1^1[2]": "0.0", "z^3_1[1]": "0.0", "out(o1)*[2]": "0.0"})
    assert {q: r.canonical for q, r in deep.items()} == {
        "a^1_1[2]": "out(h1_1)[2]", "a_1^1[2]": "out(h1_1)[2]", "z^3_1[1]": "net(o1)[1]", "out(o1)*[2]": "out(o1)*[2]",
    }
    bishop = Checker(solution(notation="bishop"))
    assert bishop.names.resolve("z_1^(1)") == "out(h1)"
    assert bishop.names.resolve("a^(2)_1") == "net(o1)"
    assert bishop.names.resolve("y_2") == "out(o2)"


def test_normalize():
    assert normalize("h_{pre,0}") == normalize("h_pre0") == normalize(r"h_{\text{pre},0}")
    assert normalize("w*_100") == normalize("w_{100}^{*}")
    assert normalize("a_1^(1)") == normalize("a^{(1)}_{1}")


def test_unknown_names_are_reported_with_suggestions(capsys, tmp_path):
    file = write_yaml(tmp_path, {"outt(h1)": "0.60108", "sum_h1": "0.41"})
    status, results = run_json(capsys, "sigmoid-2-2-2", "--answers", str(file))
    assert status == 1
    assert results[0]["quantity"] == "outt(h1)"
    assert results[0]["verdict"] == "unknown"
    assert results[0]["expected"][0] == "out(h1)"
    assert results[1]["verdict"] == "correct"
    status, out, _ = run(capsys, "sigmoid-2-2-2", "--answers", str(file))
    assert "unknown  outt(h1)" in out and "did you mean out(h1)" in out


# --- files and formats --------------------------------------------------------------------


def test_decimal_commas_in_yaml_csv_and_json(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text('out(h1): 0,60108\nnet(h1): "0,41"\n', encoding="utf-8")
    (tmp_path / "a.csv").write_text("quantity;value\nout(h1);0,60108\nnet(h1);0,41\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text('quantity,value\nout(h1),"0,60108"\nnet(h1),0.41\n', encoding="utf-8")
    (tmp_path / "a.json").write_text('{"out(h1)": "0,60108", "net(h1)": 0.41}', encoding="utf-8")
    for name in ("a.yaml", "a.csv", "b.csv", "a.json"):
        status, results = run_json(capsys, "sigmoid-2-2-2", "--answers", str(tmp_path / name))
        assert status == 0, name
        assert verdicts(results) == {"net(h1)": "correct", "out(h1)": "correct"}
        assert {r["given"] for r in results} == {"0.60108", "0.41"}


@pytest.mark.parametrize("fixture", ["sheet.yaml", "sheet.csv", "sheet.json"])
def test_fixture_sheets(capsys, fixture):
    """The same student sheet (tests/fixtures/check/) in three formats: see its comments."""
    status, results = run_json(capsys, "sigmoid-2-2-2", "--answers", str(FIXTURES / fixture), "--require", "new(w1)")
    assert status == 1
    assert [(r["quantity"], r["verdict"], r["diagnosis"]) for r in results] == [
        ("dE_total/dw1", "wrong", "missing_path"),
        ("grad(w5)", "wrong", "sign_flip"),
        ("new(w1)", "missing", None),
        ("new_w5", "carried", None),
        ("output_h1", "rounded", None),
        ("sum_h1", "correct", None),
        ("E_total", "correct", None),
    ]
    assert all(list(r) == RESULT_KEYS for r in results)


def test_json_report_keys_exactly(capsys, tmp_path):
    file = write_yaml(tmp_path, {"grad(w5)": "-0.08020", "bogus": "1"})
    _status, out, _err = run(capsys, "sigmoid-2-2-2", "--answers", str(file), "--require", "new(w5)", "--format", "json")
    data = json.loads(out)
    assert list(data) == ["results"]
    assert [list(r) for r in data["results"]] == [RESULT_KEYS] * 3
    assert [(r["verdict"], r["given"], r["expected"], r["diagnosis"]) for r in data["results"]] == [
        ("wrong", "-0.08020", "0.08020", "sign_flip"),
        ("unknown", "1", data["results"][1]["expected"], None),
        ("missing", None, "0.45187", None),
    ]
    assert isinstance(data["results"][1]["expected"], list)


def test_text_and_markdown_reports(capsys, tmp_path):
    file = write_yaml(tmp_path, {"sum_h1": "0.41", "grad(w5)": "-0.08020"})
    status, out, _ = run(capsys, "sigmoid-2-2-2", "--answers", str(file))
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith("wrong    grad(w5)") and "expected 0.08020" in lines[0] and "sign_flip" in lines[0]
    assert lines[1].startswith("correct  sum_h1 = net(h1)")
    assert lines[-1] == "1 correct, 1 wrong"
    status, out, _ = run(capsys, "sigmoid-2-2-2", "--answers", str(file), "--format", "md")
    assert "| `grad(w5)` | -0.08020 | 0.08020 | wrong | sign_flip: " in out


def test_names_as_written_are_escaped_in_the_reports(capsys, tmp_path):
    """A terminal is shown a control character, not made to obey it, and the columns stay
    aligned; a Markdown table cell escapes its "|"."""
    file = tmp_path / "answers.yaml"
    file.write_text('"out\\e[31m(h1)": 0.6\nsum_h1: 0.41\n"a|b": 1\n', encoding="utf-8")
    status, out, _ = run(capsys, "sigmoid-2-2-2", "--answers", str(file))
    assert status == 1 and "\x1b" not in out
    lines = out.splitlines()
    assert lines[0].startswith(r"unknown  out\x1b[31m(h1)   given 0.6 ")
    assert lines[2].startswith("correct  sum_h1 = net(h1)  given 0.41 ")
    assert len({line.index(" given ") for line in lines[:3]}) == 1
    assert lines[-1] == "1 correct, 2 unknown"
    status, out, _ = run(capsys, "sigmoid-2-2-2", "--answers", str(file), "--format", "md")
    assert out.startswith(f"# Answers {file} checked against sigmoid-2-2-2\n\n| quantity | given |")
    assert "| `a\\|b` | 1 |  | unknown | not a quantity of the spec |" in out
    assert out.endswith("\n\n1 correct, 2 unknown\n")


def test_an_empty_report_says_so():
    assert answers_report((), "text", "sheet.yaml", "spec") == "nothing to check\n"


def test_require(capsys, tmp_path):
    file = write_yaml(tmp_path, {"grad(w5)": "0.08020"})
    status, results = run_json(capsys, "sigmoid-2-2-2", "--answers", str(file), "--require", "grad(w5),new_w5")
    assert status == 1
    assert verdicts(results) == {"new(w5)": "missing", "grad(w5)": "correct"}  # by canonical name
    status, results = run_json(capsys, "sigmoid-2-2-2", "--answers", str(file), "--require", "grad(*)")
    assert sorted(r["quantity"] for r in results if r["verdict"] == "missing") == sorted(
        f"grad({p})" for p in ("w1", "w2", "w3", "w4", "w6", "w7", "w8", "b1", "b2"))
    status, _out, err = run(capsys, "sigmoid-2-2-2", "--answers", str(file), "--require", "grad(w9)")
    assert status == 2 and "--require: 'grad(w9)' is no quantity" in err and "did you mean" in err


def test_several_samples_are_indexed(tmp_path, capsys):
    values = shown_values(solution("tanh-2-3-3-2"))
    sheet = {q: values[q] for q in ("out(h1_1)[1]", "out(h1_1)[2]", "E_total", "E_total[2]", "grad(skip)")}
    sheet["out(h1_1)"] = "0.1"
    status, results = run_json(capsys, "tanh-2-3-3-2", "--answers", str(write_yaml(tmp_path, sheet)))
    assert status == 1
    assert verdicts(results)["out(h1_1)"] == "unknown"
    assert results[0]["expected"][:2] == ["out(h1_1)[1]", "out(h1_1)[2]"] or "out(h1_1)[1]" in results[0]["expected"]
    assert {v for q, v in verdicts(results).items() if q != "out(h1_1)"} == {"correct"}


# --- bad input: exit status 2, one line naming file, quantity and value --------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.yaml", "out(h1): abc\n", "a.yaml: out(h1): 'abc' is not a number"),
        ("a.yaml", "out(h1): [1, 2]\n", "a.yaml: out(h1): [1, 2] is not a number"),
        ("a.yaml", "out(h1): true\n", "a.yaml: out(h1): True is not a number"),
        ("a.yaml", "out(h1): .nan\n", "a.yaml: out(h1): NaN is not a number"),
        ("a.yaml", "out(h1): 0.5\n  bad: [\n", "a.yaml: line"),
        ("a.yaml", "- 1\n- 2\n", "a.yaml: expected a mapping of quantity: value"),
        ("a.yaml", "out(h1): 1\nout(h1): 2\n", "a.yaml: line 2: duplicate key 'out(h1)'"),
        ("a.yaml", "", "a.yaml: no answers"),
        ("a.json", '{"out(h1)": 0.5', "a.json: line 1, column 16: JSON syntax error"),
        ("a.json", '{"out(h1)": "x"}', "a.json: out(h1): 'x' is not a number"),
        ("a.json", '{"out(h1)": 1, "out(h1)": 2}', "a.json: out(h1): given twice"),
        ("a.csv", "out(h1),0,5\n", "a.csv: line 1: expected 'quantity,value'"),
        ("a.csv", "out(h1);1,2,3\n", "a.csv: out(h1): '1,2,3' is not a number"),
        ("a.yaml", "sum_h1: 0.41\nnet(h1): 0.42\n", "net(h1) and sum_h1 both name net(h1)"),
    ],
)
def test_bad_answer_files(capsys, tmp_path, name, text, message):
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    status, out, err = run(capsys, "sigmoid-2-2-2", "--answers", str(file))
    assert status == 2
    assert out == ""
    assert err.startswith("symprop: error: ") and message in err, err
    assert err.count("\n") == 1


def test_missing_answer_file_and_bad_spec(capsys, tmp_path):
    status, _, err = run(capsys, "sigmoid-2-2-2", "--answers", str(tmp_path / "none.yaml"))
    assert status == 2 and "none.yaml: cannot read" in err
    file = write_yaml(tmp_path, {"net(h1)": "0.41"})
    status, _, err = run(capsys, "no-such-spec", "--answers", str(file))
    assert status == 2 and "no-such-spec: no such file" in err
    status, _, err = run(capsys, "sigmoid-2-2-2", "--answers", str(file), "--spec", "relu-3-2-1")
    assert status == 2 and "--spec" in err


def test_exit_status_zero_for_correct_and_rounded(capsys, tmp_path):
    file = write_yaml(tmp_path, {"out(h1)": "0.60109", "net(h1)": "0.41"})
    assert run(capsys, "sigmoid-2-2-2", "--answers", str(file))[0] == 0


def test_read_answers_keeps_the_digits_written(tmp_path):
    file = tmp_path / "a.yaml"
    file.write_text("a: 0.60100\nb: 1\nc: '1e-3'\n", encoding="utf-8")
    assert [(a.name, a.text) for a in read_answers(file)] == [("a", "0.60100"), ("b", "1"), ("c", "1e-3")]
    with pytest.raises(SympropError, match="a.yaml: a: '1,2.3' is not a number"):
        file.write_text("a: '1,2.3'\n", encoding="utf-8")
        read_answers(file)
