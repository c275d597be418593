"""Session setup: one folder of compiled LaTeX documents per test run, shared by the xdist
workers, so each distinct document is compiled once (``toolchain.compile_latex``)."""

from __future__ import annotations

import os

import pytest
import toolchain


@pytest.fixture(scope="session", autouse=True)
def _latex_cache(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's folder, not the worker's
    toolchain.CACHE = shared / "latex-cache"
    yield
    toolchain.CACHE = None
