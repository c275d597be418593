"""The worked solution as one prepared context: every equation built here, in LaTeX math.

The renderers pass this context to the templates, which only loop and format. Three
styles over the same derivation: ``chain`` (the seeds' chain-rule products, each factor
derived once), ``delta`` (δ of every unit, gradient = δ × input) and ``matrix``
(vectorised forward pass and gradients). Every number is the engine's ``shown`` value.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.derive import Derivation, Factor, Path
from ..numbers.evaluate import MAX_CHAIN_TERMS
from ..numbers.solution import Solution
from .notation import Names, names, split
from .printer import Printer, escape_text, given, operand

FACTORS_PER_ROW = 3  # ∂ fractions on one displayed row before the product wraps
TERMS_PER_ROW = 4  # terms of a weighted sum on one displayed row


@dataclass(frozen=True)
class Equation:
    """Rows of an aligned display; each row has one ``&`` before its relation sign."""

    rows: tuple[str, ...]


@dataclass(frozen=True)
class Component:
    """A chain factor derived for the first time: its fraction, local form and value."""

    kind: str
    reason: str  # plain text
    equation: Equation


@dataclass(frozen=True)
class Term:
    label: str  # LaTeX math naming the term (e.g. ∂E_1/∂w_1), may be empty
    sample: int
    equation: Equation


@dataclass(frozen=True)
class ParamSection:
    name: str  # the spec's name (plain)
    tex: str
    kind: str  # weight | bias
    form: str  # chain | delta
    n_terms: int
    chain: Equation | None  # the general chain (chain form)
    components: tuple[Component, ...]
    terms: tuple[Term, ...]
    total: Equation | None  # the sum of the terms, when there are several
    note: str = ""


@dataclass(frozen=True)
class UnitStep:
    unit: str
    tex: str
    equations: tuple[Equation, ...]


@dataclass(frozen=True)
class SamplePass:
    index: int  # 1-based
    units: tuple[UnitStep, ...]
    errors: tuple[Equation, ...]
    total: Equation


@dataclass(frozen=True)
class Document:
    title: str  # LaTeX-escaped text
    title_plain: str
    style: str
    preset: str
    policy: str  # plain text
    notes: tuple[str, ...]
    network_rows: tuple[tuple[str, str], ...]  # (quantity LaTeX, value)
    unit_labels: dict[str, str]
    edge_labels: dict[str, str]
    bias_labels: dict[str, str]
    forward: tuple[SamplePass, ...]
    error_total: Equation | None
    deltas: tuple[tuple[int, tuple[Equation, ...]], ...]  # (sample, δ equations)
    matrix: tuple[tuple[int, tuple[Equation, ...]], ...]  # (sample, vectorised forward pass)
    matrix_gradients: tuple[Equation, ...]  # ∂E/∂W of each layer (matrix style)
    backward: tuple[ParamSection, ...]
    updates: tuple[Equation, ...]
    update_table: tuple[tuple[str, str, str, str], ...]  # (param, old, gradient, new)
    biases_fixed: bool
    after: tuple[SamplePass, ...]
    error_after: Equation | None
    before_after: Equation
    n_samples: int = 1


class Builder:
    def __init__(self, solution: Solution, style: str, preset: str | None):
        solution = solution.in_form("chain" if style == "chain" else "delta")  # numbers as this style writes them
        self.s = solution
        self.net = solution.network
        self.style = style
        self.names: Names = names(self.net, preset or solution.spec.notation)
        self.p = Printer(self.net, self.names)
        self.show = solution.spec.rounding.show
        self.hand = solution.hand
        self.derived: set[str] = set()

    # --- numbers -----------------------------------------------------------------------

    def value(self, name: str, after: bool = False) -> str:
        """A parameter as used in a pass: as given before the update, as written after."""
        param = self.net.param[name]
        if after and (param.kind == "weight" or self.s.spec.update_biases):
            return self.show(self.hand.updated[name])
        return given(param.value)

    def eq(self, *rows: str) -> Equation:
        return Equation(tuple(rows))

    # --- forward -----------------------------------------------------------------------

    def forward(self, after: bool) -> tuple[SamplePass, ...]:
        passes = self.hand.after if after else self.hand.forward
        result = []
        for k, (sample, fwd) in enumerate(zip(self.s.spec.samples, passes)):
            units = tuple(self.unit_step(u.name, sample, fwd, after) for u in self.net.computed)
            targets = dict(sample.target)
            errors = tuple(
                self.eq(
                    f"{self.names.error[u]} &= {self.p.error_term(u)}",
                    f"&= {self.p.error_term(u, self.show(fwd.out[u]), given(targets[u]))} = {self.show(fwd.error[u])}",
                )
                for u in targets
            )
            terms = " + ".join(self.names.error[u] for u in targets)
            values = " + ".join(operand(self.show(fwd.error[u])) for u in targets)
            lhs = self.names.total if len(self.s.spec.samples) == 1 else rf"E^{{[{k + 1}]}}"
            total = self.eq(f"{lhs} &= {terms}" + (f" = {values}" if len(targets) > 1 else "") + f" = {self.show(fwd.total)}")
            result.append(SamplePass(k + 1, units, errors, total))
        return tuple(result)

    def unit_step(self, unit: str, sample, fwd, after: bool) -> UnitStep:
        n, p = self.names, self.p
        symbols, numbers = [], []
        for edge in self.net.incoming[unit]:
            symbols.append(f"{n.out[edge.source]}{p.times}{n.param[edge.param]}")
            source = self.net.unit[edge.source]
            out = given(dict(sample.input)[edge.source]) if source.is_input else self.show(fwd.out[edge.source])
            numbers.append(f"{operand(out)}{p.times}{operand(self.value(edge.param, after))}")
        bias = self.net.bias.get(unit)
        if bias is not None:
            symbols.append(n.param[bias.name])
            numbers.append(operand(self.value(bias.name, after)))
        net_eq = self.eq(*self.sum_rows(n.net[unit], symbols), *self.sum_rows("", numbers, self.show(fwd.net[unit])))
        out_eq = self.eq(
            f"{n.out[unit]} &= {p.activation(unit)}",
            f"&= {p.activation(unit, self.show(fwd.net[unit]))} = {self.show(fwd.out[unit])}",
        )
        return UnitStep(unit, n.out[unit], (net_eq, out_eq))

    # --- backward: chain form ----------------------------------------------------------------

    def sum_rows(self, lhs: str, terms: list[str], result: str = "", per_row: int = TERMS_PER_ROW) -> list[str]:
        """``lhs = t1 + t2 + ...`` over rows of at most ``per_row`` terms (``= result``)."""
        rows = []
        for start in range(0, len(terms), per_row):
            part = " + ".join(terms[start:start + per_row])
            first = f"{lhs} &= {part}" if lhs else f"&= {part}"
            rows.append(first if start == 0 else rf"&\quad + {part}")
        if result:
            rows[-1] += f" = {result}"
        return rows

    def chain_rows(self, lhs: str, fracs: list[str]) -> list[str]:
        rows = []
        for start in range(0, len(fracs), FACTORS_PER_ROW):
            part = self.p.product(fracs[start:start + FACTORS_PER_ROW])
            rows.append(f"{lhs} &= {part}" if start == 0 else rf"&\quad {self.names.times} {part}")
        return rows

    def factor_text(self, factor: Factor, k: int) -> str:
        """A factor's number as written: weights and inputs as given, the rest as shown."""
        if factor.kind == "weight":
            return given(self.net.param[factor.ref].value)
        if factor.kind == "input" and self.net.unit[factor.ref].is_input:
            return given(dict(self.s.spec.samples[k].input)[factor.ref])
        if factor.kind == "bias":
            return "1"
        return self.show(self.hand.backward[k].factor[factor.key])

    def component(self, factor: Factor, k: int) -> Component:
        value = self.factor_text(factor, k)
        frac, local = self.p.frac(factor), self.p.local(factor)
        unit = self.net.unit[factor.unit]
        if factor.kind == "loss":
            fwd, target = self.hand.forward[k], dict(self.s.spec.samples[k].target)[factor.unit]
            numbers = self.p.local_numbers(factor, self.show(fwd.out[factor.unit]), "", given(target))
            reason = "partial derivative of the error with respect to the output"
        elif factor.kind == "activation":
            fwd = self.hand.forward[k]
            numbers = self.p.local_numbers(factor, self.show(fwd.out[factor.unit]), self.show(fwd.net[factor.unit]), "")
            reason = f"partial derivative of the output with respect to the sum (the {unit.activation.name} derivative)"
        elif factor.kind == "weight":
            numbers, reason = "", "partial derivative of the sum with respect to an input: the weight it multiplies"
        elif factor.kind == "input":
            numbers, reason = "", "partial derivative of the sum with respect to a weight: the input it multiplies"
        else:
            numbers, reason = "", "partial derivative of the sum with respect to its bias"
        rows = [f"{frac} &= {local}"]
        if numbers and numbers != value:
            rows.append(f"&= {numbers} = {value}")
        elif local != value:
            rows.append(f"&= {value}")
        return Component(factor.kind, reason, Equation(tuple(rows)))

    def chain_section(self, d: Derivation) -> ParamSection:
        n, p = self.names, self.p
        name = d.param.name
        lhs = p.partial(n.total, n.param[name])
        paths = list(d.paths())
        samples = range(len(self.s.spec.samples))
        components = []
        for k in samples:
            for path in paths:
                for f in path.factors:
                    if f.key not in self.derived:
                        self.derived.add(f.key)
                        components.append(self.component(f, k))
        errors_unique = len({path.error for path in paths}) == len(paths)
        many = len(samples) > 1
        terms = []
        for k in samples:
            for t, path in enumerate(paths, 1):
                label = p.partial(n.error[path.error], n.param[name]) if errors_unique else rf"\text{{term {t}}}"
                if many:
                    label += rf"\ \text{{(sample {k + 1})}}"
                terms.append(self.term(path, k, label if len(paths) > 1 or many else lhs))
        total = None
        if len(terms) > 1:
            values = [operand(self.show(self.hand.path_value(path, k))) for k in samples for path in paths]
            labels = " + ".join(t.label for t in terms) if len(terms) <= 3 else r"\sum \text{terms}"
            total = self.eq(f"{lhs} &= {labels}", *self.sum_rows("", values, self.show(self.hand.gradients[name]), 6))
        general = self.eq(*self.chain_rows(lhs, [p.frac(f) for f in paths[0].factors])) if len(paths) == 1 else None
        return ParamSection(name, n.param[name], d.param.kind, "chain", len(paths) * len(samples), general,
                            tuple(components), tuple(terms), total)

    def term(self, path: Path, k: int, label: str) -> Term:
        values = [self.factor_text(f, k) for f in path.factors]
        rows = self.chain_rows(label, [self.p.frac(f) for f in path.factors])
        rows.append(f"&= {self.p.numbers(values)}")
        rows.append(f"&= {self.show(self.hand.path_value(path, k))}")
        return Term(label, k + 1, Equation(tuple(rows)))

    # --- backward: delta form ----------------------------------------------------------------

    def delta_equations(self, k: int) -> tuple[Equation, ...]:
        n, p = self.names, self.p
        back = self.hand.backward[k]
        result = []
        for unit in reversed(self.net.computed):
            d = self.s.derivations.delta[unit.name]
            act = self.show(back.factor[d.activation.key])
            if d.loss is not None:
                rows = (
                    f"{n.delta[unit.name]} &= {p.frac(d.loss)}{p.times}{p.frac(d.activation)}",
                    f"&= {self._bracket(p.local(d.loss))}{p.times}{self._bracket(p.local(d.activation))}",
                    f"&= {p.numbers([self.show(back.factor[d.loss.key]), act])} = {self.show(back.delta[unit.name])}",
                )
            else:
                symbols = " + ".join(f"{n.delta[t]}{p.times}{n.param[w.ref]}" for t, w in d.downstream)
                numbers = " + ".join(p.numbers([self.show(back.delta[t]), self.factor_text(w, k)]) for t, w in d.downstream)
                rows = (
                    f"{n.delta[unit.name]} &= {p.frac(d.activation)}{p.times}({symbols})",
                    f"&= {act}{p.times}({numbers}) = {self.show(back.delta[unit.name])}",
                )
            result.append(Equation(rows))
        return tuple(result)

    def _bracket(self, text: str) -> str:
        return text if text.replace("_", "").replace("{", "").replace("}", "").isalnum() else f"[{text}]"

    def delta_section(self, d: Derivation, note: str = "") -> ParamSection:
        n, p = self.names, self.p
        name = d.param.name
        lhs = p.partial(n.total, n.param[name])
        symbols = " + ".join(f"{n.delta[f.unit]}{p.times}{p.local(f)}" for f in d.last)
        terms = []
        values = []
        for k in range(len(self.s.spec.samples)):
            back = self.hand.backward[k]
            parts = [p.numbers([self.show(back.delta[f.unit]), self.factor_text(f, k)]) for f in d.last]
            values.append(" + ".join(parts))
        rows = [f"{lhs} &= " + (rf"\sum_{{n}} ({symbols})" if len(values) > 1 else symbols)]
        rows.append(f"&= {' + '.join(values)} = {self.show(self.hand.gradients[name])}")
        terms.append(Term(lhs, 1, Equation(tuple(rows))))
        return ParamSection(name, n.param[name], d.param.kind, "delta", d.n_paths * len(self.s.spec.samples),
                            None, (), tuple(terms), None, note)

    # --- matrix style ---------------------------------------------------------------------------

    def layers(self) -> list[tuple[list[str], list[str]]]:
        """(sources, targets) of every computed layer whose edges all come from the layer before."""
        result = []
        for i, layer in enumerate(self.s.spec.layers[1:], 1):
            sources = list(self.s.spec.layers[i - 1].units)
            if all(e.source in sources for u in layer.units for e in self.net.incoming[u]):
                result.append((sources, list(layer.units)))
        return result

    def _edge(self, source: str, target: str):
        return next((e for e in self.net.incoming[target] if e.source == source), None)

    def matrix_equations(self, k: int, after: bool = False) -> tuple[Equation, ...]:
        fwd = (self.hand.after if after else self.hand.forward)[k]
        sample = self.s.spec.samples[k]
        covered = {tuple(t): sources for sources, t in self.layers()}
        equations: list[Equation] = []
        for layer in self.s.spec.layers[1:]:
            sources = covered.get(tuple(layer.units))
            if sources is None:  # skip edges: this layer unit by unit
                for u in layer.units:
                    equations += self.unit_step(u, sample, fwd, after).equations
            else:
                equations += self.layer_equations(sources, list(layer.units), sample, fwd, after)
        return tuple(equations)

    def layer_equations(self, sources: list[str], targets: list[str], sample, fwd, after: bool) -> list[Equation]:
        n = self.names

        def weight(s: str, t: str, numbers: bool) -> str:
            e = self._edge(s, t)
            if e is None:
                return "0"
            return self.value(e.param, after) if numbers else n.param[e.param]

        def out(u: str) -> str:
            return given(dict(sample.input)[u]) if self.net.unit[u].is_input else self.show(fwd.out[u])

        biases = [self.net.bias.get(t) for t in targets]
        w_sym = _bmatrix([[weight(s, t, False) for s in sources] for t in targets])
        w_num = _bmatrix([[weight(s, t, True) for s in sources] for t in targets])
        x_sym = _bmatrix([[n.out[u]] for u in sources])
        x_num = _bmatrix([[out(u)] for u in sources])
        plus_sym = plus_num = ""
        if any(biases):
            plus_sym = " + " + _bmatrix([[n.param[b.name] if b else "0"] for b in biases])
            plus_num = " + " + _bmatrix([[self.value(b.name, after) if b else "0"] for b in biases])
        nets = _bmatrix([[self.show(fwd.net[t])] for t in targets])
        return [
            self.eq(f"{_bmatrix([[n.net[t]] for t in targets])} &= {w_sym}{x_sym}{plus_sym}",
                    f"&= {w_num}{x_num}{plus_num}", f"&= {nets}"),
            self.eq(f"{_bmatrix([[n.out[t]] for t in targets])} &= {_bmatrix([[self.p.activation(t)] for t in targets])}",
                    f"&= {_bmatrix([[self.show(fwd.out[t])] for t in targets])}"),
        ]

    def gradient_matrices(self) -> tuple[Equation, ...]:
        n, p = self.names, self.p
        equations = []
        for sources, targets in self.layers():
            def grad(s: str, t: str, numbers: bool) -> str:
                e = self._edge(s, t)
                if e is None:
                    return "0"
                return self.show(self.hand.gradients[e.param]) if numbers else p.partial(n.total, n.param[e.param])

            deltas = _bmatrix([[n.delta[t]] for t in targets])
            outs = _bmatrix([[n.out[s] for s in sources]])
            equations.append(self.eq(
                f"{_bmatrix([[grad(s, t, False) for s in sources] for t in targets])} &= {deltas}{outs}",
                f"&= {_bmatrix([[grad(s, t, True) for s in sources] for t in targets])}",
            ))
        return tuple(equations)

    # --- updates and the whole document ------------------------------------------------------

    def updates(self) -> tuple[tuple[Equation, ...], tuple[tuple[str, str, str, str], ...]]:
        n, p, spec = self.names, self.p, self.s.spec
        equations, table = [], []
        for param in self.net.params:
            name = param.name
            grad = self.show(self.hand.gradients[name])
            new = self.value(name, after=True)
            table.append((n.param[name], given(param.value), grad, new))
            if param.kind == "bias" and not spec.update_biases:
                continue
            frac = p.partial(n.total, n.param[name])
            equations.append(self.eq(
                f"{n.new[name]} &= {n.param[name]} - {n.rate}{p.times}{frac}",
                f"&= {given(param.value)} - {given(spec.learning_rate)}{p.times}{operand(grad)} = {new}",
            ))
        return tuple(equations), tuple(table)

    def build(self) -> Document:
        spec, n = self.s.spec, self.names
        rows: list[tuple[str, str]] = []
        for k, sample in enumerate(spec.samples):
            mark = f"^{{[{k + 1}]}}" if len(spec.samples) > 1 else ""
            rows += [(f"{{{n.out[u]}}}{mark}" if mark else n.out[u], given(v)) for u, v in sample.input]
            rows += [(f"{{{n.target[u]}}}{mark}" if mark else n.target[u], given(v)) for u, v in sample.target]
        rows += [(n.param[b.name], given(b.value)) for b in spec.biases]
        rows.append((n.rate, given(spec.learning_rate)))
        forward = self.forward(after=False)
        backward = []
        delta_needed = self.style == "delta"
        layer = {u.name: u.layer for u in self.net.units}
        order = sorted(self.s.derivations.of.values(), key=lambda d: -max(layer[t] for t in d.param.targets))
        in_matrix = {e.param for _, targets in self.layers() for t in targets for e in self.net.incoming[t]}
        for d in order:
            if self.style == "matrix" and d.param.name in in_matrix:
                continue  # shown in its layer's gradient matrix
            terms = d.n_paths * len(spec.samples)
            if self.style == "chain" and terms <= MAX_CHAIN_TERMS:
                backward.append(self.chain_section(d))
            else:
                note = ""
                if self.style == "chain":
                    note = f"{terms} chain-rule terms: shown in the delta form"
                delta_needed = True
                backward.append(self.delta_section(d, note))
        deltas = tuple((k + 1, self.delta_equations(k)) for k in range(len(spec.samples))) if delta_needed or self.style == "matrix" else ()
        updates, table = self.updates()
        after = self.forward(after=True)
        many = len(spec.samples) > 1
        total_eq = self.eq(f"{n.total} &= " + " + ".join(rf"E^{{[{s.index}]}}" for s in forward) + f" = {self.show(self.hand.error_total)}") if many else None
        after_eq = self.eq(f"{n.total} &= {self.show(self.hand.error_total_after)}") if many else None
        policy = spec.rounding
        policy_text = (
            f"numbers are written with {policy.places} decimals, "
            f"{'rounded half up' if policy.mode == 'round' else 'truncated'}; "
            + ("each step uses the written values, as a hand calculation does"
               if policy.carries_shown else "each step is computed with exact values")
        )
        return Document(
            title=escape_text(spec.title), title_plain=spec.title, style=self.style, preset=n.preset,
            policy=policy_text, notes=tuple(self.s.to_dict()["notes"]),
            network_rows=tuple(rows),
            unit_labels={u.name: short_label(n.out[u.name], u.name) for u in self.net.units},
            edge_labels={p.name: f"{n.param[p.name]} = {given(p.value)}" for p in self.net.params if p.kind == "weight"},
            bias_labels={p.name: f"{n.param[p.name]} = {given(p.value)}" for p in self.net.params if p.kind == "bias"},
            forward=forward, error_total=total_eq, deltas=deltas, backward=tuple(backward),
            matrix=tuple((k + 1, self.matrix_equations(k)) for k in range(len(spec.samples))) if self.style == "matrix" else (),
            matrix_gradients=self.gradient_matrices() if self.style == "matrix" else (),
            updates=updates, update_table=table, biases_fixed=not spec.update_biases, after=after,
            error_after=after_eq,
            before_after=self.eq(
                rf"{n.total} &: {self.show(self.hand.error_total)} \rightarrow {self.show(self.hand.error_total_after)}"
            ),
            n_samples=len(spec.samples),
        )


def _bmatrix(rows: list[list[str]]) -> str:
    body = r" \\ ".join(" & ".join(row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def short_label(label: str, name: str) -> str:
    """A unit's label in the drawing: its preset name when short enough for a circle."""
    return label if "text" not in label else str(split(name))


def document(solution: Solution, style: str = "chain", preset: str | None = None) -> Document:
    """The prepared context of ``solution``'s worked solution."""
    return Builder(solution, style, preset).build()
