"""Training runs against an independent float implementation (``float_oracle``, plain
Python from the textbook formulas, sharing nothing with the engine): every mode, momentum on and
off, biases updated or not, given and shuffled orders, random networks of every
activation and loss; and published runs: a lab handout's multi-layer debug case printed to
10 digits, a classic XOR trace printed epoch by epoch (Stack Overflow 2359571),
Brownlee's 20 online epochs of a 2-2-2 network ("Backpropagation from scratch"), and three
momentum traces (lecture notes, a course page, and a notebook that writes momentum as an
average)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from float_oracle import Oracle
from netgen import random_spec_data
from specs import XOR_NETWORK, XOR_RUN

from symprop.numbers.solution import solve
from symprop.spec import parse_spec, parse_spec_text

TRAININGS = [
    {"epochs": 3, "mode": "online"},
    {"epochs": 2, "mode": "batch", "momentum": "0.9"},
    {"epochs": 2, "mode": "minibatch", "batch_size": 2, "momentum": "0.5"},
    {"epochs": 3, "mode": "online", "order": "shuffle", "seed": 11, "momentum": "0.25"},
    {"epochs": 3, "mode": "online", "momentum": "1"},  # no decay: a public exercise uses it
]


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("training", range(len(TRAININGS)))
def test_every_mode_agrees_with_an_independent_float_run(seed, training):
    data = random_spec_data(seed)
    data["samples"] = [data["samples"][0]] * 1 + [  # three samples: a mini-batch of 2 leaves one over
        {"input": {u: str((i + 1) / 7) for i, u in enumerate(data["samples"][0]["input"])},
         "target": data["samples"][0]["target"]}
        for _ in range(2)
    ]
    data["training"] = TRAININGS[training]
    data["learning_rate"] = "0.05"  # small enough that no random network diverges in a few epochs
    data["update_biases"] = seed % 3 != 0
    spec = parse_spec(data)
    run = solve(spec).course.exact
    oracle = Oracle(spec).run()
    assert len(run.epochs) == len(oracle)
    for epoch, (steps, params, error) in zip(run.epochs, oracle):
        assert len(epoch.steps) == len(steps)
        for step, (g, p) in zip(epoch.steps, steps):
            assert all(close(float(step.evaluation.gradients[n]), g[n]) for n in g), (g, step.evaluation.gradients)
            assert all(close(float(step.evaluation.updated[n]), p[n]) for n in p)
        assert all(close(float(epoch.updated[n]), params[n]) for n in params)
        assert close(float(epoch.error_total), error)


def test_without_training_one_batch_step_and_no_training_key():
    spec = parse_spec(random_spec_data(3))
    assert spec.training.is_one_step and solve(spec).course is None and "training" not in solve(spec).to_dict()


# --- the JSON of a run ------------------------------------------------------------------------------

XOR = XOR_RUN + "rounding: {places: 4, carry: shown}\n" + XOR_NETWORK


def test_the_json_describes_the_first_step_and_then_every_step_and_epoch():
    solution = solve(parse_spec_text(XOR))
    data = solution.to_dict()
    assert len(data["samples"]) == 1  # online: the first step learns from the first sample
    training = data["training"]
    assert training["mode"] == "online" and [e["epoch"] for e in training["epochs"]] == [1, 2, 3]
    first = training["epochs"][0]["steps"][0]
    assert first["samples"] == [1] and first["updated"] == data["updated"] and first["gradients"] == data["gradients"]
    assert first["error_total"] == data["error_total"]  # the step's batch before its update
    assert [s["samples"] for s in training["epochs"][1]["steps"]] == [[1], [2], [3], [4]]
    last = training["epochs"][0]["steps"][-1]["updated"]
    assert training["epochs"][0]["updated"] == last
    assert len(training["epochs"][2]["after"]["samples"]) == 4


def test_a_hand_calculation_carries_its_written_values_from_step_to_step():
    solution = solve(parse_spec_text(XOR))
    hand, exact = solution.run, solution.course.exact
    step2 = hand.steps[1].evaluation
    written = {n: solution.spec.rounding(v, "update") for n, v in hand.steps[0].evaluation.updated.items()}
    assert hand.steps[0].evaluation.updated == written  # each update written down ...
    assert step2.forward[0].net != exact.steps[1].evaluation.forward[0].net  # ... and carried into the next step


# --- momentum, published -----------------------------------------------------------------------
# Each source minimises a function of one parameter; a one-weight identity unit fed 1 with the
# source's target and loss is that function: E = (w - t)^2 (sse) or (w - t)^2 / 2 (half_sse).

def momentum_run(weight: str, target: str, loss: str, rate: str, epochs: int, momentum: str = "0") -> dict:
    text = f"""
