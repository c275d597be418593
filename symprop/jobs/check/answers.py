"""Answer sheets judged: every value of a sheet against the spec's solved step.

Names are canonical or any alias of ``names`` (``sheets`` reads the file). Verdicts, per
quantity (``VERDICTS``, in the order the reports list them):

- ``correct``: the value the spec's policy writes (``shown``), or the exact value itself,
  or the exact value written the policy's way (rounded or truncated) with at least the
  policy's decimals;
- ``rounded``: the exact value, or the value of a hand calculation at the policy's places
  that carries its written values (rounding or truncating), rounded or truncated to the
  digits given; or what follows, so written, from the student's own correct and rounded
  values;
- ``carried``: wrong, but what follows from the student's own earlier values, one of
  which is wrong (a wrong ``out(h1)`` carried into ``net(o1)``): the note says error
  carried forward (ECF) was applied, and from which of the student's values;
- ``wrong``, with the known mistakes that explain the value, most likely first
  (``diagnosis``, from the library ``mistakes.MISTAKES``); ``unknown``: a name that is no quantity of the spec (the report suggests the
  closest names; the sheet is still checked, and the exit status is 1);
  ``missing``: required by ``--require`` (``required``) but not given.

The tolerance follows from the digits the student wrote: half a unit of the last digit
for rounding, one unit (toward zero) for truncation; a value with a single significant
digit and fewer decimals than the policy is too coarse to count as rounded. The policy's
places are its places for the quantity's kind (``rounding.places`` may be set by kind).
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ...errors import SympropError
from ...numbers.quantities import formula_param, rounding_kind
from ...numbers.records import exact
from ...numbers.solution import Solution
from ...numbers.trace import Trace, base_model, trace
from ...spec.values import Rounding
from .diagnosis import Diagnoser
from .names import NameTable, name_table
from .sheets import Answer

VERDICTS = ("wrong", "unknown", "missing", "carried", "rounded", "correct")
PASSING = ("correct", "rounded")


@dataclass(frozen=True)
class Result:
    quantity: str  # the name as written (or as required)
    canonical: str | None
    given: str | None
    expected: str | None
    verdict: str
    diagnosis: str | None = None  # the most likely of ``diagnoses``
    note: str = ""
    suggestions: tuple[str, ...] = ()
    diagnoses: tuple[str, ...] = ()  # every known mistake that explains the value, most likely first


def _exponent(value: Decimal) -> int:
    return value.as_tuple().exponent  # type: ignore[return-value]  # finite values only


def _significant(value: Decimal) -> int:
    return len("".join(map(str, value.as_tuple().digits)).lstrip("0"))


def agrees(given: Decimal, value: Decimal, places: int) -> str | None:
    """How ``given`` writes ``value`` at its own digits: ``equal``, ``rounded``,
    ``truncated``, or None. Half a unit of the last digit for rounding, one unit toward
    zero for truncation; a single significant digit with fewer than ``places`` decimals
    is too coarse for either."""
    if given == value:
        return "equal"
    if _significant(given) < 2 and -_exponent(given) < places:
        return None
    unit = Decimal(1).scaleb(_exponent(given))
    diff = abs(given - value)
    if 2 * diff <= unit:
        return "rounded"
    if diff < unit and abs(given) <= abs(value) and (given.is_zero() or given.is_signed() == value.is_signed()):
        return "truncated"
    return None


class _Formulas:
    """The symbolic answers of a sheet, ``formula(p)``: judged against one sample's ∂E/∂p."""

    def __init__(self, solution: Solution):
        self.solution = solution
        self._formulas: dict | None = None  # the JSON's formulas, computed when a sheet asks

    def key(self, canonical: str) -> str:
        """The key's formula of ``formula(p)``: the JSON's chain text (its delta text above
        the paths the JSON writes out)."""
        from ...core.formulas import formulas

        if self._formulas is None:
            self._formulas = formulas(self.solution.derivations)[0]
        entry = self._formulas[formula_param(canonical)]
        return entry["chain"] or entry["delta"]

    def result(self, a: Answer) -> Result:
        """A symbolic answer: right when it is one sample's ∂E/∂p in any form."""
        from .formula import judge_formula

        param = formula_param(a.name)
        if param not in self.solution.network.param:
            close = tuple(f"formula({p})" for p in difflib.get_close_matches(param, self.solution.network.param, 3))
            return Result(a.name, None, a.text, None, "unknown", suggestions=close)
        canonical = f"formula({param})"
        verdict = judge_formula(a.text, self.solution.network, self.solution.derivations.of[param])
        return Result(a.name, canonical, a.text, self.key(canonical), "correct" if verdict.correct else "wrong",
                      verdict.mistakes[0] if verdict.mistakes else None, verdict.reason, diagnoses=verdict.mistakes)


