"""The Markdown math renders in MathJax 3 as well as in KaTeX: GitHub, Jupyter and Moodle show
Markdown with MathJax's TeX input, where an undefined macro, a TeX error or a backslash left
visible (``\\text{new\\_}`` shows its backslash: MathJax does not read ``\\_`` inside
``\\text``) is a failure (``toolchain.mathjax_failures``, through node and tests/js)."""

from __future__ import annotations

import gallery
import pytest
from toolchain import katex_failures, mathjax_failures


KNOWN_GOOD = r"""
$w_{1}$ and $\text{output}_{o1}$, $\frac{\partial E_{\text{total}}}{\partial w_{5}}$, $\tfrac{1}{3}$, $\mathit{h2}_{1}$,

$$
\begin{aligned}
\text{sum}_{h1} &= i_{1} * w_{1} + b_{1} \\
&= 0.1 * 0.1 + 0.25 = 0.26000
\end{aligned}
$$
"""

KNOWN_BAD = {
    r"$\text{new\_}w_{5}$": "visible backslash: new\\_",
    r"$\undefinedmacro x$": "undefined: \\undefinedmacro",
    r"$\frac{1}{$": "error: Missing close brace",
    r"$\text{\alpha}$": "visible backslash: \\alpha",
}


def test_known_good_spans_render():
    assert mathjax_failures(KNOWN_GOOD) == []
    assert katex_failures(KNOWN_GOOD) == []


def test_known_bad_spans_fail_with_the_reason():
    text = "\n\n".join(KNOWN_BAD)
    failures = mathjax_failures(text)
    assert [(f["tex"], f["error"]) for f in failures] == [(k[1:-1], v) for k, v in KNOWN_BAD.items()]
    # KaTeX reads \_ in \text and shows \alpha in \text as a command: it misses two of them
    assert len(katex_failures(text)) < len(failures)


MARKDOWN = [p for p in gallery.files() if p.suffix == ".md"]


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(gallery.GALLERY)))
def test_gallery_markdown_renders_in_mathjax(path):
    assert mathjax_failures(path.read_text(encoding="utf-8")) == []
