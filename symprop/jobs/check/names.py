"""What a student may call each quantity: canonical names, the notation presets' aliases.

The canonical names are those of ``numbers.quantities`` (``net(h1)``, ``out(h1)``, ``E(o1)``,
``E_total``, ``dE(o1)/dout(o1)``, ``dout(h1)/dnet(h1)``, ``dE/dout(h1)``, ``delta(h1)``,
``grad(w5)``, ``new(w5)``, ``out(h1)*`` after the update, ``E_total_after``; ``[k]`` for
sample k when there are several). ``ALIASES`` is the table of the other names, per notation
preset, written with the preset's own names of each quantity (``notation.names``, turned
into plain text: ``\\text{sum}_{h1}`` is ``sum_h1``, ``w^{*}_{100}`` is ``w^*_100``).

A name is looked up as written first, then in a normalized form that ignores spaces,
``_`` before a subscript, ``^``, braces, commas, LaTeX commands, the place of ``*`` and of a
``(layer)`` superscript, so ``h_pre0``, ``h_{pre,0}`` and ``h_pre,0`` are one name and
``w*_100`` is ``w_100^*``. An ``_`` that starts no subscript (the last character of a name, or
doubled) is part of the name: ``w_`` and ``w__`` are two names, as in the spec. A
normalized form shared by two quantities is dropped (ambiguous); among
exact aliases the first row of the table wins (in ``pre_post`` with one output, ``E`` is
the total error, equal to its only term).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ...numbers.quantities import kind_of
from ...numbers.solution import Solution
from ...render.notation import Names, names

# The alias table. Fields: {net} {out} {error} {total} {delta} {param} {new} are the
# preset's names of the quantity in plain text, {unit} the spec's unit name. "*" rows hold
# for every preset; a preset's own rows come first. After the update, every alias of a
# forward quantity also answers with "*" appended (sum_h1*, h_pre,0*, o*).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "*": {
        "total": ("{total}", "E", "E_total", "Etotal"),
        "total_after": ("{total}*", "{total}_after", "new_{total}", "E*", "E_after"),
        "net": ("{net}", "net_{unit}", "sum_{unit}"),
        "out": ("{out}", "out_{unit}", "output_{unit}"),
        "error": ("{error}", "E_{unit}"),
        "loss_factor": ("d{error}/d{out}", "d{total}/d{out}"),
        "activation_factor": ("d{out}/d{net}",),
        "dout": ("d{total}/d{out}", "dE/d{out}"),
        "delta": ("{delta}", "delta_{unit}"),
        "grad": ("d{total}/d{param}", "dE/d{param}", "dE_total/d{param}", "grad_{param}"),
        "new": ("{new}", "new_{param}", "{param}_new", "{param}*"),
    },
    "sum_output": {},  # sum_h1, output_h1, E_1, E_total, new_w5, dE_total/dw5: the preset's own names
    "pre_post": {},  # h_pre,0 (h_pre0), h_0, o_pre, o, E, w*_100, dE/dw_100, dE/dh_0, do/do_pre
    "bishop": {  # a_1^(1), z_1^(1), y_1, w_11^(1), new_w_11^(1)
        "new": ("new_{param}", "{param}^new"),
    },
    "layer_superscript": {  # z^1_1, a^1_1, w^1_11, b^1_1, delta^1_1
        "new": ("new_{param}", "{param}^new"),
    },
}

_LATEX_WORD = re.compile(r"\\(?:text|mathrm|mathit|operatorname|mathbf)\s*\{([^{}]*)\}")
_GREEK = {"\\delta": "delta", "\\eta": "eta", "\\mu": "mu", "δ": "delta", "η": "eta", "μ": "mu", "∂": "d"}


def plain(tex: str) -> str:
    """A preset's LaTeX name as plain text: ``\\text{sum}_{h1}`` → ``sum_h1``."""
    text = tex.replace(r"\_", "_")
    while _LATEX_WORD.search(text):
        text = _LATEX_WORD.sub(r"\1", text)
    for word, letters in _GREEK.items():
        text = text.replace(word, letters)
    return text.replace("{", "").replace("}", "").replace(" ", "")


