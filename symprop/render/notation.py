"""Notation presets: how every quantity of a network is written in LaTeX math.

A preset names each unit's weighted sum and output, targets, error terms, deltas,
parameters and updated parameters, the learning rate and the multiplication sign, the
way one family of lecture notes does:

- ``sum_output``: ``\\text{sum}_{h1}``, ``\\text{output}_{h1}``, ``E_{1}``, ``w_{5}``,
  ``\\mathrm{new\\_}w_{5}``, ``*`` (the CSE574 / COMP417 slides);
- ``pre_post``: ``h_{\\text{pre},0}``, ``h_{0}``, ``o``, ``y``, ``w_{100}``, ``w^{*}_{100}``, ``\\mu``,
  ``\\cdot`` (the step-by-step handout);
- ``bishop``: ``a^{(1)}_{j}``, ``z^{(1)}_{j}``, ``y_{k}``, ``t_{k}``, ``\\delta^{(l)}_{j}``,
  ``w^{(1)}_{ji}``, ``\\eta`` (the general-algorithm slides);
- ``layer_superscript``: ``z^{l}_{j}``, ``a^{l}_{j}``, ``w^{l}_{jk}``, ``b^{l}_{j}``,
  ``\\delta^{l}_{j}``, ``y_{j}``, ``\\eta``.

Names from the spec follow a grammar (letters, digits, ``_``), so the only character
that needs escaping here is ``_``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..core.graph import Network
from ..spec import choices


@dataclass(frozen=True, slots=True)
class Tex:
    """A symbol with optional subscript and superscript, rendered without clashes."""

    stem: str
    sub: str = ""
    sup: str = ""

    def __str__(self) -> str:
        text = self.stem
        if self.sup:
            text += f"^{{{self.sup}}}"
        if self.sub:
            text += f"_{{{self.sub}}}"
        return text

    def marked(self, mark: str) -> Tex:
        return Tex(self.stem, self.sub, f"{self.sup},{mark}" if self.sup else mark)


def escape(name: str) -> str:
    """A spec name (letters, digits, ``_``) in LaTeX math."""
    return name.replace("_", r"\_")


_SIMPLE = re.compile(r"([A-Za-z]+?)(\d+)")
GREEK = ("alpha", "beta", "gamma", "theta", "lambda", "mu", "rho", "sigma", "tau", "phi", "psi", "omega")


def split(name: str) -> Tex:
    """``w5`` → w_{5}, ``w_100`` → w_{100}, ``w_h1_i1`` → w_{h1,i1}, ``bias`` → \\mathit{bias}."""
    match = _SIMPLE.fullmatch(name)
    if match:
        stem, sub = match.groups()
    elif "_" in name:
        stem, _, rest = name.partition("_")
        sub = ",".join(_word(part) for part in rest.split("_") if part)
    else:
        stem, sub = name, ""
    if stem in GREEK:
        return Tex(rf"\{stem}", sub)
    return Tex(stem if len(stem) == 1 else rf"\mathit{{{stem}}}", sub)


def _word(part: str) -> str:
    return rf"\text{{{part}}}" if re.search(r"[A-Za-z]{2}", part) else part


@dataclass(frozen=True)
class Names:
    """LaTeX math for every quantity of one network under one preset."""

    preset: str
    net: dict[str, str]
    out: dict[str, str]  # input units included: their output is the input value
    target: dict[str, str]
    error: dict[str, str]  # the error term of each output unit
    delta: dict[str, str]
    param: dict[str, str]
    new: dict[str, str]
    total: str
    rate: str
    times: str
    momentum: str = r"\mu"  # the momentum coefficient: never the learning rate's letter

    def symbol(self, name: str) -> str:
        """The LaTeX of a graph symbol name: ``net(h1)``, ``out(i1)``, ``w5``, ``E_total`` …"""
        kind, _, rest = name.partition("(")
        if rest:
            table = {"net": self.net, "out": self.out, "target": self.target, "E": self.error, "delta": self.delta}
            return table[kind][rest[:-1]]
        if name == "E_total":
            return self.total
        return self.param[name]

    def in_sample(self, k: int) -> Names:
        """These names with every per-sample quantity (sums, outputs, targets, error terms,
        deltas) marked as sample ``k``'s (1-based): ``{x}^{[k]}``."""
        def marked(table: dict[str, str]) -> dict[str, str]:
            return {key: f"{{{tex}}}^{{[{k}]}}" for key, tex in table.items()}

        return replace(self, net=marked(self.net), out=marked(self.out), target=marked(self.target),
                       error=marked(self.error), delta=marked(self.delta))


def names(network: Network, preset: str) -> Names:
    """The preset's names; where two quantities would read the same, their spec names."""
    n = _PRESET[preset](network)
    return Names(
        n.preset, _distinct(n.net), _distinct(n.out), n.target, n.error, _distinct(n.delta),
        _distinct(n.param), _distinct(n.new, r"\text{new}"), n.total, n.rate, n.times,
        r"\alpha" if n.rate == r"\mu" else r"\mu",
    )


