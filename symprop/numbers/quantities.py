"""The canonical names of the quantities of a training step, as the checker, the exam and
every report name them: ``net(h1)``, ``out(h1)``, ``E(o1)``, ``E_total``,
``dE(o1)/dout(o1)``, ``dout(h1)/dnet(h1)``, ``dE/dout(h1)``, ``delta(h1)``, ``grad(w5)``,
``new(w5)``, ``out(h1)*`` after the update, ``E_total_after``; ``[k]`` for sample k when
there are several. ``trace`` gives each quantity its name; ``kind_of`` reads one back.
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
_SUFFIX = re.compile(r"(?P<base>.*?)(?P<after>\*?)(?P<sample>\[\d+\])?")


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
    """(kind, fields, "*" if after the update, "[k]" or "") of a canonical name."""
    match = _SUFFIX.fullmatch(canonical)
    base, after, sample = match["base"], match["after"], match["sample"] or ""
    for kind, pattern in _CANONICAL:
        m = pattern.fullmatch(base)
        if m:
            return kind, m.groupdict(), after, sample
    raise ValueError(f"not a canonical quantity name: {canonical}")
