"""Reading a user's file: UTF-8 text, and YAML read safely.

``read_yaml`` uses a ``yaml.SafeLoader`` (no object construction) that keeps decimals exact
(``Decimal``, never float) and refuses duplicate keys, which PyYAML would silently drop;
every error is one line with its line and column.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from ..errors import SympropError
from .values import describe


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
