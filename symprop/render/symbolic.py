"""A worked solution without numbers (``--numbers none``): every gradient as the chain rule
gives it, each factor's local form substituted and the products summed over the paths,
in the spec's notation; and the record both it and the general derivation (``general``)
are written from: sections of paragraphs and displays.

A paragraph is a sequence of pieces, each text or inline math, so that every format
writes text escaped and math as math. The chain style writes each parameter's paths as
fractions, then the same products with the local forms in (∂E/∂w1 = (out_o1 − t1)·
out_o1(1 − out_o1)·w5·out_h1(1 − out_h1)·i1 + …); the delta style first writes every δ
with its local forms, then each gradient as δ × input and the same expansion. Several
samples: each formula is one sample's (its quantities those of sample n) and the
gradient of the total error their sum over the samples.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.derive import Derivation, Path
from ..numbers.solution import Solution
from .backward import path_label
from .measure import display_width
from .parts import Equation
from .printer import escape_text
from .writer import Writer, eq


@dataclass(frozen=True)
class Paragraph:
    """Text with inline math: pieces ``("text", plain)`` or ``("math", LaTeX)``; or a
    numbered step of a list when ``item`` is set (its number)."""

    pieces: tuple[tuple[str, str], ...]
    item: int = 0


@dataclass(frozen=True)
class Block:
    paragraphs: tuple[Paragraph, ...] = ()
    equations: tuple[Equation, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str  # plain text
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Derivations:
    """A document of sections (``--numbers none`` or ``--style general``)."""

    title: str  # LaTeX-escaped text
    title_plain: str
    subtitle: str  # plain text: what the document is
    sections: tuple[Section, ...]


def say(*pieces: str, item: int = 0) -> Paragraph:
    """A paragraph from alternating text and math: ``say("the sum ", r"a_j", " of ...")``."""
    return Paragraph(tuple(("math" if k % 2 else "text", p) for k, p in enumerate(pieces) if p), item)


def block(*parts) -> Block:
    """A block from paragraphs and equations, in the order paragraphs first."""
    return Block(tuple(p for p in parts if isinstance(p, Paragraph)), tuple(p for p in parts if isinstance(p, Equation)))


def bracket(text: str) -> str:
    """A local form as one factor of a product: bracketed when it is a sum or negative."""
    depth = 0
    for k, ch in enumerate(text):
        depth += (ch in "({[") - (ch in ")}]")
        if depth == 0 and k > 0 and text[k - 1:k + 2] in (" + ", " - "):
            return f"\\left({text}\\right)"
    return f"\\left({text}\\right)" if text.startswith("-") else text


def local_factors(w: Writer, path: Path) -> list[str]:
    """A path's factors with their local forms substituted (a factor of 1 left out)."""
    kept = [bracket(t) for t in (w.printer.local(f) for f in path.factors) if t != "1"]
    return kept or ["1"]


def product_rows(w: Writer, lead: str, products: list[list[str]]) -> list[str]:
    """Products added up over rows no wider than a page: ``lead`` starts the first row
    (``lhs &= `` or ``&= ``), each further product starts a row with ``+``, and a product
    too long for its row goes on with ``×`` on the next."""
    rows: list[str] = []
    times = w.printer.times
    for k, factors in enumerate(products):
        start = lead if k == 0 else r"&\quad + "
        row = start + factors[0]
        for factor in factors[1:]:
            if display_width(row.split("&", 1)[1] + times + factor) > w.row_em:
                rows.append(row)
                row = rf"&\qquad {w.names.times} {factor}"
            else:
                row += times + factor
        rows.append(row)
    return rows


def symbolic_document(solution: Solution, style: str = "chain", preset: str | None = None) -> Derivations:
    """The worked solution of ``solution`` in ``style`` (chain or delta) without numbers."""
    w = Writer.of(solution, style, preset)
    spec = w.solution.spec
    sections = [_forward(w), _error(w)]
    if style == "delta":
        sections.append(_deltas(w))
    sections.append(Section("Backward pass", tuple(_gradient(w, d, style) for d in w.solution.derivations.of.values())))
    sections.append(_updates(w))
    what = "every gradient by the chain rule, symbolically" if style == "chain" else \
        "every delta and gradient, symbolically"
    return Derivations(escape_text(spec.title), spec.title, f"Style: {style}, no numbers: {what}.",
                       tuple(sections))


