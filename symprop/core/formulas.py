"""Each parameter's gradient as plain SymPy text, for the JSON (``"derivations"``).

The symbols are ``net_<unit>``, ``out_<unit>`` (an input's value is ``out_<input>``),
``target_<output>`` and the parameter names; every local factor is written in its
substituted form (σ′ as ``out_h1*(1 - out_h1)``, ∂E/∂out as ``out_o1 - target_o1``, a
weight factor as the weight). For each parameter:

- ``paths``: the factor keys of each chain-rule path, in order (``dE(o1)/dout(o1)``, ...);
- ``chain``: the sum of the path products;
- ``delta``: the delta form, ``δ_t · ∂net_t/∂p`` summed over the units the parameter enters,
  with every δ written out: ``δ_j = f′(net_j) · Σ_k w_kj δ_k`` nested down to the loss factors.

Both are the gradient of one sample's error: evaluated at a sample's forward values they give
that sample's ∂E/∂p, and ∂E_total/∂p is their sum over the samples. The texts are joined
from the factors' printed forms, never simplified, so they read like the chain products of a
worked solution and cost time linear in their length. Above ``MAX_PATHS`` paths a parameter's
``paths`` and ``chain`` are ``null`` (with ``n_paths`` saying how many there are), and its
``delta`` names the deltas (``delta_h1*out_x1``), each written once in the JSON's
``delta_formulas`` in terms of the next layer's: the nested text would repeat each delta
once per path.
"""

from __future__ import annotations

import sympy
from sympy.printing.precedence import PRECEDENCE, precedence

from .derive import Derivations, Factor
from .graph import Network

MAX_PATHS = 64  # paths of one parameter written out in the JSON, at most


def plain_names(net: Network) -> dict[sympy.Symbol, sympy.Symbol]:
    """The graph's symbols (``out(h1)``, ``target(o1)``) as plain ones (``out_h1``, ``target_o1``)."""
    names: dict[sympy.Symbol, sympy.Symbol] = {}
    for unit in net.units:
        names[unit.out] = sympy.Symbol(f"out_{unit.name}")
        if not unit.is_input:
            names[unit.net] = sympy.Symbol(f"net_{unit.name}")
    for unit in net.outputs:
        names[net.target(unit.name)] = sympy.Symbol(f"target_{unit.name}")
    return names


class _Writer:
    """The printed form of each factor and delta, each computed once."""

    def __init__(self, derivations: Derivations):
        self.d = derivations
        self.names = plain_names(derivations.network)
        self.factor_text: dict[str, str] = {}
        self.delta_text: dict[str, str] = {}

    def factor(self, f: Factor) -> str:
        """A factor as one operand of a product: parenthesised when it is a sum or negative."""
        text = self.factor_text.get(f.key)
        if text is None:
            local = f.local.xreplace(self.names)
            text = sympy.sstr(local)
            if precedence(local) < PRECEDENCE["Mul"] or text.startswith("-"):
                text = f"({text})"
            self.factor_text[f.key] = text
        return text

    def product(self, factors) -> str:
        return "*".join(self.factor(f) for f in factors)

    def delta(self, unit: str, nested: bool) -> str:
        """δ(unit) = Σ_k ∂out_k/∂net(unit) · ∂E/∂out_k; ∂E/∂out_k is the loss factor of an
        output, else Σ_t w_tk δ_t (each δ_t nested, or named ``delta_t``)."""
        key = f"{unit}:{nested}"
        text = self.delta_text.get(key)
        if text is None:
            terms = []
            for into in self.d.into(unit):
                dout = self.dout(into.unit, nested)
                terms.append(f"{self.factor(into)}*{dout}")
            text = terms[0] if len(terms) == 1 else "(" + " + ".join(terms) + ")"
            self.delta_text[key] = text
        return text

    def dout(self, unit: str, nested: bool) -> str:
        d = self.d
        terms = [self.factor(d.loss[unit])] if unit in d.loss else []
        for edge in d.network.outgoing[unit]:
            inner = self.delta(edge.target, True) if nested else f"delta_{edge.target}"
            terms.append(f"{self.factor(d.weight[edge.param])}*{inner}")
        return terms[0] if len(terms) == 1 else "(" + " + ".join(terms) + ")"


def formulas(derivations: Derivations) -> tuple[dict[str, dict], dict[str, str] | None]:
    """The ``"derivations"`` of the JSON (each parameter's ``n_paths``, ``paths``, ``chain``
    and ``delta``), and, when some parameter has too many paths to write out, its
    ``"delta_formulas"``: each unit's δ in terms of the next layer's (else None)."""
    w = _Writer(derivations)
    result: dict[str, dict] = {}
    compact = False
    for name, derivation in derivations.of.items():
        small = derivation.n_paths <= MAX_PATHS
        compact = compact or not small
        paths = [[f.key for f in path.factors] for path in derivation.paths()] if small else None
        chain = " + ".join(w.product(path.factors) for path in derivation.paths()) if small else None
        delta = " + ".join(
            f"{w.delta(f.unit, True) if small else f'delta_{f.unit}'}*{w.factor(f)}" for f in derivation.last)
        result[name] = {"n_paths": derivation.n_paths, "paths": paths, "chain": chain, "delta": delta}
    deltas = {u.name: w.delta(u.name, False) for u in derivations.network.computed} if compact else None
    return result, deltas
