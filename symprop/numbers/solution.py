"""A solved training step: the spec, its graph, its derivations and its numbers, as one
record, and its JSON form (the output contract of ``symprop solve --format json``).

Each quantity is reported twice: ``value``, the exact result at full precision, and
``shown``, the string a person writes under the spec's rounding policy (with
``carry: shown`` that is the hand calculation's own carried value, not the exact one
rounded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from ..core.derive import Derivations, derive
from ..core.graph import Network, build
from ..spec import Spec
from ..spec.choices import FORMS
from .arithmetic import report
from .evaluate import Evaluation, evaluate, exact


@dataclass(frozen=True)
class Solution:
    spec: Spec
    network: Network
    derivations: Derivations
    exact: Evaluation  # full precision
    hand: Evaluation  # as written down: the exact one when carry is exact
    form: str = "chain"  # how the hand calculation adds up its gradients (chain | delta)

    def in_form(self, form: str) -> Solution:
        """This solution with its hand calculation adding up gradients in ``form``: the same
        one when nothing changes (carry exact, or already in that form)."""
        if form == self.form or not self.spec.rounding.carries_shown:
            return self
        return solve(self.spec, form)

    def quantity(self, exact_value: Decimal, hand_value: Decimal) -> dict:
        return {"value": report(exact_value), "shown": self.spec.rounding.show(hand_value)}

    def to_dict(self) -> dict:
        """The JSON contract: every Q is ``{"value": number, "shown": "string"}``."""
        e, h, q = self.exact, self.hand, self.quantity
        samples = []
        for k in range(len(self.spec.samples)):
            units = {
                u.name: {
                    "net": q(e.forward[k].net[u.name], h.forward[k].net[u.name]),
                    "out": q(e.forward[k].out[u.name], h.forward[k].out[u.name]),
                    "delta": q(e.backward[k].delta[u.name], h.backward[k].delta[u.name]),
                }
                for u in self.network.computed
            }
            samples.append({"units": units, "error": self._errors(e.forward[k], h.forward[k])})
        after = [
            {
                "units": {
                    u.name: {
                        "net": q(e.after[k].net[u.name], h.after[k].net[u.name]),
                        "out": q(e.after[k].out[u.name], h.after[k].out[u.name]),
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
            "error_total": q(e.error_total, h.error_total),
            "gradients": {n: q(e.gradients[n], h.gradients[n]) for n in names},
            "updated": {n: q(e.updated[n], h.updated[n]) for n in names},
            "after": {"error_total": q(e.error_total_after, h.error_total_after), "samples": after},
            "rounding": {
                "places": self.spec.rounding.places,
                "mode": self.spec.rounding.mode,
                "carry": self.spec.rounding.carry,
            },
            "notes": list(dict.fromkeys(e.notes + h.notes)),
        }

    def _errors(self, e, h) -> dict:
        errors = {unit: self.quantity(e.error[unit], h.error[unit]) for unit in e.error}
        errors["total"] = self.quantity(e.total, h.total)
        return errors

    def to_json(self) -> str:
        return dumps(self.to_dict())

    def _repr_markdown_(self) -> str:
        """Jupyter shows a solution as its worked solution (chain style, drawing inline)."""
        import base64

        from ..jobs.files import markdown, network_svg

        data = base64.b64encode(network_svg(self).encode()).decode()
        return markdown(self, svg=f"data:image/svg+xml;base64,{data}")

    def _repr_latex_(self) -> str:
        """For LaTeX front ends (MathJax in Jupyter): the updates, math only."""
        from ..render.document import document

        rows = [row for eq in document(self).updates for row in eq.rows]
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


def solve(spec: Spec, form: str = "chain") -> Solution:
    """Build, derive and evaluate ``spec``; ``form`` (chain | delta) is how a hand
    calculation with ``carry: shown`` adds up its gradients."""
    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {', '.join(FORMS)}")
    network = build(spec)
    derivations = derive(network)
    exact_eval = evaluate(derivations, exact, form)
    rounding = spec.rounding
    hand = evaluate(derivations, rounding, form) if rounding.carries_shown else exact_eval
    return Solution(spec, network, derivations, exact_eval, hand, form)


def dumps(data: object, indent: str = "  ", level: int = 0) -> str:
    """JSON with ``Decimal`` written as exact JSON numbers (no float round trip)."""
    kind = type(data)
    if kind is Decimal:
        return str(data)
    if kind is str:
        return _string(data)
    pad, inner = indent * level, indent * (level + 1)
    if kind is dict:
        if not data:
            return "{}"
        items = (f"{inner}{_string(str(k))}: {dumps(v, indent, level + 1)}" for k, v in data.items())
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if kind in (list, tuple):
        if not data:
            return "[]"
        items = (f"{inner}{dumps(v, indent, level + 1)}" for v in data)
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(data)


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # keeps non-ASCII text as is
