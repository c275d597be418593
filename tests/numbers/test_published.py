"""Published worked examples of the textbook conventions, reproduced digit for digit: the
numbers each source prints, at the digits it prints them, under the rounding policy its
numbers show (each source is cited where its spec is written).

- softmax + cross-entropy: a CS231n two-layer backprop example (bundled: softmax-2-2-3);
- thresholds: Negnevitsky's XOR network (bundled: xor-threshold-2-2-1);
- sigmoid + binary cross-entropy: a 2-2-1 numerical walkthrough (surafelml, nn-timeline,
  "Numerical walkthrough: backprop by hand on a 2-2-1 net"), display rounding only;
- F = e^2, the squared error without 1/2: Hagan, Demuth, Beale, De Jesus, *Neural Network
  Design*, chapter 11, the 1-2-1 function-approximation example (3 significant figures,
  full precision carried);
- places by kind: Han & Kamber, *Data Mining: Concepts and Techniques*, the backpropagation
  example (outputs and sums to 3 places, error terms to 4, new weights to 3, written values
  carried), with the second forward pass of a course sheet that extends it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from symprop.examples import path
from symprop.numbers.records import exact
from symprop.numbers.solution import solve
from symprop.numbers.trace import base_model, trace
from symprop.spec import load_spec, parse_spec_text


def shown(solution, kind: str, name: str, sample: int = 0) -> str:
    """A unit's net/out/delta as the hand calculation writes it (the JSON's shown)."""
    return solution.to_dict()["samples"][sample]["units"][name][kind]["shown"]


def at_digits(value: Decimal, printed: str) -> bool:
    """``value`` written at the digits of ``printed`` (rounded half up) is ``printed``."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}" == printed


def significant(value: Decimal, printed: str) -> bool:
    """``value`` at the significant figures of ``printed`` is ``printed``."""
    digits = len(printed.lstrip("-").replace(".", "").lstrip("0"))
    return f"{float(value):.{digits}g}" == f"{float(printed):.{digits}g}"


def test_softmax_cross_entropy_cs231n_two_layer_example():
    solution = solve(load_spec(path("softmax-2-2-3")), form="delta")  # the source sums delta x input
    data = solution.to_dict()
    assert [shown(solution, "net", u) for u in ("c1", "c2", "c3")] == ["0.433200000000", "-0.228000000000",
                                                                       "0.228000000000"]
    assert data["error_total"]["shown"] == "1.051375468504"
    assert [shown(solution, "delta", u) for u in ("c1", "c2", "c3")] == [
        "0.429052723714", "0.221490524653", "-0.650543248367"]
    grads = {k: v["shown"] for k, v in data["gradients"].items()}
    assert [grads[f"w_{c}_h1"] for c in ("c1", "c2", "c3")] == ["0.978240210068", "0.504998396209", "-1.483238606277"]
    assert [grads[f"w_{c}_h2"] for c in ("c1", "c2", "c3")] == ["0.000000000000"] * 3
    assert [grads["b_c1"], grads["b_c2"], grads["b_c3"]] == ["0.429052723714", "0.221490524653", "-0.650543248367"]
    assert [grads["w_h1_x1"], grads["w_h1_x2"], grads["b_h1"]] == ["-0.090933756736", "0.034100158776",
                                                                  "-0.005683359796"]
    hand = trace(solution, base_model(solution), solution.spec.rounding, form="delta").values
    assert [f"{hand['dE/dout(h1)']:f}", f"{hand['dE/dout(h2)']:f}"] == ["-0.005683359796", "-0.036817689655"]


def test_threshold_xor_negnevitsky():
    solution = solve(load_spec(path("xor-threshold-2-2-1")))
    data = solution.to_dict()
    assert [shown(solution, "out", u) for u in ("n3", "n4", "n5")] == ["0.5250", "0.8808", "0.5097"]
    # the book's error gradient delta = y(1 - y)e is -dE/dnet; e = y_d - y = -(dE/dout)
    assert [shown(solution, "delta", u) for u in ("n5", "n3", "n4")] == ["0.1274", "-0.0381", "0.0147"]
    new = {k: v["shown"] for k, v in data["updated"].items()}
    assert new == {"w13": "0.5038", "w14": "0.8985", "w23": "0.4038", "w24": "0.9985", "w35": "-1.2067",
                   "w45": "1.0888", "theta3": "0.7962", "theta4": "-0.0985", "theta5": "0.3127"}


BCE_2_2_1 = """
loss: binary_cross_entropy
learning_rate: 0.1
rounding: {places: 4, mode: round, carry: exact}
layers:
  - {units: [x1, x2]}
  - {units: [h1, h2], activation: sigmoid, weights: [[0.1, 0.2], [0.3, 0.4]]}
  - {units: [o], activation: sigmoid, weights: [[0.5, 0.6]]}
samples:
  - {input: [1, 0], target: [1]}
"""


def test_sigmoid_binary_cross_entropy_2_2_1_walkthrough():
    solution = solve(parse_spec_text(BCE_2_2_1))
    data = solution.to_dict()
    e = solution.exact.forward[0]
    # printed by numpy at 4 places, trailing zeros dropped: z1 = [0.1 0.3], a1 = [0.525 0.5744]
    assert [at_digits(e.net["h1"], "0.1"), at_digits(e.net["h2"], "0.3")] == [True, True]
    assert [shown(solution, "out", u) for u in ("h1", "h2", "o")] == ["0.5250", "0.5744", "0.6473"]
    assert shown(solution, "net", "o") == "0.6072"
    assert at_digits(solution.exact.error_total, "0.435")
    assert shown(solution, "delta", "o") == "-0.3527"  # d2 = yhat - y: the BCE shortcut, derived
    assert [data["gradients"]["w_o_h1"]["shown"], data["gradients"]["w_o_h2"]["shown"]] == ["-0.1852", "-0.2026"]


