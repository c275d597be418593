"""The general derivation of backpropagation (``--style general``) for a spec's layer
structure: the forward pass unit by unit and as matrix-vector products, the loss, how
each weight influences it, the multivariate chain rule, δ of the output layer and the δ
recursion layer by layer with the spec's activation and loss derivatives substituted,
∂E/∂w = δ × input, the matrix form (summed over the samples of a batch) and the learning
algorithm, as the spec trains. No numbers.

The symbols are index symbols (a unit ``j`` of layer ``l``), one table per notation
preset (``INDEX``); Bishop's (a, z, w_ji, δ, y, t) is the style's default. The layers are
the spec's own, numbered 1 to L, with index letters i, j, k, m, p, q, … from the inputs
on; a layer's activation and derivative come from the printer's rule forms, so every
activation and loss symprop knows is covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from ..numbers.solution import Solution
from ..spec import choices
from .printer import ACTIVATION_FORMS, LOSS_FORMS, escape_text, given
from .symbolic import Derivations, Paragraph, Section, block, bracket, say
from .writer import eq

LETTERS = ("i", "j", "k", "m", "p", "q", "r", "s", "u", "v")  # a unit's index in layers 0, 1, 2, ...
DEFAULT_PRESET = "bishop"


@dataclass(frozen=True)
class Index:
    """Index symbols of one preset: templates of ``$l`` (a layer number), ``$j`` (a unit
    index) and ``$i`` (the index of the unit a weight comes from)."""

    pre: str  # the weighted sum of unit j of layer l
    act: str  # its output
    weight: str
    bias: str
    input: str  # x_i
    output: str  # the network's output k (the last layer's act)
    target: str
    loss: str
    rate: str
    times: str = " "
    vec: str = r"\mathbf{$s}"  # a vector or matrix symbol, of a stem $s

    def of(self, template: str, l: int | str = "", j: str = "", i: str = "") -> str:
        return Template(template).substitute(l=l, j=j, i=i)


INDEX: dict[str, Index] = choices.covered({
    "sum_output": Index(r"\text{sum}^{($l)}_{$j}", r"\text{output}^{($l)}_{$j}", r"w^{($l)}_{$j$i}", r"b^{($l)}_{$j}",
                        "i_{$i}", r"\text{output}_{$j}", r"\text{target}_{$j}", r"E", r"\eta", " * "),
    "pre_post": Index(r"h^{($l)}_{\text{pre},$j}", r"h^{($l)}_{$j}", r"w^{($l)}_{$j$i}", r"b^{($l)}_{$j}",
                      "x_{$i}", "o_{$j}", "y_{$j}", "E", r"\mu", r" \cdot "),
    "bishop": Index("a^{($l)}_{$j}", "z^{($l)}_{$j}", "w^{($l)}_{$j$i}", "w^{($l)}_{$j 0}", "x_{$i}", "y_{$j}",
                    "t_{$j}", "E", r"\eta", " "),
    "layer_superscript": Index("z^{$l}_{$j}", "a^{$l}_{$j}", "w^{$l}_{$j$i}", "b^{$l}_{$j}", "a^{0}_{$i}", "a^{L}_{$j}",
                           "y_{$j}", "C", r"\eta", " "),
}, choices.NOTATIONS, "general index symbols")


@dataclass(frozen=True)
class Layer:
    number: int
    size: int
    letter: str
    activation: str  # the rule name ("" for the inputs)
    slope: str  # a leaky ReLU's slope, as given
    bias: bool  # its units have biases


def layers_of(solution: Solution) -> list[Layer]:
    net = solution.network
    result = []
    for number, layer in enumerate(net.spec.layers):
        units = [net.unit[u] for u in layer.units]
        first = units[0]
        result.append(Layer(number, len(units), LETTERS[min(number, len(LETTERS) - 1)],
                            first.activation.name if first.activation else "",
                            given(first.slope) if first.slope is not None else "",
                            any(u.name in net.bias for u in units)))
    return result


class _Symbols:
    """The symbols of one spec's layers in one preset's notation."""

    def __init__(self, solution: Solution, preset: str):
        self.solution = solution
        self.ix = INDEX[preset]
        self.layers = layers_of(solution)
        self.L = len(self.layers) - 1
        self.threshold = solution.network.bias_sign < 0
        self.samples = len(solution.spec.samples)

    # --- symbols --------------------------------------------------------------------------

    def act(self, l: int, j: str) -> str:
        if l == 0:
            return self.ix.of(self.ix.input, i=j)
        if l == self.L:
            return self.ix.of(self.ix.output, j=j)
        return self.ix.of(self.ix.act, l, j)

    def pre(self, l: int, j: str) -> str:
        return self.ix.of(self.ix.pre, l, j)

    def weight(self, l: int, j: str, i: str) -> str:
        return self.ix.of(self.ix.weight, l, j, i)

    def bias(self, l: int, j: str) -> str:
        return self.ix.of(self.ix.bias, l, j)

    def delta(self, l: int, j: str) -> str:
        return rf"\delta^{{({l})}}_{{{j}}}"

    def target(self, j: str) -> str:
        return self.ix.of(self.ix.target, j=j)

    def vec(self, stem: str, l: int | None = None) -> str:
        text = Template(self.ix.vec).substitute(s=stem)
        return text + (f"^{{({l})}}" if l is not None else "")

    def partial(self, num: str, den: str) -> str:
        return rf"\frac{{\partial {num}}}{{\partial {den}}}"

    def f_value(self, layer: Layer, j: str, group: str = "") -> str:
        """The layer's activation of the sum of unit j (a softmax: over the layer, index ``group``)."""
        total = rf"\sum_{{{group}}} e^{{{self.pre(layer.number, group)}}}" if group else ""
        return Template(ACTIVATION_FORMS[layer.activation].value).substitute(
            net=self.pre(layer.number, j), slope=layer.slope, sum=total)

    def f_local(self, layer: Layer, j: str) -> str:
        """The layer's activation derivative at unit j, in its output (σ: z(1 − z))."""
        return Template(ACTIVATION_FORMS[layer.activation].local).substitute(
            out=self.act(layer.number, j), net=self.pre(layer.number, j), slope=layer.slope)