loss: {loss}
learning_rate: {rate}
layers:
  - {{units: [one]}}
  - {{units: [o], activation: identity}}
weights:
  w: one -> o = {weight}
samples:
  - {{input: {{one: 1}}, target: {{o: {target}}}}}
training: {{epochs: {epochs}, mode: online, momentum: {momentum}}}
"""
    return solve(parse_spec_text(text)).to_dict()["training"]


def steps_of(training: dict, key: str) -> list[Decimal]:
    return [step[key]["w"]["value"] for epoch in training["epochs"] for step in epoch["steps"]]


def test_orr_momentum_lecture_notes():
    """G. Orr, Willamette University CS449 lecture notes, "Momentum": E = w^2 from w = 10 with
    eta = 0.8, first plain (w: -6, 3.6, -2.16), then with dw(t) = -eta dE/dw + beta dw(t-1),
    beta = 0.1 (dw: -16, 8, -2.4; w: -6, 2, -0.4)."""
    plain = momentum_run("10", "0", "sse", "0.8", 3)
    assert steps_of(plain, "updated") == [Decimal(-6), Decimal("3.6"), Decimal("-2.16")]
    assert "velocity" not in plain["epochs"][0]["steps"][0]
    run = momentum_run("10", "0", "sse", "0.8", 3, "0.1")
    assert steps_of(run, "velocity") == [Decimal(-16), Decimal(8), Decimal("-2.4")]
    assert steps_of(run, "updated") == [Decimal(-6), Decimal(2), Decimal("-0.4")]


def test_saida_momentum_gradient_descent_step_by_step():
    """Universite de Saida e-learning, "Momentum Gradient Descent - Complete Solution with
    Step-by-Step Calculations": f(x) = (x - 4)^2 from x = 10, alpha = 0.2, beta = 0.9,
    v(t) = beta v(t-1) - alpha f'(x), x <- x + v; its table of g, v, x per iteration and f."""
    run = momentum_run("10", "4", "sse", "0.2", 4, "0.9")
    assert steps_of(run, "gradients") == [Decimal(v) for v in ("12", "7.2", "0", "-6.48")]
    assert steps_of(run, "velocity") == [Decimal(v) for v in ("-2.4", "-3.6", "-3.24", "-1.62")]
    assert steps_of(run, "updated") == [Decimal(v) for v in ("7.6", "4.0", "0.76", "-0.86")]
    errors = [step["error_total"]["value"] for step in run["epochs"][0]["steps"]] + [
        step["error_total"]["value"] for step in run["epochs"][1]["steps"]]
    assert errors == [Decimal(36), Decimal("12.96")]  # f(x0), f(x1)


# mrzResearchArena, Intro-Deep, SimpleMomentumGD.ipynb (GitHub): F(w) = w^2 - 6w + 1971 from
# w = 10, lr = 0.01, momentum as an average: vdw = 0.9 vdw + 0.1 F'(w), w = w - lr vdw. It prints
# "Epoch: k, function value: f(w)=F(w)" before each update, to 4 places, for 400 epochs.
# F = (w - 3)^2 + 1962, and the average is symprop's rule with mu = 0.9, eta = lr (1 - 0.9).
INTRO_DEEP = [("10.0000", "2011.0000"), ("9.9860", "2010.8042"), ("9.9594", "2010.4336"),
              ("9.9216", "2009.9085"), ("9.8737", "2009.2478"), ("9.8168", "2008.4694")]


