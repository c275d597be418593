"""The chain-rule derivations against independent oracles: ``sympy.diff`` of the nested
E_total (symbolically and numerically) and central finite differences, for the bundled
examples and for random networks (every activation and loss, skip edges, shared biases,
several samples)."""

from dataclasses import replace
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
import sympy
from netgen import random_spec

from symprop.core.derive import derive
from symprop.core.graph import build
from symprop.core.proof import _is_zero, error_total, prove
from symprop.examples import names, path
from symprop.numbers.arithmetic import CONTEXT
from symprop.numbers.evaluate import MAX_CHAIN_TERMS, chain_gradient, evaluate
from symprop.numbers.solution import solve
from symprop.spec import Rounding, load_spec, parse_spec

RANDOM = range(40)


def spec_of(name):
    return load_spec(path(name))


def dense(sizes, activation="sigmoid", **extra):
    """A dense network with deterministic, distinct weights."""
    layers = [{"units": sizes[0]}]
    for i, n in enumerate(sizes[1:], 1):
        rows = [[str(Fraction((r + 2 * c + i) % 7 - 3, 10)) for c in range(sizes[i - 1])] for r in range(n)]
        layers.append({"units": n, "activation": activation, "weights": rows, "bias": "0.1"})
    data = {
        "learning_rate": "0.5",
        "layers": layers,
        "samples": [{"input": ["0.5"] * sizes[0], "target": ["0.2"] * sizes[-1]}],
        **extra,
    }
    return parse_spec(data)


@pytest.mark.parametrize("seed", RANDOM)
def test_random_network_chain_form_equals_sympy_diff(seed):
    proofs = prove(derive(build(random_spec(seed))))
    assert proofs and all(p.holds for p in proofs), [p.param for p in proofs if not p.holds]


@pytest.mark.parametrize("name", names())
def test_example_chain_form_equals_sympy_diff(name):
    proofs = prove(derive(build(spec_of(name))))
    assert all(p.holds for p in proofs)


def test_smooth_networks_are_proved_symbolically():
    proofs = prove(derive(build(spec_of("sigmoid-2-2-2"))))
    assert all(p.symbolic for p in proofs)


def test_the_proof_fails_for_a_wrong_chain():
    """A chain with a path left out (the classic 'missing path' slip) is not proved."""
    derivations = derive(build(spec_of("sigmoid-2-2-2")))
    (proof,) = prove(derivations, ("w1",))
    first_path = next(derivations.of["w1"].paths())
    from symprop.core.proof import nested

    partial = first_path.expr.xreplace(nested(derivations.network)[1])
    assert proof.holds and not _is_zero(proof.diff - partial)


def _at(expr, network):
    values = {p.symbol: sympy.Rational(p.value.numerator, p.value.denominator) for p in network.params}
    return Decimal(str(expr.xreplace(values).evalf(45)))


@pytest.mark.parametrize("seed", RANDOM)
def test_engine_gradients_equal_sympy_diff_at_the_spec_point(seed):
    solution = solve(random_spec(seed))
    if solution.exact.notes:  # a ReLU exactly at 0: SymPy's Heaviside(0) is 1/2, ours 0
        pytest.skip("kink at the spec point")
    total = error_total(solution.network)
    for p in solution.network.params:
        expected = _at(sympy.diff(total, p.symbol), solution.network)
        assert abs(solution.exact.gradients[p.name] - expected) < Decimal("1e-35"), p.name


def _error_total(spec, name, value):
    def moved(items):
        return tuple(replace(x, value=value) if x.name == name else x for x in items)

    moved_spec = replace(spec, weights=moved(spec.weights), biases=moved(spec.biases))
    return evaluate(derive(build(moved_spec))).error_total


@pytest.mark.parametrize("seed", list(RANDOM)[:15])
def test_engine_gradients_equal_finite_differences(seed):
    spec = random_spec(seed)
    solution = solve(spec)
    if solution.exact.notes:
        pytest.skip("kink at the spec point")
    h = Fraction(1, 10**15)
    for p in solution.network.params:
        up = _error_total(spec, p.name, p.value + h)
        down = _error_total(spec, p.name, p.value - h)
        with localcontext(CONTEXT):
            estimate = (up - down) / (2 * Decimal(h.numerator) / Decimal(h.denominator))
        assert abs(solution.exact.gradients[p.name] - estimate) < Decimal("1e-20"), p.name


@pytest.mark.parametrize("seed", RANDOM)
def test_chain_form_sum_equals_delta_form(seed):
    solution = solve(random_spec(seed))
    for name, derivation in solution.derivations.of.items():
        chain = chain_gradient(derivation, solution.exact)
        assert abs(chain - solution.exact.gradients[name]) < Decimal("1e-40"), name


@pytest.mark.parametrize("seed", RANDOM)
def test_path_counts_are_known_up_front(seed):
    derivations = derive(build(random_spec(seed)))
    for derivation in derivations.of.values():
        paths = list(derivation.paths())
        assert derivation.n_paths == len(paths)
        assert len(set(tuple(f.key for f in p.factors) for p in paths)) == len(paths)


