"""Small validators of parsed YAML: each names the key that is wrong and what is allowed.

Every problem raises a ``SympropError`` whose one line names the key (``where``), the value
and the allowed values, with the closest allowed word suggested for a misspelling.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..errors import SympropError
from .values import describe

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
NAME_RULE = "a letter, then letters, digits or _ (at most 32 characters)"


def suggest(word: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_keys(mapping: dict, allowed: tuple[str, ...], where: str) -> None:
    for key in mapping:
        if key not in allowed:
            prefix = f"{where}: " if where else ""
            raise SympropError(
                f"{prefix}unknown key {describe(key)} (allowed: {', '.join(allowed)}){suggest(key, allowed)}"
            )


def mapping(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise SympropError(f"{where}: expected a mapping (key: value), got {kind_text(value)}")
    return value


def listed(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise SympropError(f"{where}: expected a list, got {kind_text(value)}")
    return value


def kind_text(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return {dict: "a mapping", list: "a list"}[type(value)]
    return describe(value)


def valid_name(value: object, where: str) -> str:
    if isinstance(value, bool):  # YAML 1.1 reads yes/no/on/off/true/false unquoted as booleans
        raise SympropError(f"{where}: {describe(value)} is not a valid name (YAML reads unquoted yes, no, on, "
                           "off, true and false as true/false: put the name in quotes)")
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise SympropError(f"{where}: {describe(value)} is not a valid name ({NAME_RULE})")
    return value


def choice(value: object, allowed: Iterable[str], where: str) -> str:
    allowed = sorted(allowed)
    if value not in allowed:
        raise SympropError(
            f"{where}: {describe(value)} is not one of {', '.join(allowed)}{suggest(value, allowed)}"
        )
    return value


def bool_value(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise SympropError(f"{where}: {describe(value)} is not true or false")
    return value
