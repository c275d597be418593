"""The values of a spec: exact numbers, how they are quoted in errors, the rounding policy.

Spec values are parsed into ``Fraction`` (exact for integers, decimals and ``1/3``) and
bounded to what a worked solution can show (``MAX_MAGNITUDE``, ``MAX_SIGNIFICANT``);
``describe`` quotes a value in an error message, cut before it is formatted (a huge list
is never formatted whole); ``AsWritten`` is text YAML 1.1 would have read as a number.
``Rounding`` is the spec's policy of how a person writes numbers down, and the only place
where digits are dropped (``numbers`` computes at full precision).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from itertools import repeat

from ..errors import SympropError
from .choices import ROUNDING_MODES, covered

ROUNDING = covered({"round": ROUND_HALF_UP, "truncate": ROUND_DOWN}, ROUNDING_MODES, "rounding modes")
MAX_DIGITS = 1000  # digits before and after the point; beyond, exact arithmetic would stall
MAX_MAGNITUDE = 10**15  # |value| at most: a worked solution writes every value out
MAX_SIGNIFICANT = 30  # significant digits of a decimal, and digits of each term of a fraction
DESCRIBED = 60  # characters of a value quoted in an error message
_QUANTA: dict[int, Decimal] = {}
_CONTEXTS: dict[int, Context] = {}


def _quantum(places: int) -> Decimal:
    """10^-places (kept: a policy writes hundreds of thousands of numbers in a long run)."""
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = _QUANTA[places] = Decimal(1).scaleb(-places)
    return quantum


def _context(prec: int) -> Context:
    """A context of ``prec`` digits, for quantize only (its flags are never read)."""
    context = _CONTEXTS.get(prec)
    if context is None:
        context = _CONTEXTS[prec] = Context(prec=prec)
    return context


_WIDE = Context(prec=28)


def _written(value: Decimal, places: int, rounding: str) -> Decimal:
    """``value`` at ``places`` decimals, every digit before the point kept, never ``-0``."""
    need = value.adjusted() + places + 2
    digits = _WIDE if need <= 28 else _context(need)  # room for every digit
    written = value.quantize(_QUANTA.get(places) or _quantum(places), rounding=rounding, context=digits)
    return written.copy_abs() if written.is_zero() else written


SHOWN_DIGITS = 100  # digits before the point from which a shown value is in exponent notation

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")


class AsWritten(str):
    """Text as written that YAML 1.1 would have read as a number (``017``, ``0x1F``,
    ``1:30``, ``1_000``) or as a date (``2020-13-45``); ``why`` says what it is and what
    to write instead, for the error when a number is wanted."""

    def __new__(cls, text: str, why: str):
        self = super().__new__(cls, text)
        self.why = why
        return self


def parse_number(raw: object, where: str) -> Fraction:
    """A spec value (int, YAML decimal, or a string like ``-0.5``, ``1e-3``, ``1/3``) exactly."""
    if isinstance(raw, bool) or raw is None:
        raise SympropError(f"{where}: {describe(raw)} is not a number (write e.g. 0.5, -2 or 1/3)")
    if isinstance(raw, AsWritten):
        raise SympropError(f"{where}: {short(raw)} is {raw.why}")
    if isinstance(raw, int):
        return _shown(_bounded(Fraction(raw), raw, where), raw, where)
    if isinstance(raw, Decimal):
        return _from_decimal(raw, raw, where)
    if isinstance(raw, float):  # only reachable through the Python API
        return _from_decimal(Decimal(repr(raw)), raw, where)
    if isinstance(raw, Fraction):
        return _shown(raw, raw, where)
    if isinstance(raw, str):
        return _from_text(raw, where)
    raise SympropError(f"{where}: {describe(raw)} is not a number (write e.g. 0.5, -2 or 1/3)")


def _from_text(raw: str, where: str) -> Fraction:
    text = raw.strip()
    if _DECIMAL.fullmatch(text):
        try:
            number = Decimal(text)
        except InvalidOperation:  # an exponent beyond what decimal reads (1e99999999999999999999)
            raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits before or "
                               "after the point") from None
        return _from_decimal(number, raw, where)
    match = _FRACTION.fullmatch(text)
    if match:
        digits = max(len(match[1].lstrip("+-")), len(match[2]))
        if digits > MAX_DIGITS:
            raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits")
        if digits > MAX_SIGNIFICANT:
            raise SympropError(f"{where}: {describe(raw)} has a term of more than {MAX_SIGNIFICANT} digits "
                               f"(a worked solution shows at most {MAX_SIGNIFICANT})")
        numerator, denominator = int(match[1]), int(match[2])
        if denominator == 0:
            raise SympropError(f"{where}: {describe(raw)} divides by zero")
        return _shown(Fraction(numerator, denominator), raw, where)
    if text.lower().lstrip("+-.") in ("nan", "inf", "infinity"):
        raise SympropError(f"{where}: {describe(raw)} is not a finite number")
    raise SympropError(f"{where}: {describe(raw)} is not a number (write e.g. 0.5, -2 or 1/3)")


def _from_decimal(value: Decimal, raw: object, where: str) -> Fraction:
    if not value.is_finite():
        raise SympropError(f"{where}: {describe(raw)} is not a finite number")
    if value and (value.adjusted() >= MAX_DIGITS or -value.as_tuple().exponent > MAX_DIGITS):
        raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits before or after the point")
    if _significant(value) > MAX_SIGNIFICANT:
        raise SympropError(f"{where}: {describe(raw)} has more than {MAX_SIGNIFICANT} significant digits "
                           f"(a worked solution shows at most {MAX_SIGNIFICANT})")
    return _shown(Fraction(value), raw, where)


def _significant(value: Decimal) -> int:
    """Significant digits as written, trailing zeros not counted (``0.50`` has 1)."""
    digits = "".join(map(str, value.as_tuple().digits)).strip("0")
    return len(digits)


def _bounded(value: Fraction, raw: object, where: str) -> Fraction:
    if abs(value) >= 10**MAX_DIGITS:
        raise SympropError(f"{where}: {describe(raw)} has more than {MAX_DIGITS} digits")
    return value


def _shown(value: Fraction, raw: object, where: str) -> Fraction:
    """``value``, when a worked solution can write it out: at most ``MAX_MAGNITUDE`` in size."""
    if abs(value) > MAX_MAGNITUDE:
        raise SympropError(f"{where}: {describe(raw)} is larger in size than 1e15, more than a worked "
                           "solution can write out (at most 1e15)")
    return value


def decimal_text(value: Fraction) -> str | None:
    """``value`` as an exact decimal (``0.25``, ``-3``) when it terminates, else None."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    digits = str(abs(value.numerator) * 10**places // value.denominator).rjust(places + 1, "0")
    whole, fraction = digits[: len(digits) - places], digits[len(digits) - places:].rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def plain_number(value: Fraction) -> str:
    """A spec value in plain text, as the spec reader reads it back: a decimal when it
    terminates, else ``p/q``."""
    text = decimal_text(value)
    return text if text is not None else f"{value.numerator}/{value.denominator}"


