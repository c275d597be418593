"""The solved spec seen through a document's names and rounding policy.

A document names the spec's quantities as any notation preset does (``sum_h1``,
``h_{pre,0}``, ``\\frac{\\partial E}{\\partial w_5}``, ``w^{*}_{100}``): ``SpecView`` maps
a name, in a scope (a sample, the pass after the update), to the quantity it means
(``names.name_table`` of every preset, the spec's own first), gives the values the
document may use without stating them (weights, biases, inputs, targets, the learning
rate), the kind of quantity a name is (for the places of ``rounding.places`` by kind), and
compares a stated value with the engine's under the spec's policy: right when it is the
exact value, or the value a hand calculation carrying the written values gets (summing its
gradients in the chain or the delta form), written at the number's own digits (the
policy's mode at its kind's places, rounded or truncated at other digits).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ...numbers.arithmetic import to_decimal
from ...numbers.quantities import rounding_kind
from ...numbers.records import exact
from ...numbers.solution import Solution
from ...numbers.trace import base_model, trace
from ...render.notation import names
from ...spec.choices import NOTATIONS
from ...spec.values import Rounding
from .expressions import Name, Num
from .findings import Finding
from .names import name_table, normalize, plain
from .policy import MODES, Policy, from_rounding, kind_of_name, windows


class SpecView:
    """A solved spec seen through a document's names, under the spec's policy."""

    def __init__(self, solution: Solution):
        self.solution = solution
        rounding = solution.spec.rounding
        self.policy: Policy = from_rounding(rounding)
        base = base_model(solution)
        self.exact = trace(solution, base, exact).values
        write = replace(rounding, carry="shown")  # either carry is right; a hand sums its gradients either way
        self.hands = (self.exact,) + tuple(trace(solution, base, write, form=form).values
                                           for form in ("chain", "delta"))
        canonical = tuple(self.exact)
        presets = (solution.spec.notation,) + tuple(p for p in NOTATIONS if p != solution.spec.notation)
        self.keys: dict[str, str] = {}
        own: set[str] = set()  # what the spec's own preset computes
        for k, preset in enumerate(presets):
            table = name_table(solution, canonical, preset)
            for key, c in table.normalized.items():
                self.keys.setdefault(key, c)
            if k == 0:  # the spec's own layer superscripts in brackets too: z^{1}_{1}, z^{(1)}_{1}, z^{[1]}_{1}
                own.update(table.normalized)
                for alias, c in table.exact.items():
                    for variant in _bracketed_layers(alias):
                        self.keys.setdefault(normalize(plain(variant)), c)
                        own.add(normalize(plain(variant)))
        self.samples = len(solution.spec.samples)
        self._given: dict[str, Decimal] = {}
        spec = solution.spec

        def give(tex: str, value: Decimal, label: str, mine: bool) -> None:
            for spelling in (tex, *(_bracketed_layers(tex) if mine else ())):
                key = normalize(plain(spelling)) + label
                if key not in own:  # another preset's name for a given value (y: a target) may be ours for an output
                    self._given.setdefault(key, value)

        for preset in presets:
            tex, mine = names(solution.network, preset), preset == presets[0]
            for p in solution.network.params:
                give(tex.param[p.name], to_decimal(p.value), "", mine)
            give(tex.rate, to_decimal(spec.learning_rate), "", mine)
            for k, sample in enumerate(spec.samples, 1):  # with several samples, by the sample's label
                label = "" if self.samples == 1 else f"[{k}]"
                for unit, value in sample.input:
                    give(tex.out[unit], to_decimal(value), label, mine)
                for unit, value in sample.target:
                    give(tex.target[unit], to_decimal(value), label, mine)

    def givens(self) -> dict[str, Decimal]:
        return dict(self._given)

    def kind(self, node, scope: tuple) -> str | None:
        """The kind of quantity (``choices.QUANTITY_KINDS``) a chain's head is: the spec's
        quantity it names, else read from its spelling."""
        if isinstance(node, Name):
            c = self.canonical(node.key, scope)
            if c is not None and c in self.exact:
                return rounding_kind(c)
        return kind_of_name(node)

    def canonical(self, key: str, scope: tuple) -> str | None:
        """The spec's quantity a document's name means, in a scope (sample, after the
        update, the step of a training run)."""
        sample, after, step = scope
        m = re.fullmatch(r"(.*?)(\**)(\[\d+\])?", key)
        base, stars, label = m.group(1), m.group(2), m.group(3) or ""
        if after and not stars:
            stars = "*"
        if not label and self.samples > 1 and sample is not None:
            label = f"[{sample}]"
        c = self.keys.get(base + stars + label) or (self.keys.get(base + stars) if label else None)
        if c is not None and step is not None and f"{c}[{step}]" in self.exact:
            return f"{c}[{step}]"
        if c is not None and self.samples > 1 and c in self.exact and "[" not in c \
                and not c.startswith(("grad(", "new(", "E_total")):
            return None
        return c

    def compare(self, name: Name, value, line: int, scope) -> list[Finding]:
        """Findings for a value the document states for ``name``."""
        if isinstance(value, Num):
            if name.key in self._given:
                if scope[1]:
                    return []  # after the update a parameter's name may mean its new value
                return [f for f in [self._given_one(name.tex, name.key, value, line)] if f]
            c = self.canonical(name.key, scope)
            return [f for f in [self._one(name.tex, c, value, line)] if f]
        findings = []
        flat = [x for row in value.rows for x in row]
        for base in (0, 1):  # a vector h = [h_0; h_1]: its elements, counted from 0 or from 1
            keys = [self.canonical(_element_key(name, base + k), scope) for k in range(len(flat))]
            if all(keys) and len(value.rows[0]) == 1:
                for k, (c, num) in enumerate(zip(keys, flat)):
                    f = self._one(f"{name.tex} element {k + 1}", c, num, line)
                    if f:
                        findings.append(f)
                break
        return findings

    def _given_one(self, label: str, key: str, num: Num, line: int) -> Finding | None:
        """A given value (weight, input, target, learning rate) as the document states it."""
        given = self._given[key]
        if any(num.value == Rounding(num.places, mode)(given) for mode in MODES):
            return None
        return Finding(line, f"{label} = {num.text}", f"{given.normalize():f}", "disagrees_with_spec",
                       "the spec's given value")

    def _one(self, label: str, canonical: str | None, num: Num, line: int) -> Finding | None:
        """A computed quantity as the document states it, against the engine under the
        document's policy (the exact value written its way, or the hand-carried value)."""
        if canonical is None or canonical not in self.exact:
            return None
        policy, kind = self.policy, rounding_kind(canonical)
        if any(w.lo <= hand[canonical] <= w.hi for hand in self.hands for w in windows(num, policy, kind)):
            return None
        hand = self.hands[1] if policy.carry == "shown" else self.exact
        expected = Rounding(max(num.places, policy.places_of(kind)), policy.mode)(hand[canonical])
        return Finding(line, f"{label} = {num.text}", f"{expected:f}", "disagrees_with_spec",
                       f"the spec's {canonical}")


_LAYER_SUPERSCRIPT = re.compile(r"\^\{?(\d+)\}?")


def _bracketed_layers(alias: str) -> tuple[str, ...]:
    """``alias`` with its layer superscripts in parentheses and in brackets (``z^{1}_{1}``:
    ``z^{(1)}_{1}``, ``z^{[1]}_{1}``), as other texts write a layer; none if it has none."""
    if not _LAYER_SUPERSCRIPT.search(alias):
        return ()
    return tuple(_LAYER_SUPERSCRIPT.sub(rf"^{{{o}\1{c}}}", alias) for o, c in ("()", "[]"))


def _element_key(name: Name, index: int) -> str:
    """The key of element ``index`` of the vector ``name``: for ``h`` and 1, ``h_{1}``'s."""
    return normalize(plain(f"{name.tex}_{{{index}}}"))

