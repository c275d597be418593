"""The files symprop's web pages carry (``symprop/assets``) are the locked npm packages'
files byte for byte: the version of each in ``symprop.assets.PACKAGES`` is the exact one
``tests/js/package.json`` asks for and ``package-lock.json`` locks, and each vendored file
is the installed package's (``npm ci --prefix tests/js``). To upgrade: ``npm install
--prefix tests/js PACKAGE@VERSION --save-exact``, copy the files listed in
``symprop.assets.VENDORED``, set the version, run this test."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest
from toolchain import JS

from symprop import assets


def test_the_versions_are_the_locked_ones():
    wanted = json.loads((JS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    locked = json.loads((JS / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for package, version in assets.PACKAGES.items():
        assert wanted[package] == version, package  # exact, no range
        assert locked[f"node_modules/{package}"]["version"] == version, package


def test_every_vendored_file_is_the_npm_packages():
    for package, version in assets.PACKAGES.items():
        installed = JS / "node_modules" / package
        if not installed.is_dir():
            message = f"{package} is not installed (npm ci --prefix tests/js)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == version
    for name, (package, inside) in assets.VENDORED.items():
        assert assets.read(name) == (JS / "node_modules" / package / inside).read_bytes(), name


def test_nothing_else_is_vendored():
    root = Path(str(resources.files(assets)))
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
             and p.suffix not in (".py", ".pyc")}
    assert files == set(assets.VENDORED)
