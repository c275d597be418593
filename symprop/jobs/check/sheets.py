"""Answer sheets: a student's quantity -> value file, read in file order.

The file is YAML, JSON or CSV (``quantity,value`` rows; ``;`` or a tab as the separator
when the values use decimal commas; a header row and ``#`` comments are skipped); the
kind is told by the suffix, else by the text. Values are numbers or numeric strings, with
a decimal point or a decimal comma, kept as written (``0.60100`` keeps its digits: the
judge reads the tolerance from them). A name given twice, an empty name, a value that is
no number or more than ``MAX_ANSWERS`` answers raise ``SympropError``, and so does a file
of more than ``MAX_BYTES``, nested deeper than a sheet is, or a value out of ``MAX_EXPONENT``
or with more than ``MAX_SIGNIFICANT`` digits (read before anything is computed from it).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...errors import SympropError
from ...numbers.quantities import formula_param
from ...spec.values import AsWritten, describe, short
from ...spec.yamlread import MAX_DEPTH, read_text, read_yaml

MAX_ANSWERS = 10_000
MAX_BYTES = 2_000_000
MAX_SIGNIFICANT = 100  # digits a student may write in one value
MAX_EXPONENT = 1000  # |exponent| of a value, in powers of ten


@dataclass(frozen=True)
class Answer:
    name: str  # as written
    text: str  # the value as written, decimal comma turned into a point (a formula as written)
    value: Decimal | None  # None for a symbolic answer, ``formula(w1)``: its text is the formula

    @property
    def formula(self) -> bool:
        return self.value is None


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def parse_value(raw: object, source: str, name: str) -> tuple[str, Decimal]:
    """A value as written (numbers, numeric strings, decimal commas) and its exact number."""
    bad = SympropError(f"{source}: {short(name)}: {describe(raw)} is not a number")
    if isinstance(raw, bool) or raw is None:
        raise bad
    if isinstance(raw, AsWritten):
        raise SympropError(f"{source}: {short(name)}: {short(raw)} is {raw.why}")
    if isinstance(raw, int):
        if raw.bit_length() > 4 * MAX_SIGNIFICANT:
            raise SympropError(f"{source}: {short(name)}: {describe(raw)} has more than {MAX_SIGNIFICANT} digits")
        return _bounded(str(raw), Decimal(raw), source, name)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise bad
        return _bounded(str(raw), raw, source, name)
    if isinstance(raw, float):
        return parse_value(repr(raw), source, name)
    if not isinstance(raw, str):
        raise bad
    text = raw.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(text) or text.count(",") + text.count(".") > 1:
        raise bad
    text = text.replace(",", ".")
    try:
        return _bounded(text, Decimal(text), source, name)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise bad from None


def _bounded(text: str, value: Decimal, source: str, name: str) -> tuple[str, Decimal]:
    """A value within what the checker computes with (``1e999999``, ``1e-9999999`` or a
    million decimals are refused by name, before any arithmetic)."""
    digits = "".join(map(str, value.as_tuple().digits)).strip("0")
    if len(digits) > MAX_SIGNIFICANT:
        raise SympropError(f"{source}: {short(name)}: {describe(text)} has more than {MAX_SIGNIFICANT} "
                           "significant digits")
    if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise SympropError(f"{source}: {short(name)}: {describe(text)} is out of range (at most "
                           f"1e{MAX_EXPONENT} in size, at least 1e-{MAX_EXPONENT} unless 0)")
    return text, value


def read_answers(path: Path) -> tuple[Answer, ...]:
    """The answers in ``path`` (YAML, JSON or CSV), in file order."""
    source = str(path)
    text = read_text(path, source, encoding="utf-8-sig", limit=MAX_BYTES)
    kind = _kind(path, text)
    pairs = {"json": _json_pairs, "csv": _csv_pairs, "yaml": _yaml_pairs}[kind](text, source)
    if not pairs:
        raise SympropError(f"{source}: no answers (expected quantity -> value pairs, e.g. 'out(h1): 0.60108')")
    if len(pairs) > MAX_ANSWERS:
        raise SympropError(f"{source}: {len(pairs)} answers; at most {MAX_ANSWERS}")
    answers = []
    seen: set[str] = set()
    for name, raw in pairs:
        name = str(name).strip()
        if not name:
            raise SympropError(f"{source}: an empty quantity name (value {describe(raw)})")
        if name in seen:
            raise SympropError(f"{source}: {short(name)}: given twice")
        seen.add(name)
        if formula_param(name) is not None:  # a symbolic answer: judged as a formula (``formula``)
            answers.append(Answer(name, raw if isinstance(raw, str) else describe(raw), None))
            continue
        text_value, value = parse_value(raw, source, name)
        answers.append(Answer(name, text_value, value))
    return tuple(answers)


def _kind(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json"
    first = stripped.splitlines()[0] if stripped else ""
    return "csv" if ":" not in first and any(sep in first for sep in ",;\t") else "yaml"


def _yaml_pairs(text: str, source: str) -> list[tuple[object, object]]:
    try:
        data = read_yaml(text)
    except SympropError as exc:
        raise SympropError(f"{source}: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise SympropError(f"{source}: expected a mapping of quantity: value, got {type(data).__name__}")
    return [(name, value) for name, value in data.items()]


def _json_pairs(text: str, source: str) -> list[tuple[object, object]]:
    def pairs_hook(pairs):
        return pairs  # keep duplicates and order; judged by read_answers

    depth = _json_depth(text)
    if depth > MAX_DEPTH:
        raise SympropError(f"{source}: nested more than {MAX_DEPTH} levels deep "
                           "(expected an object of quantity: value)")
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=pairs_hook,
                          parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise SympropError(f"{source}: line {exc.lineno}, column {exc.colno}: JSON syntax error: {exc.msg}") from None
    except InvalidOperation:  # an exponent beyond what decimal reads
        raise SympropError(f"{source}: a number out of range (at most 1e{MAX_EXPONENT} in size)") from None
    except RecursionError:  # pragma: no cover - _json_depth refuses it first
        raise SympropError(f"{source}: nested too deeply (expected an object of quantity: value)") from None
    if not isinstance(data, list) or not all(isinstance(p, tuple) for p in data):
        raise SympropError(f"{source}: expected a JSON object of quantity: value")
    return [(name, _json_value(value)) for name, value in data]


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _json_depth(text: str) -> int:
    """How deep the JSON text nests, read without building it (strings skipped)."""
    depth = deepest = 0
    for ch in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        depth += 1 if ch in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _json_int(text: str) -> object:
    """A JSON integer as ``Decimal`` (the text when Python would refuse to convert it)."""
    return Decimal(text) if len(text) <= 4000 else text


def _json_constant(text: str) -> object:
    return text  # NaN, Infinity: not a number, said by name


def _json_value(value: object) -> object:
    if isinstance(value, Decimal) and value == value.to_integral_value() and not any(c in str(value) for c in ".E"):
        return int(value)
    return value


def _csv_pairs(text: str, source: str) -> list[tuple[object, object]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    first = lines[0]
    delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    pairs = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field longer than the csv module reads, a NUL, ...
        raise SympropError(f"{source}: line {max(reader.line_num, 1)}: CSV error: {exc}") from None
    for number, row in enumerate(rows, 1):
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        if len(cells) != 2:
            raise SympropError(
                f"{source}: line {number}: expected 'quantity{delimiter}value', got {describe(delimiter.join(cells))}"
                + (" (quote a value with a decimal comma, or separate with ';')"
                   if len(cells) == 3 and delimiter == "," else "")
            )
        if not pairs and not _NUMBER.fullmatch(cells[1]) and cells[0].lower() in ("quantity", "name", "key"):
            continue  # a header row
        pairs.append((cells[0], cells[1]))
    return pairs
