"""A solved training step: the spec, its graph, its derivations and its numbers, as one
record, and its JSON form (the output contract of ``symprop solve --format json``).

Each quantity is reported twice: ``value``, the exact result at full precision, and
``shown``, the string a person writes under the spec's rounding policy (with
``carry: shown`` that is the hand calculation's own carried value, not the exact one
rounded).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, replace
from decimal import Decimal

from ..core.derive import Derivations, derive
from ..core.graph import Network, build
from ..errors import SympropError
from ..spec import Spec
from ..spec.choices import FORMS
from .arithmetic import PRECISION, report
from .dump import dumps
from .evaluate import MAX_CHAIN_TERMS, Evaluation, evaluate, exact


@dataclass(frozen=True)
class Solution:
    """One solved training step. ``hands`` holds the hand calculation (the numbers as
    written down) per form, chain and delta, which differ only when written values are
    carried and a gradient is short enough to be summed path by path; ``form`` says which
    one ``hand`` (and the JSON) is."""

    spec: Spec
    network: Network
    derivations: Derivations
    exact: Evaluation  # full precision
    hands: dict[str, Evaluation]  # by form; each the exact one when carry is exact
    form: str = "chain"  # how the hand calculation adds up its gradients (chain | delta)

    @property
    def hand(self) -> Evaluation:
        return self.hands[self.form]

    def in_form(self, form: str) -> Solution:
        """This solution with its hand calculation adding up gradients in ``form``."""
        _check_form(form)
        return self if form == self.form else replace(self, form=form)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the reader must know (a derivative taken at a kink), each once."""
        return tuple(dict.fromkeys(self.exact.notes + self.hand.notes))

    def quantity(self, exact_value: Decimal, hand_value: Decimal, kind: str | None = None) -> dict:
        """A Q of the JSON: the exact value, and the hand calculation's as written (its kind's places)."""
        return {"value": report(exact_value), "shown": self.spec.rounding.show(hand_value, kind)}

    def to_dict(self) -> dict:
        """The JSON contract: every Q is ``{"value": number, "shown": "string"}``."""
        e, h, q = self.exact, self.hand, self.quantity
        samples = []
        for k in range(len(self.spec.samples)):
            units = {
                u.name: {
                    "net": q(e.forward[k].net[u.name], h.forward[k].net[u.name], "net"),
                    "out": q(e.forward[k].out[u.name], h.forward[k].out[u.name], "out"),
                    "delta": q(e.backward[k].delta[u.name], h.backward[k].delta[u.name], "delta"),
                }
                for u in self.network.computed
            }
            samples.append({"units": units, "error": self._errors(e.forward[k], h.forward[k])})
        after = [
            {
                "units": {
                    u.name: {
                        "net": q(e.after[k].net[u.name], h.after[k].net[u.name], "net"),
                        "out": q(e.after[k].out[u.name], h.after[k].out[u.name], "out"),
                    }
                    for u in self.network.computed
                },
                "error": self._errors(e.after[k], h.after[k]),
            }
            for k in range(len(self.spec.samples))
        ]
        names = [p.name for p in self.network.params]
        return {
            "title": self.spec.title,
            "samples": samples,
            "error_total": q(e.error_total, h.error_total, "error"),
            "gradients": {n: q(e.gradients[n], h.gradients[n], "gradient") for n in names},
            "updated": {n: q(e.updated[n], h.updated[n], "update") for n in names},
            "after": {"error_total": q(e.error_total_after, h.error_total_after, "error"), "samples": after},
            "rounding": {
                "places": self.spec.rounding.places_json,
                "mode": self.spec.rounding.mode,
                "carry": self.spec.rounding.carry,
            },
            "notes": list(self.notes),
        }

    def _errors(self, e, h) -> dict:
        errors = {unit: self.quantity(e.error[unit], h.error[unit], "error") for unit in e.error}
        errors["total"] = self.quantity(e.total, h.total, "error")
        return errors

    def to_json(self) -> str:
        return dumps(self.to_dict())


def solve(spec: Spec, form: str = "chain") -> Solution:
    """Build, derive and evaluate ``spec``; ``form`` (chain | delta) is how a hand
    calculation with ``carry: shown`` adds up its gradients."""
    _check_form(form)
    network = build(spec)
    derivations = derive(network)
    try:
        return _solved(spec, network, derivations, form)
    except (decimal.Overflow, decimal.DivisionByZero, decimal.InvalidOperation) as exc:
        raise SympropError(f"{spec.source}: the numbers leave what {PRECISION}-digit arithmetic holds "
                           f"({type(exc).__name__}); use smaller weights, inputs or biases") from None


def _solved(spec: Spec, network: Network, derivations: Derivations, form: str) -> Solution:
    exact_eval = evaluate(derivations, exact)
    rounding = spec.rounding
    hands = dict.fromkeys(FORMS, exact_eval)
    if rounding.carries_shown:
        hands["chain"] = evaluate(derivations, rounding, "chain")
        terms = len(spec.samples)
        summed = any(d.n_paths * terms <= MAX_CHAIN_TERMS for d in derivations.of.values())
        hands["delta"] = evaluate(derivations, rounding, "delta") if summed else hands["chain"]
    return Solution(spec, network, derivations, exact_eval, hands, form)


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {', '.join(FORMS)}")