def _distinct(tex: dict[str, str], mark: str = "") -> dict[str, str]:
    seen: dict[str, int] = {}
    for value in tex.values():
        seen[value] = seen.get(value, 0) + 1
    return {
        k: v if seen[v] == 1 else rf"\mathrm{{{escape(k)}}}" + (f"^{{{mark}}}" if mark else "")
        for k, v in tex.items()
    }


def _params(network: Network, special: dict[str, Tex], mark: str) -> tuple[dict[str, str], dict[str, str]]:
    tex = {p.name: special.get(p.name) or split(p.name) for p in network.params}
    return {k: str(v) for k, v in tex.items()}, {k: str(v.marked(mark)) for k, v in tex.items()}


def _sum_output(network: Network) -> Names:
    outputs = [u.name for u in network.outputs]
    param = {p.name: str(split(p.name)) for p in network.params}
    return Names(
        preset="sum_output",
        net={u.name: rf"\text{{sum}}_{{{escape(u.name)}}}" for u in network.computed},
        out={u.name: str(split(u.name)) if u.is_input else rf"\text{{output}}_{{{escape(u.name)}}}"
             for u in network.units},
        target={u: rf"\text{{target}}_{{{k}}}" for k, u in enumerate(outputs, 1)},
        error={u: f"E_{{{k}}}" for k, u in enumerate(outputs, 1)},
        delta={u.name: rf"\delta_{{{escape(u.name)}}}" for u in network.computed},
        param=param,
        new={k: rf"\mathrm{{new\_}}{v}" for k, v in param.items()},
        total=r"E_{\text{total}}",
        rate=r"\eta",
        times="*",
    )


def _pre_post(network: Network) -> Names:
    single = len(network.outputs) == 1
    net, out, delta = {}, {}, {}
    for u in network.units:
        t = split(u.name)
        out[u.name] = str(t)
        if not u.is_input:
            net[u.name] = str(Tex(t.stem, rf"\text{{pre}},{t.sub}" if t.sub else r"\text{pre}"))
            delta[u.name] = rf"\delta_{{{out[u.name]}}}"
    target = {u.name: "y" if single else f"y_{{{split(u.name).sub or k}}}" for k, u in enumerate(network.outputs, 1)}
    error = {u.name: "E" if single else f"E_{{{split(u.name).sub or k}}}" for k, u in enumerate(network.outputs, 1)}
    param, new = _params(network, {}, "*")
    return Names("pre_post", net, out, target, error, delta, param, new, "E", r"\mu", r"\cdot")


def _positions(network: Network) -> dict[str, tuple[int, int]]:
    """(layer, 1-based index within the layer) of every unit."""
    return {u: (i, k) for i, layer in enumerate(network.spec.layers) for k, u in enumerate(layer.units, 1)}


def _index(j: int, i: int) -> str:
    return f"{j}{i}" if j < 10 and i < 10 else f"{j},{i}"


def _layered(network: Network, preset: str, sup, net_stem: str, out_stem: str, bias_stem: str) -> Names:
    """The two index-based presets: units by (layer, index), weights by their two indices."""
    pos = _positions(network)
    last = len(network.spec.layers) - 1
    net, out, delta = {}, {}, {}
    for u in network.units:
        layer, k = pos[u.name]
        if u.is_input:
            out[u.name] = f"x_{{{k}}}" if preset == "bishop" else str(Tex("a", str(k), sup(layer)))
            continue
        net[u.name] = str(Tex(net_stem, str(k), sup(layer)))
        out[u.name] = f"y_{{{k}}}" if layer == last and preset == "bishop" else str(Tex(out_stem, str(k), sup(layer)))
        delta[u.name] = str(Tex(r"\delta", str(k), sup(layer)))
    special: dict[str, Tex] = {}
    for p in network.params:
        (target,) = p.targets if len(p.targets) == 1 else (None,)
        if target is None:
            continue  # a shared bias keeps its own name
        layer, j = pos[target]
        if p.kind == "bias":
            special[p.name] = (Tex("w", _index(j, 0), sup(layer)) if preset == "bishop"
                               else Tex(bias_stem, str(j), sup(layer)))
        elif pos[p.source][0] == layer - 1:
            special[p.name] = Tex("w", _index(j, pos[p.source][1]), sup(layer))
    param, new = _params(network, special, r"\text{new}")
    outputs = [u.name for u in network.outputs]
    target_stem = "t" if preset == "bishop" else "y"
    return Names(
        preset=preset, net=net, out=out,
        target={u: f"{target_stem}_{{{pos[u][1]}}}" for u in outputs},
        error={u: f"E_{{{pos[u][1]}}}" for u in outputs},
        delta=delta, param=param, new=new, total="E", rate=r"\eta", times=r"\cdot",
    )


def _bishop(network: Network) -> Names:
    return _layered(network, "bishop", lambda layer: f"({layer})", "a", "z", "b")


def _layer_superscript(network: Network) -> Names:
    return _layered(network, "layer_superscript", lambda layer: str(layer), "z", "a", "b")


_PRESET = choices.covered({
    "sum_output": _sum_output,
    "pre_post": _pre_post,
    "bishop": _bishop,
    "layer_superscript": _layer_superscript,
}, choices.NOTATIONS, "notation presets")
