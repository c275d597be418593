"""What an exam asks: ``--ask``, the exam section's ``ask``, or sensible defaults, each
resolved to the checker's canonical quantity names (aliases and patterns like ``grad(*)``
allowed)."""

from __future__ import annotations

import fnmatch

from ...errors import SympropError
from ...numbers.quantities import formula_param
from ...numbers.solution import Solution
from ...spec import ExamSpec
from ..check.answers import split_names
from ..check.names import NameTable, name_table
from .judge import traces


def default_ask(solution: Solution) -> tuple[str, ...]:
    """The outputs, E_total, two gradients (the first weight into the output layer and into
    the first hidden layer) and the update of the last of them; of a training run, those of
    its first update and the total error after its last epoch."""
    net, n = solution.network, len(solution.spec.samples)
    suffixes = [f"[{k + 1}]" if n > 1 else "" for k in range(n)]
    outputs = [f"out({u.name}){s}" for s in suffixes for u in net.outputs]
    params = solution.network.featured_weights()
    params += [p.name for p in net.params if p.name not in params][: max(0, 2 - len(params))]
    run = [f"E_total[epoch {len(solution.run.epochs)}]"] if solution.course is not None else []
    return tuple(outputs + ["E_total"] + [f"grad({p})" for p in params] + [f"new({params[-1]})"] + run)


def resolve_ask(items: list[str], table: NameTable, where: str, source: str) -> tuple[str, ...]:
    """Checker names (canonical, a preset's alias, or a pattern like ``grad(*)``) to canonical."""
    wanted: list[str] = []
    for item in items:
        canonical = table.resolve(item)
        if canonical is not None:
            wanted.append(canonical)
            continue
        matched = [n for n in table.canonical if fnmatch.fnmatchcase(n, item)] if any(c in item for c in "*?[") else []
        if not matched:
            close = table.suggest(item)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise SympropError(
                f"{where}: {item!r} is no quantity of {source} (checker names: out(UNIT), net(UNIT), E_total, "
                f"grad(PARAM), new(PARAM), delta(UNIT), ...){hint}"
            )
        wanted += matched
    if not wanted:
        raise SympropError(f"{where}: no quantities given (e.g. out(o1),E_total,grad(w5))")
    return tuple(dict.fromkeys(wanted))


def _items(settings: ExamSpec, ask: str | None) -> tuple[list[str] | None, str]:
    """The asked items as written, and where they come from (None: nothing asked)."""
    if ask is not None:
        return split_names(ask), "--ask"
    if settings.ask:
        return [name for item in settings.ask for name in split_names(item)], "exam.ask"
    return None, ""


def asked(solution: Solution, settings: ExamSpec, ask: str | None, preset: str) -> tuple[str, ...]:
    """``--ask``, else the exam section's ``ask``, else ``default_ask``: the numeric
    quantities (a symbolic one, ``formula(w1)``, is ``asked_formulas``'s)."""
    items, where = _items(settings, ask)
    if items is None:
        return default_ask(solution)
    numeric = [item for item in items if not _symbolic(item)]
    if not numeric and len(numeric) < len(items):
        return ()  # symbolic questions only
    values, _ = traces(solution)
    table = name_table(solution, tuple(values), preset)
    return resolve_ask(numeric, table, where, solution.spec.source)


def _symbolic(item: str) -> bool:
    return formula_param(item) is not None or item.strip() == "formula(*)"


def asked_formulas(solution: Solution, settings: ExamSpec, ask: str | None) -> tuple[str, ...]:
    """The symbolic questions asked, ``formula(PARAM)`` (one sample's dE/dPARAM as a formula;
    ``formula(*)``: every parameter)."""
    items, where = _items(settings, ask)
    params = tuple(solution.network.param)
    wanted: list[str] = []
    for item in items or ():
        param = formula_param(item) if item.strip() != "formula(*)" else "*"
        if param is None:
            continue
        if param == "*":
            wanted += [f"formula({p})" for p in params]
        elif param in params:
            wanted.append(f"formula({param})")
        else:
            raise SympropError(f"{where}: {item!r}: {param!r} is no parameter of {solution.spec.source} "
                               f"(parameters: {', '.join(params)})")
    return tuple(dict.fromkeys(wanted))