def _given(answers: tuple[Answer, ...], resolved: dict[str, str | None]) -> dict[str, Decimal]:
    """The sheet's values by canonical name; one quantity given twice with different values
    is an error naming both."""
    given: dict[str, Decimal] = {}
    for a in answers:
        c = resolved[a.name]
        if c is not None:
            if c in given and given[c] != a.value:
                first = next(b for b in answers if resolved[b.name] == c)
                raise SympropError(
                    f"{a.name} and {first.name} both name {c}, with different values ({a.text} and {first.text})"
                )
            given[c] = a.value
    return given


class Checker:
    """Judges the answers of one sheet against one solved step."""

    def __init__(self, solution: Solution):
        self.solution = solution
        spec = solution.spec
        self.rounding = spec.rounding
        self.places = spec.rounding.places
        self.base = base_model(solution)
        self.exact = trace(solution, self.base, exact).values
        policy = self.rounding if self.rounding.carries_shown else exact
        self.hand = trace(solution, self.base, policy).values
        kinds = spec.rounding.kinds  # a hand calculation writes each kind at its places
        hand_round = Rounding(self.places, "round", "shown", kinds)
        hand_truncate = Rounding(self.places, "truncate", "shown", kinds)
        self.writes = (exact, hand_round, hand_truncate)  # how a student's recomputation may write
        self.policy_write = policy
        self.names: NameTable = name_table(solution, tuple(self.exact))
        self.order = {name: k for k, name in enumerate(self.exact)}
        self.formulas = _Formulas(solution)
        self._traces: dict[tuple, tuple] = {}
        self.diagnoser = Diagnoser(solution, self.exact, self.places_of, policy, agrees)

    def places_of(self, canonical: str) -> int:
        """The places of a quantity's kind (``rounding.places`` may be set by kind)."""
        return self.rounding.places_of(rounding_kind(canonical))

    def shown(self, canonical: str) -> str:
        return self.rounding.show(self.hand[canonical], rounding_kind(canonical))

    def truth(self, given: Decimal, canonical: str) -> tuple[str, str] | None:
        """(verdict, note) when ``given`` is right without looking at the student's other values."""
        exact_value = self.exact[canonical]
        if given == Decimal(self.shown(canonical)) or given == exact_value or given == self.hand[canonical]:
            return "correct", ""
        digits = -_exponent(given)
        places = self.places_of(canonical)
        if digits >= places and given == Rounding(digits, self.rounding.mode)(exact_value):
            return "correct", ""
        how = agrees(given, exact_value, places)
        if how:
            return "rounded", f"the exact value, {how}"
        for write in self.writes[1:]:
            carried = self._plain(write)[canonical]
            how = agrees(given, carried, places)
            if how:
                return "rounded", f"a hand calculation at {places} places ({write.mode}), {how}"
        return None

    def _plain(self, write) -> dict:
        return self._trace(self.base, write, ()).values

    def _trace(self, model, write, given: tuple[tuple[str, Decimal], ...]) -> Trace:
        """A trace, computed once per model, write and given values (models are kept alive here)."""
        key = (id(model), id(write), given)
        if key not in self._traces:
            self._traces[key] = (model, trace(self.solution, model, write, dict(given)))
        return self._traces[key][1]

    def check(self, answers: Iterable[Answer], required: Iterable[str] = ()) -> tuple[Result, ...]:
        answers = tuple(answers)
        symbolic = tuple(self.formulas.result(a) for a in answers if a.formula)
        given_formulas = {r.canonical for r in symbolic}
        missing_formulas = tuple(Result(c, c, None, self.formulas.key(c), "missing") for c in required
                                 if formula_param(c) is not None and c not in given_formulas)
        required = tuple(c for c in required if formula_param(c) is None)
        answers = tuple(a for a in answers if not a.formula)
        if symbolic or missing_formulas:
            numeric = self.check(answers, required) if answers or required else ()
            return tuple(sorted(numeric + symbolic + missing_formulas, key=self._sort_key))
        resolved = {a.name: self.names.resolve(a.name) for a in answers}
        given = _given(answers, resolved)
        verdicts: dict[str, tuple[str, str]] = {}
        for c, value in given.items():
            found = self.truth(value, c)
            if found:
                verdicts[c] = found
        self._rounded_from_own(given, verdicts)
        wrong = {c: v for c, v in given.items() if c not in verdicts}
        all_given = tuple(sorted(given.items()))
        for c, value in wrong.items():
            for write in self.writes:
                recomputed = self._trace(self.base, write, all_given).computed[c]
                if agrees(value, recomputed, self.places_of(c)):
                    verdicts[c] = ("carried", self._carried_from(c, value, given, verdicts))
                    break
        results = []
        for a in answers:
            c = resolved[a.name]
            if c is None:
                close = tuple(self.names.suggest(a.name))
                results.append(Result(a.name, None, a.text, None, "unknown", suggestions=close))
                continue
            verdict, note = verdicts.get(c, ("wrong", ""))
            diagnoses: tuple[str, ...] = ()
            if verdict == "wrong":
                found = self.diagnoser.diagnose(c, a.value, all_given)
                diagnoses, note = found.names, found.note
            results.append(Result(a.name, c, a.text, self.shown(c), verdict, diagnoses[0] if diagnoses else None,
                                  note, diagnoses=diagnoses))
        for c in required:
            if c not in given:
                results.append(Result(c, c, None, self.shown(c), "missing"))
        return tuple(sorted(results, key=self._sort_key))

    def _sort_key(self, r: Result) -> tuple:
        last = len(self.order)
        return VERDICTS.index(r.verdict), self.order.get(r.canonical, last) if r.canonical else last

    def _rounded_from_own(self, given: dict[str, Decimal], verdicts: dict[str, tuple[str, str]]) -> None:
        """Values that follow, written at their digits, from the student's own right values."""
        changed = True
        while changed:
            changed = False
            good = tuple(sorted((c, given[c]) for c in verdicts if verdicts[c][0] in PASSING))
            for c, value in given.items():
                if c in verdicts:
                    continue
                for write in self.writes:
                    if agrees(value, self._trace(self.base, write, good).computed[c], self.places_of(c)):
                        verdicts[c] = ("rounded", "follows from your own values, written at your digits")
                        changed = True
                        break

    def _carried_from(self, c: str, value: Decimal, given: dict[str, Decimal], verdicts) -> str:
        """Which of the student's wrong values the carried one follows from."""
        wrong = [w for w in given if w != c and verdicts.get(w, ("wrong",))[0] not in PASSING]
        sources = []
        everything = tuple(sorted(given.items()))
        for w in wrong:
            without = tuple(item for item in everything if item[0] != w)
            with_all = self._trace(self.base, exact, everything).computed[c]
            if self._trace(self.base, exact, without).computed[c] != with_all:
                sources.append(w)
        sources.sort(key=lambda n: self.order.get(n, 0))
        yours = ", ".join(f"{w} = {given[w]}" for w in sources) or "own earlier values"
        return f"error carried forward (ECF) from your {yours}"


def required(text: str, names: NameTable, source: str) -> tuple[str, ...]:
    """The canonical names ``--require`` asks for (names, aliases, or patterns: ``grad(*)``,
    ``all``) of the quantities of the spec ``source``."""
    wanted: list[str] = []
    for item in split_names(text):
        if item == "all":
            wanted += names.canonical
            continue
        c = names.resolve(item)
        if c is not None:
            wanted.append(c)
            continue
        if formula_param(item) is not None:  # a symbolic answer (its parameter is checked with the answer)
            wanted.append(f"formula({formula_param(item)})")
            continue
        if any(ch in item for ch in "*?["):
            matched = [n for n in names.canonical if fnmatch.fnmatchcase(n, item)]
            if matched:
                wanted += matched
                continue
        close = names.suggest(item)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SympropError(f"--require: {item!r} is no quantity of {source}{hint}")
    return tuple(dict.fromkeys(wanted))


def split_names(text: str) -> list[str]:
    """``Q,R`` split at the commas outside parentheses and brackets."""
    items, depth, current = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]