def short(text: object, limit: int = DESCRIBED) -> str:
    """``text`` (a string) cut to ``limit`` characters, ``...`` marking the cut."""
    text = str(text) if not isinstance(text, str) else text
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def describe(value: object, limit: int = DESCRIBED) -> str:
    """A spec value as an error message quotes it: text in quotes, numbers and dates as
    written, collections as Python writes them; cut to ``limit`` characters, and formatted
    only as far as the cut (a huge or self-referencing structure costs ``limit`` pieces)."""
    pieces, length = [], 0
    for piece in _pieces(value, 0, limit):
        pieces.append(piece)
        length += len(piece)
        if length > limit:
            break
    return short("".join(pieces), limit)


def _pieces(value: object, depth: int, limit: int) -> Iterator[str]:
    """The text of ``value`` in pieces, lazily; nothing long is formatted whole."""
    if depth > 10:
        yield "..."
    elif isinstance(value, datetime.date):
        yield str(value)
    elif isinstance(value, Decimal):
        yield str(value) if len(value.as_tuple().digits) <= 2 * limit else f"{value:.{limit}E}"
    elif isinstance(value, str):
        yield repr(value if len(value) <= limit else value[:limit + 1])
    elif isinstance(value, bool) or value is None:
        yield repr(value)
    elif isinstance(value, int):
        digits = value.bit_length() * 30103 // 100000  # str() of a longer integer is refused, or slow
        yield str(value) if value.bit_length() <= 14_000 else f"an integer of about {digits} digits"
    elif isinstance(value, (list, tuple, dict)):
        opening, closing = {dict: "{}", tuple: "()"}.get(type(value), "[]")
        yield opening
        items = iter(value.items()) if isinstance(value, dict) else iter(value)
        for k, item in enumerate(items):
            if k:
                yield ", "
            if isinstance(value, dict):
                yield from _pieces(item[0], depth + 1, limit)
                yield ": "
                yield from _pieces(item[1], depth + 1, limit)
            else:
                yield from _pieces(item, depth + 1, limit)
        yield closing
    else:
        yield short(repr(value), limit + 1) if isinstance(value, (float, Fraction)) else f"a {type(value).__name__}"


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a person writes numbers down: ``places`` decimals (or other places for some kinds
    of quantity, ``kinds``), ``mode``, and what is carried.

    ``kinds`` holds (kind, places) for the kinds of quantity (``choices.QUANTITY_KINDS``:
    net, out, error, factor, delta, gradient, update) written with other places than the
    default ``places``: a hand calculation that writes outputs to 3 places and error terms to 4.
    """

    places: int = 5
    mode: str = "round"  # round (half up) | truncate (toward zero)
    carry: str = "exact"  # exact: only the display is rounded | shown: later steps use it
    kinds: tuple[tuple[str, int], ...] = ()

    def places_of(self, kind: str | None = None) -> int:
        """The places of a kind of quantity (the default ``places`` for None or an unlisted kind)."""
        for k, p in self.kinds:
            if k == kind:
                return p
        return self.places

    def __call__(self, value: Decimal, kind: str | None = None) -> Decimal:
        """``value`` as written down: its kind's places, rounded or truncated."""
        return _written(value, self.places_of(kind), ROUNDING[self.mode])

    def show(self, value: Decimal, kind: str | None = None) -> str:
        """The string a person writes: always its kind's places, never ``-0``; a value of
        more than ``SHOWN_DIGITS`` digits before the point in exponent notation, its
        mantissa with the kind's places (``1.23457e+25``), as no one writes it out."""
        places = self.places_of(kind)
        if value.is_finite() and value.adjusted() >= SHOWN_DIGITS:
            mantissa = Context(prec=places + 1, rounding=ROUNDING[self.mode]).plus(value)
            return f"{mantissa:.{places}e}"
        return f"{_written(value, places, ROUNDING[self.mode]):f}"

    def shower(self, kind: str | None = None):
        """``show`` for one kind, its places and rounding looked up once (a long run shows
        hundreds of thousands of numbers)."""
        return _showers(self, kind)[0]

    def shows(self, kind: str | None = None):
        """``shower``'s list form: the strings of a list of values of one kind."""
        return _showers(self, kind)[1]

    def at(self, kind: str | None) -> Rounding:
        """This policy with one number of places, that of ``kind``."""
        return Rounding(self.places_of(kind), self.mode, self.carry)

    @property
    def places_json(self) -> int | dict[str, int]:
        """The places as the spec gave them: one number, or a mapping with ``default``."""
        return {**dict(self.kinds), "default": self.places} if self.kinds else self.places

    @property
    def carries_shown(self) -> bool:
        return self.carry == "shown"


