"""Symbolic answers (``formula(w1)``): a student's formula for one sample's ∂E/∂w, judged
right when it is mathematically the gradient (``core.equivalence``: equal at points, any
form), else diagnosed against the library's mistakes made symbolically: the loss
derivative's sign flipped, an activation derivative left out or taken of the sum, one
error term's paths only, the loss without its ½.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ...core.derive import Derivation
from ...core.equivalence import FormulaError, equal_for, gradient_of, read_formula
from ...core.formulas import MAX_PATHS
from ...core.graph import Network
from .mistakes import MISTAKES

DESCRIPTIONS = {m.name: m.description for m in MISTAKES}


@dataclass(frozen=True)
class FormulaVerdict:
    correct: bool
    reason: str  # one line: why it is wrong, or what could not be read ("" when right)
    mistakes: tuple[str, ...] = ()  # the library's names of the mistakes that give it


def _scopes(network: Network) -> tuple[frozenset[str], ...]:
    outputs = frozenset(u.name for u in network.outputs)
    hidden = frozenset(u.name for u in network.computed) - outputs
    return tuple(s for s in (outputs | hidden, outputs, hidden) if s)


def symbolic_mistakes(network: Network, derivation: Derivation) -> list[tuple[str, sympy.Expr]]:
    """(mistake name, the formula it gives) for each way of making each mistake."""
    if derivation.n_paths > MAX_PATHS:
        return []
    paths = list(derivation.paths())

    def total(local, keep=lambda path: True) -> sympy.Expr:
        return sympy.Add(*(sympy.Mul(*(local(f) for f in p.factors)) for p in paths if keep(p)))

    result = [("sign_flip", total(lambda f: -f.local if f.kind == "loss" else f.local))]
    for scope in _scopes(network):
        result.append(("no_activation_derivative",
                       total(lambda f, s=scope: sympy.Integer(1) if f.kind == "activation" and f.unit in s else f.local)))
        on_net = {network.unit[u].out: network.unit[u].net for u in scope}
        result.append(("activation_derivative_of_net",
                       total(lambda f, s=scope, m=on_net: f.local.xreplace(m) if f.kind == "activation" and f.unit in s
                             else f.local)))
    if len(network.outputs) > 1 and len({p.error for p in paths}) > 1:
        for unit in network.outputs:
            result.append(("missing_path", total(lambda f: f.local, lambda p, u=unit.name: p.error == u)))
    if network.loss.name == "half_sse":
        result.append(("half_missing", total(lambda f: 2 * f.local if f.kind == "loss" else f.local)))
    return result


def judge_formula(text: object, network: Network, derivation: Derivation) -> FormulaVerdict:
    """Whether ``text`` is ``derivation``'s gradient (one sample's), and if not, which
    mistakes give it."""
    try:
        given = read_formula(text, network)
    except FormulaError as exc:
        return FormulaVerdict(False, f"cannot read the formula: {exc}")
    key = gradient_of(derivation)
    if equal_for(network, given, key):
        return FormulaVerdict(True, "")
    names = tuple(dict.fromkeys(name for name, wrong in symbolic_mistakes(network, derivation)
                                if equal_for(network, given, wrong, points=1) and equal_for(network, given, wrong)))
    if names:
        return FormulaVerdict(False, "; or ".join(DESCRIPTIONS[n] for n in names), names)
    return FormulaVerdict(False, "not the gradient (it differs at the spec's values)")
