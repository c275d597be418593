"""Our own LaTeX printer for derivations: ∂ fractions, factor order kept, names per preset.

SymPy's printer writes ``\\frac{d}{d w_{5}} E``, reorders products and writes the sigmoid's
derivative as ``e^{-x}/(1 + e^{-x})^2``; a worked solution needs
``\\frac{\\partial E_{1}}{\\partial \\text{output}_{o1}}`` and ``\\text{output}_{o1}(1 -
\\text{output}_{o1})`` in the order of the chain. Local forms come from the rows of
``rules`` (LaTeX templates), names from a ``notation`` preset; user text is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from string import Template

from ..core.derive import Factor
from ..core.graph import Network
from ..spec import choices
from ..spec.values import decimal_text
from .notation import Names


@dataclass(frozen=True, slots=True)
class Form:
    """How a rule is written: ``value`` (f of $net and $slope, or the error term of $target,
    $out, $n) and ``local`` (its derivative, of $out, $net, $slope or $target, $out, $n);
    ``substitute``: whether the worked solution plugs numbers into the local form (not for a
    case distinction or a constant, where the value says it all)."""

    value: str
    local: str
    substitute: bool = True


_CASES = r"\begin{cases} %s & \text{if } $net > 0 \\ %s & \text{otherwise} \end{cases}"
ACTIVATION_FORMS: dict[str, Form] = choices.covered({
    "identity": Form("$net", "1", substitute=False),
    "sigmoid": Form(r"\frac{1}{1 + e^{-$net}}", "$out (1 - $out)"),
    "tanh": Form(r"\tanh($net)", "1 - {$out}^{2}"),
    "bipolar_sigmoid": Form(r"\frac{2}{1 + e^{-$net}} - 1", r"\frac{1}{2} (1 + $out) (1 - $out)"),
    "relu": Form(r"\max(0, $net)", _CASES % ("1", "0"), substitute=False),
    "leaky_relu": Form(_CASES % ("$net", "$slope $net"), _CASES % ("1", "$slope"), substitute=False),
    "softmax": Form(r"\frac{e^{$net}}{$sum}", "$out (1 - $out)"),  # ∂out_k/∂net_j, j ≠ k: SOFTMAX_CROSS
}, choices.ACTIVATIONS, "activation forms")
SOFTMAX_CROSS = "-$out $times $other"  # ∂out_k/∂net_j of a softmax layer, j ≠ k
LOSS_FORMS: dict[str, Form] = choices.covered({
    "half_sse": Form(r"\frac{1}{2} ($target - $out)^{2}", "$out - $target"),
    "mse": Form(r"\frac{1}{$n} ($target - $out)^{2}", r"\frac{2}{$n} ($out - $target)"),
    "sse": Form(r"($target - $out)^{2}", "2 ($out - $target)"),
    "cross_entropy": Form(r"-$target \ln $out", r"-\frac{$target}{$out}"),
    "binary_cross_entropy": Form(r"-[$target \ln $out + (1 - $target) \ln(1 - $out)]",
                                 r"\frac{$out - $target}{$out (1 - $out)}"),
}, choices.LOSSES, "loss forms")

_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
}


def escape_text(text: str) -> str:
    """Free text (a title) for LaTeX text mode: every special character made literal."""
    return "".join(_SPECIALS.get(c, c) for c in text if c.isprintable() or c == " ")


def given(value: Fraction) -> str:
    """A spec value as written in LaTeX: a decimal when it terminates, else a fraction."""
    text = decimal_text(value)
    if text is not None:
        return text
    sign = "-" if value < 0 else ""
    return rf"{sign}\tfrac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def operand(number: str) -> str:
    """A number used inside an expression: negatives in parentheses."""
    return f"({number})" if number.startswith("-") else number


class Printer:
    """Prints factors, chains and numbers of one network under one preset."""

    def __init__(self, network: Network, names: Names):
        self.network = network
        self.names = names
        self.times = f" {names.times} "

    def partial(self, num: str, den: str) -> str:
        return rf"\frac{{\partial {num}}}{{\partial {den}}}"

    def frac(self, factor: Factor) -> str:
        """``∂num/∂den`` of a factor."""
        return self.partial(self.names.symbol(factor.num.name), self.names.symbol(factor.den.name))

    def local(self, factor: Factor) -> str:
        """The factor's local form, as the notes write it."""
        names, unit = self.names, self.network.unit[factor.unit]
        if factor.kind == "loss":
            return Template(LOSS_FORMS[self.network.loss.name].local).substitute(
                out=names.out[unit.name], target=names.target[unit.name], n=len(self.network.outputs)
            )
        if factor.kind == "activation":
            return Template(ACTIVATION_FORMS[unit.activation.name].local).substitute(
                out=names.out[unit.name], net=names.net[unit.name], slope=self.slope(unit.name)
            )
        if factor.kind == "coupling":
            return Template(SOFTMAX_CROSS).substitute(out=names.out[unit.name], other=names.out[factor.ref],
                                                      times=self.names.times)
        if factor.kind == "weight":
            return names.param[factor.ref]
        if factor.kind == "input":
            return names.out[factor.ref]
        return str(self.network.bias_sign)

    def slope(self, unit: str) -> str:
        slope = self.network.unit[unit].slope
        return given(slope) if slope is not None else ""

    def product(self, items) -> str:
        return self.times.join(items)

    def numbers(self, values, leading: bool = True) -> str:
        """A product of numbers: negatives in parentheses, but for a leading first one."""
        values = list(values)
        if not values:
            return ""
        return self.times.join([values[0] if leading else operand(values[0])] + [operand(v) for v in values[1:]])

    def activation(self, unit: str, net: str | None = None, nets: dict[str, str] | None = None) -> str:
        """f(net) as the forward pass writes it (with a number in place of the sum if given;
        a softmax also takes the numbers of its layer's sums, ``nets``)."""
        template = ACTIVATION_FORMS[self.network.unit[unit].activation.name].value
        group = self.network.group(unit)
        if net is None:
            total = " + ".join(f"e^{{{self.names.net[u]}}}" for u in group)
            return Template(template).substitute(net=self.names.net[unit], slope=self.slope(unit), sum=total)
        total = " + ".join(f"e^{{{(nets or {unit: net})[u]}}}" for u in group)
        template = template.replace("($net)", "(${bare})")  # already in parentheses: no double ones
        return Template(template).substitute(net=operand(net), bare=net, slope=self.slope(unit), sum=total)

    def error_term(self, unit: str, out: str | None = None, target: str | None = None) -> str:
        return Template(LOSS_FORMS[self.network.loss.name].value).substitute(
            out=operand(out) if out is not None else self.names.out[unit],
            target=target if target is not None else self.names.target[unit],
            n=len(self.network.outputs),
        )

    def local_numbers(self, factor: Factor, out: str, net: str, target: str, other: str = "") -> str:
        """The local form of a loss, activation or coupling factor with numbers plugged in
        (``other``: the other unit's output of a coupling; "" where the form takes none)."""
        if factor.kind == "loss":
            form = LOSS_FORMS[self.network.loss.name]
            return Template(form.local).substitute(out=operand(out), target=operand(target), n=len(self.network.outputs))
        if factor.kind == "coupling":
            return Template(SOFTMAX_CROSS).substitute(out=operand(out), other=operand(other), times=self.names.times)
        form = ACTIVATION_FORMS[self.network.unit[factor.unit].activation.name]
        if not form.substitute:
            return ""
        return Template(form.local).substitute(out=operand(out), net=operand(net), slope=self.slope(factor.unit))