def test_momentum_written_as_an_average_intro_deep_notebook():
    run = momentum_run("10", "3", "sse", "0.001", 400, "0.9")
    weights = [Decimal(10)] + [epoch["updated"]["w"]["value"] for epoch in run["epochs"]]
    errors = [epoch["steps"][0]["error_total"]["value"] for epoch in run["epochs"]]
    for k, (w, f) in enumerate(INTRO_DEEP):
        assert f"{weights[k]:.4f}" == w and f"{errors[k] + 1962:.4f}" == f, k + 1
    final = weights[-1]
    assert f"{final:.4f}" == "3.0002" and f"{(final - 3) ** 2 + 1962:.4f}" == "1962.0000"


# --- a published debug case ---------------------------------------------------------------------

BYU = """
learning_rate: 0.1
training: {epochs: 1, mode: online}
rounding: {places: 12}
layers:
  - {units: [x1, x2]}
  - {units: [a1, a2], activation: sigmoid, weights: [[0.2, -0.1], [0.3, -0.3]], bias: [0.1, -0.2]}
  - {units: [b1, b2], activation: sigmoid, weights: [[-0.2, -0.3], [-0.1, 0.3]], bias: [0.1, 0.2]}
  - {units: [o1, o2], activation: sigmoid, weights: [[-0.1, 0.3], [-0.2, -0.3]], bias: [0.2, 0.1]}
samples:
  - {input: [0.3, 0.7], target: [0.1, 1.0]}
"""


def test_byu_neural_network_lab_debug_case_to_ten_digits():
    """BYU CS 478 (T. Martinez), "Neural Network Lab Test Instructions": a 2-2-2-2 sigmoid
    network, lr 0.1, one pattern, printed with C++ precision(10) (10 significant digits,
    trailing zeros dropped). Its error values are (t - o) o (1 - o), symprop's -delta."""
    solution = solve(parse_spec_text(BYU))
    e = solution.exact

    def g10(value) -> str:
        return f"{float(value):.10g}"

    assert [g10(e.forward[0].out[u]) for u in ("o1", "o2")] == ["0.5802212893", "0.4591181386"]
    assert [g10(-e.backward[0].delta[u]) for u in ("a1", "a2", "b1", "b2", "o1", "o2")] == [
        "0.0006498826879", "-0.001076309464", "-0.003775554904", "-0.01849687375", "-0.1169648797", "0.1343164751"]
    new = e.updated
    assert [g10(new[n]) for n in ("b_a1", "w_a1_x1", "w_a1_x2", "b_a2", "w_a2_x1", "w_a2_x2")] == [
        "0.1000649883", "0.2000194965", "-0.09995450821", "-0.2001076309", "0.2999677107", "-0.3000753417"]
    assert [g10(new[n]) for n in ("b_b1", "w_b1_a1", "w_b1_a2", "b_b2")] == [
        "0.09962244451", "-0.200197267", "-0.3001588284", "0.1981503126"]


