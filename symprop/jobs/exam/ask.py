"""What an exam asks: ``--ask``, the exam section's ``ask``, or sensible defaults, each
resolved to the checker's canonical quantity names (aliases and patterns like ``grad(*)``
allowed)."""

from __future__ import annotations

import fnmatch

from ...errors import SympropError
from ...numbers.solution import Solution
from ...render.deck import default_detail
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
    params = default_detail(solution)
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


def asked(solution: Solution, settings: ExamSpec, ask: str | None, preset: str) -> tuple[str, ...]:
    """``--ask``, else the exam section's ``ask``, else ``default_ask``."""
    values, _ = traces(solution)
    table = name_table(solution, tuple(values), preset)
    if ask is not None:
        return resolve_ask(split_names(ask), table, "--ask", solution.spec.source)
    if settings.ask:
        items = [name for item in settings.ask for name in split_names(item)]
        return resolve_ask(items, table, "exam.ask", solution.spec.source)
    return default_ask(solution)
