"""Answer sheets: the diagnoses of the new conventions and of training runs, the learning
rate that fits, every explaining mistake listed, error carried forward made visible, what a
suggested name's marks mean, and places by kind. The students' mistaken values are computed
here in floats (``float_oracle``, the textbook formulas), not by symprop."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from float_oracle import Oracle
from specs import XOR_NETWORK, XOR_RUN

from symprop.cli import main
from symprop.examples import path
from symprop.jobs.check.answers import Checker
from symprop.jobs.check.sheets import Answer, parse_value
from symprop.numbers.solution import solve
from symprop.spec import load_spec, parse_spec_text

TESTS = Path(__file__).parents[2]


def spec_text(module: Path, name: str) -> str:
    """A spec another test module states as ``NAME = \"\"\"...\"\"\"`` (one source for each example)."""
    return module.read_text(encoding="utf-8").split(f'{name} = """')[1].split('"""')[0]


def written(x: float, places: int, mode: str = "round") -> str:
    return str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP if mode == "round" else ROUND_DOWN))


def check(sol, values: dict[str, str]) -> dict:
    answers = [Answer(n, *parse_value(v, "sheet", n)) for n, v in values.items()]
    return {r.quantity: r for r in Checker(sol).check(answers)}


def params(spec) -> dict[str, float]:
    return {w.name: float(w.value) for w in spec.weights} | {b.name: float(b.value) for b in spec.biases}


SIGMOID = load_spec(path("sigmoid-2-2-2"), name="sigmoid-2-2-2")  # the 2-2-2 network of the lecture notes


def gradient(spec, name: str) -> float:
    g, _ = Oracle(spec).gradient(params(spec), spec.samples)
    return g[name]


def test_an_update_added_instead_of_subtracted_without_a_gradient():
    """w6 + 0.6 g: the step's sign (most likely: it changes only the updates) and the sign
    flip of dE/dout (it changes every delta and gradient too) both explain it."""
    value = written(0.6 + 0.6 * gradient(SIGMOID, "w6"), 5, "truncate")
    result = check(solve(SIGMOID), {"new(w6)": value})["new(w6)"]
    assert result.verdict == "wrong"
    assert result.diagnoses == ("update_sign", "sign_flip")
    assert result.note == "the step added instead of subtracted (w + eta * dE/dw) (also possible: sign_flip)"


def test_a_wrong_learning_rate_is_named_with_the_rate_that_fits():
    value = written(0.6 - 0.06 * gradient(SIGMOID, "w6"), 5, "truncate")  # eta = 0.06 for 0.6
    result = check(solve(SIGMOID), {"new(w6)": value})["new(w6)"]
    assert (result.diagnosis, result.note) == ("learning_rate", "the learning rate 0.06 in place of 0.6")
    assert check(solve(SIGMOID), {"new(w6)": "0.6"})["new(w6)"].diagnosis is None  # no rate, no step


