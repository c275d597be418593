"""Reading a user's file: bounded UTF-8 text, and YAML read safely.

``read_bounded`` reads at most ``limit`` bytes of any path (a FIFO, ``/dev/zero``, a huge
file: refused, never read whole). ``read_yaml`` parses YAML with a loader built for files
other people wrote: no object construction, decimals exact (``Decimal``, never float),
duplicate keys refused (PyYAML would silently drop one), explicit tags refused (``!!float
x``, ``!!set``, ``!!python/...``) unless they say what the value already is, nesting at
most ``MAX_DEPTH`` deep, aliases expanding to at most ``ALIAS_BUDGET`` nodes in all (an
alias bomb is refused while composing, before anything is built), and none of YAML 1.1's
silent number readings: ``017`` (octal 15), ``0x1F``, ``0b101``, ``0o17``, ``1_000`` and
``1:30`` (sexagesimal 90) stay text as written, marked ``AsWritten`` so that a number read
from them is refused with what YAML 1.1 would have made of them. A date that is no date
(``2020-13-45``) is text too. Every error is one line with its line and column.

libyaml's parser is used for the events when PyYAML has it (about five times faster);
composing, resolving and constructing are PyYAML's Python code either way.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Hashable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from ..errors import SympropError
from .values import AsWritten, describe, short

MAX_DEPTH = 50  # collections inside collections: a spec needs 5
ALIAS_BUDGET = 10_000  # nodes that aliases may add, in all
MAX_SPEC_BYTES = 5_000_000
MAX_INT_DIGITS = 4000  # Python refuses to convert longer digit strings; the validator names the key

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
REREAD = "tag:symprop,2024:as-written"  # a plain scalar YAML 1.1 would read as a number

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")
_SPECIAL = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)
# YAML 1.1's other numbers, each with what it makes of them (PyYAML's resolver, and 1.2's 0o)
_REREAD = (
    (re.compile(r"[-+]?0x[0-9a-fA-F_]+"), "a hexadecimal number", lambda t: int(t.replace("_", ""), 16)),
    (re.compile(r"[-+]?0b[01_]+"), "a binary number", lambda t: int(t.replace("_", ""), 2)),
    (re.compile(r"[-+]?0o[0-7_]+"), "an octal number", lambda t: int(t.replace("_", ""), 8)),
    (re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"), "a base-60 (sexagesimal) number", None),
    (re.compile(r"[-+]?0[0-9_]+"), "a number with a leading zero", None),
    (re.compile(r"(?=[^_]*_)[-+]?(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+][0-9]+)?"),
     "a number with digits grouped by _", None),
)


def _sexagesimal(text: str) -> Decimal:
    sign = -1 if text.startswith("-") else 1
    value = Decimal(0)
    for part in text.lstrip("+-").replace("_", "").split(":"):
        value = value * 60 + Decimal(part)
    return sign * value


def _reread(text: str) -> AsWritten | None:
    """``text`` kept as written, with what YAML 1.1 makes of it, when it would read it as a number."""
    for pattern, what, value in _REREAD:
        if not pattern.fullmatch(text):
            continue
        if what.startswith("a base-60"):
            return AsWritten(text, f"{what}, which YAML 1.1 reads as {_sexagesimal(text)}; "
                                   "write the value in decimal, or quote it as text")
        if what.startswith("a number with a leading zero"):
            digits = text.lstrip("+-").replace("_", "")
            sign = "-" if text.startswith("-") else ""
            whole = digits.lstrip("0") or "0"
            octal = f"octal {int(digits, 8)}" if re.fullmatch(r"[0-7]+", digits) else "text"
            fraction = f" or {sign}0.{digits[1:]}" if len(digits) > 1 else ""
            return AsWritten(text, f"{what}, which YAML 1.1 reads as {octal}; write {sign}{whole}{fraction}")
        if value is None:  # digits grouped by _
            plain = text.replace("_", "")
            return AsWritten(text, f"{what}, which YAML 1.1 reads as {plain}; write {plain}")
        return AsWritten(text, f"{what}, which YAML 1.1 reads as {value(text)}; write {value(text)}")
    return None


def _short_tag(tag: str) -> str:
    text = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
    return short(text, 40)


class _Resolver(BaseResolver):
    """Plain scalars as a person reads them: null, booleans, decimal integers and decimals,
    dates; YAML 1.1's other numbers kept as written (``AsWritten``); everything else text."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - PyYAML hook
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:  # quoted
            return STR
        for tag, pattern in ((NULL, _NULL), (BOOL, _BOOL), (INT, _INT), (FLOAT, _FLOAT), (FLOAT, _SPECIAL),
                             (TIMESTAMP, _TIMESTAMP)):
            if pattern.fullmatch(value):
                return tag
        return REREAD if _reread(value) is not None else STR