_LAYER_SUP = re.compile(r"\(\d+\)")
_SUBSCRIPT = re.compile(r"_(?![_)\]/*^']|$)")  # an "_" that starts a subscript


def normalize(name: str) -> str:
    """The form names are compared in (see the module docstring)."""
    text = plain(name.strip())
    text = text.replace("−", "-").replace("\\partial", "d").replace("\\", "")
    sample = ""
    match = re.search(r"\[\d+\]$", text)
    if match:
        text, sample = text[: match.start()], match.group()
    text = _SUBSCRIPT.sub("", text)
    for ch in "^, \t":
        text = text.replace(ch, "")
    stars = text.count("*")
    text = text.replace("*", "")
    parts = []
    for side in text.split("/"):  # a derivative d.../d...: each side on its own
        parts.append(_LAYER_SUP.sub("", side) + "".join(_LAYER_SUP.findall(side)))
    return "/".join(parts) + "*" * stars + sample


@dataclass(frozen=True)
class NameTable:
    """Every known name of every quantity of one solved step."""

    canonical: tuple[str, ...]  # in graph order
    exact: dict[str, str]  # name as written -> canonical
    normalized: dict[str, str]  # normalized name -> canonical (unambiguous ones only)

    def resolve(self, name: str) -> str | None:
        name = name.strip()
        if name in self.exact:
            return self.exact[name]
        return self.normalized.get(normalize(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The closest known names (canonical names first among equals)."""
        pool = list(dict.fromkeys(self.canonical + tuple(self.exact)))
        close = difflib.get_close_matches(name.strip(), pool, n=n, cutoff=0.5)
        if not close:
            lowered = {p.lower(): p for p in reversed(pool)}
            close = [lowered[c] for c in difflib.get_close_matches(name.strip().lower(), list(lowered), n=n, cutoff=0.5)]
        return close

    def aliases(self, canonical: str) -> tuple[str, ...]:
        return tuple(name for name, c in self.exact.items() if c == canonical and name != canonical)


def name_table(solution: Solution, canonical: tuple[str, ...], preset: str | None = None) -> NameTable:
    """The names of ``canonical`` quantities under ``preset`` (default: the spec's notation)."""
    preset = preset or solution.spec.notation
    tex = names(solution.network, preset)
    rows = {**ALIASES["*"]}
    for kind, templates in ALIASES.get(preset, {}).items():
        rows[kind] = templates + rows.get(kind, ())
    exact: dict[str, str] = {c: c for c in canonical}
    candidates: dict[str, set[str]] = {}
    for c in canonical:
        candidates.setdefault(normalize(c), set()).add(c)
    kinds = {c: kind_of(c) for c in canonical}
    for row_kind in rows:  # table order: the first row to claim an alias keeps it
        for c in canonical:
            kind, fields, after, sample = kinds[c]
            if kind != row_kind:
                continue
            templates = tuple(f"{t}*" for t in rows[kind]) if after else rows[kind]
            values = _fields(tex, fields)
            for template in templates:
                try:
                    alias = plain(template.format(**values)) + sample
                except KeyError:  # a field this quantity does not have (an input unit's net)
                    continue
                exact.setdefault(alias, c)
                candidates.setdefault(normalize(alias), set()).add(c)
    normalized = {key: next(iter(cs)) for key, cs in candidates.items() if len(cs) == 1}
    return NameTable(canonical, exact, normalized)


def _fields(tex: Names, fields: dict[str, str]) -> dict[str, str]:
    """The template fields of one quantity under one preset."""
    values = {"total": plain(tex.total)}
    unit = fields.get("unit")
    if unit is not None:
        values["unit"] = unit
        values["out"] = plain(tex.out[unit])
        if unit in tex.net:
            values["net"] = plain(tex.net[unit])
            values["delta"] = plain(tex.delta[unit])
        if unit in tex.error:
            values["error"] = plain(tex.error[unit])
    param = fields.get("param")
    if param is not None:
        values["param"] = plain(tex.param[param])
        values["new"] = plain(tex.new[param])
    return values