# --- the sections, each one function of the symbols -------------------------------------


def _network(g: _Symbols) -> Section:
    sizes = "-".join(str(layer.size) for layer in g.layers)
    words = [say(f"A {sizes} network: {g.layers[0].size} inputs ", g.act(0, "i"),
                 f", then {g.L} layer{'s' if g.L > 1 else ''} of units, layer ", "l",
                 " with units indexed as below.")]
    for layer in g.layers[1:]:
        role = "the output layer" if layer.number == g.L else "a hidden layer"
        words.append(say(f"Layer {layer.number} ({role}): {layer.size} units, index ", layer.letter,
                         f", activation {layer.activation}"
                         + (f" (slope {layer.slope})" if layer.slope else "")
                         + (", with biases" if layer.bias else ", no biases") + "."))
    words.append(say("The weight from unit ", "i", " of layer ", "l - 1", " to unit ", "j",
                     " of layer ", "l", " is ", g.weight("l", "j", "i"), "."))
    net = g.solution.network
    skips = [p for p in net.params if p.kind == "weight"
             and net.unit[p.targets[0]].layer - net.unit[p.source].layer > 1]
    missing = sum(g.layers[k].size * g.layers[k - 1].size for k in range(1, g.L + 1)) \
        - sum(1 for p in net.params if p.kind == "weight") + len(skips)
    for p in skips:
        source, target = net.unit[p.source], net.unit[p.targets[0]]
        words.append(say(f"The spec's weight {p.name} skips layers, from {source.name} (layer {source.layer}) to "
                         f"{target.name} (layer {target.layer}): it adds its term to that sum, and its gradient "
                         "is, as for every weight, the delta of the unit it enters times the output it multiplies."))
    if missing > 0:
        words.append(say(f"The spec leaves out {missing} of the weights between adjacent layers: in the sums "
                         "below they are 0, and they have no gradient."))
    return Section("The network", (block(*words),))


def _forward(g: _Symbols) -> Section:
    ix = g.ix
    rows = []
    for layer in g.layers[1:]:
        prev = g.layers[layer.number - 1]
        j, i = layer.letter, prev.letter
        total = rf"\sum_{{{i}=1}}^{{{prev.size}}} {g.weight(layer.number, j, i)}{ix.times}{g.act(prev.number, i)}"
        if layer.bias:
            total += f" {'-' if g.threshold else '+'} {g.bias(layer.number, j)}"
        rows.append(f"{g.pre(layer.number, j)} &= {total}")
        group = LETTERS[-1] if layer.activation == "softmax" else ""
        rows.append(f"{g.act(layer.number, j)} &= {g.f_value(layer, j, group)}")
    matrix = []
    for layer in g.layers[1:]:
        l = layer.number
        prev_vec = g.vec("x") if l == 1 else g.vec("z", l - 1)
        bias = f" {'-' if g.threshold else '+'} {g.vec('b', l)}" if layer.bias else ""
        matrix.append(rf"{g.vec('a', l)} &= {g.vec('W', l)}{prev_vec}{bias}, \quad "
                      rf"{g.vec('W', l)} \in \mathbb{{R}}^{{{layer.size} \times {g.layers[l - 1].size}}}")
        out = g.vec("y") if l == g.L else g.vec("z", l)
        matrix.append(rf"{out} &= f_{{{l}}}({g.vec('a', l)})")
    return Section("Forward pass", (
        block(say("Each unit adds up its weighted inputs"
                  + (" minus its threshold" if g.threshold else "") + ", then applies its activation:"),
              eq(*rows)),
        block(say("Layer by layer as matrix-vector products (the activation elementwise"
                  + (", a softmax over its layer" if any(la.activation == "softmax" for la in g.layers) else "")
                  + "):"), eq(*matrix)),
    ))


