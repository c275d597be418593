"""The matrix style: the forward pass layer by layer as W x + b, and the gradient of each
weight matrix as δ xᵀ (a layer fed by skip edges is written unit by unit)."""

from __future__ import annotations

from ..core.graph import Edge
from ..numbers.records import Pass
from ..spec import Sample
from .forward import unit_step
from .parts import Equation
from .printer import given
from .writer import Writer, eq


def full_layers(w: Writer) -> list[tuple[list[str], list[str]]]:
    """(sources, targets) of every computed layer whose edges all come from the layer before."""
    layers = w.solution.spec.layers
    result = []
    for i, layer in enumerate(layers[1:], 1):
        sources = list(layers[i - 1].units)
        if all(e.source in sources for u in layer.units for e in w.network.incoming[u]):
            result.append((sources, list(layer.units)))
    return result


def _edge(w: Writer, source: str, target: str) -> Edge | None:
    return next((e for e in w.network.incoming[target] if e.source == source), None)


def bmatrix(rows: list[list[str]]) -> str:
    body = r" \\ ".join(" & ".join(row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def matrix_equations(w: Writer, k: int, after: bool = False) -> tuple[Equation, ...]:
    """The forward pass of sample ``k``, a layer at a time."""
    fwd = (w.hand.after if after else w.hand.forward)[k]
    sample = w.solution.spec.samples[k]
    covered = {tuple(t): sources for sources, t in full_layers(w)}
    equations: list[Equation] = []
    for layer in w.solution.spec.layers[1:]:
        sources = covered.get(tuple(layer.units))
        if sources is None:  # skip edges: this layer unit by unit
            for u in layer.units:
                equations += unit_step(w, u, sample, fwd, after).equations
        else:
            equations += _layer_equations(w, sources, list(layer.units), sample, fwd, after)
    return tuple(equations)


def _layer_equations(w: Writer, sources: list[str], targets: list[str], sample: Sample, fwd: Pass,
                     after: bool) -> list[Equation]:
    n, show = w.names, w.show

    def weight(s: str, t: str, numbers: bool) -> str:
        e = _edge(w, s, t)
        if e is None:
            return "0"
        return w.value(e.param, after) if numbers else n.param[e.param]

    def out(u: str) -> str:
        return given(dict(sample.input)[u]) if w.network.unit[u].is_input else show(fwd.out[u], "out")

    biases = [w.network.bias.get(t) for t in targets]
    w_sym = bmatrix([[weight(s, t, False) for s in sources] for t in targets])
    w_num = bmatrix([[weight(s, t, True) for s in sources] for t in targets])
    x_sym = bmatrix([[n.out[u]] for u in sources])
    x_num = bmatrix([[out(u)] for u in sources])
    plus_sym = plus_num = ""
    if any(biases):
        sign = " - " if w.network.bias_sign < 0 else " + "  # thresholds are subtracted
        plus_sym = sign + bmatrix([[n.param[b.name] if b else "0"] for b in biases])
        plus_num = sign + bmatrix([[w.value(b.name, after) if b else "0"] for b in biases])
    nets = {t: show(fwd.net[t], "net") for t in targets}
    return [
        eq(f"{bmatrix([[n.net[t]] for t in targets])} &= {w_sym}{x_sym}{plus_sym}",
           f"&= {w_num}{x_num}{plus_num}", f"&= {bmatrix([[nets[t]] for t in targets])}"),
        eq(f"{bmatrix([[n.out[t]] for t in targets])} &= {bmatrix([[w.printer.activation(t)] for t in targets])}",
           f"&= {bmatrix([[show(fwd.out[t], 'out')] for t in targets])}"),
    ]


def gradient_matrices(w: Writer) -> tuple[Equation, ...]:
    """∂E/∂W of every full layer: δ times the outputs of the layer before (summed over the
    samples, each sample's δ and outputs indexed, when there are several), then the numbers."""
    n, p = w.names, w.printer
    many = w.samples > 1
    equations = []
    for sources, targets in full_layers(w):
        def grad(s: str, t: str, numbers: bool) -> str:
            e = _edge(w, s, t)
            if e is None:
                return "0"
            return w.show(w.hand.gradients[e.param], "gradient") if numbers else p.partial(n.total, n.param[e.param])

        def sample_n(tex: str) -> str:
            return f"{{{tex}}}^{{[n]}}" if many else tex

        deltas, outs = bmatrix([[sample_n(n.delta[t])] for t in targets]), bmatrix([[sample_n(n.out[s]) for s in sources]])
        product = f"{deltas}{outs}"
        equations.append(eq(
            f"{bmatrix([[grad(s, t, False) for s in sources] for t in targets])} &= "
            + (rf"\sum_{{n}} {product}" if many else product),
            f"&= {bmatrix([[grad(s, t, True) for s in sources] for t in targets])}",
        ))
    return tuple(equations)
