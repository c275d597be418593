"""Real toolchains for the tests: pdflatex/latexmk and KaTeX. A missing tool skips the test
with a reason on a developer's machine, and fails it in CI (CI=true)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

KATEX = Path(__file__).parent / "katex"
OVERFULL_LIMIT_PT = 3.0


def require(tool: str, hint: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} is not installed ({hint})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def compile_latex(tex: str, workdir: Path, name: str = "doc") -> str:
    """Compile ``tex`` with latexmk/pdflatex; return the log; fail on errors and on
    overfull boxes wider than ``OVERFULL_LIMIT_PT``."""
    require("latexmk", "apt-get install latexmk texlive-latex-base texlive-latex-recommended texlive-pictures")
    require("pdflatex", "apt-get install texlive-latex-base")
    (workdir / f"{name}.tex").write_text(tex, encoding="utf-8")
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=workdir, capture_output=True, text=True, timeout=600,
    )
    log = (workdir / f"{name}.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert result.returncode == 0 and not errors, errors or result.stdout[-2000:]
    overfull = [float(w) for w in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too", log)]
    assert all(w <= OVERFULL_LIMIT_PT for w in overfull), f"overfull boxes: {overfull}"
    return log


_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")


def math_spans(markdown: str) -> list[dict]:
    spans = [{"tex": m.strip(), "display": True} for m in _DISPLAY.findall(markdown)]
    rest = _DISPLAY.sub("", markdown)
    spans += [{"tex": m, "display": False} for m in _INLINE.findall(rest)]
    return spans


def katex_failures(markdown: str) -> list[dict]:
    """Render every math span with KaTeX (the locked npm version in tests/katex)."""
    require("node", "apt-get install nodejs npm")
    if not (KATEX / "node_modules" / "katex").is_dir():
        message = "KaTeX is not installed (npm ci --prefix tests/katex)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    spans = math_spans(markdown)
    assert spans, "no math in the document"
    result = subprocess.run(
        ["node", str(KATEX / "check.js")], input=json.dumps(spans), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return [{**f, "tex": spans[f["index"]]["tex"]} for f in json.loads(result.stdout)]
