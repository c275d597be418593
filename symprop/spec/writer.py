"""Writing a spec back as YAML: every parameter explicit, read back exactly by ``reader``.

``symprop exam`` writes each variant this way (``variants/NN.yaml``): the dense shorthand
is written out with its generated names, values as exact decimals or quoted fractions,
names quoted where YAML would read them as something else (``yes``, ``null``), any text as
a double-quoted scalar with what YAML cannot hold raw escaped.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import yaml

from .model import Spec
from .values import decimal_text


def _number(value: Fraction) -> str:
    """A value as the spec loader reads it back exactly: a decimal, or a quoted fraction."""
    text = decimal_text(value)
    return text if text is not None else f"'{value.numerator}/{value.denominator}'"


def _bare(value: Fraction) -> str:
    """A value inside a ``SOURCE -> TARGET = VALUE`` string (no quotes needed there)."""
    text = decimal_text(value)
    return text if text is not None else f"{value.numerator}/{value.denominator}"


def _quoted(text: str) -> str:
    """Any text as a YAML double-quoted scalar (what YAML cannot hold raw, escaped)."""
    def escape(c: str) -> str:
        if c in '"\\':
            return "\\" + c
        if c.isprintable() or c == " ":
            return c
        code = ord(c)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return '"' + "".join(escape(c) for c in text) + '"'


@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    """A name as a YAML scalar: quoted when YAML would read it as something else (``yes``,
    ``null``); looked up once per name (an exam writes the same names in every variant)."""
    return name if isinstance(yaml.safe_load(name), str) else f"'{name}'"


def _places(r) -> str:
    if not r.kinds:
        return str(r.places)
    return "{" + ", ".join(f"{k}: {p}" for k, p in (*r.kinds, ("default", r.places))) + "}"


def dump_spec(spec: Spec, header: str) -> str:
    """``spec`` as an explicit YAML spec, after a comment line ``# header``."""
    r = spec.rounding
    lines = [
        f"# {' '.join(header.split())}",
        f"title: {_quoted(spec.title)}",
        *(f"{key}: {_quoted(getattr(spec, key))}" for key in ("author", "institute", "date") if getattr(spec, key)),
        f"notation: {spec.notation}",
        f"loss: {spec.loss}",
        f"learning_rate: {_number(spec.learning_rate)}",
        f"update_biases: {'true' if spec.update_biases else 'false'}",
        *([f"bias_convention: {spec.bias_convention}"] if spec.bias_convention != "add" else []),
        f"rounding: {{places: {_places(r)}, mode: {r.mode}, carry: {r.carry}}}",
        "layers:",
    ]
    for layer in spec.layers:
        parts = [f"name: {_key(layer.name)}", f"units: [{', '.join(_key(u) for u in layer.units)}]"]
        if layer.activation is not None:
            parts.append(f"activation: {layer.activation}")
        if layer.slope is not None and layer.activation == "leaky_relu":
            parts.append(f"slope: {_number(layer.slope)}")
        lines.append(f"  - {{{', '.join(parts)}}}")
    if spec.weights:
        lines.append("weights:")
        lines += [f"  {_key(w.name)}: {w.source} -> {w.target} = {_bare(w.value)}" for w in spec.weights]
    if spec.biases:
        lines.append("biases:")
        lines += [f"  {_key(b.name)}: {', '.join(b.units)} = {_bare(b.value)}" for b in spec.biases]
    if not spec.training.is_one_step:
        t = spec.training
        parts = [f"epochs: {t.epochs}", f"mode: {t.mode}"]
        parts += [f"batch_size: {t.batch_size}"] if t.batch_size is not None else []
        parts += [f"order: {t.order}", f"seed: {t.seed}"] if t.order == "shuffle" else []
        parts += [f"momentum: {_number(t.momentum)}"] if t.momentum else []
        lines.append(f"training: {{{', '.join(parts)}}}")
    lines.append("samples:")
    for s in spec.samples:
        inputs = ", ".join(f"{_key(u)}: {_number(v)}" for u, v in s.input)
        targets = ", ".join(f"{_key(u)}: {_number(v)}" for u, v in s.target)
        lines += [f"  - input:  {{{inputs}}}", f"    target: {{{targets}}}"]
    return "\n".join(lines) + "\n"
