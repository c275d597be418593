"""The spec contract: what valid specs parse to, exactly, and what every bad spec says.

Bad specs are small variations of one valid base spec (``BASE``), each changed in one
place, so that each test fails for one reason only. Each must give exit status 2 and one
line on stderr that names the key and what is wrong (and what is allowed, where there is
a list).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from symprop.cli import main
from symprop.errors import SympropError
from symprop.spec import BiasSpec, Layer, Rounding, Sample, WeightSpec, load_spec, parse_number, parse_spec_text

BASE = """\
title: base
loss: half_sse
learning_rate: 0.5
rounding: {places: 4, mode: round, carry: exact}
layers:
  - {name: input, units: [i1, i2]}
  - {name: hidden, units: [h1, h2], activation: sigmoid}
  - {name: output, units: [o1], activation: sigmoid}
weights:
  w1: i1 -> h1 = 0.1
  w2: i2 -> h1 = 0.2
  w3: i1 -> h2 = 0.3
  w4: i2 -> h2 = 0.4
  w5: h1 -> o1 = 0.5
  w6: h2 -> o1 = 0.6
biases:
  b1: h1, h2 = 0.35
  b2: o1 = 0.6
samples:
  - input: {i1: 0.05, i2: 0.1}
    target: {o1: 0.01}
"""


def spec(text: str = BASE):
    return parse_spec_text(text)


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- variations of the base spec: each changes one thing ---------------------------------


def _walk(data, path: str):
    """The container holding the last key of ``path`` ("layers.1.activation"), and that key."""
    *parents, last = path.split(".")
    for key in parents:
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data, int(last) if isinstance(data, list) else last


def set_(path: str, value):
    def change(data):
        container, key = _walk(data, path)
        container[key] = value
    return change


def delete(path: str):
    def change(data):
        container, key = _walk(data, path)
        del container[key]
    return change


def rename(path: str, new: str):
    def change(data):
        container, key = _walk(data, path)
        items = [(new if k == key else k, v) for k, v in container.items()]
        container.clear()
        container.update(items)
    return change


def variant(change) -> str:
    """The base spec, changed by ``change`` (a function of the parsed dict), as YAML."""
    data = copy.deepcopy(yaml.safe_load(BASE))
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def text(old: str, new: str) -> str:
    """The base spec's text with ``old`` (found exactly once) replaced by ``new``."""
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


# --- valid specs: parsed values, exactly ---------------------------------------------------


def test_base_spec_parses_to_exact_values():
    s = spec()
    assert (s.title, s.loss, s.notation) == ("base", "half_sse", "sum_output")
    assert s.learning_rate == Fraction(1, 2) and type(s.learning_rate) is Fraction
    assert s.update_biases is True
    assert s.rounding == Rounding(places=4, mode="round", carry="exact")
    assert s.layers == (
        Layer("input", ("i1", "i2"), None),
        Layer("hidden", ("h1", "h2"), "sigmoid"),
        Layer("output", ("o1",), "sigmoid"),
    )
    assert s.weights == (
        WeightSpec("w1", "i1", "h1", Fraction(1, 10)),
        WeightSpec("w2", "i2", "h1", Fraction(1, 5)),
        WeightSpec("w3", "i1", "h2", Fraction(3, 10)),
        WeightSpec("w4", "i2", "h2", Fraction(2, 5)),
        WeightSpec("w5", "h1", "o1", Fraction(1, 2)),
        WeightSpec("w6", "h2", "o1", Fraction(3, 5)),
    )
    assert s.biases == (BiasSpec("b1", ("h1", "h2"), Fraction(7, 20)), BiasSpec("b2", ("o1",), Fraction(3, 5)))
    assert s.samples == (
        Sample(input=(("i1", Fraction(1, 20)), ("i2", Fraction(1, 10))), target=(("o1", Fraction(1, 100)),)),
    )


def test_base_spec_solves(tmp_path, capsys):
    assert main(["solve", str(write(tmp_path, BASE))]) == 0
    assert main(["solve", str(write(tmp_path, variant(lambda data: None), "dumped.yaml"))]) == 0
    assert capsys.readouterr().err == ""