def _loss(g: _Symbols) -> Section:
    ix, name = g.ix, g.solution.network.loss.name
    k = g.layers[-1].letter
    K = g.layers[-1].size
    term = Template(LOSS_FORMS[name].value).substitute(out=g.act(g.L, k), target=g.target(k), n=K)
    per = rf"{ix.loss}_{{n}} &= \sum_{{{k}=1}}^{{{K}}} {term}"
    rows = [rf"{ix.loss} &= \sum_{{n=1}}^{{{g.samples}}} {ix.loss}_{{n}}", per]
    return Section("The loss", (block(
        say(f"The loss ({name}) adds up the samples' losses; what follows is one sample's, ", f"{ix.loss}_{{n}}",
            ", its index n left out of the unit symbols:"), eq(*rows)),))


def _influence(g: _Symbols) -> Section:
    L, ix = g.L, g.ix
    out = g.layers[L]
    reaches = (say(", which influences ", g.act(L, out.letter), ", which influences ", f"{ix.loss}_{{n}}", ".")
               if out.activation != "softmax" else
               say(", which influences every output (a softmax couples them), which influence ",
                   f"{ix.loss}_{{n}}", "."))
    words = [Paragraph(say("A weight of the output layer, ", g.weight(L, out.letter, g.layers[L - 1].letter),
                           ", influences ", g.pre(L, out.letter)).pieces + reaches.pieces)]
    if L > 1:
        hidden = g.layers[1]
        nxt = g.layers[2]
        words.append(say("A weight of a hidden layer, ", g.weight(1, hidden.letter, "i"), ", influences ",
                         g.pre(1, hidden.letter), ", which influences ", g.act(1, hidden.letter),
                         ", which influences every ", g.pre(2, nxt.letter), " of layer 2, and so on to ",
                         f"{ix.loss}_{{n}}", ": many paths, added up by the multivariate chain rule."))
    rules = eq(r"\frac{d f(u(x))}{d x} &= \frac{d f}{d u} \frac{d u}{d x}",
               r"\frac{d f(u(x), v(x))}{d x} &= \frac{\partial f}{\partial u} \frac{d u}{d x}"
               r" + \frac{\partial f}{\partial v} \frac{d v}{d x}")
    return Section("How each weight influences the loss", (
        block(*words), block(say("The chain rule, and the multivariate chain rule:"), rules)))


