"""JSON text of the outputs: ``Decimal`` written as exact JSON numbers (no float round
trip), keys in the order given, non-ASCII text kept as is. The same data, the same bytes."""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import chain


class Q(dict):
    """A reported quantity, ``{"value": exact, "shown": as written}``: a dict whose type
    says so, so that a long run's hundreds of thousands of them are written in one piece."""

    __slots__ = ()


class QRow(dict):
    """Quantities by name, every one a plain ``{"value": Decimal, "shown": str}``: a long
    run's rows of every parameter, built and written a row at a time (``row``)."""

    __slots__ = ()

    @classmethod
    def row(cls, names, values, shown) -> QRow:
        """The row of ``names`` with their exact ``values`` and ``shown`` strings."""
        return cls({n: {"value": v, "shown": s} for n, v, s in zip(names, values, shown)})


def dumps(data: object, indent: str = "  ", level: int = 0) -> str:
    """JSON with ``Decimal`` written as exact JSON numbers (no float round trip)."""
    parts: list[str] = []
    _write(data, parts.append, indent, "\n" + indent * level)
    return "".join(parts)


def _write(data: object, put, indent: str, pad: str) -> None:
    """Append the JSON of ``data`` piece by piece (one list, no nested joins: a long
    training run writes hundreds of thousands of numbers); ``pad`` is a newline and the
    current indentation."""
    kind = type(data)
    if kind is QRow and data:
        put(_row_text(data, indent, pad))
    elif kind is Decimal:
        put(str(data))
    elif kind is str:
        put(_string(data))
    elif kind is dict or kind is Q or kind is QRow:
        if not data:
            put("{}")
            return
        inner = pad + indent
        separator = "{" + inner
        for key, value in data.items():
            leaf = type(value)
            name = _KEYS.get(key) or _key(key)
            if leaf is Decimal:  # the leaves inline: most of a long run's text
                put(f"{separator}{name}: {value}")
            elif leaf is str:
                put(f"{separator}{name}: {_string(value)}")
            elif leaf is QRow and value:
                put(f"{separator}{name}: {_row_text(value, indent, inner)}")
            elif leaf is Q:  # {"value": number, "shown": "string"}, in one piece
                deeper = inner + indent
                put(f"{separator}{name}: {{{deeper}\"value\": {value['value']},{deeper}\"shown\": "
                    f"{_string(value['shown'])}{inner}}}")
            else:
                put(f"{separator}{name}: ")
                _write(value, put, indent, inner)
            separator = "," + inner
        put(pad + "}")
    elif kind in (list, tuple):
        if not data:
            put("[]")
            return
        inner = pad + indent
        separator = "[" + inner
        for value in data:
            put(separator)
            _write(value, put, indent, inner)
            separator = "," + inner
        put(pad + "]")
    else:
        put(json.dumps(data))


def _row_text(row: QRow, indent: str, pad: str) -> str:
    """A ``QRow``'s JSON, as ``_write`` writes its dicts, through one template per names
    and indentation: the numbers and the shown strings put in with one ``%``."""
    names = tuple(row)
    template = _TEMPLATES.get((names, indent, pad))
    if template is None:
        inner = pad + indent
        deeper = inner + indent
        leaf = f"{{{deeper}\"value\": %s,{deeper}\"shown\": %s{inner}}}"
        template = "{" + ",".join(inner + (_KEYS.get(n) or _key(n)).replace("%", "%%") + ": " + leaf
                                  for n in names) + pad + "}"
        if len(_TEMPLATES) < 1_000:
            _TEMPLATES[(names, indent, pad)] = template
    leaves = row.values()
    return template % tuple(chain.from_iterable(zip([q["value"] for q in leaves],
                                                     map(_string, [q["shown"] for q in leaves]))))


_TEMPLATES: dict = {}  # a row's JSON with its numbers left out, by names and indentation


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # keeps non-ASCII text as is


_KEYS: dict = {}  # each key's JSON text, once (a long run repeats its parameter names)


def _key(key) -> str:
    text = _string(str(key))
    if len(_KEYS) < 100_000:
        _KEYS[key] = text
    return text