def test_values_stay_exact():
    s = spec(text("w1: i1 -> h1 = 0.1", "w1: i1 -> h1 = 1/3").replace("learning_rate: 0.5", "learning_rate: 0.1"))
    assert s.weights[0].value == Fraction(1, 3)
    assert s.learning_rate == Fraction(1, 10)  # not Fraction(0.1), the float's binary artefact
    assert all(type(w.value) is Fraction for w in s.weights)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3, Fraction(3)),
        (-2, Fraction(-2)),
        (Decimal("0.1"), Fraction(1, 10)),
        ("0.1", Fraction(1, 10)),
        (" -0.25 ", Fraction(-1, 4)),
        ("+.5", Fraction(1, 2)),
        ("1e-3", Fraction(1, 1000)),
        ("1/3", Fraction(1, 3)),
        ("-2 / 6", Fraction(-1, 3)),
        (0.1, Fraction(1, 10)),  # a float through the Python API: its shortest repr, not its binary value
        (Fraction(2, 7), Fraction(2, 7)),
    ],
)
def test_parse_number_exact(raw, expected):
    value = parse_number(raw, "x")
    assert value == expected and type(value) is Fraction


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "x: 'abc' is not a number"),
        (True, "x: True is not a number"),
        (None, "x: None is not a number"),
        ([1], "x: [1] is not a number"),
        ("nan", "x: 'nan' is not a finite number"),
        ("-Infinity", "x: '-Infinity' is not a finite number"),
        (Decimal("NaN"), "x: NaN is not a finite number"),
        (float("inf"), "x: inf is not a finite number"),
        ("1/0", "x: '1/0' divides by zero"),
        ("1e-999999999", "x: '1e-999999999' has more than 1000 digits"),
        (Decimal("1E+999999999"), "x: 1E+999999999 has more than 1000 digits"),
        pytest.param("1/" + "9" * 5000, "has more than 1000 digits", id="huge-fraction"),
    ],
)
def test_parse_number_rejects(raw, message):
    with pytest.raises(SympropError) as info:
        parse_number(raw, "x")
    assert message in str(info.value)


def test_integers_decimals_and_fractions_in_yaml():
    s = spec(text("w1: i1 -> h1 = 0.1", "w1: i1 -> h1 = 2").replace("w2: i2 -> h1 = 0.2", "w2: i2 -> h1 = -1/4")
             .replace("{i1: 0.05, i2: 0.1}", "{i1: 1/3, i2: -7}").replace("{o1: 0.01}", "{o1: '0.010'}"))
    assert [w.value for w in s.weights[:2]] == [Fraction(2), Fraction(-1, 4)]
    assert s.samples[0].input == (("i1", Fraction(1, 3)), ("i2", Fraction(-7)))
    assert s.samples[0].target == (("o1", Fraction(1, 100)),)


def test_defaults():
    minimal = "\n".join(line for line in BASE.splitlines() if not line.startswith(("title", "loss", "rounding")))
    s = spec(minimal)
    assert (s.loss, s.notation, s.update_biases) == ("half_sse", "sum_output", True)
    assert s.rounding == Rounding(places=5, mode="round", carry="exact")
    assert s.title == "Forward pass and back-propagation"


def test_title_defaults_to_file_name(tmp_path):
    path = write(tmp_path, BASE.replace("title: base\n", ""), "my-net.yaml")
    assert load_spec(path).title == "my-net"


def test_partial_rounding_keeps_other_defaults():
    s = spec(text("rounding: {places: 4, mode: round, carry: exact}", "rounding: {places: 0}"))
    assert s.rounding == Rounding(places=0, mode="round", carry="exact")
    s = spec(text("rounding: {places: 4, mode: round, carry: exact}", "rounding: {mode: truncate, carry: shown}"))
    assert s.rounding == Rounding(places=5, mode="truncate", carry="shown")
    s = spec(text("rounding: {places: 4, mode: round, carry: exact}", "rounding: {places: 15}"))
    assert s.rounding.places == 15


def test_mse_and_no_bias_updates():
    s = spec(text("loss: half_sse", "loss: mse\nupdate_biases: false"))
    assert (s.loss, s.update_biases) == ("mse", False)


DENSE = """\
learning_rate: 1/3
layers:
  - {units: 2}
  - {units: 3, activation: relu, weights: [[0.1, 0.2], [1/3, -1], [2, null]], bias: 0.1}
  - {units: 1, activation: sigmoid, weights: [[1, 2, 3]], bias: [0.5]}
samples:
  - {input: {i1: 1, i2: 2}, target: {o1: 1}}
"""


