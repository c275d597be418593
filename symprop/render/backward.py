"""The backward pass as a worked solution writes it: chain-rule products path by path (each
factor derived once, with its reason), or the δ of every unit and gradient = δ × input."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.derive import Derivation, Factor, Path
from .parts import Component, Equation, ParamSection, Term
from .printer import given, operand
from .writer import Writer, eq

REASONS = {  # why a factor is what it is, by its kind
    "loss": "partial derivative of the error with respect to the output",
    "activation": "partial derivative of the output with respect to the sum (the {activation} derivative)",
    "weight": "partial derivative of the sum with respect to an input: the weight it multiplies",
    "input": "partial derivative of the sum with respect to a weight: the input it multiplies",
    "bias": "partial derivative of the sum with respect to its bias",
}


# --- the chain form ------------------------------------------------------------------------------


def component(w: Writer, factor: Factor, k: int) -> Component:
    """A factor derived for the first time: ∂num/∂den = local form = numbers = value."""
    p, show = w.printer, w.show
    value = w.factor_text(factor, k)
    frac, local = p.frac(factor), p.local(factor)
    numbers = ""
    fwd = w.hand.forward[k]
    if factor.kind == "loss":
        target = dict(w.solution.spec.samples[k].target)[factor.unit]
        numbers = p.local_numbers(factor, show(fwd.out[factor.unit]), "", given(target))
    elif factor.kind == "activation":
        numbers = p.local_numbers(factor, show(fwd.out[factor.unit]), show(fwd.net[factor.unit]), "")
    activation = w.network.unit[factor.unit].activation
    reason = REASONS[factor.kind].format(activation=activation.name if activation else "")
    rows = [f"{frac} &= {local}"]
    if numbers and numbers != value:
        rows.append(f"&= {numbers} = {value}")
    elif local != value:
        rows.append(f"&= {value}")
    return Component(factor.kind, reason, Equation(tuple(rows)))


def chain_section(w: Writer, d: Derivation, derived: set[str]) -> ParamSection:
    """∂E_total/∂p path by path; factors not in ``derived`` yet are derived here (and added)."""
    n, p, show = w.names, w.printer, w.show
    name = d.param.name
    lhs = p.partial(n.total, n.param[name])
    paths = list(d.paths())
    samples = range(len(w.solution.spec.samples))
    components = []
    for k in samples:
        for path in paths:
            for f in path.factors:
                if f.key not in derived:
                    derived.add(f.key)
                    components.append(component(w, f, k))
    many = len(samples) > 1
    terms = []
    for k in samples:
        for t, path in enumerate(paths, 1):
            label = path_label(w, d, paths, t, path)
            if many:
                label += rf"\ \text{{(sample {k + 1})}}"
            terms.append(term(w, path, k, label if len(paths) > 1 or many else lhs))
    total = None
    if len(terms) > 1:
        values = [operand(show(w.hand.path_value(path, k))) for k in samples for path in paths]
        labels = " + ".join(t.label for t in terms) if len(terms) <= 3 else r"\sum \text{terms}"
        total = eq(f"{lhs} &= {labels}", *w.sum_rows("", values, show(w.hand.gradients[name]), 6))
    general = eq(*w.chain_rows(lhs, [p.frac(f) for f in paths[0].factors])) if len(paths) == 1 else None
    return ParamSection(name, n.param[name], d.param.kind, "chain", len(paths) * len(samples), general,
                        tuple(components), tuple(terms), total)


def path_label(w: Writer, d: Derivation, paths: list[Path], t: int, path: Path) -> str:
    """What a path's term is called: ∂E_k/∂p when each error term has one path, else "term t"."""
    n, p = w.names, w.printer
    if len({q.error for q in paths}) == len(paths):
        return p.partial(n.error[path.error], n.param[d.param.name])
    return rf"\text{{term {t}}}"


def term(w: Writer, path: Path, k: int, label: str) -> Term:
    """One path: its chain of fractions, the numbers, the product."""
    values = [w.factor_text(f, k) for f in path.factors]
    rows = w.chain_rows(label, [w.printer.frac(f) for f in path.factors])
    rows.append(f"&= {w.printer.numbers(values)}")
    rows.append(f"&= {w.show(w.hand.path_value(path, k))}")
    return Term(label, k + 1, Equation(tuple(rows)))


# --- the delta form ------------------------------------------------------------------------------


def delta_equations(w: Writer, k: int) -> tuple[Equation, ...]:
    """δ of every unit of sample ``k``, from the outputs back."""
    n, p, show = w.names, w.printer, w.show
    back = w.hand.backward[k]
    result = []
    for unit in reversed(w.network.computed):
        d = w.solution.derivations.delta[unit.name]
        act = show(back.factor[d.activation.key])
        if d.loss is not None:
            rows = (
                f"{n.delta[unit.name]} &= {p.frac(d.loss)}{p.times}{p.frac(d.activation)}",
                f"&= {_bracket(p.local(d.loss))}{p.times}{_bracket(p.local(d.activation))}",
                f"&= {p.numbers([show(back.factor[d.loss.key]), act])} = {show(back.delta[unit.name])}",
            )
        else:
            symbols = " + ".join(f"{n.delta[t]}{p.times}{n.param[f.ref]}" for t, f in d.downstream)
            numbers = " + ".join(p.numbers([show(back.delta[t]), w.factor_text(f, k)]) for t, f in d.downstream)
            rows = (
                f"{n.delta[unit.name]} &= {p.frac(d.activation)}{p.times}({symbols})",
                f"&= {act}{p.times}({numbers}) = {show(back.delta[unit.name])}",
            )
        result.append(Equation(rows))
    return tuple(result)


def _bracket(text: str) -> str:
    return text if text.replace("_", "").replace("{", "").replace("}", "").isalnum() else f"[{text}]"


@dataclass(frozen=True)
class DeltaGradient:
    """∂E_total/∂p = Σ δ_t · ∂net_t/∂p: its left side, its symbols, the δ × input products
    of every sample and unit (in order), and the gradient as written."""

    lhs: str
    symbols: str  # the right side in symbols (with Σ_n over several samples)
    products: tuple[tuple[str, ...], ...]  # per sample, per unit the parameter enters
    result: str


def delta_gradient(w: Writer, d: Derivation) -> DeltaGradient:
    n, p = w.names, w.printer
    symbols = " + ".join(f"{n.delta[f.unit]}{p.times}{p.local(f)}" for f in d.last)
    samples = len(w.solution.spec.samples)
    products = tuple(
        tuple(p.numbers([w.show(w.hand.backward[k].delta[f.unit]), w.factor_text(f, k)]) for f in d.last)
        for k in range(samples)
    )
    return DeltaGradient(p.partial(n.total, n.param[d.param.name]),
                         rf"\sum_{{n}} ({symbols})" if samples > 1 else symbols,
                         products, w.show(w.hand.gradients[d.param.name]))


def delta_section(w: Writer, d: Derivation, note: str = "") -> ParamSection:
    g = delta_gradient(w, d)
    numbers = " + ".join(" + ".join(sample) for sample in g.products)
    rows = (f"{g.lhs} &= {g.symbols}", f"&= {numbers} = {g.result}")
    name = d.param.name
    return ParamSection(name, w.names.param[name], d.param.kind, "delta", d.n_paths * len(g.products),
                        None, (), (Term(g.lhs, 1, Equation(rows)),), None, note)
