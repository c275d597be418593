"""Load and validate a network spec (YAML) into frozen dataclasses.

The spec format is a contract (see README.md): a ``layers`` list, explicit ``weights``
(``NAME: SOURCE -> TARGET = VALUE``) and ``biases`` (``NAME: UNIT[, UNIT ...] = VALUE``),
or the dense per-layer shorthand (``units: 3``, ``weights: [[...]]``, ``bias:``), which is
expanded here into the same explicit form with generated names. The optional ``exam:``
section (``ExamSpec``) says what ``symprop exam`` draws (``Grid``) and asks. Every problem
raises a ``SympropError`` whose one line names the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import yaml

from ..errors import SympropError
from .choices import ACTIVATIONS, CARRY_MODES, LOSSES, NOTATIONS, ROUNDING_MODES
from .values import Rounding, describe, parse_number

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
NAME_RULE = "a letter, then letters, digits or _ (at most 32 characters)"
MAX_PLACES = 15
MAX_UNITS = 10_000  # per layer: far beyond a worked solution, short of a hang

TOP_KEYS = (
    "title", "notation", "loss", "learning_rate", "update_biases", "rounding",
    "layers", "weights", "biases", "samples", "exam",
)
LAYER_KEYS = ("name", "units", "activation", "slope", "weights", "bias", "prefix")
ROUNDING_KEYS = ("places", "mode", "carry")
SAMPLE_KEYS = ("input", "target")
EXAM_KEYS = ("weights", "biases", "inputs", "targets", "ask", "nonzero", "max_net", "allow_dead_relu")
GRID_KEYS = ("min", "max", "step")
KEEP = "keep"  # an exam section's word for "the spec's own values, not drawn"
DEFAULT_SLOPE = Fraction(1, 100)

_WEIGHT = re.compile(r"\s*(\S+?)\s*->\s*(\S+?)\s*=\s*(.+?)\s*")
_BIAS = re.compile(r"\s*([^=]+?)\s*=\s*(.+?)\s*")


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    units: tuple[str, ...]
    activation: str | None  # None for the input layer
    slope: Fraction | None = None  # leaky_relu only


@dataclass(frozen=True, slots=True)
class WeightSpec:
    name: str
    source: str
    target: str
    value: Fraction


@dataclass(frozen=True, slots=True)
class BiasSpec:
    name: str
    units: tuple[str, ...]  # one bias may be shared by several units
    value: Fraction


@dataclass(frozen=True, slots=True)
class Sample:
    input: tuple[tuple[str, Fraction], ...]  # (input unit, value) in layer order
    target: tuple[tuple[str, Fraction], ...]  # (output unit, value) in layer order


@dataclass(frozen=True, slots=True)
class Grid:
    """The values an exam draws from: ``min``, ``min + step``, ... up to ``max``."""

    min: Fraction
    max: Fraction
    step: Fraction

    @property
    def size(self) -> int:
        return int((self.max - self.min) // self.step) + 1

    def value(self, k: int) -> Fraction:
        return self.min + k * self.step


DEFAULT_GRID = Grid(Fraction(-1), Fraction(1), Fraction(1, 10))


@dataclass(frozen=True, slots=True)
class ExamSpec:
    """The optional ``exam:`` section: what ``symprop exam`` draws and asks.

    A grid of ``None`` keeps the spec's own values; ``ask`` holds the names as written
    (checker names, resolved by the exam against the solved network); ``nonzero`` leaves 0
    out of the drawn weights, biases and inputs (a target may be 0); ``max_net`` overrides
    the per-activation saturation limit; ``allow_dead_relu`` keeps draws with dead ReLU units.
    """

    weights: Grid | None = DEFAULT_GRID
    biases: Grid | None = DEFAULT_GRID
    inputs: Grid | None = None
    targets: Grid | None = None
    ask: tuple[str, ...] = ()
    nonzero: bool = True
    max_net: Fraction | None = None
    allow_dead_relu: bool = False


@dataclass(frozen=True, slots=True)
class Spec:
    title: str
    notation: str
    loss: str
    learning_rate: Fraction
    update_biases: bool
    rounding: Rounding
    layers: tuple[Layer, ...]
    weights: tuple[WeightSpec, ...]
    biases: tuple[BiasSpec, ...]
    samples: tuple[Sample, ...]
    source: str = "<spec>"
    exam: ExamSpec | None = None  # the exam section, when the spec has one

    @property
    def parameters(self) -> tuple[WeightSpec | BiasSpec, ...]:
        return self.weights + self.biases


# --- YAML: safe loading, exact decimals, no silently dropped duplicate keys -------------


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that keeps decimals exact and rejects duplicate keys."""

    def construct_yaml_float(self, node):  # noqa: D102 - PyYAML hook
        text = self.construct_scalar(node)
        try:
            return Decimal(text)
        except InvalidOperation:  # .inf, .nan, sexagesimal: let the validator judge it
            return Decimal(repr(super().construct_yaml_float(node)))

    def construct_yaml_int(self, node):  # noqa: D102 - PyYAML hook
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts: the validator names the key
            return self.construct_scalar(node)

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):  # PyYAML reports it, with its line
                continue
            if key in seen:
                line = key_node.start_mark.line + 1
                raise SympropError(f"line {line}: duplicate key {describe(key)}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


def read_yaml(text: str) -> object:
    """Parse YAML text safely (no object construction), decimals as ``Decimal``."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SympropError(f"{where}YAML syntax error: {_yaml_problem(exc)}") from None
    except yaml.YAMLError as exc:
        raise SympropError(f"YAML error: {exc}") from None


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, with its context when the problem alone reads as half a sentence."""
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem and problem.startswith("but "):
        problem = f"{exc.context}, {problem}"
    elif exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        problem = f"{problem} ({exc.context} started on line {exc.context_mark.line + 1})"
    return " ".join(problem.split())


def read_text(path: Path, source: str, encoding: str = "utf-8") -> str:
    """A user's text file, or one line saying why it cannot be read."""
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise SympropError(f"{source}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise SympropError(f"{source}: cannot read: {exc.strerror or exc}") from None


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


# --- validation helpers ------------------------------------------------------------------


def _suggest(word: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_keys(mapping: dict, allowed: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in allowed:
            prefix = f"{where}: " if where else ""
            raise SympropError(
                f"{prefix}unknown key {describe(key)} (allowed: {', '.join(allowed)}){_suggest(key, allowed)}"
            )


def _mapping(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise SympropError(f"{where}: expected a mapping (key: value), got {_kind(value)}")
    return value


def _list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise SympropError(f"{where}: expected a list, got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return {dict: "a mapping", list: "a list"}[type(value)]
    return describe(value)


def _name(value: object, where: str) -> str:
    if isinstance(value, bool):  # YAML 1.1 reads yes/no/on/off/true/false unquoted as booleans
        raise SympropError(f"{where}: {describe(value)} is not a valid name (YAML reads unquoted yes, no, on, "
                           "off, true and false as true/false: put the name in quotes)")
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise SympropError(f"{where}: {describe(value)} is not a valid name ({NAME_RULE})")
    return value


def _choice(value: object, allowed: Iterable[str], where: str) -> str:
    allowed = sorted(allowed)
    if value not in allowed:
        raise SympropError(
            f"{where}: {describe(value)} is not one of {', '.join(allowed)}{_suggest(value, allowed)}"
        )
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise SympropError(f"{where}: {describe(value)} is not true or false")
    return value


# --- the spec ------------------------------------------------------------------------------


def parse_spec(data: object, source: str = "<spec>", default_title: str = "") -> Spec:
    """Validate parsed YAML ``data`` into a ``Spec`` (errors name the key, not the file)."""
    if data is None:
        raise SympropError("the spec is empty (it needs at least layers, samples and learning_rate)")
    data = _mapping(data, "the spec")
    _check_keys(data, TOP_KEYS, "")
    for key in ("layers", "samples", "learning_rate"):
        if key not in data:
            raise SympropError(f"{key}: missing (required keys: layers, samples, learning_rate)")

    title = data.get("title", default_title or "Forward pass and back-propagation")
    if not isinstance(title, (str, int, Decimal)) or isinstance(title, bool):
        raise SympropError(f"title: expected text, got {_kind(title)}")
    loss = _choice(data.get("loss", "half_sse"), LOSSES, "loss")
    notation = _choice(data.get("notation", NOTATIONS[0]), NOTATIONS, "notation")
    learning_rate = parse_number(data["learning_rate"], "learning_rate")
    if learning_rate <= 0:
        raise SympropError(f"learning_rate: {data['learning_rate']} must be greater than 0")
    update_biases = _bool(data.get("update_biases", True), "update_biases")
    rounding = _rounding(data.get("rounding", {}))

    layers, dense_weights, dense_biases = _layers(_list(data["layers"], "layers"))
    unit_places = _unit_places(layers)
    units = {u: i for i, layer in enumerate(layers) for u in layer.units}
    explicit_weights = _weights(data.get("weights", {}), layers, units)
    explicit_biases = _biases(data.get("biases", {}), units)
    weights = dense_weights + explicit_weights
    biases = dense_biases + explicit_biases
    _check_names(_param_places(dense_weights, explicit_weights, dense_biases, explicit_biases, units), unit_places)
    _check_edges(weights, layers, units)
    _check_biases(biases)
    samples = _samples(_list(data["samples"], "samples"), layers)
    exam = _exam(data["exam"]) if "exam" in data else None
    return Spec(
        title=str(title), notation=notation, loss=loss, learning_rate=learning_rate,
        update_biases=update_biases, rounding=rounding, layers=layers, weights=weights,
        biases=biases, samples=samples, source=source, exam=exam,
    )


def _rounding(raw: object) -> Rounding:
    raw = _mapping(raw, "rounding")
    _check_keys(raw, ROUNDING_KEYS, "rounding")
    default = Rounding()  # a slots dataclass: the class attributes are descriptors, not defaults
    places = raw.get("places", default.places)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_PLACES:
        raise SympropError(f"rounding.places: {describe(places)} is not a whole number from 0 to {MAX_PLACES}")
    mode = _choice(raw.get("mode", default.mode), ROUNDING_MODES, "rounding.mode")
    carry = _choice(raw.get("carry", default.carry), CARRY_MODES, "rounding.carry")
    return Rounding(places=places, mode=mode, carry=carry)


def _layer_names(raw_layers: list) -> list[str]:
    names = []
    hidden = len(raw_layers) - 2
    for i, raw in enumerate(raw_layers):
        where = f"layers[{i}]"
        raw = _mapping(raw, where)
        if "name" in raw:
            names.append(_name(raw["name"], f"{where}.name"))
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
            prefix = _name(raw["prefix"], f"{where}.prefix")
        else:
            initials = [name[0].lower() for name in layer_names]
            initial = layer_names[i][0].lower()
            prefix = initial if initials.count(initial) == 1 else f"{initial}{i}_"
        return tuple(f"{prefix}{k}" for k in range(1, units + 1))
    if "prefix" in raw:
        raise SympropError(f"{where}.prefix: only used when units is a number")
    units = _list(units, f"{where}.units")
    if not units:
        raise SympropError(f"{where}.units: the layer has no units")
    return tuple(_name(u, f"{where}.units[{k}]") for k, u in enumerate(units))


def _layers(raw_layers: list) -> tuple[tuple[Layer, ...], tuple[WeightSpec, ...], tuple[BiasSpec, ...]]:
    if len(raw_layers) < 2:
        raise SympropError(f"layers: {len(raw_layers)} layer(s) given; a network needs an input and an output layer")
    names = _layer_names(raw_layers)
    layers: list[Layer] = []
    weights: list[WeightSpec] = []
    biases: list[BiasSpec] = []
    for i, raw in enumerate(raw_layers):
        where = f"layers[{i}]"
        _check_keys(raw, LAYER_KEYS, where)
        units = _unit_names(raw, names, i, where)
        if i == 0:
            for key in ("activation", "slope", "weights", "bias"):
                if key in raw:
                    raise SympropError(f"{where}.{key}: the input layer has no {key}")
            layers.append(Layer(names[i], units, None))
            continue
        if "activation" not in raw:
            raise SympropError(f"{where}.activation: missing (one of {', '.join(sorted(ACTIVATIONS))})")
        activation = _choice(raw["activation"], ACTIVATIONS, f"{where}.activation")
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
    rows = _list(raw, where)
    if len(rows) != len(targets):
        raise SympropError(
            f"{where}: {len(rows)} row(s) given; need one row per unit of the layer ({len(targets)}: {', '.join(targets)})"
        )
    weights = []
    for r, (target, row) in enumerate(zip(targets, rows)):
        row = _list(row, f"{where}[{r}]")
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
    for name, text in _mapping(raw or {}, "weights").items():
        where = f"weights.{name}"
        _name(name, "weights")
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
    for name, text in _mapping(raw or {}, "biases").items():
        where = f"biases.{name}"
        _name(name, "biases")
        match = _BIAS.fullmatch(text) if isinstance(text, str) else None
        if not match:
            raise SympropError(
                f"{where}: {describe(text)} is not of the form 'UNIT[, UNIT ...] = VALUE' (e.g. 'h1, h2 = 0.35')"
            )
        names = tuple(u.strip() for u in match[1].split(","))
        for unit in names:
            if unit not in units:
                raise SympropError(f"{where}: unknown unit {unit!r} (units: {', '.join(units)}){_suggest(unit, units)}")
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
                raise SympropError(f"{where}: unknown unit {unit!r} (units: {', '.join(units)}){_suggest(unit, units)}")
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
    raw = _mapping(raw, where)
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
        raw = _mapping(raw, where)
        _check_keys(raw, SAMPLE_KEYS, where)
        for key in SAMPLE_KEYS:
            if key not in raw:
                raise SympropError(f"{where}.{key}: missing")
        samples.append(Sample(
            input=_values(raw["input"], layers[0].units, "input", f"{where}.input"),
            target=_values(raw["target"], layers[-1].units, "output", f"{where}.target"),
        ))
    return tuple(samples)


# --- the exam section -----------------------------------------------------------------------


def _exam(raw: object) -> ExamSpec:
    """``exam:`` (empty: every default); the asked names are checked by the exam itself."""
    raw = _mapping({} if raw is None else raw, "exam")
    _check_keys(raw, EXAM_KEYS, "exam")
    default = ExamSpec()
    grids = {
        key: _grid(raw[key], f"exam.{key}") if key in raw else getattr(default, key)
        for key in ("weights", "biases", "inputs", "targets")
    }
    max_net = None
    if "max_net" in raw:
        max_net = parse_number(raw["max_net"], "exam.max_net")
        if max_net <= 0:
            raise SympropError(f"exam.max_net: {describe(raw['max_net'])} must be greater than 0")
    return ExamSpec(
        **grids, ask=_ask(raw.get("ask", [])), nonzero=_bool(raw.get("nonzero", True), "exam.nonzero"),
        max_net=max_net, allow_dead_relu=_bool(raw.get("allow_dead_relu", False), "exam.allow_dead_relu"),
    )


def _grid(raw: object, where: str) -> Grid | None:
    if raw == KEEP:
        return None
    if not isinstance(raw, dict):
        raise SympropError(
            f"{where}: expected {KEEP!r} (the spec's values) or a grid like {{min: -1, max: 1, step: 0.1}}, "
            f"got {_kind(raw)}"
        )
    _check_keys(raw, GRID_KEYS, where)
    for key in ("min", "max"):
        if key not in raw:
            raise SympropError(f"{where}.{key}: missing (a grid needs min and max; step defaults to 0.1)")
    low, high = parse_number(raw["min"], f"{where}.min"), parse_number(raw["max"], f"{where}.max")
    step = parse_number(raw.get("step", DEFAULT_GRID.step), f"{where}.step")
    if step <= 0:
        raise SympropError(f"{where}.step: {describe(raw.get('step'))} must be greater than 0")
    if low >= high:
        raise SympropError(f"{where}: min {describe(raw['min'])} must be less than max {describe(raw['max'])}")
    grid = Grid(low, high, step)
    if grid.size < 2:
        raise SympropError(
            f"{where}.step: {describe(raw.get('step'))} is wider than the range from {describe(raw['min'])} "
            f"to {describe(raw['max'])}, so the grid has a single value (make step at most max - min)"
        )
    return grid


def _ask(raw: object) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else _list(raw, "exam.ask")
    for k, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SympropError(f"exam.ask[{k}]: {describe(item)} is not a quantity name (e.g. 'out(o1)', 'grad(w5)')")
    return tuple(item.strip() for item in items)