def test_dense_shorthand_generates_units_and_parameters():
    s = spec(DENSE)
    assert [(layer.name, layer.units) for layer in s.layers] == [
        ("input", ("i1", "i2")), ("hidden", ("h1", "h2", "h3")), ("output", ("o1",)),
    ]
    assert s.weights == (
        WeightSpec("w_h1_i1", "i1", "h1", Fraction(1, 10)),
        WeightSpec("w_h1_i2", "i2", "h1", Fraction(1, 5)),
        WeightSpec("w_h2_i1", "i1", "h2", Fraction(1, 3)),
        WeightSpec("w_h2_i2", "i2", "h2", Fraction(-1)),
        WeightSpec("w_h3_i1", "i1", "h3", Fraction(2)),  # null: no edge from i2 to h3
        WeightSpec("w_o1_h1", "h1", "o1", Fraction(1)),
        WeightSpec("w_o1_h2", "h2", "o1", Fraction(2)),
        WeightSpec("w_o1_h3", "h3", "o1", Fraction(3)),
    )
    assert s.biases == (
        BiasSpec("b_hidden", ("h1", "h2", "h3"), Fraction(1, 10)),  # one bias shared by the layer
        BiasSpec("b_o1", ("o1",), Fraction(1, 2)),  # one bias per unit
    )


def test_dense_shorthand_names_with_two_hidden_layers_and_prefix():
    s = spec("""\
learning_rate: 1
layers:
  - {units: 1, prefix: x}
  - {units: 1, activation: tanh, weights: [[1]]}
  - {units: 1, activation: tanh, weights: [[1]]}
  - {units: 1, activation: identity, weights: [[1]]}
samples:
  - {input: {x1: 1}, target: {o1: 1}}
""")
    assert [(layer.name, layer.units) for layer in s.layers] == [
        ("input", ("x1",)), ("hidden1", ("h1_1",)), ("hidden2", ("h2_1",)), ("output", ("o1",)),
    ]
    assert [w.name for w in s.weights] == ["w_h1_1_x1", "w_h2_1_h1_1", "w_o1_h2_1"]


def test_dense_and_explicit_weights_mix(tmp_path, capsys):
    mixed = DENSE.replace("samples:", "weights:\n  skip: i2 -> o1 = 1/4\nbiases:\n  extra: h3 = 0\nsamples:")
    mixed = mixed.replace("bias: 0.1}", "bias: [0.1, 0.2, null]}")
    s = spec(mixed)
    assert s.weights[-1] == WeightSpec("skip", "i2", "o1", Fraction(1, 4))
    assert s.biases == (
        BiasSpec("b_h1", ("h1",), Fraction(1, 10)),
        BiasSpec("b_h2", ("h2",), Fraction(1, 5)),
        BiasSpec("b_o1", ("o1",), Fraction(1, 2)),
        BiasSpec("extra", ("h3",), Fraction(0)),
    )
    assert main(["solve", str(write(tmp_path, mixed))]) == 0
    assert capsys.readouterr().err == ""


def test_skip_layer_edges(tmp_path, capsys):
    skip = text("  w6: h2 -> o1 = 0.6\n", "  w6: h2 -> o1 = 0.6\n  w7: i1 -> o1 = -1/2\n")
    assert spec(skip).weights[-1] == WeightSpec("w7", "i1", "o1", Fraction(-1, 2))
    assert main(["solve", str(write(tmp_path, skip))]) == 0
    # h2 fed by i1 only; i2 reaches the output by a skip edge alone
    only_skip = text("  w4: i2 -> h2 = 0.4\n", "  w4: i2 -> o1 = 0.4\n")
    assert spec(only_skip).weights[3] == WeightSpec("w4", "i2", "o1", Fraction(2, 5))
    assert main(["solve", str(write(tmp_path, only_skip, "only.yaml"))]) == 0
    assert capsys.readouterr().err == ""


def test_network_without_biases(tmp_path, capsys):
    no_bias = variant(delete("biases"))
    assert spec(no_bias).biases == ()
    assert main(["solve", str(write(tmp_path, no_bias))]) == 0
    assert capsys.readouterr().err == ""


def test_leaky_relu_slope_default_and_explicit(tmp_path, capsys):
    default = spec(text("activation: sigmoid}\n  - {name: output", "activation: leaky_relu}\n  - {name: output"))
    assert default.layers[1] == Layer("hidden", ("h1", "h2"), "leaky_relu", Fraction(1, 100))
    explicit = text("activation: sigmoid}\n  - {name: output", "activation: leaky_relu, slope: 1/5}\n  - {name: output")
    assert spec(explicit).layers[1].slope == Fraction(1, 5)
    assert spec(explicit.replace("slope: 1/5", "slope: 0.2")).layers[1].slope == Fraction(1, 5)
    assert spec().layers[1].slope is None  # only leaky_relu has one
    assert main(["solve", str(write(tmp_path, explicit))]) == 0
    assert capsys.readouterr().err == ""


