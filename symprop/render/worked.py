"""A worked solution in each format: the prepared ``Document`` through its template, and
the network drawing (TikZ inside the LaTeX, SVG beside the Markdown).

The drawing shows the preset's names in LaTeX (``doc.unit_labels`` …) and the spec's own
names and values as plain text in SVG.
"""

from __future__ import annotations

from pathlib import Path

from ..core.graph import Network
from ..spec.values import plain_number
from . import diagram
from .document import Document
from .env import render


def tikz_picture(doc: Document, network: Network, width_cm: float = 12.0, templates: Path | None = None) -> str:
    return diagram.tikz(network, doc.unit_labels, doc.edge_labels, doc.bias_labels, width_cm=width_cm,
                        templates=templates)


def network_svg(network: Network, templates: Path | None = None) -> str:
    """The drawing as a standalone SVG file, marked as ours (by its template)."""
    return diagram.svg(network, *plain_labels(network), templates=templates)


LOSS_SVG = "loss.svg"  # the loss curve beside a Markdown worked solution of a training run


def markdown(doc: Document, templates: Path | None = None, svg: str = "network.svg", loss: str = LOSS_SVG) -> str:
    return render("md/solution.md.j2", "md", templates, doc=doc, files={"svg": svg, "loss": loss})


def latex(doc: Document, network: Network, templates: Path | None = None) -> str:
    files = {"tikz": tikz_picture(doc, network, templates=templates),
             "tikz_libraries": ",".join(diagram.TIKZ_LIBRARIES),
             "curve": loss_tikz(doc, templates) if doc.training else ""}
    return render("tex/solution.tex.j2", "tex", templates, doc=doc, files=files)


def loss_svg(doc: Document, templates: Path | None = None) -> str:
    """The loss curve of a training run as a standalone SVG file, marked as ours."""
    return render("svg/curve.svg.j2", "html", templates, curve=doc.training.curve)


def loss_tikz(doc: Document, templates: Path | None = None) -> str:
    """The loss curve as a pgfplots picture, for LaTeX documents and slides."""
    return render("tikz/curve.tex.j2", "tex", templates, curve=doc.training.curve)


def plain_labels(network: Network) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """SVG labels: the spec's own names and values (the drawing shows plain text)."""
    text = {p.name: f"{p.name} = {plain_number(p.value)}" for p in network.params}
    return (
        {u.name: u.name for u in network.units},
        {p.name: text[p.name] for p in network.params if p.kind == "weight"},
        {p.name: text[p.name] for p in network.params if p.kind == "bias"},
    )
