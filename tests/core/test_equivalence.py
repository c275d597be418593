"""Formulas a person writes, read safely and judged by value: the JSON's own formula and any
rearrangement of it are the gradient; a wrong sign, a missing factor or path is not; text
that is not a formula of the symbols is refused in one line, quickly, whatever it holds."""

from __future__ import annotations

import time

import pytest

from symprop.core.derive import derive
from symprop.core.equivalence import FormulaError, equal_for, gradient_of, read_formula
from symprop.core.formulas import formulas
from symprop.core.graph import build
from symprop.examples import names, path
from symprop.spec import load_spec


@pytest.fixture(scope="module")
def sigmoid():
    network = build(load_spec(path("sigmoid-2-2-2")))
    return network, derive(network)


@pytest.mark.parametrize("name", names())
def test_the_jsons_chain_and_delta_texts_read_back_as_the_gradient(name):
    network = build(load_spec(path(name)))
    d = derive(network)
    texts, _ = formulas(d)
    for param, entry in texts.items():
        key = gradient_of(d.of[param])
        assert equal_for(network, read_formula(entry["chain"], network), key), param
        assert equal_for(network, read_formula(entry["delta"], network), key), param


@pytest.mark.parametrize("text", [
    "(out_o1 - target_o1)*out_o1*(1 - out_o1)*out_h1",
    "out_h1 (out_o1 - target_o1) out_o1 (1 - out_o1)",  # implicit products, any order
    "(out_o1 - target_o1) · sigmoid(net_o1) · (1 − sigmoid(net_o1)) · out_h1",  # the sum, typeset signs
    "-(target_o1 - out_o1)*(out_o1 - out_o1^2)*out_h1",
    "(out_o1 - target_o1)*exp(-net_o1)/(1 + exp(-net_o1))^2*out_h1",
])
def test_equivalent_forms_of_w5_are_equal(sigmoid, text):
    network, d = sigmoid
    assert equal_for(network, read_formula(text, network), gradient_of(d.of["w5"]))


@pytest.mark.parametrize("text", [
    "(target_o1 - out_o1)*out_o1*(1 - out_o1)*out_h1",  # the sign
    "(out_o1 - target_o1)*out_h1",  # σ′ left out
    "(out_o1 - target_o1)*net_o1*(1 - net_o1)*out_h1",  # σ′ of the sum
    "(out_o1 - target_o1)*out_o1*(1 - out_o1)*out_h2",  # the wrong input
    "(out_o1 - target_o1)*out_o1*(1 - out_o1)*out_h1 + 1e-9",
])
def test_wrong_forms_of_w5_are_not(sigmoid, text):
    network, d = sigmoid
    try:
        expr = read_formula(text, network)
    except FormulaError:
        assert "e-9" in text  # 1e-9 is not a plain number: refused, not judged
        return
    assert not equal_for(network, expr, gradient_of(d.of["w5"]))


@pytest.mark.parametrize(("text", "message"), [
    ("__import__('os').system('true')", "unknown symbol '__import__'"),
    ("out_o1.__class__", "unexpected '.'"),
    ("lambda: 1", "unknown symbol 'lambda'"),
    ("out_o1 @ w5", "unexpected '@'"),
    ("(" * 60 + "1" + ")" * 60, "nested more than 40"),
    ("w5" + "+w5" * 800, "more than 1500 symbols"),
    ("2**-1000", "an exponent of -1000"),
    ("(w5", "without its ')'"),
    ("", "an empty formula"),
    ("x" * 5000, "5000 characters"),
    (3.5, "a formula is text"),
], ids=lambda v: str(v)[:24])
def test_what_is_not_a_formula_is_refused_in_one_line(sigmoid, text, message):
    network, _ = sigmoid
    start = time.perf_counter()
    with pytest.raises(FormulaError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        read_formula(text, network)
    assert "\n" not in str(info.value) and time.perf_counter() - start < 2


def test_huge_powers_and_exponentials_are_refused_or_judged_quickly(sigmoid):
    network, d = sigmoid
    start = time.perf_counter()
    for text in ["9**9**9", "out_o1**(9**9**9)", "Piecewise((1, out_o1**(9**9**9) > 0), (0, True))"]:
        with pytest.raises(FormulaError, match="an exponent of"):
            read_formula(text, network)
    for text in ["exp(exp(exp(exp(100))))", "out_o1**(w5*10**16)", "max(exp(exp(9)), 1)"]:
        assert not equal_for(network, read_formula(text, network), gradient_of(d.of["w5"]))
    assert time.perf_counter() - start < 5
