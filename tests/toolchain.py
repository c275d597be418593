"""Real toolchains for the tests: pdflatex/latexmk, KaTeX and MathJax 3 (through node, from the
locked npm packages in ``tests/js``). A missing tool skips the test with a reason on a
developer's machine, and fails it in CI (CI=true).

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

JS = Path(__file__).parent / "js"  # package.json: katex and mathjax-full, locked; katex.js, mathjax.js
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
        cwd=workdir, capture_output=True, text=True, timeout=600, check=False,
    )
    log_path = workdir / f"{name}.log"
    log = log_path.read_text(errors="replace") if log_path.exists() else ""
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert result.returncode == 0 and not errors, errors or result.stdout[-2000:]
    return log


_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")


def math_spans(markdown: str) -> list[dict]:
    spans = [{"tex": m.strip(), "display": True} for m in _DISPLAY.findall(markdown)]
    rest = _DISPLAY.sub("", markdown)
    spans += [{"tex": m, "display": False} for m in _INLINE.findall(rest)]
    return spans


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _render(script: str, package: str, spans: list[dict]) -> list[dict]:
    """Run ``tests/js/<script>`` on ``spans``: the failures, each with its span's source."""
    require("node", "apt-get install nodejs npm")
    if not (JS / "node_modules" / package).is_dir():
        _missing(f"{package} is not installed (npm ci --prefix tests/js)")
    assert spans, "no math in the document"
    result = subprocess.run(
        ["node", str(JS / script)], input=json.dumps(spans), capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    return [{**f, "tex": spans[f["index"]]["tex"]} for f in json.loads(result.stdout)]


def katex_failures(markdown: str) -> list[dict]:
    """Render every math span with KaTeX (the locked npm version in tests/js)."""
    return _render("katex.js", "katex", math_spans(markdown))


def mathjax_failures(markdown: str) -> list[dict]:
    """Render every math span with MathJax 3 as GitHub, Jupyter and Moodle do (tests/js): a TeX
    error, an undefined macro or a backslash left visible in the output is a failure."""
    return _render("mathjax.js", "mathjax-full", math_spans(markdown))


_HTML_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)


def html_math_spans(text: str) -> list[dict]:
    """The ``\\( \\)`` and ``\\[ \\]`` spans of HTML (Moodle) text, entities decoded."""
    import html

    decoded = html.unescape(html.unescape(text))  # Moodle XML holds escaped HTML
    return [{"tex": (inline or display).strip(), "display": bool(display)} for inline, display in _HTML_MATH.findall(decoded)]


def mathjax_html_failures(text: str) -> list[dict]:
    """``mathjax_failures`` for the math of HTML (Moodle) text."""
    return _render("mathjax.js", "mathjax-full", html_math_spans(text))
