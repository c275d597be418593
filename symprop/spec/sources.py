"""Where a spec comes from: a path, or the name of a bundled example."""

from __future__ import annotations

from pathlib import Path

from .. import examples
from ..errors import SympropError
from .model import Spec
from .reader import load_spec


def resolve_spec(name: str) -> Spec:
    """A spec from a path, or from a bundled example's name."""
    path = Path(name)
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError) as exc:  # e.g. a name too long for the file system
        raise SympropError(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if is_dir:
        raise SympropError(f"{name}: is a directory, not a spec file")
    if exists:
        return load_spec(path)
    bundled = examples.path(name)
    if bundled is not None:
        return load_spec(bundled, name=name)
    raise SympropError(
        f"{name}: no such file, and no bundled example of that name "
        f"(examples: {', '.join(examples.names())})"
    )


def spec_name(spec: Spec) -> str:
    """The spec's name for its default output folder: the example's name or the file's stem."""
    return spec.source if examples.path(spec.source) is not None else Path(spec.source).stem


def bundled() -> tuple[Spec, ...]:
    """Every bundled example, loaded."""
    return tuple(load_spec(examples.path(name), name=name) for name in examples.names())
