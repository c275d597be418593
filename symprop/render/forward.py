"""The forward pass as a worked solution writes it: each unit's weighted sum and output,
each error term, each sample's error, with the numbers the hand calculation wrote."""

from __future__ import annotations

from ..numbers.records import Pass
from ..spec import Sample
from .parts import SamplePass, UnitStep
from .printer import given, operand
from .writer import Writer, eq


def forward_passes(w: Writer, after: bool) -> tuple[SamplePass, ...]:
    """Every sample's pass, before the update or (``after``) with the updated parameters."""
    n, p = w.names, w.printer
    passes = w.hand.after if after else w.hand.forward
    samples = w.solution.spec.samples
    result = []
    for k, (sample, fwd) in enumerate(zip(samples, passes)):
        units = tuple(unit_step(w, u.name, sample, fwd, after) for u in w.network.computed)
        targets = dict(sample.target)
        errors = tuple(
            eq(
                f"{n.error[u]} &= {p.error_term(u)}",
                f"&= {p.error_term(u, w.show(fwd.out[u], 'out'), given(targets[u]))} = {w.show(fwd.error[u], 'error')}",
            )
            for u in targets
        )
        lhs = n.total if len(samples) == 1 else rf"E^{{[{k + 1}]}}"
        terms = " + ".join(n.error[u] for u in targets)
        if len(targets) > 1:
            values = " + ".join(operand(w.show(fwd.error[u], "error")) for u in targets)
            total = eq(f"{lhs} &= {terms} = {values} = {w.show(fwd.total, 'error')}")
        elif terms != lhs:
            total = eq(f"{lhs} &= {terms} = {w.show(fwd.total, 'error')}")
        else:  # one output whose error term has the total's name (E = ½(y − o)²): said once
            total = None
        result.append(SamplePass(k + 1, units, errors, total))
    return tuple(result)


def sum_terms(w: Writer, unit: str, sample: Sample, fwd: Pass, after: bool) -> tuple[list, list]:
    """The terms of a unit's weighted sum, in symbols and in numbers: inputs times weights,
    then its bias added (or its threshold subtracted)."""
    n, p, net = w.names, w.printer, w.network
    symbols, numbers = [], []
    for edge in net.incoming[unit]:
        symbols.append(f"{n.out[edge.source]}{p.times}{n.param[edge.param]}")
        source = net.unit[edge.source]
        out = given(dict(sample.input)[edge.source]) if source.is_input else w.show(fwd.out[edge.source], "out")
        numbers.append(f"{operand(out)}{p.times}{operand(w.value(edge.param, after))}")
    bias = net.bias.get(unit)
    if bias is not None:
        sign = "-" if net.bias_sign < 0 else "+"
        symbols.append((sign, n.param[bias.name]))
        numbers.append((sign, operand(w.value(bias.name, after))))
    return symbols, numbers


def unit_step(w: Writer, unit: str, sample: Sample, fwd: Pass, after: bool) -> UnitStep:
    """One unit: its weighted sum, then its activation."""
    n, p = w.names, w.printer
    symbols, numbers = sum_terms(w, unit, sample, fwd, after)
    net_eq = eq(*w.sum_rows(n.net[unit], symbols), *w.sum_rows("", numbers, w.show(fwd.net[unit], "net")))
    nets = {u: w.show(fwd.net[u], "net") for u in w.network.group(unit)}
    out_eq = eq(
        f"{n.out[unit]} &= {p.activation(unit)}",
        f"&= {p.activation(unit, nets[unit], nets)} = {w.show(fwd.out[unit], 'out')}",
    )
    return UnitStep(unit, n.out[unit], (net_eq, out_eq))