def _forward(w: Writer) -> Section:
    n, p, net = w.names, w.printer, w.network
    equations = []
    for unit in net.computed:
        terms = [f"{n.param[e.param]}{p.times}{n.out[e.source]}" for e in net.incoming[unit.name]]
        bias = net.bias.get(unit.name)
        if bias is not None:
            terms.append(("- " if net.bias_sign < 0 else "+ ") + n.param[bias.name])
        total = " + ".join(t for t in terms if not t.startswith(("- ", "+ ")))
        total += "".join(f" {t}" for t in terms if t.startswith(("- ", "+ ")))
        equations.append(eq(f"{n.net[unit.name]} &= {total}", f"{n.out[unit.name]} &= {p.activation(unit.name)}"))
    words = say("Each unit's weighted sum and output, in the symbols of the backward pass"
                + (" (every quantity is that of the sample being worked: sample n's own inputs and outputs)."
                   if w.samples > 1 else "."))
    return Section("Forward pass", (block(words, *equations),))


def _error(w: Writer) -> Section:
    n, p, net = w.names, w.printer, w.network
    terms = [f"{n.error[u.name]} &= {p.error_term(u.name)}" for u in net.outputs]
    total = " + ".join(n.error[u.name] for u in net.outputs)
    rows = [*terms] + ([f"{n.total} &= {total}"] if len(net.outputs) > 1 or n.total != n.error[net.outputs[0].name]
                      else [])
    parts = [eq(*rows)]
    if w.samples > 1:
        parts.insert(0, say(f"The error of one sample; over the {w.samples} samples ", rf"{n.total} = \sum_{{n}} E^{{[n]}}",
                            " and every gradient is the sum of the samples' gradients."))
    return Section("Total error", (block(*parts),))


def _deltas(w: Writer) -> Section:
    """δ of every unit, from the outputs back: its chain rule, then its local forms."""
    n, p = w.names, w.printer
    loss = w.solution.derivations.loss
    equations = []
    for unit in reversed(w.network.computed):
        d = w.solution.derivations.delta[unit.name]
        if d.loss is not None or d.coupled:
            fracs = [f"{p.frac(loss[f.unit])}{p.times}{p.frac(f)}" for f in d.into]
            locals_ = [p.product([bracket(p.local(loss[f.unit])), bracket(p.local(f))]) for f in d.into]
            equations.append(eq(f"{n.delta[unit.name]} &= {' + '.join(fracs)}", f"&= {' + '.join(locals_)}"))
        else:
            symbols = " + ".join(f"{n.delta[t]}{p.times}{n.param[f.ref]}" for t, f in d.downstream)
            equations.append(eq(f"{n.delta[unit.name]} &= {p.frac(d.activation)}{p.times}({symbols})",
                                f"&= {bracket(p.local(d.activation))}{p.times}({symbols})"))
    words = say("The delta of each unit, the derivative of the error with respect to its weighted sum, "
                "from the outputs back.")
    return Section("The deltas", (block(words, *equations),))


def _gradient(w: Writer, d: Derivation, style: str) -> Block:
    """∂E/∂p: the chain of each path (chain style) or δ × input (delta style), then the
    sum of the path products with the local forms substituted."""
    n, p = w.names, w.printer
    name = d.param.name
    lhs = p.partial(n.total if w.samples == 1 else "E", n.param[name])
    paths = list(d.paths())
    rows = []
    if style == "chain":
        for t, path in enumerate(paths, 1):
            label = path_label(w, d, paths, t, path) if len(paths) > 1 else lhs
            rows.append(eq(*w.chain_rows(label, [p.frac(f) for f in path.factors]),
                           *product_rows(w, "&= ", [local_factors(w, path)])))
    else:
        symbols = w.signed([("-" if p.local(f) == "-1" else "+",
                             n.delta[f.unit] if p.local(f) in ("1", "-1") else f"{n.delta[f.unit]}{p.times}{p.local(f)}")
                            for f in d.last])
        rows.append(eq(f"{lhs} &= {symbols}"))
    if not paths:
        rows.append(eq(f"{lhs} &= 0"))
    elif len(paths) > 1 or style != "chain":
        rows.append(eq(*product_rows(w, f"{lhs} &= ", [local_factors(w, path) for path in paths])))
    head = [say("The gradient of ", n.param[name], f" ({len(paths)} path{'s' if len(paths) != 1 else ''}"
                + (", for each sample: the total's is their sum" if w.samples > 1 else "") + "):")]
    return block(*head, *rows)


def _updates(w: Writer) -> Section:
    n, p = w.names, w.printer
    spec = w.solution.spec
    updated = [q for q in w.network.params if q.kind == "weight" or spec.update_biases]
    rows = [f"{n.new[q.name]} &= {n.param[q.name]} - {n.rate}{p.times}{p.partial(n.total, n.param[q.name])}"
            for q in updated]
    words = say("Each parameter moves against its gradient, with learning rate ", n.rate,
                "" if spec.update_biases else " (the biases stay as they are).")
    return Section("Updates", (block(words, eq(*rows)),))