HAGAN_1_2_1 = """
loss: sse
learning_rate: 0.1
rounding: {places: 6}
layers:
  - {units: [p]}
  - {units: [h1, h2], activation: sigmoid, weights: [[-0.27], [-0.41]], bias: [-0.48, -0.13]}
  - {units: [a], activation: identity, weights: [[0.09, -0.17]], bias: [0.48]}
samples:  # t = g(1) = 1 + sin(pi/4)
  - {input: [1], target: ['1.70710678118654752440084436210']}
"""


def test_squared_error_without_the_half_hagan_neural_network_design():
    solution = solve(parse_spec_text(HAGAN_1_2_1))
    e = solution.exact
    fwd, back = e.forward[0], e.backward[0]
    assert significant(fwd.out["h1"], "0.321") and significant(fwd.out["h2"], "0.368")
    assert significant(fwd.out["a"], "0.446")
    assert significant(Decimal("1.70710678118654752440084436210") - fwd.out["a"], "1.261")  # e = t - a
    assert significant(back.delta["a"], "-2.522")  # s2 = -2 (t - a): F = e^2 has no 1/2
    assert significant(back.delta["h1"], "-0.0495") and significant(back.delta["h2"], "0.0997")
    new = e.updated
    assert significant(new["w_a_h1"], "0.171") and significant(new["w_a_h2"], "-0.0772")
    assert significant(new["b_a"], "0.732")
    assert significant(new["w_h1_p"], "-0.265") and significant(new["w_h2_p"], "-0.420")
    assert significant(new["b_h1"], "-0.475") and significant(new["b_h2"], "-0.140")


HAN_KAMBER = """
loss: half_sse
learning_rate: 0.9
rounding: {places: {net: 3, out: 3, delta: 4, update: 3, default: 6}, mode: round, carry: shown}
layers:
  - {units: [x1, x2, x3]}
  - {units: [u4, u5], activation: sigmoid}
  - {units: [u6], activation: sigmoid}
weights:
  w14: x1 -> u4 = 0.2
  w15: x1 -> u5 = -0.3
  w24: x2 -> u4 = 0.4
  w25: x2 -> u5 = 0.1
  w34: x3 -> u4 = -0.5
  w35: x3 -> u5 = 0.2
  w46: u4 -> u6 = -0.3
  w56: u5 -> u6 = -0.2
biases:
  w04: u4 = -0.4
  w05: u5 = 0.2
  w06: u6 = 0.1
samples:
  - input: {x1: 1, x2: 0, x3: 1}
    target: {u6: 1}
"""


def test_places_by_kind_han_kamber():
    solution = solve(parse_spec_text(HAN_KAMBER), form="delta")
    data = solution.to_dict()
    assert [shown(solution, "net", u) for u in ("u4", "u5", "u6")] == ["-0.700", "0.100", "-0.105"]
    assert [shown(solution, "out", u) for u in ("u4", "u5", "u6")] == ["0.332", "0.525", "0.474"]
    # their error terms Err = -dE/dnet, to 4 places; 0.1311 (not 0.1312) because 0.474 is carried
    assert [shown(solution, "delta", u) for u in ("u6", "u5", "u4")] == ["-0.1311", "0.0065", "0.0087"]
    new = {k: v["shown"] for k, v in data["updated"].items()}
    assert new == {"w14": "0.192", "w15": "-0.306", "w24": "0.400", "w25": "0.100", "w34": "-0.508", "w35": "0.194",
                   "w46": "-0.261", "w56": "-0.138", "w04": "-0.408", "w05": "0.194", "w06": "0.218"}
    after = data["after"]["samples"][0]["units"]  # the course sheet's second pass from the 3-place weights
    assert [after[u]["out"]["shown"] for u in ("u4", "u5", "u6")] == ["0.327", "0.520", "0.515"]
    assert after["u6"]["net"]["shown"] == "0.061"
    assert data["rounding"]["places"] == {"net": 3, "out": 3, "delta": 4, "update": 3, "default": 6}
    exact_run = trace(solution, base_model(solution), exact).values
    assert f"{exact_run['delta(u6)']:.4f}" == "-0.1312"  # carrying the written 0.474 is what gives 0.1311


GAP = """
loss: cross_entropy
learning_rate: 0.1
rounding: {places: 4}
layers:
  - {units: [x]}
  - {units: [a, b], activation: softmax, weights: [[0], [28]]}
samples:
  - {input: [1], target: [1, 0]}
"""


def test_a_logit_gap_of_28_is_computed_stably():
    solution = solve(parse_spec_text(GAP))
    data = solution.to_dict()
    assert data["error_total"]["shown"] == "28.0000"
    small = data["samples"][0]["units"]["a"]["out"]["value"]
    assert f"{small:.4e}" == "6.9144e-13" and small > 0
    assert data["samples"][0]["units"]["a"]["delta"]["shown"] == "-1.0000"


@pytest.mark.parametrize("text, message", [
    (GAP.replace("activation: softmax", "activation: tanh"),
     "loss: cross_entropy needs an output layer of softmax or sigmoid"),
    (GAP.replace("target: [1, 0]", "target: [0.5, 0.7]"), "must sum to 1"),
    (BCE_2_2_1.replace("target: [1]", "target: [2]"), "is not a probability from 0 to 1"),
    (BCE_2_2_1.replace("activation: sigmoid, weights: [[0.1", "activation: softmax, weights: [[0.1"),
     "is for the output layer only"),
])
def test_a_loss_that_does_not_fit_is_one_line_naming_the_key(text, message):
    from symprop.errors import SympropError

    with pytest.raises(SympropError, match=message):
        parse_spec_text(text)
