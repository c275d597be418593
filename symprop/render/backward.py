"""The backward pass as a worked solution writes it: chain-rule products path by path (each
factor derived once per sample, with its reason), or the δ of every unit and gradient =
δ × input. A softmax output's δ is the sum over the layer's outputs, and where the loss
and the output activation make it so (softmax + cross-entropy, sigmoid + binary
cross-entropy) the classic shortcut δ = out − target is derived from it, not asserted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.derive import Delta, Derivation, Factor, Path
from .parts import Component, Equation, ParamSection, Term
from .printer import given, operand
from .writer import Writer, eq

REASONS = {  # why a factor is what it is, by its kind
    "loss": "partial derivative of the error with respect to the output",
    "activation": "partial derivative of the output with respect to the sum (the {activation} derivative)",
    "coupling": "partial derivative of a softmax output with respect to another unit's sum",
    "weight": "partial derivative of the sum with respect to an input: the weight it multiplies",
    "input": "partial derivative of the sum with respect to a weight: the input it multiplies",
    "bias": "partial derivative of the sum with respect to its bias",
}
CONSTANT = ("weight", "bias")  # factors whose value is the same in every sample


# --- the chain form ------------------------------------------------------------------------------


def component(w: Writer, factor: Factor, k: int) -> Component:
    """A factor derived for the first time (in sample ``k``): ∂num/∂den = local form =
    numbers = value."""
    p = w.printer_at(k)
    value = w.factor_text(factor, k)
    frac, local = p.frac(factor), p.local(factor)
    numbers = ""
    fwd = w.hand.forward[k]
    if factor.kind == "loss":
        target = dict(w.solution.spec.samples[k].target)[factor.unit]
        numbers = p.local_numbers(factor, w.show(fwd.out[factor.unit], "out"), "", given(target))
    elif factor.kind == "activation":
        numbers = p.local_numbers(factor, w.show(fwd.out[factor.unit], "out"), w.show(fwd.net[factor.unit], "net"), "")
    elif factor.kind == "coupling":
        numbers = p.local_numbers(factor, w.show(fwd.out[factor.unit], "out"), "", "",
                                  w.show(fwd.out[factor.ref], "out"))
    activation = w.network.unit[factor.unit].activation
    reason = REASONS[factor.kind].format(activation=activation.name if activation else "")
    rows = [f"{frac} &= {local}"]
    if numbers and numbers != value:
        rows.append(f"&= {numbers} = {value}")
    elif local != value:
        rows.append(f"&= {value}")
    return Component(factor.kind, reason, Equation(tuple(rows)))


def chain_section(w: Writer, d: Derivation, derived: set[tuple[str, int]]) -> ParamSection:
    """∂E_total/∂p path by path; the factors of each sample not in ``derived`` yet are
    derived here (and added)."""
    n, p = w.names, w.printer
    name = d.param.name
    lhs = p.partial(n.total, n.param[name])
    paths = list(d.paths())
    samples = range(w.samples)
    components = []
    for k in samples:
        for path in paths:
            for f in path.factors:
                key = (f.key, 0 if f.kind in CONSTANT else k)  # a weight or a bias is the same in every sample
                if key not in derived:
                    derived.add(key)
                    components.append(component(w, f, k))
    many = w.samples > 1
    terms = []
    for k in samples:
        for t, path in enumerate(paths, 1):
            label = path_label(w, d, paths, t, path)
            if many:
                label += rf"\ \text{{(sample {k + 1})}}"
            terms.append(term(w, path, k, label if len(paths) > 1 or many else lhs))
    total = None
    if len(terms) > 1:
        values = [operand(w.show(w.hand.path_value(path, k), "gradient")) for k in samples for path in paths]
        labels = " + ".join(t.label for t in terms) if len(terms) <= 3 else r"\sum \text{terms}"
        total = eq(f"{lhs} &= {labels}", *w.sum_rows("", values, w.show(w.hand.gradients[name], "gradient"), 6))
    general = eq(*w.chain_rows(lhs, [p.frac(f) for f in paths[0].factors])) if len(paths) == 1 else None
    return ParamSection(name, n.param[name], d.param.kind, "chain", len(paths) * w.samples, general,
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
    rows = w.chain_rows(label, [w.frac(f, k) for f in path.factors])
    rows.append(f"&= {w.printer.numbers(values)}")
    rows.append(f"&= {w.show(w.hand.path_value(path, k), 'gradient')}")
    return Term(label, k + 1, Equation(tuple(rows)))


# --- the delta form ------------------------------------------------------------------------------


def delta_equations(w: Writer, k: int) -> tuple[Equation, ...]:
    """δ of every unit of sample ``k``, from the outputs back."""
    result = []
    for unit in reversed(w.network.computed):
        d = w.solution.derivations.delta[unit.name]
        rows = _output_delta(w, d, k) if d.loss is not None or d.coupled else _hidden_delta(w, d, k)
        result.append(Equation(rows))
    return tuple(result)


def _output_delta(w: Writer, d: Delta, k: int) -> tuple[str, ...]:
    """δ of an output: Σ_k ∂E/∂out_k · ∂out_k/∂net (one term but for a softmax layer), its
    local forms, the shortcut where it holds, the numbers."""
    n, p, back = w.names, w.printer, w.hand.backward[k]
    net, unit = w.network, d.unit
    loss = w.solution.derivations.loss
    fracs = [f"{p.frac(loss[f.unit])}{p.times}{p.frac(f)}" for f in d.into]
    locals_ = [f"{_bracket(p.local(loss[f.unit]))}{p.times}{_bracket(p.local(f))}" for f in d.into]
    rows = [f"{n.delta[unit]} &= {' + '.join(fracs)}", f"&= {' + '.join(locals_)}"]
    activation = net.unit[unit].activation.name
    if net.loss.shortcut == activation:
        if d.coupled:  # Σ_k (−t_k / y_k) · y_k (δ_kj − y_j) = −t_j + y_j Σ_k t_k
            t_k = re.sub(r"_\{[^{}]*\}$", "_{k}", n.target[unit])
            rows.append(rf"&= -{n.target[unit]} + {n.out[unit]} \sum_{{k}} {t_k}")
            rows.append(rf"&= {n.out[unit]} - {n.target[unit]} \quad (\sum_{{k}} {t_k} = 1)")
        else:
            rows.append(f"&= {n.out[unit]} - {n.target[unit]}")
        target = given(dict(w.solution.spec.samples[k].target)[unit])
        out = w.show(w.hand.forward[k].out[unit], "out")
        rows.append(f"&= {out} - {operand(target)} = {w.show(back.delta[unit], 'delta')}")
    else:
        products = [p.numbers([w.show(back.factor[loss[f.unit].key], "factor"), w.show(back.factor[f.key], "factor")],
                              leading=i == 0) for i, f in enumerate(d.into)]
        rows.append(f"&= {' + '.join(products)} = {w.show(back.delta[unit], 'delta')}")
    return tuple(rows)


def _hidden_delta(w: Writer, d: Delta, k: int) -> tuple[str, ...]:
    """δ of a hidden unit: f'(net) · Σ_t δ_t · w_t."""
    n, p, back = w.names, w.printer, w.hand.backward[k]
    act = w.show(back.factor[d.activation.key], "factor")
    symbols = " + ".join(f"{n.delta[t]}{p.times}{n.param[f.ref]}" for t, f in d.downstream)
    numbers = " + ".join(p.numbers([w.show(back.delta[t], "delta"), w.factor_text(f, k)], leading=i == 0)
                         for i, (t, f) in enumerate(d.downstream))
    return (
        f"{n.delta[d.unit]} &= {p.frac(d.activation)}{p.times}({symbols})",
        f"&= {act}{p.times}({numbers}) = {w.show(back.delta[d.unit], 'delta')}",
    )


