"""Load and validate a network spec (YAML) into the frozen dataclasses of ``model``.

The spec format is a contract (see README.md): a ``layers`` list, explicit ``weights``
(``NAME: SOURCE -> TARGET = VALUE``) and ``biases`` (``NAME: UNIT[, UNIT ...] = VALUE``),
or the dense per-layer shorthand (``units: 3``, ``weights: [[...]]``, ``bias:``), which is
expanded here into the same explicit form with generated names. The optional ``exam:``
section is read by ``exam``. Every problem raises a ``SympropError`` whose one line names
the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ..errors import SympropError
from .choices import (
    ACTIVATIONS,
    BIAS_CONVENTIONS,
    CARRY_MODES,
    LOSS_OUTPUTS,
    LOSSES,
    NOTATIONS,
    OUTPUT_ONLY,
    PROBABILITY_LOSSES,
    QUANTITY_KINDS,
    ROUNDING_MODES,
)
from .exam import parse_exam
from .model import BiasSpec, Layer, Sample, Spec, WeightSpec
from .training import Training, parse_training
from .validate import bool_value, check_keys, choice, kind_text, listed, mapping, suggest, valid_name
from .values import Rounding, describe, parse_number, plain_number
from .yamlread import read_text, read_yaml

MAX_PLACES = 15
MAX_UNITS = 10_000  # per layer: far beyond a worked solution, short of a hang

TOP_KEYS = (
    "title", "author", "institute", "date", "notation", "loss", "learning_rate", "update_biases", "bias_convention",
    "rounding",
    "layers", "weights", "biases", "samples", "exam", "training",
)
LAYER_KEYS = ("name", "units", "activation", "slope", "weights", "bias", "prefix")
ROUNDING_KEYS = ("places", "mode", "carry")
SAMPLE_KEYS = ("input", "target")
DEFAULT_SLOPE = Fraction(1, 100)

_WEIGHT = re.compile(r"\s*(\S+?)\s*->\s*(\S+?)\s*=\s*(.+?)\s*")
_BIAS = re.compile(r"\s*([^=]+?)\s*=\s*(.+?)\s*")


def load_spec(path: str | Path, name: str | None = None) -> Spec:
    """Read, parse and validate the spec file at ``path``."""
    path = Path(path)
    source = name or str(path)
    return parse_spec_text(read_text(path, source), source=source, default_title=path.stem)


def parse_spec_text(text: str, source: str = "<spec>", default_title: str = "") -> Spec:
    try:
        return parse_spec(read_yaml(text), source=source, default_title=default_title)
    except SympropError as exc:
        raise SympropError(f"{source}: {exc}") from None


# --- the spec ------------------------------------------------------------------------------


def parse_spec(data: object, source: str = "<spec>", default_title: str = "") -> Spec:
    """Validate parsed YAML ``data`` into a ``Spec`` (errors name the key, not the file)."""
    if data is None:
        raise SympropError("the spec is empty (it needs at least layers, samples and learning_rate)")
    data = mapping(data, "the spec")
    check_keys(data, TOP_KEYS, "")
    for key in ("layers", "samples", "learning_rate"):
        if key not in data:
            raise SympropError(f"{key}: missing (required keys: layers, samples, learning_rate)")

    title = _text(data.get("title", default_title or "Forward pass and back-propagation"), "title")
    author, institute, date = (_text(data.get(key, ""), key) for key in ("author", "institute", "date"))
    loss = choice(data.get("loss", "half_sse"), LOSSES, "loss")
    notation = choice(data.get("notation", NOTATIONS[0]), NOTATIONS, "notation")
    learning_rate = parse_number(data["learning_rate"], "learning_rate")
    if learning_rate <= 0:
        raise SympropError(f"learning_rate: {data['learning_rate']} must be greater than 0")
    update_biases = bool_value(data.get("update_biases", True), "update_biases")
    bias_convention = choice(data.get("bias_convention", BIAS_CONVENTIONS[0]), BIAS_CONVENTIONS, "bias_convention")
    rounding = _rounding(data.get("rounding", {}))

    layers, dense_weights, dense_biases = _layers(listed(data["layers"], "layers"))
    unit_places = _unit_places(layers)
    units = {u: i for i, layer in enumerate(layers) for u in layer.units}
    explicit_weights = _weights(data.get("weights", {}), layers, units)
    explicit_biases = _biases(data.get("biases", {}), units)
    weights = dense_weights + explicit_weights
    biases = dense_biases + explicit_biases
    _check_names(_param_places(dense_weights, explicit_weights, dense_biases, explicit_biases, units), unit_places)
    _check_edges(weights, layers, units)
    _check_biases(biases)
    samples = _samples(listed(data["samples"], "samples"), layers)
    _check_loss(loss, layers, samples)
    exam = parse_exam(data["exam"]) if "exam" in data else None
    training = parse_training(data["training"], len(samples)) if "training" in data else Training()
    return Spec(
        title=title, author=author, institute=institute, date=date, notation=notation, loss=loss,
        learning_rate=learning_rate, update_biases=update_biases, rounding=rounding, layers=layers, weights=weights,
        biases=biases, samples=samples, source=source, exam=exam, bias_convention=bias_convention,
        training=training,
    )


def _text(value: object, key: str) -> str:
    """Free text (a title, an author, a date): a string, or a number or date YAML read as one."""
    if isinstance(value, (str, int, Decimal, datetime.date)) and not isinstance(value, bool):
        return str(value)
    raise SympropError(f"{key}: expected text, got {kind_text(value)}")


def _rounding(raw: object) -> Rounding:
    raw = mapping(raw, "rounding")
    check_keys(raw, ROUNDING_KEYS, "rounding")
    default = Rounding()  # a slots dataclass: the class attributes are descriptors, not defaults
    places, kinds = raw.get("places", default.places), ()
    if isinstance(places, dict):  # places by kind of quantity: {net: 3, out: 3, error: 4, default: 5}
        check_keys(places, QUANTITY_KINDS + ("default",), "rounding.places")
        by_kind = {k: _places(v, f"rounding.places.{k}") for k, v in places.items()}
        places = by_kind.pop("default", default.places)
        kinds = tuple((k, by_kind[k]) for k in QUANTITY_KINDS if k in by_kind and by_kind[k] != places)
    else:
        places = _places(places, "rounding.places")
    mode = choice(raw.get("mode", default.mode), ROUNDING_MODES, "rounding.mode")
    carry = choice(raw.get("carry", default.carry), CARRY_MODES, "rounding.carry")
    return Rounding(places=places, mode=mode, carry=carry, kinds=kinds)


def _places(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PLACES:
        raise SympropError(
            f"{where}: {describe(value)} is not a whole number from 0 to {MAX_PLACES} "
            f"(or a mapping by kind: {', '.join(QUANTITY_KINDS)}, default)"
        )
    return value


def _check_loss(loss: str, layers: tuple[Layer, ...], samples: tuple[Sample, ...]) -> None:
    """The loss fits the output activation, and the targets fit the loss."""
    output = layers[-1].activation
    fits = LOSS_OUTPUTS.get(loss)
    if fits is not None and output not in fits:
        raise SympropError(f"loss: {loss} needs an output layer of {' or '.join(fits)} units "
                           f"(layers[{len(layers) - 1}].activation is {output})")
    if loss not in PROBABILITY_LOSSES and output != "softmax":
        return
    for k, sample in enumerate(samples):
        for unit, value in sample.target:
            if not 0 <= value <= 1:
                raise SympropError(f"samples[{k}].target.{unit}: {plain_number(value)} is not a probability from 0 to 1 "
                                   f"(the targets of {loss if loss in PROBABILITY_LOSSES else 'softmax outputs'})")
        total = sum(v for _, v in sample.target)
        if output == "softmax" and total != 1:
            raise SympropError(f"samples[{k}].target: the targets of softmax outputs sum to {plain_number(total)}; "
                               "they must sum to 1 (one-hot, or a distribution)")


def _layer_names(raw_layers: list) -> list[str]:
    names = []
    hidden = len(raw_layers) - 2
    for i, raw in enumerate(raw_layers):
        where = f"layers[{i}]"
        raw = mapping(raw, where)
        if "name" in raw:
            names.append(valid_name(raw["name"], f"{where}.name"))
        elif i == 0:
            names.append("input")
        elif i == len(raw_layers) - 1:
            names.append("output")
        else:
            names.append("hidden" if hidden == 1 else f"hidden{i}")
    for i, name in enumerate(names):
        if name in names[:i]:
            raise SympropError(f"layers[{i}].name: duplicate layer name {name!r}")
    return names


def _unit_names(raw: dict, layer_names: list[str], i: int, where: str) -> tuple[str, ...]:
    units = raw.get("units")
    if units is None:
        raise SympropError(f"{where}.units: missing (a list of unit names, or how many units)")
    if isinstance(units, int) and not isinstance(units, bool):
        if not 1 <= units <= MAX_UNITS:
            raise SympropError(f"{where}.units: {units} must be from 1 to {MAX_UNITS}")
        if "prefix" in raw:
            prefix = valid_name(raw["prefix"], f"{where}.prefix")
        else:
            initials = [name[0].lower() for name in layer_names]
            initial = layer_names[i][0].lower()
            prefix = initial if initials.count(initial) == 1 else f"{initial}{i}_"
        return tuple(f"{prefix}{k}" for k in range(1, units + 1))
    if "prefix" in raw:
        raise SympropError(f"{where}.prefix: only used when units is a number")
    units = listed(units, f"{where}.units")
    if not units:
        raise SympropError(f"{where}.units: the layer has no units")
    return tuple(valid_name(u, f"{where}.units[{k}]") for k, u in enumerate(units))


def _layers(raw_layers: list) -> tuple[tuple[Layer, ...], tuple[WeightSpec, ...], tuple[BiasSpec, ...]]:
    if len(raw_layers) < 2:
        raise SympropError(f"layers: {len(raw_layers)} layer(s) given; a network needs an input and an output layer")
    names = _layer_names(raw_layers)
    layers: list[Layer] = []
    weights: list[WeightSpec] = []
    biases: list[BiasSpec] = []
    for i, raw in enumerate(raw_layers):
        where = f"layers[{i}]"
        check_keys(raw, LAYER_KEYS, where)
        units = _unit_names(raw, names, i, where)
        if i == 0:
            for key in ("activation", "slope", "weights", "bias"):
                if key in raw:
                    raise SympropError(f"{where}.{key}: the input layer has no {key}")
            layers.append(Layer(names[i], units, None))
            continue
        if "activation" not in raw:
            raise SympropError(f"{where}.activation: missing (one of {', '.join(sorted(ACTIVATIONS))})")
        activation = choice(raw["activation"], ACTIVATIONS, f"{where}.activation")
        if activation in OUTPUT_ONLY and i != len(raw_layers) - 1:
            raise SympropError(f"{where}.activation: {activation} couples the units of a layer and is for the "
                               f"output layer only (hidden layers: {', '.join(a for a in ACTIVATIONS if a not in OUTPUT_ONLY)})")
        if activation == "softmax" and len(units) < 2:
            raise SympropError(f"{where}.activation: softmax over one unit is always 1; give the layer two or more "
                               "units, or use sigmoid")
        slope = None
        if activation == "leaky_relu":
            slope = parse_number(raw.get("slope", DEFAULT_SLOPE), f"{where}.slope")
        elif "slope" in raw:
            raise SympropError(f"{where}.slope: only leaky_relu takes a slope (activation is {activation})")
        layers.append(Layer(names[i], units, activation, slope))
        if "weights" in raw:
            weights += _dense_weights(raw["weights"], layers[i - 1].units, units, f"{where}.weights")
        if "bias" in raw:
            biases += _dense_bias(raw["bias"], names[i], units, f"{where}.bias")
    return tuple(layers), tuple(weights), tuple(biases)


def _dense_weights(raw: object, sources: tuple[str, ...], targets: tuple[str, ...], where: str) -> list[WeightSpec]:
    rows = listed(raw, where)
    if len(rows) != len(targets):
        raise SympropError(
            f"{where}: {len(rows)} row(s) given; need one row per unit of the layer ({len(targets)}: {', '.join(targets)})"
        )
    weights = []
    for r, (target, row) in enumerate(zip(targets, rows)):
        row = listed(row, f"{where}[{r}]")
        if len(row) != len(sources):
            raise SympropError(
                f"{where}[{r}]: {len(row)} value(s) given; need one per unit of the previous layer "
                f"({len(sources)}: {', '.join(sources)})"
            )
        for c, (source, value) in enumerate(zip(sources, row)):
            if value is not None:  # null: no edge
                weights.append(WeightSpec(f"w_{target}_{source}", source, target, parse_number(value, f"{where}[{r}][{c}]")))
    return weights


def _dense_bias(raw: object, layer: str, units: tuple[str, ...], where: str) -> list[BiasSpec]:
    if isinstance(raw, list):
        if len(raw) != len(units):
            raise SympropError(f"{where}: {len(raw)} value(s) given; need one per unit ({len(units)}: {', '.join(units)})")
        return [
            BiasSpec(f"b_{unit}", (unit,), parse_number(value, f"{where}[{k}]"))
            for k, (unit, value) in enumerate(zip(units, raw))
            if value is not None
        ]
    return [BiasSpec(f"b_{layer}", units, parse_number(raw, where))]


def _weights(raw: object, layers: tuple[Layer, ...], units: dict[str, int]) -> tuple[WeightSpec, ...]:
    weights = []
    for name, text in mapping(raw or {}, "weights").items():
        where = f"weights.{name}"
        valid_name(name, "weights")
        match = _WEIGHT.fullmatch(text) if isinstance(text, str) else None
        if not match:
            raise SympropError(
                f"{where}: {describe(text)} is not of the form 'SOURCE -> TARGET = VALUE' (e.g. 'i1 -> h1 = 0.1')"
            )
        source, target, value = match.groups()
        weights.append(WeightSpec(name, source, target, parse_number(value, where)))
    return tuple(weights)


def _biases(raw: object, units: dict[str, int]) -> tuple[BiasSpec, ...]:
    biases = []
    for name, text in mapping(raw or {}, "biases").items():
        where = f"biases.{name}"
        valid_name(name, "biases")
        match = _BIAS.fullmatch(text) if isinstance(text, str) else None
        if not match:
            raise SympropError(
                f"{where}: {describe(text)} is not of the form 'UNIT[, UNIT ...] = VALUE' (e.g. 'h1, h2 = 0.35')"
            )
        names = tuple(u.strip() for u in match[1].split(","))
        for unit in names:
            if unit not in units:
                raise SympropError(f"{where}: unknown unit {unit!r} (units: {', '.join(units)}){suggest(unit, units)}")
            if units[unit] == 0:
                raise SympropError(f"{where}: {unit!r} is an input unit; biases belong to later layers")
        if len(set(names)) != len(names):
            raise SympropError(f"{where}: a unit is listed twice in {text!r}")
        biases.append(BiasSpec(name, names, parse_number(match[2], where)))
    return tuple(biases)


def _unit_places(layers: tuple[Layer, ...]) -> dict[str, str]:
    """Where each unit is declared; a unit name used twice is an error naming both places."""
    places: dict[str, str] = {}
    for i, layer in enumerate(layers):
        where = f"layers[{i}].units"
        for unit in layer.units:
            if unit in places:
                raise SympropError(f"{where}: duplicate unit name {unit!r} (already a unit in {places[unit]})")
            places[unit] = where
    return places


def _param_places(dense_weights, explicit_weights, dense_biases, explicit_biases, units) -> list[tuple[str, str, str]]:
    """(name, kind, where it is declared) of every parameter, generated or explicit."""
    return (
        [(w.name, "weight", f"layers[{units[w.target]}].weights") for w in dense_weights]
        + [(w.name, "weight", f"weights.{w.name}") for w in explicit_weights]
        + [(b.name, "bias", f"layers[{units[b.units[0]]}].bias") for b in dense_biases]
        + [(b.name, "bias", f"biases.{b.name}") for b in explicit_biases]
    )


def _check_names(params: list[tuple[str, str, str]], unit_places: dict[str, str]) -> None:
    """Units and parameters share one namespace: a name means one thing."""
    seen = {unit: f"a unit in {where}" for unit, where in unit_places.items()}
    for name, kind, where in params:
        if name in seen:
            raise SympropError(f"{where}: duplicate name {name!r} for a {kind} (already {seen[name]})")
        seen[name] = f"a {kind} in {where}"


def _check_edges(weights, layers, units: dict[str, int]) -> None:
    edges: dict[tuple[str, str], str] = {}
    for w in weights:
        where = f"weights.{w.name}"
        for unit in (w.source, w.target):
            if unit not in units:
                raise SympropError(f"{where}: unknown unit {unit!r} (units: {', '.join(units)}){suggest(unit, units)}")
        if units[w.source] >= units[w.target]:
            raise SympropError(
                f"{where}: edge {w.source} -> {w.target} goes against layer order "
                f"({layers[units[w.source]].name} -> {layers[units[w.target]].name}); "
                "edges go from an earlier layer to a later one"
            )
        if (w.source, w.target) in edges:
            raise SympropError(f"{where}: edge {w.source} -> {w.target} is already weight {edges[w.source, w.target]}")
        edges[w.source, w.target] = w.name
    targets = {w.target for w in weights}
    sources = {w.source for w in weights}
    last = len(layers) - 1
    for i, layer in enumerate(layers):
        for unit in layer.units:
            if i > 0 and unit not in targets:
                raise SympropError(f"unit {unit}: no weight reaches it (give it one under weights, or a weights matrix to layer {layer.name})")
            if i < last and unit not in sources:
                raise SympropError(f"unit {unit}: its output reaches no later unit (add a weight from it)")


def _check_biases(biases) -> None:
    owner: dict[str, str] = {}
    for b in biases:
        for unit in b.units:
            if unit in owner:
                raise SympropError(f"biases.{b.name}: unit {unit} already has bias {owner[unit]}")
            owner[unit] = b.name


def _values(raw: object, units: tuple[str, ...], kind: str, where: str) -> tuple[tuple[str, Fraction], ...]:
    if isinstance(raw, list):
        if len(raw) != len(units):
            raise SympropError(f"{where}: {len(raw)} value(s) given; need one per {kind} unit ({', '.join(units)})")
        return tuple((u, parse_number(v, f"{where}[{k}]")) for k, (u, v) in enumerate(zip(units, raw)))
    raw = mapping(raw, where)
    for unit in raw:
        if unit not in units:
            raise SympropError(f"{where}: {describe(unit)} is not an {kind} unit ({kind} units: {', '.join(units)})")
    for unit in units:
        if unit not in raw:
            raise SympropError(f"{where}: missing a value for {kind} unit {unit}")
    return tuple((u, parse_number(raw[u], f"{where}.{u}")) for u in units)


def _samples(raw_samples: list, layers: tuple[Layer, ...]) -> tuple[Sample, ...]:
    if not raw_samples:
        raise SympropError("samples: the list is empty; give at least one {input: ..., target: ...}")
    samples = []
    for k, raw in enumerate(raw_samples):
        where = f"samples[{k}]"
        raw = mapping(raw, where)
        check_keys(raw, SAMPLE_KEYS, where)
        for key in SAMPLE_KEYS:
            if key not in raw:
                raise SympropError(f"{where}.{key}: missing")
        samples.append(Sample(
            input=_values(raw["input"], layers[0].units, "input", f"{where}.input"),
            target=_values(raw["target"], layers[-1].units, "output", f"{where}.target"),
        ))
    return tuple(samples)