def test_rounding_shows_values_beyond_working_precision():
    assert Rounding(places=2).show(Decimal("1E+60")) == "1" + "0" * 60 + ".00"
    assert Rounding(places=3, mode="truncate").show(Decimal("-0.0004")) == "0.000"


# --- bad specs: exit 2, one line on stderr naming the culprit ------------------------------


def bad(ident: str, spec_text: str, *parts: str):
    """A bad spec and the parts its one error line must contain."""
    return pytest.param(spec_text, parts, id=ident)


BAD = [
    # YAML itself
    bad("yaml-syntax", text("loss: half_sse", "loss: half_sse: mse"), "line 2", "YAML syntax error"),
    bad("yaml-syntax-flow", text("  w3: i1 -> h2 = 0.3", "  w3: [i1 -> h2 = 0.3"),
        "line 13", "YAML syntax error", "flow sequence started on line 12"),
    bad("duplicate-top-key", BASE + "loss: mse\n", "line 22", "duplicate key 'loss'"),
    bad("duplicate-weight-key", text("  w2: i2", "  w1: i2"), "line 11", "duplicate key 'w1'"),
    bad("duplicate-flow-key", text("{i1: 0.05, i2: 0.1}", "{i1: 0.05, i1: 0.1}"), "line 20", "duplicate key 'i1'"),
    bad("two-documents", BASE + "---\ntitle: again\n", "line 22", "expected a single document"),
    bad("unhashable-key", BASE + "? [a, b]\n: 1\n", "line 22", "unhashable key"),
    bad("python-tag", text("title: base", "title: !!python/object:os.system ls"), "line 1", "python/object"),
    bad("empty", "", "the spec is empty", "layers"),
    bad("not-a-mapping", "- a\n- b\n", "the spec: expected a mapping"),
    # unknown keys
    bad("unknown-top-key", variant(rename("title", "titel")),
        "unknown key 'titel'", "allowed: title", "did you mean 'title'"),
    bad("unknown-layer-key", variant(set_("layers.1.activaton", "sigmoid")),
        "layers[1]: unknown key 'activaton'", "activation"),
    bad("unknown-rounding-key", variant(set_("rounding.digits", 3)),
        "rounding: unknown key 'digits'", "places, mode, carry"),
    bad("unknown-sample-key", variant(set_("samples.0.expected", {"o1": 1})),
        "samples[0]: unknown key 'expected'", "input, target"),
    # choices
    bad("unknown-activation", variant(set_("layers.1.activation", "sigmod")),
        "layers[1].activation", "'sigmod'", "identity, leaky_relu, relu, sigmoid, softmax, tanh",
        "did you mean 'sigmoid'"),
    bad("number-activation", variant(set_("layers.2.activation", 0.5)),
        "layers[2].activation: 0.5 is not one of", "sigmoid"),
    bad("missing-activation", variant(delete("layers.1.activation")), "layers[1].activation: missing", "sigmoid"),
    bad("unknown-loss", variant(set_("loss", "l2")), "loss: 'l2'",
        "binary_cross_entropy, cross_entropy, half_sse, mse, sse"),
    bad("unknown-mode", variant(set_("rounding.mode", "floor")), "rounding.mode: 'floor'", "round, truncate"),
    bad("unknown-carry", variant(set_("rounding.carry", "all")), "rounding.carry: 'all'", "exact, shown"),
    bad("unknown-notation", variant(set_("notation", "greek")), "notation: 'greek'", "sum_output"),
    bad("not-a-bool", variant(set_("update_biases", "maybe")), "update_biases: 'maybe' is not true or false"),
    bad("slope-without-leaky-relu", variant(set_("layers.1.slope", 0.1)), "layers[1].slope", "only leaky_relu"),
    bad("input-activation", variant(set_("layers.0.activation", "relu")), "layers[0].activation", "input layer"),
    # edges
    bad("edge-from-unknown-unit", variant(set_("weights.w1", "i9 -> h1 = 0.1")),
        "weights.w1", "unknown unit 'i9'", "i1, i2"),
    bad("edge-to-unknown-unit", variant(set_("weights.w5", "h1 -> o2 = 0.5")),
        "weights.w5", "unknown unit 'o2'", "units: i1, i2, h1, h2, o1"),
    bad("edge-backwards", variant(set_("weights.w5", "o1 -> h1 = 0.5")),
        "weights.w5", "o1 -> h1", "against layer order"),
    bad("edge-within-layer", variant(set_("weights.w5", "h2 -> h1 = 0.5")),
        "weights.w5", "h2 -> h1", "against layer order"),
    bad("edge-into-input", variant(set_("weights.w5", "i1 -> i2 = 0.5")),
        "weights.w5", "i1 -> i2", "against layer order"),
    bad("duplicate-edge", variant(set_("weights.w6", "h1 -> o1 = 0.6")), "weights.w6", "h1 -> o1", "already weight w5"),
    bad("weight-form", variant(set_("weights.w1", "i1 => h1 = 0.1")),
        "weights.w1", "'i1 => h1 = 0.1'", "SOURCE -> TARGET = VALUE"),
    bad("bias-form", variant(set_("biases.b1", "h1 h2 0.35")), "biases.b1", "UNIT[, UNIT ...] = VALUE"),
    bad("bias-unknown-unit", variant(set_("biases.b1", "h1, h9 = 0.35")), "biases.b1", "unknown unit 'h9'"),
    bad("bias-on-input", variant(set_("biases.b1", "i1, h1 = 0.35")), "biases.b1", "'i1' is an input unit"),
    bad("two-biases-one-unit", variant(set_("biases.b2", "h2, o1 = 0.6")), "biases.b2", "h2 already has bias b1"),
    # duplicate names
    bad("duplicate-unit-in-layer", variant(set_("layers.1.units", ["h1", "h1"])),
        "layers[1].units", "duplicate unit name 'h1'"),
    bad("duplicate-unit-across-layers", variant(set_("layers.2.units", ["h2"])),
        "layers[2].units", "duplicate unit name 'h2'", "layers[1].units"),
    bad("duplicate-layer-name", variant(set_("layers.2.name", "hidden")),
        "layers[2].name", "duplicate layer name 'hidden'"),
    bad("bias-named-like-weight", variant(rename("biases.b2", "w1")), "biases.w1", "duplicate name 'w1'", "weights.w1"),
    bad("weight-named-like-unit", variant(rename("weights.w6", "h2")), "weights.h2", "duplicate name 'h2'", "unit"),
    bad("bad-unit-name", variant(set_("layers.1.units", ["h1", "2h"])),
        "layers[1].units[1]", "'2h' is not a valid name"),
    # samples
    bad("target-on-hidden-unit", variant(set_("samples.0.target.h1", 1)),
        "samples[0].target", "'h1' is not an output unit", "o1"),
    bad("input-on-hidden-unit", variant(set_("samples.0.input.h1", 1)),
        "samples[0].input", "'h1' is not an input unit", "i1, i2"),
    bad("missing-input-value", variant(delete("samples.0.input.i2")),
        "samples[0].input", "missing a value for input unit i2"),
    bad("missing-target-value", variant(delete("samples.0.target.o1")),
        "samples[0].target", "missing a value for output unit o1"),
    bad("missing-target", variant(delete("samples.0.target")), "samples[0].target: missing"),
    bad("no-samples", variant(set_("samples", [])), "samples: the list is empty"),
    bad("missing-layers", variant(delete("layers")), "layers: missing"),
    # numbers
    bad("input-not-a-number", variant(set_("samples.0.input.i1", "abc")),
        "samples[0].input.i1", "'abc' is not a number"),
    bad("weight-not-a-number", variant(set_("weights.w1", "i1 -> h1 = abc")), "weights.w1", "'abc' is not a number"),
    bad("bias-divides-by-zero", variant(set_("biases.b1", "h1, h2 = 1/0")), "biases.b1", "'1/0' divides by zero"),
    bad("learning-rate-not-a-number", variant(set_("learning_rate", "fast")),
        "learning_rate", "'fast' is not a number"),
    bad("learning-rate-zero", variant(set_("learning_rate", 0)), "learning_rate: 0 must be greater than 0"),
    bad("learning-rate-bool", variant(set_("learning_rate", True)), "learning_rate: True is not a number"),
    bad("date", text("learning_rate: 0.5", "learning_rate: 2001-12-14"), "learning_rate: 2001-12-14 is not a number"),
    bad("nan", variant(set_("samples.0.target.o1", float("nan"))),
        "samples[0].target.o1", "NaN is not a finite number"),
    bad("infinity", variant(set_("samples.0.input.i1", float("-inf"))),
        "samples[0].input.i1", "Infinity is not a finite number"),
    bad("nan-text", variant(set_("weights.w1", "i1 -> h1 = nan")), "weights.w1", "'nan' is not a finite number"),
    bad("infinity-text", variant(set_("weights.w1", "i1 -> h1 = -inf")), "weights.w1", "'-inf' is not a finite number"),
    bad("huge-exponent", text("learning_rate: 0.5", "learning_rate: 1.0e+999999999"),
        "learning_rate", "more than 1000 digits"),
    bad("huge-integer", text("learning_rate: 0.5", "learning_rate: " + "9" * 5000),
        "learning_rate", "more than 1000 digits"),
    bad("dense-rows", variant(set_("layers.1.weights", [[1, 2]])), "layers[1].weights: 1 row(s) given", "h1, h2"),
    bad("dense-columns", variant(set_("layers.1.weights", [[1], [2]])),
        "layers[1].weights[0]: 1 value(s) given", "i1, i2"),
    bad("zero-units", variant(set_("layers.1.units", 0)), "layers[1].units: 0 must be from 1 to 10000"),
    bad("fractional-units", variant(set_("layers.1.units", 2.5)), "layers[1].units: expected a list, got 2.5"),
    # rounding.places
    bad("places-16", variant(set_("rounding.places", 16)), "rounding.places: 16", "0 to 15"),
    bad("places-negative", variant(set_("rounding.places", -1)), "rounding.places: -1", "0 to 15"),
    bad("places-fraction", variant(set_("rounding.places", 2.5)), "rounding.places: 2.5", "0 to 15"),
    bad("places-text", variant(set_("rounding.places", "3")), "rounding.places: '3'", "0 to 15"),
]