def _bracket(text: str) -> str:
    return text if text.replace("_", "").replace("{", "").replace("}", "").isalnum() else f"[{text}]"


@dataclass(frozen=True)
class DeltaGradient:
    """∂E_total/∂p = Σ δ_t · ∂net_t/∂p: its left side, its symbols, the δ × input products
    of every sample and unit (in order; the first written as it leads the sum, the others
    with a negative first number in parentheses), and the gradient as written."""

    lhs: str
    symbols: str  # the right side in symbols (Σ_n of per-sample quantities over several samples)
    products: tuple[tuple[str, ...], ...]  # per sample, per unit the parameter enters
    result: str


def delta_gradient(w: Writer, d: Derivation) -> DeltaGradient:
    n, p = w.names, w.printer
    many = w.samples > 1

    def sample_n(tex: str) -> str:
        return f"{{{tex}}}^{{[n]}}" if many else tex

    symbols = " + ".join(f"{sample_n(n.delta[f.unit])}{p.times}{_local_n(w, f, sample_n)}" for f in d.last)
    products = tuple(
        tuple(p.numbers([w.show(w.hand.backward[k].delta[f.unit], "delta"), w.factor_text(f, k)],
                        leading=k == 0 and i == 0) for i, f in enumerate(d.last))
        for k in range(w.samples)
    )
    return DeltaGradient(p.partial(n.total, n.param[d.param.name]),
                         rf"\sum_{{n}} ({symbols})" if many else symbols,
                         products, w.show(w.hand.gradients[d.param.name], "gradient"))


def _local_n(w: Writer, f: Factor, sample_n) -> str:
    """∂net/∂p in symbols: the input (a per-sample quantity), or ±1 for a bias."""
    return sample_n(w.names.out[f.ref]) if f.kind == "input" else w.printer.local(f)


def delta_section(w: Writer, d: Derivation, note: str = "") -> ParamSection:
    g = delta_gradient(w, d)
    numbers = " + ".join(" + ".join(sample) for sample in g.products)
    rows = (f"{g.lhs} &= {g.symbols}", f"&= {numbers} = {g.result}")
    name = d.param.name
    return ParamSection(name, w.names.param[name], d.param.kind, "delta", d.n_paths * len(g.products),
                        None, (), (Term(g.lhs, 1, Equation(rows)),), None, note)
