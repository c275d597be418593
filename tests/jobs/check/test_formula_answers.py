"""A student's symbolic ∂E/∂w (``formula(w)``): right in any equivalent form, and a wrong one
named by the mistake that gives it, made symbolically on the chain-rule paths."""

from __future__ import annotations

import pytest

from symprop.core.derive import derive
from symprop.core.graph import build
from symprop.examples import path
from symprop.jobs.check.formula import judge_formula
from symprop.spec import load_spec


@pytest.fixture(scope="module")
def sigmoid():
    network = build(load_spec(path("sigmoid-2-2-2")))
    return network, derive(network)


W1_PATHS = ("(out_o1 - target_o1)*out_o1*(1 - out_o1)*w5*out_h1*(1 - out_h1)*out_i1",
            "(out_o2 - target_o2)*out_o2*(1 - out_o2)*w7*out_h1*(1 - out_h1)*out_i1")


@pytest.mark.parametrize(("text", "mistakes"), [
    (" + ".join(W1_PATHS), ()),
    ("out_i1*out_h1*(1 - out_h1)*(w5*(out_o1 - target_o1)*out_o1*(1 - out_o1) + w7*(out_o2 - target_o2)*out_o2*(1 - out_o2))", ()),
    (" + ".join(W1_PATHS).replace("out_o1 - target_o1", "target_o1 - out_o1").replace("out_o2 - target_o2", "target_o2 - out_o2"),
     ("sign_flip",)),
    (W1_PATHS[0], ("missing_path",)),
    ("(out_o1 - target_o1)*w5*out_i1 + (out_o2 - target_o2)*w7*out_i1", ("no_activation_derivative",)),
    (" + ".join(p.replace("*out_h1*(1 - out_h1)", "*net_h1*(1 - net_h1)") for p in W1_PATHS), ("activation_derivative_of_net",)),
    ("2*(" + " + ".join(W1_PATHS) + ")", ("half_missing",)),
])
def test_w1_answers_and_their_diagnoses(sigmoid, text, mistakes):
    network, d = sigmoid
    verdict = judge_formula(text, network, d.of["w1"])
    assert verdict.correct == (not mistakes) and verdict.mistakes == mistakes, verdict


def test_an_unrelated_or_unreadable_formula(sigmoid):
    network, d = sigmoid
    assert judge_formula("w5*w6", network, d.of["w1"]).reason.startswith("not the gradient")
    verdict = judge_formula("out_q9 + 1", network, d.of["w1"])
    assert not verdict.correct and verdict.reason.startswith("cannot read the formula: unknown symbol 'out_q9'")


def test_softmax_cross_entropy_shortcut_is_accepted():
    network = build(load_spec(path("softmax-2-2-3")))
    d = derive(network)
    out = network.outputs[0].name
    weight = next(p for p in network.params if p.kind == "weight" and p.targets == (out,))
    text = f"(out_{out} - target_{out})*out_{weight.source}"  # δ = out - target, derived in the documents
    assert judge_formula(text, network, d.of[weight.name]).correct


def test_an_answer_sheet_with_formulas_through_the_command_line(tmp_path, capsys):
    import json

    from symprop.cli import main

    sheet = tmp_path / "answers.yaml"
    sheet.write_text(
        "out(o1): 0.73492\n"
        "formula(w5): out_h1 (out_o1 - target_o1) sigmoid(net_o1) (1 - sigmoid(net_o1))\n"
        f"formula(w1): {W1_PATHS[0]}\n"
        "formula(w6): __import__('os').system('echo hacked')\n", encoding="utf-8")
    status = main(["check", "sigmoid-2-2-2", "--answers", str(sheet), "--require", "formula(w2)", "--format", "json"])
    out = capsys.readouterr().out
    results = {r["quantity"]: r for r in json.loads(out)["results"]}
    assert status == 1 and "hacked" not in out.replace("echo hacked", "")
    assert results["formula(w5)"]["verdict"] == "correct"
    assert results["formula(w5)"]["expected"] == "(out_o1 - target_o1)*out_o1*(1 - out_o1)*out_h1"
    assert results["formula(w1)"]["verdict"] == "wrong" and results["formula(w1)"]["diagnosis"] == "missing_path"
    assert results["formula(w6)"]["note"].startswith("cannot read the formula: unknown symbol '__import__'")
    assert results["formula(w2)"]["verdict"] == "missing" and results["out(o1)"]["verdict"] == "correct"