def run_bad(path: Path, capsys) -> str:
    status = main(["solve", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert err.endswith("\n") and lines[0].startswith("symprop: error: ")
    return lines[0]


@pytest.mark.parametrize(("spec_text", "expected"), BAD)
def test_bad_spec(tmp_path, capsys, spec_text, expected):
    path = write(tmp_path, spec_text)
    line = run_bad(path, capsys)
    assert str(path) in line
    for part in expected:
        assert part in line


def test_missing_file(tmp_path, capsys):
    line = run_bad(tmp_path / "nope.yaml", capsys)
    assert "nope.yaml: no such file" in line and "sigmoid-2-2-2" in line


def test_directory_as_spec(tmp_path, capsys):
    line = run_bad(tmp_path, capsys)
    assert f"{tmp_path}: is a directory" in line


def test_name_too_long(capsys):
    line = run_bad(Path("a" * 300), capsys)
    assert "cannot read" in line


def test_not_utf8(tmp_path, capsys):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00")
    line = run_bad(path, capsys)
    assert "binary.yaml: not UTF-8 text" in line


def test_multiline_value_stays_on_one_line(tmp_path, capsys):
    path = write(tmp_path, variant(set_("weights.w1", "i1 =>\nh1 = 0.1")))
    line = run_bad(path, capsys)
    assert "weights.w1: 'i1 =>\\nh1 = 0.1' is not of the form" in line


def test_a_huge_layer_is_refused_at_once(tmp_path, capsys):
    from symprop.cli import main

    spec = tmp_path / "huge.yaml"
    spec.write_text("learning_rate: 1\nlayers:\n  - {units: 100000000}\n  - {units: 1, activation: relu}\n"
                    "samples: [{input: [1], target: [1]}]\n")
    assert main(["solve", str(spec)]) == 2
    assert "layers[0].units: 100000000 must be from 1 to 10000" in capsys.readouterr().err


def test_sigmoid_of_a_huge_negative_sum_does_not_overflow():
    from decimal import Decimal

    from symprop.core.rules import ACTIVATIONS

    sigmoid = ACTIVATIONS["sigmoid"].forward
    assert sigmoid(Decimal("-1e300"), None) == 0
    assert sigmoid(Decimal("1e300"), None) == 1
    assert abs(sigmoid(Decimal("-30"), None) - Decimal("9.357622968839e-14")) < Decimal("1e-25")


def test_a_unit_named_on_gets_a_hint_to_quote_it(tmp_path, capsys):
    from symprop.cli import main

    spec = tmp_path / "on.yaml"
    spec.write_text("learning_rate: 1\nlayers:\n  - {units: [x]}\n  - {units: [on], activation: relu}\n"
                    "weights: {w: x -> h = 1}\nsamples: [{input: [1], target: [1]}]\n")
    assert main(["solve", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "layers[1].units[0]: True is not a valid name" in err and "put the name in quotes" in err
