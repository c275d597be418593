"""The bipolar sigmoid, f(x) = 2 / (1 + e^-x) - 1 with f' = (1 + f)(1 - f) / 2, the
activation of Fausett's and Zurada's textbooks (outputs from -1 to 1).

It is tanh(x / 2): a network of bipolar units computes what the same network of tanh units
computes with every weight and bias halved, and its gradients are half the tanh network's
(∂E/∂w = ∂E/∂w' · dw'/dw with w' = w / 2). That identity checks the new row against the tanh
row; the rules' tests check it against ``sympy.diff``, and the random networks of the proof
and the float oracle draw it like every other activation. The worked solution writes it and
its derivative as the textbooks do, and renders in KaTeX and MathJax.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from toolchain import katex_failures, mathjax_failures

from symprop.numbers.arithmetic import CONTEXT
from symprop.numbers.solution import solve
from symprop.spec import parse_spec_text

BIPOLAR = """
title: A bipolar sigmoid network
learning_rate: 0.25
rounding: {places: 4, mode: round, carry: shown}
layers:
  - {units: [x1, x2]}
  - {units: [h1, h2], activation: ACT, bias: [B1, B2], weights: [[W1, W2], [W3, W4]]}
  - {units: [y], activation: ACT, bias: [B3], weights: [[W5, W6]]}
samples:
  - {input: [1, -1], target: [-1]}
  - {input: [0.5, 0.25], target: [0.6]}
"""
VALUES = {"W1": "0.4", "W2": "-0.7", "W3": "0.2", "W4": "0.5", "W5": "0.6", "W6": "-0.4",
          "B1": "0.1", "B2": "-0.3", "B3": "0.2"}


def network(activation: str, scale: Fraction) -> str:
    text = BIPOLAR.replace("ACT", activation)
    for key in sorted(VALUES, key=len, reverse=True):
        text = text.replace(key, str(Fraction(VALUES[key]) * scale))
    return text


def test_a_bipolar_network_is_a_tanh_network_with_halved_parameters():
    bipolar = solve(parse_spec_text(network("bipolar_sigmoid", Fraction(1))))
    tanh = solve(parse_spec_text(network("tanh", Fraction(1, 2))))
    b, t = bipolar.exact, tanh.exact
    tiny = Decimal("1e-45")
    with localcontext(CONTEXT):
        for k in range(2):
            for unit in ("h1", "h2", "y"):
                assert abs(b.forward[k].out[unit] - t.forward[k].out[unit]) < tiny
                assert abs(b.forward[k].net[unit] - 2 * t.forward[k].net[unit]) < tiny
        assert abs(b.error_total - t.error_total) < tiny
        names = [p.name for p in bipolar.network.params]
        assert names == [p.name for p in tanh.network.params] and len(names) == 9
        for name in names:
            assert abs(b.gradients[name] - t.gradients[name] / 2) < tiny, name


def test_the_first_output_by_hand():
    data = solve(parse_spec_text(network("bipolar_sigmoid", Fraction(1)))).to_dict()
    units = data["samples"][0]["units"]
    # net(h1) = 0.4 + 0.7 + 0.1 = 1.2, f = 2 / (1 + e^-1.2) - 1 = 0.53705; f'(y) = (1 + f)(1 - f) / 2
    assert units["h1"]["net"]["shown"] == "1.2000" and units["h1"]["out"]["shown"] == "0.5370"
    assert units["h2"]["out"]["shown"] == "-0.2913"
    out = units["y"]["out"]["value"]
    assert abs(float(out) - 0.30894384775704076) < 1e-15


@pytest.fixture(scope="module")
def markdown(tmp_path_factory):
    from symprop.cli import main

    folder = tmp_path_factory.mktemp("bipolar")
    spec = folder / "bipolar.yaml"
    spec.write_text(network("bipolar_sigmoid", Fraction(1)), encoding="utf-8")
    assert main(["solve", str(spec), "--format", "md", "-o", str(folder / "md")]) == 0
    return (folder / "md" / "solution.md").read_text(encoding="utf-8")


def test_the_worked_solution_writes_the_textbook_forms(markdown):
    assert r"\text{output}_{h1} &= \frac{2}{1 + e^{-\text{sum}_{h1}}} - 1" in markdown
    assert r"&= \frac{2}{1 + e^{-(-0.6000)}} - 1 = -0.2913" in markdown
    assert r"&= \frac{1}{2} (1 + (-0.2913)) (1 - (-0.2913)) = 0.4576" in markdown


def test_the_worked_solution_renders_in_katex_and_mathjax(markdown):
    assert katex_failures(markdown) == []
    assert mathjax_failures(markdown) == []
