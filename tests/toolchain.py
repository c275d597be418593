"""Real toolchains for the tests: pdflatex/latexmk and KaTeX. A missing tool skips the test
with a reason on a developer's machine, and fails it in CI (CI=true).

Each distinct LaTeX document is compiled once per test session: ``compile_latex`` keeps the
log and the PDF of every document it compiled under ``CACHE`` (set by ``conftest.py``, one
folder shared by the xdist workers of a run), keyed by the document's hash, and a worker
waits for another that is compiling the same document.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

KATEX = Path(__file__).parent / "katex"
OVERFULL_LIMIT_PT = 3.0
CACHE: Path | None = None  # the session's compiled documents (conftest.py sets it)


def require(tool: str, hint: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} is not installed ({hint})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def compile_latex(tex: str, workdir: Path, name: str = "doc") -> str:
    """Compile ``tex`` with latexmk/pdflatex (once per session); put ``name.pdf`` in
    ``workdir``; return the log; fail on errors and on overfull boxes wider than
    ``OVERFULL_LIMIT_PT``."""
    require("latexmk", "apt-get install latexmk texlive-latex-base texlive-latex-recommended texlive-pictures")
    require("pdflatex", "apt-get install texlive-latex-base")
    if CACHE is None:
        log = _compile(tex, workdir, name)
    else:
        key = hashlib.sha256(tex.encode("utf-8")).hexdigest()[:32]
        CACHE.mkdir(parents=True, exist_ok=True)
        with (CACHE / f"{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one worker compiles; the others wait and reuse
            done = CACHE / f"{key}.log"
            if not done.exists():
                log = _compile(tex, workdir, name)
                shutil.copyfile(workdir / f"{name}.pdf", CACHE / f"{key}.pdf")
                done.write_text(log, encoding="utf-8")
            else:
                (workdir / f"{name}.tex").write_text(tex, encoding="utf-8")
                shutil.copyfile(CACHE / f"{key}.pdf", workdir / f"{name}.pdf")
            log = done.read_text(encoding="utf-8")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert not errors, errors
    overfull = [float(w) for w in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too", log)]
    assert all(w <= OVERFULL_LIMIT_PT for w in overfull), f"overfull boxes: {overfull}"
    return log


def _compile(tex: str, workdir: Path, name: str) -> str:
    (workdir / f"{name}.tex").write_text(tex, encoding="utf-8")
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=workdir, capture_output=True, text=True, timeout=600,
    )
    log_path = workdir / f"{name}.log"
    log = log_path.read_text(errors="replace") if log_path.exists() else ""
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert result.returncode == 0 and not errors, errors or result.stdout[-2000:]
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
