"""Bundled example specs: the networks of the lecture notes symprop is built from.

``symprop solve NAME`` accepts a bundled example's name wherever it accepts a path.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT = "sigmoid-2-2-2"


def names() -> tuple[str, ...]:
    """The bundled examples' names, sorted."""
    return tuple(sorted(p.name[:-5] for p in resources.files(__name__).iterdir() if p.name.endswith(".yaml")))


def path(name: str) -> Path | None:
    """The file of the bundled example ``name``, or None."""
    if name not in names():
        return None
    return Path(str(resources.files(__name__).joinpath(f"{name}.yaml")))
