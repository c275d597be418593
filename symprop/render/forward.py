"""The forward pass as a worked solution writes it: each unit's weighted sum and output,
each error term, each sample's error, with the numbers the hand calculation wrote."""

from __future__ import annotations

from ..numbers.evaluate import Pass
from ..spec import Sample
from .parts import SamplePass, UnitStep
from .printer import given, operand
from .writer import Writer, eq


def forward_passes(w: Writer, after: bool) -> tuple[SamplePass, ...]:
    """Every sample's pass, before the update or (``after``) with the updated parameters."""
    n, p, show = w.names, w.printer, w.show
    passes = w.hand.after if after else w.hand.forward
    samples = w.solution.spec.samples
    result = []
    for k, (sample, fwd) in enumerate(zip(samples, passes)):
        units = tuple(unit_step(w, u.name, sample, fwd, after) for u in w.network.computed)
        targets = dict(sample.target)
        errors = tuple(
            eq(
                f"{n.error[u]} &= {p.error_term(u)}",
                f"&= {p.error_term(u, show(fwd.out[u]), given(targets[u]))} = {show(fwd.error[u])}",
            )
            for u in targets
        )
        terms = " + ".join(n.error[u] for u in targets)
        values = " + ".join(operand(show(fwd.error[u])) for u in targets)
        lhs = n.total if len(samples) == 1 else rf"E^{{[{k + 1}]}}"
        total = eq(f"{lhs} &= {terms}" + (f" = {values}" if len(targets) > 1 else "") + f" = {show(fwd.total)}")
        result.append(SamplePass(k + 1, units, errors, total))
    return tuple(result)


def unit_step(w: Writer, unit: str, sample: Sample, fwd: Pass, after: bool) -> UnitStep:
    """One unit: its weighted sum, then its activation."""
    n, p, show, net = w.names, w.printer, w.show, w.network
    symbols, numbers = [], []
    for edge in net.incoming[unit]:
        symbols.append(f"{n.out[edge.source]}{p.times}{n.param[edge.param]}")
        source = net.unit[edge.source]
        out = given(dict(sample.input)[edge.source]) if source.is_input else show(fwd.out[edge.source])
        numbers.append(f"{operand(out)}{p.times}{operand(w.value(edge.param, after))}")
    bias = net.bias.get(unit)
    if bias is not None:
        symbols.append(n.param[bias.name])
        numbers.append(operand(w.value(bias.name, after)))
    net_eq = eq(*w.sum_rows(n.net[unit], symbols), *w.sum_rows("", numbers, show(fwd.net[unit])))
    out_eq = eq(
        f"{n.out[unit]} &= {p.activation(unit)}",
        f"&= {p.activation(unit, show(fwd.net[unit]))} = {show(fwd.out[unit])}",
    )
    return UnitStep(unit, n.out[unit], (net_eq, out_eq))