# A classic XOR run printed epoch by epoch: a homework trace quoted in the answer to
# "Artificial neural networks benchmark" (Stack Overflow, question 2359571): 2 inputs and a
# constant, 2 hidden units and a constant, 1 output; every weight 0.6, "constant neurons
# always return -1" (thresholds: net = sum w x - theta, theta the weight on the -1 input,
# trained like a weight), learning rate 0.1, "straight backpropagation": sigmoid units,
# 1/2 (t - o)^2, an update after each pattern, the patterns of xor.csv in truth-table order.
XOR_TRACE = """
title: XOR, the Stack Overflow 2359571 trace
learning_rate: 0.1
bias_convention: threshold
training: {epochs: 4, mode: online}
rounding: {places: 6}
layers:
  - {units: [x1, x2]}
  - {units: [h1, h2], activation: sigmoid, weights: [[0.6, 0.6], [0.6, 0.6]], bias: [0.6, 0.6]}
  - {units: [o], activation: sigmoid, weights: [[0.6, 0.6]], bias: [0.6]}
samples:
  - {input: [0, 0], target: [0]}
  - {input: [0, 1], target: [1]}
  - {input: [1, 0], target: [1]}
  - {input: [1, 1], target: [0]}
"""
# Per epoch, as printed: Maximum and Average RMSE over the 4 patterns (|t - o| with the
# weights at the end of the epoch), then "Input --> Hidden" rows 0 (the constant), 1 (x1),
# 2 (x2), the same for both hidden units, and "Hidden --> Output" rows 0, 1 (h1), 2 (h2).
XOR_PRINTED = [
    ("0.5435466682137927", "0.4999991292217466", ("0.599691", "0.599987", "0.599985"),
     ("0.599864", "0.599712", "0.599712")),
    ("0.5435080531724404", "0.4999982558452263", ("0.599382", "0.599973", "0.599970"),
     ("0.599726", "0.599425", "0.599425")),
    ("0.5434701135827593", "0.4999973799942081", ("0.599072", "0.599960", "0.599956"),
     ("0.599587", "0.599139", "0.599139")),
    ("0.5434328258833577", "0.49999650178769495", ("0.598763", "0.599948"), None),
]


def test_a_classic_xor_run_printed_epoch_by_epoch():
    """The trace's printed RMSE figures (16-17 significant digits, from float arithmetic) to
    1e-15, and its weights at their 6 printed decimals, epoch by epoch; the JSON's epochs."""
    solution = solve(parse_spec_text(XOR_TRACE))
    epochs = solution.to_dict()["training"]["epochs"]
    assert [e["epoch"] for e in epochs] == [1, 2, 3, 4] and [len(e["steps"]) for e in epochs] == [4] * 4
    targets = [Decimal(0), Decimal(1), Decimal(1), Decimal(0)]
    for epoch, run, (top, mean, hidden, output) in zip(epochs, solution.course.exact.epochs, XOR_PRINTED):
        misses = [abs(t - p.out["o"]) for t, p in zip(targets, run.after)]
        assert abs(max(misses) - Decimal(top)) < Decimal("1e-15")
        assert abs(sum(misses) / 4 - Decimal(mean)) < Decimal("1e-15")
        for unit in ("h1", "h2"):
            rows = [run.updated[n] for n in (f"b_{unit}", f"w_{unit}_x1", f"w_{unit}_x2")]
            assert [f"{v:.6f}" for v in rows][:len(hidden)] == list(hidden)
        if output is not None:
            rows = [run.updated[n] for n in ("b_o", "w_o_h1", "w_o_h2")]
            assert [f"{v:.6f}" for v in rows] == list(output)
            assert [epoch["updated"][n]["shown"] for n in ("b_o", "w_o_h1", "w_o_h2")] == list(output)


