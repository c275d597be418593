"""The JSON's ``derivations``: each parameter's chain and delta texts, parsed back with
SymPy, equal ``sympy.diff`` of E_total (at random points, through the nested definitions of
every unit) and, at each sample's forward values summed over the samples, the engine's
gradient; the paths list the factor keys in order; big networks name their deltas."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
import sympy
from netgen import random_spec

from symprop.core.formulas import MAX_PATHS, formulas
from symprop.core.proof import nested
from symprop.examples import path
from symprop.numbers.solution import solve
from symprop.spec import load_spec, parse_spec_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmark import dense_spec  # noqa: E402


def _locals(solution) -> dict[str, sympy.Symbol]:
    names = {p.name: sympy.Symbol(p.name) for p in solution.network.params}
    for u in solution.network.units:
        names[f"out_{u.name}"] = sympy.Symbol(f"out_{u.name}")
        names[f"net_{u.name}"] = sympy.Symbol(f"net_{u.name}")
        names[f"target_{u.name}"] = sympy.Symbol(f"target_{u.name}")
        names[f"delta_{u.name}"] = sympy.Symbol(f"delta_{u.name}")
    return names


def _parse(text: str, names) -> sympy.Expr:
    return sympy.parse_expr(text, local_dict=names)


def _at_sample(solution, k: int) -> dict[sympy.Symbol, sympy.Expr]:
    """The plain symbols at sample k's exact forward values and the parameters' values."""
    fwd, sample = solution.exact.forward[k], solution.spec.samples[k]
    values = {sympy.Symbol(p.name): sympy.Rational(p.value.numerator, p.value.denominator)
              for p in solution.network.params}
    for u, v in sample.input:
        values[sympy.Symbol(f"out_{u}")] = sympy.Rational(v.numerator, v.denominator)
    for u, v in sample.target:
        values[sympy.Symbol(f"target_{u}")] = sympy.Rational(v.numerator, v.denominator)
    for u in solution.network.computed:
        values[sympy.Symbol(f"net_{u.name}")] = sympy.Float(str(fwd.net[u.name]), 50)
        values[sympy.Symbol(f"out_{u.name}")] = sympy.Float(str(fwd.out[u.name]), 50)
    return values


def _check_against_engine(solution, derivations, deltas=None) -> None:
    names = _locals(solution)
    for name, entry in derivations.items():
        gradient = solution.exact.gradients[name]
        for form in ("chain", "delta"):
            if entry[form] is None:
                continue
            expr = _parse(entry[form], names)
            total = sum(_resolved(expr, deltas, names).xreplace(_at_sample(solution, k))
                        for k in range(len(solution.spec.samples)))
            assert abs(sympy.Float(total, 50) - sympy.Float(str(gradient), 50)) < 1e-35, (name, form)


def _resolved(expr, deltas, names):
    """``delta_u`` symbols replaced, layer by layer, by their formulas."""
    if not deltas:
        return expr
    table = {names[f"delta_{u}"]: _parse(text, names) for u, text in deltas.items()}
    for _ in range(len(table) + 1):
        if not expr.free_symbols & set(table):
            return expr
        expr = expr.xreplace(table)
    raise AssertionError("delta formulas do not bottom out")


@pytest.mark.parametrize("name", ["sigmoid-2-2-2", "relu-3-2-1", "tanh-2-3-3-2", "softmax-2-2-3",
                                  "xor-threshold-2-2-1"])
def test_bundled_examples_parse_back_to_the_engines_gradients(name):
    solution = solve(load_spec(path(name)))
    data = json.loads(solution.to_json())
    assert "delta_formulas" not in data
    derivations = data["derivations"]
    assert list(derivations) == [p.name for p in solution.network.params]
    _check_against_engine(solution, derivations)
    for pname, entry in derivations.items():
        d = solution.derivations.of[pname]
        assert entry["n_paths"] == d.n_paths == len(entry["paths"])
        assert entry["paths"] == [[f.key for f in p.factors] for p in d.paths()]


def test_the_lecture_form_of_w1():
    data = json.loads(solve(load_spec(path("sigmoid-2-2-2"))).to_json())
    w1 = data["derivations"]["w1"]
    assert w1["paths"][0] == ["dE(o1)/dout(o1)", "dout(o1)/dnet(o1)", "dnet(o1)/dout(h1)", "dout(h1)/dnet(h1)",
                              "dnet(h1)/dw1"]
    assert w1["chain"].startswith("(out_o1 - target_o1)*out_o1*(1 - out_o1)*w5*out_h1*(1 - out_h1)*out_i1 + ")


@pytest.mark.parametrize("seed", range(12))
def test_random_networks_parse_back_to_the_engines_gradients(seed):
    solution = solve(random_spec(seed))
    derivations, _ = formulas(solution.derivations)
    _check_against_engine(solution, derivations)


@pytest.mark.parametrize("seed", range(8))
def test_random_networks_equal_sympy_diff_at_random_points(seed):
    spec = random_spec(seed, max_hidden=1, max_width=2)  # sympy.diff of the nested E grows fast
    solution = solve(spec)
    derivations, _ = formulas(solution.derivations)
    network = solution.network
    names = _locals(solution)
    plain = {network.unit[u.name].out: names[f"out_{u.name}"] for u in network.units}
    plain |= {u.net: names[f"net_{u.name}"] for u in network.computed}
    rng = random.Random(seed)
    params = [p.symbol for p in network.params]
    for _ in range(2):
        point = {s: sympy.Float(rng.randint(-9, 9) / 10, 50) for s in params}
        for k in range(len(spec.samples)):
            error, define = nested(network, k)
            # each unit's plain symbol by its nested definition, at the point
            values = {plain[s]: e.evalf(50, subs=point) for s, e in define.items() if s in plain}
            values |= {names[f"target_{u}"]: sympy.Rational(v.numerator, v.denominator)
                       for u, v in spec.samples[k].target}
            values |= {names[p.name]: point[p.symbol] for p in network.params}
            for p in network.params:
                expected = sympy.diff(error, p.symbol).evalf(50, subs=point)
                for form in ("chain", "delta"):
                    got = _parse(derivations[p.name][form], names).evalf(50, subs=values)
                    assert abs(got - expected) < 1e-30, (seed, p.name, form)


def test_big_networks_name_their_deltas():
    spec = parse_spec_text(dense_spec([2, 5, 5, 5, 3], 1), "dense.yaml")
    solution = solve(spec)
    data = json.loads(solution.to_json())
    first = next(p for p in solution.network.params if p.kind == "weight")
    entry = data["derivations"][first.name]
    assert entry["n_paths"] == 75 > MAX_PATHS and entry["paths"] is None and entry["chain"] is None
    assert entry["delta"].startswith(f"delta_{first.targets[0]}*")
    assert set(data["delta_formulas"]) == {u.name for u in solution.network.computed}
    _check_against_engine(solution, data["derivations"], data["delta_formulas"])
