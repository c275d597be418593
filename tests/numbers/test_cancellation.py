"""Sums that cancel exactly are 0, not what the working precision leaves of their terms.

The outputs of a softmax layer add up to 1, so with cross-entropy the gradient of a bias that
the layer's units share is Σ (out − t) = 0, and a hidden unit whose weights into the layer are
all equal has δ = 0. At 50 working digits these came out as 1E-50 in the JSON. Values that are
small without cancelling (a saturated unit), a cancellation to 25 digits, and an exact sum of
exact terms however far below them stay as they are.
"""

from __future__ import annotations

from decimal import Decimal

from symprop.numbers.solution import solve
from symprop.spec import parse_spec_text

# PostNetwork Academy (B. S. Kushwaha), "Understanding Neural Networks: Softmax, Cross-Entropy,
# and Backpropagation" (postnetwork.co): a 3-2-2 network, sigmoid hidden units, softmax
# outputs, cross-entropy, one hidden bias b1 = 0.5 and one output bias b2 = 0.1 shared by the
# layer's units. The page gives no learning rate (0.1 here) and prints 3 places.
POSTNETWORK = """
title: PostNetwork softmax and cross-entropy
loss: cross_entropy
learning_rate: 0.1
rounding: {places: 3, mode: round, carry: shown}
layers:
  - {name: input, units: [x1, x2, x3]}
  - {name: hidden, units: [a1, a2], activation: sigmoid}
  - {name: output, units: [y1, y2], activation: softmax}
weights:
  w1: x1 -> a1 = 0.2
  w2: x2 -> a1 = -0.3
  w3: x3 -> a1 = 0.4
  w4: x1 -> a2 = -0.5
  w5: x2 -> a2 = 0.1
  w6: x3 -> a2 = 0.2
  w7: a1 -> y1 = 0.3
  w9: a2 -> y1 = 0.4
  w8: a1 -> y2 = -0.1
  w10: a2 -> y2 = 0.2
biases:
  b1: a1, a2 = 0.5
  b2: y1, y2 = 0.1
samples:
  - input: {x1: 1, x2: 2, x3: -1}
    target: {y1: 1, y2: 0}
"""


def test_a_bias_shared_by_a_softmax_layer_has_gradient_exactly_zero():
    solution = solve(parse_spec_text(POSTNETWORK))
    data = solution.to_dict()
    units = data["samples"][0]["units"]
    # the page's forward pass, at its 3 places: z1 = -0.3, z2 = 0, a1 = 0.426, a2 = 0.5, z3 = 0.428
    assert [units[u]["net"]["shown"] for u in ("a1", "a2", "y1")] == ["-0.300", "0.000", "0.428"]
    assert [units[u]["out"]["shown"] for u in ("a1", "a2")] == ["0.426", "0.500"]
    # its z4 = 0.185 is a slip: -0.1 * 0.426 + 0.2 * 0.5 + 0.1 = 0.157 (and its softmax follows it)
    assert units["y2"]["net"]["shown"] == "0.157"
    assert solution.exact.gradients["b2"] == 0
    assert data["gradients"]["b2"] == {"value": 0, "shown": "0.000"}
    assert data["updated"]["b2"]["value"] == Decimal("0.1")
    # the other gradients are the float implementation's: delta(a1) * x = sigma'(z1) (0.3 d1 - 0.1 d2) x
    delta_a1 = float(solution.exact.backward[0].delta["a1"])
    assert abs(delta_a1 - (-0.0423257420069823)) < 1e-15
    assert float(solution.exact.gradients["w2"]) == float(2 * solution.exact.backward[0].delta["a1"])


EQUAL_WEIGHTS = """
title: a hidden unit with equal weights into a softmax layer
loss: cross_entropy
learning_rate: 0.5
layers:
  - {units: 2}
  - {units: 2, activation: tanh, bias: [0.1, -0.2], weights: [[0.3, -0.4], [0.25, 0.6]]}
  - {units: 3, activation: softmax, bias: [0.0, 0.1, 0.2],
     weights: [[0.7, 0.15], [0.7, -0.35], [0.7, 0.5]]}
samples:
  - {input: [0.5, -1.5], target: [0, 1, 0]}
  - {input: [1.0, 0.25], target: [0.2, 0.3, 0.5]}
"""


def test_a_hidden_unit_whose_weights_into_a_softmax_layer_are_equal_has_delta_zero():
    solution = solve(parse_spec_text(EQUAL_WEIGHTS))
    first = solution.network.spec.layers[1].units[0]
    for backward in solution.exact.backward:
        assert backward.delta[first] == 0
    into_first = [p.name for p in solution.network.params if first in p.targets]
    assert len(into_first) == 3  # its two weights and its bias
    for name in into_first:
        assert solution.exact.gradients[name] == 0
        assert solution.to_dict()["gradients"][name]["value"] == 0
    other = solution.network.spec.layers[1].units[1]
    assert all(abs(b.delta[other]) > Decimal("1e-3") for b in solution.exact.backward)


SATURATED = """
title: a saturated sigmoid
learning_rate: 0.5
layers:
  - {units: 1}
  - {units: 1, activation: sigmoid, weights: [[-70]]}
samples:
  - {input: [1], target: [0]}
"""


def identity_weight(*samples: tuple[str, str]) -> str:
    """A 1-1 identity unit of weight 1 under half SSE: its gradient is the sum over the samples
    of (x - t) x."""
    rows = "".join(f"  - {{input: [{x}], target: [{t}]}}\n" for x, t in samples)
    return ("learning_rate: 0.5\nlayers:\n  - {units: 1}\n  - {units: 1, activation: identity, weights: [[1]]}\n"
            f"samples:\n{rows}")


NEAR_CANCELLING = identity_weight(("1", "0"), ("1", "1.9999999999999999999999999"))


def test_small_values_that_do_not_cancel_to_the_last_digits_are_kept():
    saturated = solve(parse_spec_text(SATURATED))
    (weight,) = saturated.network.params
    out = saturated.exact.forward[0].out[saturated.network.outputs[0].name]
    gradient = saturated.exact.gradients[weight.name]
    assert f"{out:.6e}" == "3.975450e-31"
    expected = out * out * (1 - out)  # (out - t) out (1 - out) x, about 1.6e-61
    assert gradient > 0 and abs(gradient / expected - 1) < Decimal("1e-25")
    near = solve(parse_spec_text(NEAR_CANCELLING))
    (weight,) = near.network.params
    assert near.exact.gradients[weight.name] == Decimal("1E-25")  # (1 - 0) + (1 - 1.99...9)


EXACT_TERMS = identity_weight(("1", "0"), ("1", "2"), ("0.00000000000000000000001", "0"))


def test_an_exact_sum_of_exact_terms_is_kept_however_small():
    solution = solve(parse_spec_text(EXACT_TERMS))
    (weight,) = solution.network.params
    # (1 - 0) 1 + (1 - 2) 1 + (1e-23 - 0) 1e-23: every term exact, so is the 1e-46
    assert solution.exact.gradients[weight.name] == Decimal("1E-46")