# J. Brownlee, "How to Code a Neural Network with Backpropagation In Python (from scratch)",
# Machine Learning Mastery, section "4.2 Train Network": a 2-2-2 sigmoid network, each
# neuron's bias added and trained, delta = (expected - output) output (1 - output) (the
# negative of dE/dnet for 1/2 SSE), hidden deltas from the output weights before the update,
# an update after each of the 10 rows in the order given, l_rate = 0.5, 20 epochs, one-hot
# targets. The initial weights are the first 12 draws of Python's random.seed(1), as the
# tutorial's initialize_network makes them (each neuron: its input weights, then its bias).
BROWNLEE = """
title: Brownlee's 2-2-2 network, 20 epochs online
learning_rate: 0.5
training: {epochs: 20, mode: online}
rounding: {places: 3}
layers:
  - {units: [x1, x2]}
  - units: [h1, h2]
    activation: sigmoid
    weights: [[0.13436424411240122, 0.8474337369372327], [0.2550690257394217, 0.49543508709194095]]
    bias: [0.763774618976614, 0.4494910647887381]
  - units: [o1, o2]
    activation: sigmoid
    weights: [[0.651592972722763, 0.7887233511355132], [0.02834747652200631, 0.8357651039198697]]
    bias: [0.0938595867742349, 0.43276706790505337]
samples:
  - {input: [2.7810836, 2.550537003], target: [1, 0]}
  - {input: [1.465489372, 2.362125076], target: [1, 0]}
  - {input: [3.396561688, 4.400293529], target: [1, 0]}
  - {input: [1.38807019, 1.850220317], target: [1, 0]}
  - {input: [3.06407232, 3.005305973], target: [1, 0]}
  - {input: [7.627531214, 2.759262235], target: [0, 1]}
  - {input: [5.332441248, 2.088626775], target: [0, 1]}
  - {input: [6.922596716, 1.77106367], target: [0, 1]}
  - {input: [8.675418651, -0.242068655], target: [0, 1]}
  - {input: [7.673756466, 3.508563011], target: [0, 1]}
"""
# ">epoch=N, lrate=0.500, error=..." (the squared errors of both outputs summed over the
# rows, each row's before its update), then the trained network's weights as printed.
BROWNLEE_ERRORS = ["6.350", "5.531", "5.221", "4.951", "4.519", "4.173", "3.835", "3.506", "3.192", "2.898",
                   "2.626", "2.377", "2.153", "1.953", "1.774", "1.614", "1.472", "1.346", "1.233", "1.132"]
BROWNLEE_WEIGHTS = {
    "w_h1_x1": "-1.4688375095432327", "w_h1_x2": "1.850887325439514", "b_h1": "1.0858178629550297",
    "w_h2_x1": "0.37711098142462157", "w_h2_x2": "-0.0625909894552989", "b_h2": "0.2765123702642716",
    "w_o1_h1": "2.515394649397849", "w_o1_h2": "-0.3391927502445985", "b_o1": "-0.9671565426390275",
    "w_o2_h1": "-2.5584149848484263", "w_o2_h2": "1.0036422106209202", "b_o2": "0.42383086467582715",
}


def test_brownlee_from_scratch_twenty_online_epochs():
    """Every epoch's printed error at its 3 decimals, and the 12 trained weights as printed
    (float64, 16-17 digits) to 1e-12, after 200 online updates."""
    solution = solve(parse_spec_text(BROWNLEE))
    run = solution.course.exact
    errors = [2 * sum(step.evaluation.error_total for step in epoch.steps) for epoch in run.epochs]
    assert [f"{e:.3f}" for e in errors] == BROWNLEE_ERRORS
    epochs = solution.to_dict()["training"]["epochs"]  # the same from the JSON: its steps' errors
    assert [f"{2 * sum(Decimal(str(s['error_total']['value'])) for s in e['steps']):.3f}" for e in epochs] == \
        BROWNLEE_ERRORS
    final = run.epochs[-1].updated
    for name, printed in BROWNLEE_WEIGHTS.items():
        assert abs(final[name] - Decimal(printed)) < Decimal("1e-12"), name


@pytest.mark.parametrize(("training", "message"), [
    ("{epochs: 0}", "training.epochs: 0 is not a whole number from 1"),
    ("{mode: stochastic}", "training.mode: 'stochastic' is not one of batch, minibatch, online"),
    ("{mode: minibatch}", "training.batch_size: missing"),
    ("{mode: online, batch_size: 2}", "training.batch_size: only for mode: minibatch"),
    ("{momentum: 1.5}", "training.momentum: 1.5 must be from 0 to 1"),
    ("{momentum: -0.1}", "training.momentum: -0.1 must be from 0 to 1"),
    ("{mode: minibatch, batch_size: 5}", r"training.batch_size: 5 is not a whole number from 1 to 4 \(the spec has 4 samples\)"),
    ("{seed: 3}", "training.seed: only for order: shuffle"),
    ("{epochs: 10000, mode: online, momentum: 0.9}", "40000 updates in all; at most 20000"),
])
def test_bad_training_sections(training, message):
    from symprop.errors import SympropError

    with pytest.raises(SympropError, match=message):
        parse_spec_text(XOR.replace("{epochs: 3, mode: online, momentum: 0.9}", training))