def _output_delta(g: _Symbols) -> Section:
    L, ix, layer = g.L, g.ix, g.layers[g.L]
    k, j = layer.letter, g.layers[L - 1].letter
    loss = g.solution.network.loss
    lhs = rf"{g.delta(L, k)} &\equiv {g.partial(ix.loss + '_{n}', g.pre(L, k))}"
    dloss = Template(LOSS_FORMS[loss.name].local).substitute(out=g.act(L, k), target=g.target(k), n=layer.size)
    rows = [lhs]
    if layer.activation == "softmax":
        c = "c"  # the outputs a softmax sum couples
        dloss_c = Template(LOSS_FORMS[loss.name].local).substitute(out=g.act(L, c), target=g.target(c),
                                                                      n=layer.size)
        rows.append(rf"&= \sum_{{{c}}} {g.partial(ix.loss + '_{n}', g.act(L, c))}"
                    rf"{ix.times}{g.partial(g.act(L, c), g.pre(L, k))}")
        rows.append(rf"&= \sum_{{{c}}} \left({dloss_c}\right){ix.times}{g.act(L, c)}"
                    rf"(I_{{{c}{k}}} - {g.act(L, k)})")
        if loss.shortcut == "softmax":
            rows.append(rf"&= -{g.target(k)} + {g.act(L, k)} \sum_{{{c}}} {g.target(c)}")
            rows.append(rf"&= {g.act(L, k)} - {g.target(k)} \quad (\textstyle\sum_{{{c}}} {g.target(c)} = 1)")
        words = say("The outputs of a softmax depend on every sum of the layer: ",
                    rf"{g.partial(g.act(L, 'c'), g.pre(L, k))} = {g.act(L, 'c')}(I_{{c{k}}} - "
                    rf"{g.act(L, k)})", ", with ", r"I_{ck} = 1", " when ", f"c = {k}", " and 0 otherwise.")
    else:
        dact = g.f_local(layer, k)
        rows.append(rf"&= {g.partial(ix.loss + '_{n}', g.act(L, k))}{ix.times}"
                    rf"{g.partial(g.act(L, k), g.pre(L, k))}")
        rows.append(f"&= {dloss}" if dact == "1" else rf"&= \left({dloss}\right){ix.times}{bracket(dact)}")
        if loss.shortcut == layer.activation and dact != "1":
            rows.append(rf"&= {g.act(L, k)} - {g.target(k)}")
        words = say("The delta of an output unit, the derivative of the loss with respect to its sum, "
                    f"with the derivatives of {loss.name} and {layer.activation} substituted:")
    grads = [(rf"{g.partial(ix.loss + '_{n}', g.weight(L, k, j))} &= "
             rf"{g.partial(ix.loss + '_{n}', g.pre(L, k))}{ix.times}{g.partial(g.pre(L, k), g.weight(L, k, j))}"
             rf" = {g.delta(L, k)}{ix.times}{g.act(L - 1, j)}")]
    if layer.bias:
        grads.append(rf"{g.partial(ix.loss + '_{n}', g.bias(L, k))} &= "
                     f"{'-' if g.threshold else ''}{g.delta(L, k)}")
    return Section("The output layer", (block(words, eq(*rows)),
                                         block(say("So each weight into the output layer (and bias) has:"),
                                               eq(*grads))))


def _hidden_deltas(g: _Symbols) -> tuple[Section, ...]:
    ix = g.ix
    sections = []
    for l in range(g.L - 1, 0, -1):
        layer, nxt, prev = g.layers[l], g.layers[l + 1], g.layers[l - 1]
        j, k, i = layer.letter, nxt.letter, prev.letter
        dact = g.f_local(layer, j)
        rows = [
            (rf"{g.delta(l, j)} &\equiv {g.partial(ix.loss + '_{n}', g.pre(l, j))}"
            rf" = \sum_{{{k}=1}}^{{{nxt.size}}} {g.partial(ix.loss + '_{n}', g.pre(l + 1, k))}"
            rf"{ix.times}{g.partial(g.pre(l + 1, k), g.act(l, j))}{ix.times}"
            rf"{g.partial(g.act(l, j), g.pre(l, j))}"),
            (rf"&= \sum_{{{k}=1}}^{{{nxt.size}}} {g.delta(l + 1, k)}{ix.times}{g.weight(l + 1, k, j)}"
            rf"{ix.times}f_{{{l}}}'({g.pre(l, j)})"),
            (rf"&= {bracket(dact)}{ix.times}\sum_{{{k}=1}}^{{{nxt.size}}} {g.weight(l + 1, k, j)}"
            rf"{ix.times}{g.delta(l + 1, k)}"),
        ]
        grads = [(rf"{g.partial(ix.loss + '_{n}', g.weight(l, j, i))} &= {g.delta(l, j)}{ix.times}"
                 rf"{g.act(l - 1, i)}")]
        if layer.bias:
            grads.append(rf"{g.partial(ix.loss + '_{n}', g.bias(l, j))} &= "
                         f"{'-' if g.threshold else ''}{g.delta(l, j)}")
        sections.append(Section(f"Hidden layer {l}: backpropagating the deltas", (
            block(say("By the multivariate chain rule over every unit ", k, f" of layer {l + 1} that unit ", j,
                      " feeds, with the derivative of " + layer.activation + " substituted:"), eq(*rows)),
            block(say("So each weight into layer " + str(l) + " (and bias) has:"), eq(*grads)),
        )))
    return tuple(sections)