def test_error_carried_forward_names_the_students_values(capsys, tmp_path):
    sheet = tmp_path / "a.yaml"
    sheet.write_text("grad(w5): 0.09\nnew(w5): 0.446\n", encoding="utf-8")  # 0.5 - 0.6 * 0.09 = 0.446
    assert main(["check", "sigmoid-2-2-2", "--answers", str(sheet), "--format", "json"]) == 1
    results = {r["quantity"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert results["new(w5)"]["verdict"] == "carried"
    assert results["new(w5)"]["note"] == "error carried forward (ECF) from your grad(w5) = 0.09"
    assert main(["check", "sigmoid-2-2-2", "--answers", str(sheet)]) == 1
    assert "carried  new(w5)" in capsys.readouterr().out


def test_suggestions_say_what_their_marks_mean(capsys, tmp_path):
    sheet = tmp_path / "a.yaml"
    sheet.write_text("out(h3): 0.6\n", encoding="utf-8")
    assert main(["check", "sigmoid-2-2-2", "--answers", str(sheet)]) == 1
    assert "out(h2)*? (* marks the value after the update)" in capsys.readouterr().out


def test_a_spec_without_answers_is_bad_input(capsys):
    for target in ("sigmoid-2-2-2", str(path("sigmoid-2-2-2"))):
        assert main(["check", target]) == 2
        err = capsys.readouterr().err
        assert "nothing to check: pass the answers with --answers FILE" in err and "Traceback" not in err


# --- the conventions of the textbooks (issue 11) --------------------------------------------------

SOFTMAX = load_spec(path("softmax-2-2-3"), name="softmax-2-2-3")  # ReLU hidden, softmax + cross-entropy


def test_softmax_cross_terms_forgotten():
    """dE/dw_c3_h1 with each output's sum on its own path only: delta_j = out_j (1 - out_j)
    (-t_j / out_j) = -t_j (1 - out_j), for a target distribution (with a one-hot target the
    target's own unit is the same either way)."""
    soft = replace(SOFTMAX, samples=(replace(SOFTMAX.samples[0], target=(("c1", Fraction(1, 5)), ("c2", Fraction(3, 10)),
                                                                        ("c3", Fraction(1, 2)))),))
    _net, out = Oracle(soft).forward(params(soft), {u: float(v) for u, v in soft.samples[0].input})
    value = written(-0.5 * (1 - out["c3"]) * out["h1"], 12)
    assert abs(gradient(soft, "w_c3_h1") - (out["c3"] - 0.5) * out["h1"]) < 1e-12  # the right one: the shortcut
    result = check(solve(soft), {"grad(w_c3_h1)": value})["grad(w_c3_h1)"]
    assert result.diagnosis == "softmax_cross_terms"


def test_log10_in_place_of_ln():
    oracle = Oracle(SOFTMAX)
    _net, out = oracle.forward(params(SOFTMAX), {u: float(v) for u, v in SOFTMAX.samples[0].input})
    value = written(-math.log10(out["c3"]), 12)
    result = check(solve(SOFTMAX), {"E_total": value})["E_total"]
    assert result.diagnosis == "log10_for_ln"


CE_SIGMOID = """
loss: cross_entropy
learning_rate: 0.5
rounding: {places: 5}
layers:
  - {units: [x1, x2]}
  - {units: [h1, h2], activation: sigmoid, weights: [[0.15, 0.2], [0.25, 0.3]], bias: [0.35, 0.35]}
  - {units: [o1, o2], activation: sigmoid, weights: [[0.4, 0.45], [0.5, 0.55]], bias: [0.6, 0.6]}
samples:
  - {input: [0.05, 0.1], target: [0.01, 0.99]}
"""


def test_the_shortcut_where_it_does_not_hold():
    """Cross-entropy with sigmoid outputs: delta = -t (1 - out), not out - t."""
    spec = parse_spec_text(CE_SIGMOID)
    _net, out = Oracle(spec).forward(params(spec), {"x1": 0.05, "x2": 0.1})
    value = written((out["o1"] - 0.01) * out["h1"], 5)
    results = check(solve(spec), {"grad(w_o1_h1)": value})
    assert results["grad(w_o1_h1)"].diagnosis == "shortcut_misapplied"


XOR_THRESHOLD = load_spec(path("xor-threshold-2-2-1"), name="xor-threshold-2-2-1")  # Negnevitsky's XOR


def test_a_threshold_added_instead_of_subtracted():
    added = replace(XOR_THRESHOLD, bias_convention="add")
    _net, out = Oracle(added).forward(params(added), {"x1": 1.0, "x2": 1.0})
    value = written(out["n5"], 4)
    result = check(solve(XOR_THRESHOLD), {"out(n5)": value})["out(n5)"]
    assert result.diagnosis == "threshold_added"


def test_places_by_kind():
    """Han & Kamber's example (tests/numbers/test_published.py): outputs to 3 places,
    error terms to 4; each is correct at its kind's places and expected written so."""
    spec = parse_spec_text(spec_text(TESTS / "numbers" / "test_published.py", "HAN_KAMBER"))
    results = check(solve(spec, form="delta"), {"out(u6)": "0.474", "delta(u6)": "-0.1311", "new(w46)": "-0.261"})
    assert [(r.verdict, r.expected) for r in results.values()] == [
        ("correct", "0.474"), ("correct", "-0.1311"), ("correct", "-0.261")]


# --- training runs (issue 12) ----------------------------------------------------------------------

# The XOR run of the training tests (Negnevitsky's network, online with momentum), two epochs.
_XOR = parse_spec_text(XOR_RUN + "rounding: {places: 4, carry: shown}\n" + XOR_NETWORK)  # as test_training's
XOR_RUN = replace(_XOR, training=replace(_XOR.training, epochs=2))


def test_momentum_forgotten():
    plain = replace(XOR_RUN, training=replace(XOR_RUN.training, momentum=Fraction(0)))
    steps, _params, _error = Oracle(plain).run()[0]
    value = written(steps[2][1]["w_o_h1"], 4)  # after the third pattern
    result = check(solve(XOR_RUN), {"new(w_o_h1)[step 3]": value})["new(w_o_h1)[step 3]"]
    assert result.diagnosis == "momentum_forgotten"


def test_batch_and_online_mixed_up():
    batch = replace(XOR_RUN, training=replace(XOR_RUN.training, mode="batch"))
    _steps, after, _error = Oracle(batch).run()[0]
    value = written(after["w_o_h1"], 4)  # -1.2111; online: -1.1859
    result = check(solve(XOR_RUN), {"new(w_o_h1)[epoch 1]": value})["new(w_o_h1)[epoch 1]"]
    assert result.diagnoses == ("batch_online",)
