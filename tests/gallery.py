"""The gallery in ``outputs/`` is the one set of golden files.

``outputs/<example>/`` holds what ``symprop solve <example> --format md|tex`` and ``symprop
slides <example> --no-pdf`` write (chain style); ``outputs/<example>/<style>/`` the same
with ``--style delta|matrix``. The tests render each folder afresh and compare it byte for
byte. After a reviewed change, rewrite the gallery with
``SYMPROP_UPDATE_GOLDEN=1 python3 -m pytest tests/render``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "outputs"
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"  # the lecture notes, beside the repository
UPDATE = os.environ.get("SYMPROP_UPDATE_GOLDEN") == "1"


def folder(name: str, style: str = "chain") -> Path:
    return GALLERY / name if style == "chain" else GALLERY / name / style


def check(path: Path, text: str) -> None:
    """``text`` is the gallery file ``path`` (written there when updating)."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    where = path.relative_to(ROOT)
    assert path.exists(), f"{where} is missing: render it with SYMPROP_UPDATE_GOLDEN=1 after review"
    assert path.read_text(encoding="utf-8") == text, f"{where} is stale (review, then SYMPROP_UPDATE_GOLDEN=1)"


def files() -> list[Path]:
    """Every rendered document of the gallery."""
    return sorted(p for p in GALLERY.rglob("*") if p.suffix in (".md", ".tex"))
