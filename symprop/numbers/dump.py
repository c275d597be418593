"""JSON text of the outputs: ``Decimal`` written as exact JSON numbers (no float round
trip), keys in the order given, non-ASCII text kept as is. The same data, the same bytes."""

from __future__ import annotations

import json
from decimal import Decimal


def dumps(data: object, indent: str = "  ", level: int = 0) -> str:
    """JSON with ``Decimal`` written as exact JSON numbers (no float round trip)."""
    kind = type(data)
    if kind is Decimal:
        return str(data)
    if kind is str:
        return _string(data)
    pad, inner = indent * level, indent * (level + 1)
    if kind is dict:
        if not data:
            return "{}"
        items = (f"{inner}{_string(str(k))}: {dumps(v, indent, level + 1)}" for k, v in data.items())
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if kind in (list, tuple):
        if not data:
            return "[]"
        items = (f"{inner}{dumps(v, indent, level + 1)}" for v in data)
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(data)


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # keeps non-ASCII text as is