@functools.lru_cache(maxsize=256)
def _showers(rounding: Rounding, kind: str | None):
    """``show`` of one kind and its list form, with the kind's places and a context of the
    policy's rounding looked up once; what the fast path does not cover (exponent
    notation, non-finite values) goes to ``Rounding.show``."""
    limit = 26 - rounding.places_of(kind)
    quantum, quantize = _quantum(rounding.places_of(kind)), Context(prec=28, rounding=ROUNDING[rounding.mode]).quantize

    def show(value: Decimal) -> str:
        if value.adjusted() <= limit and value.is_finite():
            written = quantize(value, quantum)
            if not written:
                return format(written.copy_abs(), "f")
            return str(written) if written.adjusted() >= -6 else format(written, "f")  # str: no exponent from 1e-6 on
        return rounding.show(value, kind)

    negative_zero = str(quantize(Decimal("-0"), quantum))  # "-0.00000"; with an exponent from 7 places on

    def show_all(values) -> list[str]:
        """Every value quantized and written in C; a row with a value the plain form does
        not write (a negative zero, exponent notation, not finite, too long) is fixed up or
        shown one by one."""
        try:
            shown = list(map(str, map(quantize, values, repeat(quantum))))
        except ArithmeticError:
            return [show(value) for value in values]
        joined = "".join(shown)
        if "E" in joined or "N" in joined:
            return [show(value) for value in values]
        if negative_zero in joined:
            return [text[1:] if text == negative_zero else text for text in shown]
        return shown

    return show, show_all
