"""Answer sheets: a student's quantity -> value file, read in file order.

The file is YAML, JSON or CSV (``quantity,value`` rows; ``;`` or a tab as the separator
when the values use decimal commas; a header row and ``#`` comments are skipped); the
kind is told by the suffix, else by the text. Values are numbers or numeric strings, with
a decimal point or a decimal comma, kept as written (``0.60100`` keeps its digits: the
judge reads the tolerance from them). A name given twice, an empty name, a value that is
no number or more than ``MAX_ANSWERS`` answers raise ``SympropError``.
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
from ...spec.reader import read_text, read_yaml
from ...spec.values import describe

MAX_ANSWERS = 10_000


@dataclass(frozen=True)
class Answer:
    name: str  # as written
    text: str  # the value as written, decimal comma turned into a point
    value: Decimal


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def parse_value(raw: object, source: str, name: str) -> tuple[str, Decimal]:
    """A value as written (numbers, numeric strings, decimal commas) and its exact number."""
    bad = SympropError(f"{source}: {name}: {describe(raw)} is not a number")
    if isinstance(raw, bool) or raw is None:
        raise bad
    if isinstance(raw, int):
        return str(raw), Decimal(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise bad
        return str(raw), raw
    if isinstance(raw, float):
        return parse_value(repr(raw), source, name)
    if not isinstance(raw, str):
        raise bad
    text = raw.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(text) or text.count(",") + text.count(".") > 1:
        raise bad
    text = text.replace(",", ".")
    try:
        return text, Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise bad from None


def read_answers(path: Path) -> tuple[Answer, ...]:
    """The answers in ``path`` (YAML, JSON or CSV), in file order."""
    source = str(path)
    text = read_text(path, source, encoding="utf-8-sig")
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
            raise SympropError(f"{source}: {name}: given twice")
        seen.add(name)
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
    return list(data.items())


def _json_pairs(text: str, source: str) -> list[tuple[object, object]]:
    def pairs_hook(pairs):
        return pairs  # keep duplicates and order; judged by read_answers

    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        raise SympropError(f"{source}: line {exc.lineno}, column {exc.colno}: JSON syntax error: {exc.msg}") from None
    if not isinstance(data, list) or not all(isinstance(p, tuple) for p in data):
        raise SympropError(f"{source}: expected a JSON object of quantity: value")
    return [(name, _json_value(value)) for name, value in data]


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
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    for number, row in enumerate(rows, 1):
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        if len(cells) != 2:
            raise SympropError(
                f"{source}: line {number}: expected 'quantity{delimiter}value', got {delimiter.join(cells)!r}"
                + (" (quote a value with a decimal comma, or separate with ';')"
                   if len(cells) == 3 and delimiter == "," else "")
            )
        if not pairs and not _NUMBER.fullmatch(cells[1]) and cells[0].lower() in ("quantity", "name", "key"):
            continue  # a header row
        pairs.append((cells[0], cells[1]))
    return pairs