def _matrix(g: _Symbols) -> Section:
    ix, L = g.ix, g.L
    many = g.samples > 1
    sub = "_{n}" if many else ""
    layer = g.layers[L]
    loss = g.solution.network.loss
    if loss.shortcut == layer.activation or (layer.activation == "identity" and loss.name == "half_sse"):
        out_delta = rf"{g.vec('y')}{sub} - {g.vec('t')}{sub}"
    else:
        out_delta = (rf"\nabla_{{{g.vec('y')}}} {ix.loss}_{{n}} \odot f_{{{L}}}'({g.vec('a', L)}{sub})"
                     if layer.activation != "softmax" else
                     rf"\mathbf{{J}}_{{\mathrm{{softmax}}}}^{{\top}} \nabla_{{{g.vec('y')}}} {ix.loss}_{{n}}")
    rows = [rf"\boldsymbol{{\delta}}^{{({L})}}{sub} &= {out_delta}"]
    for l in range(L - 1, 0, -1):
        rows.append(rf"\boldsymbol{{\delta}}^{{({l})}}{sub} &= f_{{{l}}}'({g.vec('a', l)}{sub}) \odot "
                    rf"({g.vec('W', l + 1)})^{{\top}} \boldsymbol{{\delta}}^{{({l + 1})}}{sub}")
    grads = []
    for l in range(1, L + 1):
        prev = g.vec("x") if l == 1 else g.vec("z", l - 1)
        total = rf"\sum_{{n=1}}^{{{g.samples}}} " if many else ""
        grads.append(rf"{g.partial(ix.loss, g.vec('W', l))} &= {total}\boldsymbol{{\delta}}^{{({l})}}{sub}"
                     rf"\,({prev}{sub})^{{\top}}")
        if g.layers[l].bias:
            grads.append(rf"{g.partial(ix.loss, g.vec('b', l))} &= {'-' if g.threshold else ''}"
                         rf"{total}\boldsymbol{{\delta}}^{{({l})}}{sub}")
    words = say("The same in matrix form" + (f", the gradients summed over the {g.samples} samples "
                                              "(sample n's quantities marked n)" if many else "") + ":")
    return Section("Matrix form", (block(words, eq(*rows), eq(*grads)),))


def _algorithm(g: _Symbols) -> Section:
    ix = g.ix
    t = g.solution.spec.training
    mode = t.mode if t is not None else "batch"
    update = {
        "batch": (("after every sample's gradients are added up (one step per pass over the "
                  f"{g.samples} samples): "), (rf"w \leftarrow w - {ix.rate} \sum_{{n}} "
                  rf"{g.partial(ix.loss + '_{n}', 'w')}")),
        "online": ("after each sample: ", rf"w \leftarrow w - {ix.rate} {g.partial(ix.loss + '_{n}', 'w')}"),
        "minibatch": (f"after every {t.batch_size if t else 0} samples, from their summed gradients: ",
                      rf"w \leftarrow w - {ix.rate} \sum_{{n \in B}} {g.partial(ix.loss + '_{n}', 'w')}"),
    }[mode]
    words, rule = update
    if t is not None and t.momentum:
        mu = r"\alpha" if ix.rate == r"\mu" else r"\mu"
        words += f"with momentum {given(t.momentum)}, "
        rule = rule.replace(r"w \leftarrow w - ", rf"v \leftarrow {mu} v - ") + r",\ w \leftarrow w + v"
    hidden = "every hidden layer, from the last back" if g.L > 1 else "no hidden layer here"
    steps = (
        say("Forward propagate the sample's input, computing and storing every sum and output.", item=1),
        say("Evaluate ", g.delta(g.L, g.layers[g.L].letter), " for every output unit.", item=2),
        say(f"Evaluate the deltas of {hidden}" + (": " if g.L > 1 else ""),
            rf"{g.delta('l', 'j')} = f_{{l}}'({g.pre('l', 'j')}) \sum_{{k}} {g.weight('l+1', 'k', 'j')}"
            rf"{ix.times}{g.delta('l+1', 'k')}" if g.L > 1 else "", ".", item=3),
        say("The derivative of each weight is its delta times its input: ",
            rf"{g.partial(ix.loss + '_{n}', g.weight('l', 'j', 'i'))} = {g.delta('l', 'j')}{ix.times}"
            rf"{ix.of(ix.act, 'l-1', 'i')}", ".", item=4),
        say("Update each weight " + words, rule, ".", item=5),
    )
    epochs = t.epochs if t is not None else 1
    return Section("The learning algorithm", (block(
        say(f"Repeated for {epochs} epoch{'s' if epochs != 1 else ''}:"), *steps),))


def general_document(solution: Solution, preset: str | None = None) -> Derivations:
    """The general derivation of backpropagation for ``solution``'s layers, activations and loss."""
    g = _Symbols(solution, preset or DEFAULT_PRESET)
    spec = solution.spec
    sections = (_network(g), _forward(g), _loss(g), _influence(g), _output_delta(g), *_hidden_deltas(g),
                _matrix(g), _algorithm(g))
    return Derivations(escape_text(spec.title), spec.title,
                       "The general derivation of backpropagation for this network: no numbers.", sections)


