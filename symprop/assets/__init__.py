"""Files the web pages carry inside them, copied byte for byte from exact npm packages.

A user's machine needs no npm and no network: ``symprop solve --format html`` and
``symprop slides --format html`` inline these into the page they write. ``VENDORED``
says, for each file here, which npm package and version it comes from and its path in
that package; a test compares the bytes with the packages locked in ``tests/js``. Only
what a page loads is kept: minified scripts and styles, KaTeX's woff2 fonts (the browsers
symprop targets all read woff2), and each package's licence.
"""

from __future__ import annotations

from importlib import resources

KATEX_FONTS = (
    "AMS-Regular", "Caligraphic-Bold", "Caligraphic-Regular", "Fraktur-Bold", "Fraktur-Regular", "Main-Bold",
    "Main-BoldItalic", "Main-Italic", "Main-Regular", "Math-BoldItalic", "Math-Italic", "SansSerif-Bold",
    "SansSerif-Italic", "SansSerif-Regular", "Script-Regular", "Size1-Regular", "Size2-Regular", "Size3-Regular",
    "Size4-Regular", "Typewriter-Regular",
)
PACKAGES = {"katex": "0.16.22", "reveal.js": "5.2.1"}  # npm package -> exact version
# file here -> (npm package, path inside it)
VENDORED: dict[str, tuple[str, str]] = {
    "katex/katex.min.js": ("katex", "dist/katex.min.js"),
    "katex/katex.min.css": ("katex", "dist/katex.min.css"),
    "katex/LICENSE": ("katex", "LICENSE"),
    **{f"katex/fonts/KaTeX_{f}.woff2": ("katex", f"dist/fonts/KaTeX_{f}.woff2") for f in KATEX_FONTS},
    "reveal/reveal.js": ("reveal.js", "dist/reveal.js"),
    "reveal/reveal.css": ("reveal.js", "dist/reveal.css"),
    "reveal/LICENSE": ("reveal.js", "LICENSE"),
}


def read(name: str) -> bytes:
    """The bytes of vendored file ``name`` (a key of ``VENDORED``)."""
    if name not in VENDORED:
        raise KeyError(f"{name} is not a vendored file")
    return resources.files(__name__).joinpath(name).read_bytes()
