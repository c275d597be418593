"""The package's layout, as README's Development section states it: every module small and
saying its role, no class over ~150 lines, argparse in the CLI only, one module that writes
to disk, no import cycle (the layers themselves are import-linter's contract, run by CI), and
no LaTeX, Markdown or HTML written below the renderer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symprop"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
MAX_MODULE_LINES = 450
MAX_CLASS_LINES = 150
WRITER = PACKAGE / "jobs" / "files.py"
# What reads other people's LaTeX (the document checker's readers) may name LaTeX commands.
READERS = {PACKAGE / "jobs" / "check" / f"{name}.py"
           for name in ("latex", "parser", "names", "prose", "chains", "align", "document", "policy")}
# The PDF compiler's mark, a command on pdflatex's command line, not part of any document.
COMPILER_MARK = ("symprop/jobs/files.py", "\\pdfinfo{")
LATEX_COMMAND = re.compile(r"\\[A-Za-z]{2,}|\$\$|<(?:div|span|table|tr|td|p|b|em|br)\b|\*\*[A-Za-z]")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_the_package_has_its_modules():
    assert len(MODULES) > 50 and WRITER in MODULES


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_is_small_and_says_its_role(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES
    assert ast.get_docstring(_tree(path)), f"{_name(path)} has no docstring"


def test_no_class_is_over_150_lines():
    long = [f"{_name(p)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for p in MODULES for node in ast.walk(_tree(p))
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES]
    assert long == []


def _imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_argparse_is_the_cli_s_alone():
    users = [_name(p) for p in MODULES if "argparse" in _imports(_tree(p))]
    assert users == ["symprop/cli.py"]


_WRITES = {"write_text", "write_bytes", "mkdir", "unlink", "rmdir", "rename", "replace", "mkstemp", "mkdtemp",
           "copy", "copyfile", "copytree", "move", "rmtree", "touch"}


def _writes(tree: ast.Module) -> list[int]:
    """Lines that write to disk: a call of a writing method or function, or ``open`` for writing."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _WRITES:
            receiver = func.value
            # str.replace takes two strings; os.replace two paths; Path.replace one path
            os_call = isinstance(receiver, ast.Name) and receiver.id == "os"
            if func.attr == "replace" and not os_call and len(node.args) != 1:
                continue
            lines.append(node.lineno)
        elif isinstance(func, (ast.Name, ast.Attribute)) and (getattr(func, "id", None) == "open"
                                                               or getattr(func, "attr", None) == "open"):
            at = 1 if isinstance(func, ast.Name) else 0  # open(path, mode), path.open(mode)
            modes = [a for a in node.args[at:at + 1]] + [k.value for k in node.keywords if k.arg == "mode"]
            if any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes):
                lines.append(node.lineno)
    return lines


def test_one_module_writes_to_disk():
    writers = {_name(p): _writes(_tree(p)) for p in MODULES}
    assert {name for name, lines in writers.items() if lines} == {_name(WRITER)}, writers


def test_the_write_finder_sees_writes():
    tree = ast.parse("import os\nopen(p, 'w')\nPath(p).write_text(s)\nos.replace(a, b)\n"
                     "open(p)\ns.replace('a', 'b')\npath.open('wb')\npath.replace(other)\npath.open('rb')\n")
    assert _writes(tree) == [2, 3, 4, 7, 8]


def test_no_import_cycle():
    graph = grimp.build_graph("symprop", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(imported, module):
                cycles.append(f"{module} <-> {imported}")
    assert cycles == []


def _strings(tree: ast.Module) -> list[tuple[int, str]]:
    """The string constants that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("layer", ["core", "numbers", "jobs"])
def test_no_format_is_written_below_the_renderer(layer):
    found = [f"{_name(p)}:{line}: {text!r}" for p in MODULES
             if (PACKAGE / layer) in p.parents and p not in READERS
             for line, text in _strings(_tree(p))
             if LATEX_COMMAND.search(text) and (_name(p), text) != COMPILER_MARK]
    assert found == []


def test_the_format_finder_sees_formats():
    tree = ast.parse('"""A docstring with \\\\frac."""\nx = r"\\frac{a}{b}"\ny = "<div>"\nz = "plain"\n')
    assert [line for line, text in _strings(tree) if LATEX_COMMAND.search(text)] == [2, 3]