class _Composer(Composer):
    """PyYAML's composer, bounded: depth, aliases and explicit tags are checked per event."""

    def __init__(self):
        super().__init__()
        self._depth = 0
        self._expanded = 0  # nodes added by aliases so far
        self._sizes: dict[int, int] = {}  # id(node) -> its node count, aliases expanded

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        event = self.peek_event()
        where = f"line {event.start_mark.line + 1}, column {event.start_mark.column + 1}"
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise SympropError(f"{where}: the alias *{short(event.anchor, 40)} refers to a collection "
                                       "that holds it (a recursive alias)")
                self._expanded += size
                if self._expanded > ALIAS_BUDGET:
                    raise SympropError(f"{where}: aliases (*{short(event.anchor, 40)}) expand to more than "
                                       f"{ALIAS_BUDGET} values; write the values out")
            return super().compose_node(parent, index)
        self._check_tag(event, where)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise SympropError(f"{where}: nested more than {MAX_DEPTH} levels deep")
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = 1 + sum(self._sizes[id(n)] for n in _children(node))
        return node

    def _check_tag(self, event, where: str) -> None:
        """An explicit tag is read only when it says what the value is anyway (``!!str``,
        ``!!int 3``); ``!!float x``, ``!!set``, ``!!binary`` or ``!!python/...`` are refused."""
        tag = getattr(event, "tag", None)
        if tag is None or tag == "!":
            return
        if isinstance(event, ScalarEvent):
            fits = tag in (STR, self.resolve(ScalarNode, event.value, (True, False)))
        elif isinstance(event, SequenceStartEvent):
            fits = tag == _TAG + "seq"
        else:
            fits = isinstance(event, MappingStartEvent) and tag == _TAG + "map"
        if not fits:
            raise SympropError(f"{where}: the YAML tag {_short_tag(tag)} is not read here "
                               "(write the plain value; quote it for text)")


def _children(node):
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return ()


class _Constructor(SafeConstructor):
    """Decimals exact, integers bounded, duplicate keys refused, dates that are no dates text."""

    def construct_yaml_float(self, node):  # noqa: D102 - PyYAML hook
        text = self.construct_scalar(node)
        if _SPECIAL.fullmatch(text):  # the validators say "not a finite number"
            return Decimal(text.replace(".", "").lower().replace("inf", "Infinity"))
        try:
            return Decimal(text)
        except InvalidOperation:  # an exponent beyond what decimal reads: the validator names the key
            return text

    def construct_yaml_int(self, node):  # noqa: D102 - PyYAML hook
        text = self.construct_scalar(node)
        return int(text) if len(text) <= MAX_INT_DIGITS else text  # longer: the validator names the key

    def construct_timestamp(self, node):  # noqa: D102 - PyYAML hook
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError):
            return AsWritten(self.construct_scalar(node), "not a valid date")

    def construct_as_written(self, node):  # noqa: D102 - PyYAML hook
        return _reread(self.construct_scalar(node))

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


_Constructor.add_constructor(INT, _Constructor.construct_yaml_int)
_Constructor.add_constructor(FLOAT, _Constructor.construct_yaml_float)
_Constructor.add_constructor(TIMESTAMP, _Constructor.construct_timestamp)
_Constructor.add_constructor(REREAD, _Constructor.construct_as_written)
_Constructor.add_constructor(_TAG + "map", _Constructor.construct_yaml_map)

try:  # libyaml's parser for the events, PyYAML's Python code for the rest
    from yaml._yaml import CParser as _Events

    def _start_events(loader, text: str) -> None:
        _Events.__init__(loader, text)
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Events(Reader, Scanner, Parser):  # type: ignore[no-redef]
        pass

    def _start_events(loader, text: str) -> None:
        Reader.__init__(loader, text)
        Scanner.__init__(loader)
        Parser.__init__(loader)


class _Loader(_Composer, _Events, _Constructor, _Resolver):
    """The loader of ``read_yaml``: bounded composing over libyaml's (or PyYAML's) events."""

    def __init__(self, text: str):
        _start_events(self, text)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def read_yaml(text: str) -> object:
    """Parse YAML text safely (see the module docstring), decimals as ``Decimal``."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader constructs no objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SympropError(f"{where}YAML syntax error: {_yaml_problem(exc)}") from None
    except yaml.YAMLError as exc:
        raise SympropError(f"YAML error: {short(' '.join(str(exc).split()), 200)}") from None


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, with its context when the problem alone reads as half a sentence."""
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem and problem.startswith("but "):
        problem = f"{exc.context}, {problem}"
    elif exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        problem = f"{problem} ({exc.context} started on line {exc.context_mark.line + 1})"
    return short(" ".join(problem.split()), 200)


def read_bounded(path: Path, source: str, limit: int) -> bytes:
    """The bytes of ``path``, or one line saying why not: more than ``limit`` bytes (checked
    before reading when the size is known, and by reading at most ``limit + 1`` when it is
    not: a pipe, ``/dev/zero``), a directory, or the system's reason."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise SympropError(f"{source}: is a directory, not a file")
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise SympropError(f"{source}: {info.st_size} bytes; at most {limit}")
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise SympropError(f"{source}: is a directory, not a file") from None
    except OSError as exc:
        raise SympropError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise SympropError(f"{source}: more than {limit} bytes (the most symprop reads)")
    return data


def read_text(path: Path, source: str, encoding: str = "utf-8", limit: int = MAX_SPEC_BYTES) -> str:
    """A user's text file of at most ``limit`` bytes, or one line saying why it cannot be read."""
    data = read_bounded(path, source, limit)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SympropError(f"{source}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
