"""Training runs against an independent float implementation (``float_oracle``, plain
Python from the textbook formulas, sharing nothing with the engine): every mode, momentum on and
off, biases updated or not, given and shuffled orders, random networks of every
activation and loss; and a lab handout's multi-layer debug case printed to 10 digits."""

from __future__ import annotations

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


@pytest.mark.parametrize(("training", "message"), [
    ("{epochs: 0}", "training.epochs: 0 is not a whole number from 1"),
    ("{mode: stochastic}", "training.mode: 'stochastic' is not one of batch, minibatch, online"),
    ("{mode: minibatch}", "training.batch_size: missing"),
    ("{mode: online, batch_size: 2}", "training.batch_size: only for mode: minibatch"),
    ("{momentum: 1}", "training.momentum: 1 must be from 0 up to"),
    ("{seed: 3}", "training.seed: only for order: shuffle"),
    ("{epochs: 10000, mode: online, momentum: 0.9}", "40000 updates in all; at most 20000"),
])
def test_bad_training_sections(training, message):
    from symprop.errors import SympropError

    with pytest.raises(SympropError, match=message):
        parse_spec_text(XOR.replace("{epochs: 3, mode: online, momentum: 0.9}", training))