def test_222_chains_are_the_lectures_chains():
    derivations = derive(build(spec_of("sigmoid-2-2-2")))
    (w5,) = derivations.of["w5"].paths()
    assert [str(f.local) for f in w5.factors] == ["out(o1) - target(o1)", "out(o1)*(1 - out(o1))", "out(h1)"]
    assert [f.key for f in w5.factors] == ["dE(o1)/dout(o1)", "dout(o1)/dnet(o1)", "dnet(o1)/dw5"]
    e1, e2 = derivations.of["w1"].paths()
    assert [f.key for f in e1.factors] == [
        "dE(o1)/dout(o1)", "dout(o1)/dnet(o1)", "dnet(o1)/dout(h1)", "dout(h1)/dnet(h1)", "dnet(h1)/dw1",
    ]
    assert [str(f.local) for f in e2.factors] == [
        "out(o2) - target(o2)", "out(o2)*(1 - out(o2))", "w7", "out(h1)*(1 - out(h1))", "out(i1)",
    ]
    # the shared bias b1 enters h1 and h2: its gradient sums the paths through both
    b1 = derivations.of["b1"]
    assert b1.n_paths == 4 and [f.unit for f in b1.last] == ["h1", "h2"]
    assert str(b1.delta_expr) == "delta(h1) + delta(h2)"


def test_shared_bias_gradient_is_the_sum_of_the_deltas():
    solution = solve(spec_of("sigmoid-2-2-2"))
    delta = solution.exact.backward[0].delta
    with localcontext(CONTEXT):
        assert solution.exact.gradients["b1"] == delta["h1"] + delta["h2"]
        assert solution.exact.gradients["b2"] == delta["o1"] + delta["o2"]


def test_deeper_networks_give_longer_chains_and_more_paths():
    derivations = derive(build(dense([2, 3, 3, 2])))
    first = derivations.of["w_h1_1_i1"]
    assert first.n_paths == 3 * 2
    assert {len(p.factors) for p in first.paths()} == {7}
    assert derivations.of["w_o1_h2_1"].n_paths == 1


def test_skip_edge_adds_a_shorter_path():
    data = {
        "learning_rate": 1,
        "layers": [
            {"name": "input", "units": ["x"]},
            {"name": "hidden", "units": ["h"], "activation": "tanh"},
            {"name": "output", "units": ["y"], "activation": "identity"},
        ],
        "weights": {"a": "x -> h = 0.5", "b": "h -> y = 2", "c": "x -> y = -1"},
        "samples": [{"input": {"x": 1}, "target": {"y": 0}}],
    }
    derivations = derive(build(parse_spec(data)))
    assert [len(p.factors) for p in derivations.of["c"].paths()] == [3]
    assert [len(p.factors) for p in derivations.of["a"].paths()] == [5]
    assert all(p.holds for p in prove(derivations))


def test_relu_derivative_at_zero_is_zero_and_said():
    data = {
        "learning_rate": 1,
        "layers": [
            {"name": "input", "units": ["x"]},
            {"name": "hidden", "units": ["h"], "activation": "relu"},
            {"name": "output", "units": ["y"], "activation": "identity"},
        ],
        "weights": {"a": "x -> h = 0.5", "b": "h -> y = 2"},
        "biases": {"c": "h = -0.5"},
        "samples": [{"input": {"x": 1}, "target": {"y": 1}}],
    }
    solution = solve(parse_spec(data))
    assert solution.exact.forward[0].net["h"] == 0
    assert solution.exact.gradients["a"] == 0 and solution.exact.gradients["c"] == 0
    assert any("h: net = 0" in note and "relu'(0) is taken as 0" in note for note in solution.to_dict()["notes"])


def test_carry_shown_writes_each_path_product_then_adds_them():
    """Seed 001 done as a hand calculation: 0.00159 + (-0.00049) = 0.00110, and then
    new_w1 = 0.1 - 0.6 * 0.00110 = 0.09934 (the seed's exact-carrying slides print 0.09933)."""
    spec = spec_of("sigmoid-2-2-2")
    spec = replace(spec, rounding=replace(spec.rounding, carry="shown"))
    solution = solve(spec)
    rounding = spec.rounding
    assert [str(solution.hand.path_value(p, 0)) for p in solution.derivations.of["w1"].paths()] == [
        "0.00159", "-0.00049",
    ]
    assert rounding.show(solution.hand.gradients["w1"]) == "0.00110"
    assert rounding.show(solution.hand.updated["w1"]) == "0.09934"
    assert rounding.show(solution.exact.updated["w1"]) == "0.09933"


def test_carry_shown_above_the_readable_size_uses_the_delta_form():
    spec = dense([2, 6, 5, 1], rounding={"places": 3, "carry": "shown"})
    solution = solve(spec)
    derivation = solution.derivations.of["w_h1_1_i1"]
    assert derivation.n_paths > MAX_CHAIN_TERMS or derivation.n_paths == 5
    rounding = Rounding(places=3, carry="shown")
    hand = solution.hand.backward[0]
    (last,) = derivation.last
    expected = rounding(hand.delta[last.unit] * hand.factor[last.key])
    assert solution.hand.gradients["w_h1_1_i1"] == expected
    # with carry: exact the same parameter's shown gradient is the exact one rounded
    exact = solve(replace(spec, rounding=Rounding(places=3)))
    assert exact.hand is exact.exact


def test_biases_are_kept_when_update_biases_is_false():
    solution = solve(spec_of("sigmoid-2-2-2"))
    assert solution.exact.updated["b1"] == Decimal("0.25") and solution.exact.gradients["b1"] != 0


def test_mse_is_the_mean_over_outputs():
    spec = spec_of("sigmoid-2-2-2")
    half = solve(spec).exact
    mean = solve(replace(spec, loss="mse")).exact
    with localcontext(CONTEXT):
        assert mean.error_total == half.error_total  # 2 outputs: (1/2) sum = half the SSE
        assert abs(mean.gradients["w5"] - half.gradients["w5"]) < Decimal("1e-45")
