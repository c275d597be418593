"""The canonical names of the quantities of a training step, as the checker, the exam and
every report name them: ``net(h1)``, ``out(h1)``, ``E(o1)``, ``E_total``,
``dE(o1)/dout(o1)``, ``dout(h1)/dnet(h1)``, ``dE/dout(h1)``, ``delta(h1)``, ``grad(w5)``,
``new(w5)``, ``out(h1)*`` after the update, ``E_total_after``; ``[k]`` for sample k when
there are several. ``trace`` gives each quantity its name; ``kind_of`` reads one back.

A training run (``spec.training``) names the quantities of each of its updates with the
update's number, ``[step N]`` after the name (``new(w5)[step 2]``, ``grad(w5)[step 2]``,
``E_total[step 2]``; a sample's quantities keep the sample's number in the spec:
``out(o1)[2][step 2]``, sample 2's output in update 2), and what an epoch leaves with
``[epoch E]``: ``E_total[epoch 3]``,
the total error over every sample after epoch 3, and ``new(w5)[epoch 3]``, the parameter then.

``formula(w5)`` names no number: a symbolic answer, one sample's ∂E/∂w5 written as a formula.
"""

from __future__ import annotations

import re

# Each kind of quantity and the pattern of its canonical name (the first match wins).
_CANONICAL = (
    ("loss_factor", re.compile(r"dE\((?P<unit>\w+)\)/dout\((?P=unit)\)")),
    ("activation_factor", re.compile(r"dout\((?P<unit>\w+)\)/dnet\((?P=unit)\)")),
    ("coupling_factor", re.compile(r"dout\((?P<unit>\w+)\)/dnet\((?P<other>\w+)\)")),  # a softmax layer
    ("dout", re.compile(r"dE/dout\((?P<unit>\w+)\)")),
    ("net", re.compile(r"net\((?P<unit>\w+)\)")),
    ("out", re.compile(r"out\((?P<unit>\w+)\)")),
    ("error", re.compile(r"E\((?P<unit>\w+)\)")),
    ("delta", re.compile(r"delta\((?P<unit>\w+)\)")),
    ("grad", re.compile(r"grad\((?P<param>\w+)\)")),
    ("new", re.compile(r"new\((?P<param>\w+)\)")),
    ("total", re.compile(r"E_total")),
    ("total_after", re.compile(r"E_total_after")),
)
_SUFFIX = re.compile(r"(?P<base>.*?)(?P<after>\*?)(?P<sample>\[\d+\])?(?P<when>\[(?:step|epoch) \d+\])?")
_WHEN = re.compile(r"\[(?P<what>step|epoch) (?P<number>\d+)\]$")
EPOCH_KINDS = ("total", "new")  # what an epoch's end is asked for: E_total[epoch E], new(p)[epoch E]
# a symbolic answer: one sample's dE/dp as a formula (``core.equivalence``), not a number
FORMULA = re.compile(r"formula\((?P<param>\w+)\)")


def formula_param(name: str) -> str | None:
    """The parameter of a symbolic quantity's name, ``formula(w1)``, else None."""
    match = FORMULA.fullmatch(name.strip())
    return match["param"] if match else None


# the kind of each quantity's number, for the rounding policy's places (choices.QUANTITY_KINDS)
ROUNDING_KIND = {
    "loss_factor": "factor", "activation_factor": "factor", "coupling_factor": "factor", "dout": "delta",
    "net": "net", "out": "out", "error": "error", "delta": "delta", "grad": "gradient", "new": "update",
    "total": "error", "total_after": "error",
}


def rounding_kind(canonical: str) -> str:
    """The kind of quantity (net, out, error, factor, delta, gradient, update) of a canonical name."""
    return ROUNDING_KIND[kind_of(canonical)[0]]


def sample_suffix(k: int, n_samples: int) -> str:
    """``[k]`` (1-based) when there are several samples, else nothing."""
    return f"[{k + 1}]" if n_samples > 1 else ""


def kind_of(canonical: str) -> tuple[str, dict[str, str], str, str]:
    """(kind, fields, "*" if after the update, the rest: "[k]", "[step N]", "[epoch E]" or
    "") of a canonical name."""
    match = _SUFFIX.fullmatch(canonical)
    base, after, sample, when = match["base"], match["after"], match["sample"] or "", match["when"] or ""
    for kind, pattern in _CANONICAL:
        m = pattern.fullmatch(base)
        if m and not (when.startswith("[epoch") and (kind not in EPOCH_KINDS or after or sample)):
            return kind, m.groupdict(), after, sample + when
    raise ValueError(f"not a canonical quantity name: {canonical}")


def when_of(canonical: str) -> tuple[str, int] | None:
    """("step", N) or ("epoch", E) of a training run's quantity name, else None."""
    match = _WHEN.search(canonical)
    return (match["what"], int(match["number"])) if match else None


def sample_of(suffix: str) -> str:
    """The sample number (as written) of ``kind_of``'s last field, or ""."""
    match = re.match(r"\[(\d+)\]", suffix)
    return match[1] if match else ""
