"""The web worked solution without a browser: what ``solve --format html`` writes, the page's
structure (data-param on every edge and label, grad-NAME for every parameter), the paths it
highlights against the derivations' own paths, every number of the Markdown solution, its
math in KaTeX and MathJax 3, escaping, determinism, and nothing fetched from anywhere."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest
from netgen import random_spec
from test_training_document import XOR
from toolchain import katex_failures, mathjax_failures

from symprop.cli import main
from symprop.examples import names, path
from symprop.numbers.solution import solve
from symprop.render.document import document
from symprop.render.html import html_page, path_sets
from symprop.render.worked import markdown
from symprop.spec import load_spec
from symprop.spec.choices import NOTATIONS, NUMERIC_STYLES, form_of
from symprop.spec.reader import parse_spec_text

CASES = [(name, style) for name in names() for style in NUMERIC_STYLES]  # the styles with numbers


def page_of(name: str, style: str = "chain", preset: str | None = None) -> str:
    return html_page(solve(load_spec(path(name)), form=form_of(style)), style, preset)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the ``.tex`` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tex: list[tuple[str, bool]] = []
        self._in: list[bool] = []  # a .tex element open (display or not)
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        classes = a.get("class", "").split()
        if "tex" in classes:
            self._in.append("display" in classes)
            self.tex.append(("", "display" in classes))
        self._script = tag == "script"

    def handle_endtag(self, tag):
        if self._in and tag in ("span", "div"):
            self._in.pop()
        self._script = False

    def handle_data(self, data):
        if self._in:
            text, display = self.tex[-1]
            self.tex[-1] = (text + data, display)
        elif self._script:
            self.scripts.append(data)


def parsed(text: str) -> Elements:
    p = Elements()
    p.feed(text)
    return p


def expected_paths(solution, name: str) -> tuple[set[str], set[str]]:
    """The units and edges of the chain-rule paths of ``name``, read off its derivation's paths."""
    units, edges = set(), {name}
    param = solution.network.param[name]
    if param.kind == "weight":
        units.add(param.source)
    for p in solution.derivations.of[name].paths():
        for f in p.factors:
            units.add(f.unit)
            if f.kind == "weight":
                edges.add(f.ref)
            if f.kind == "coupling":
                units.add(f.ref)
    return units, edges


@pytest.mark.parametrize("seed", range(12))
def test_the_paths_highlighted_are_the_derivations_paths(seed):
    solution = solve(random_spec(seed))
    for p in solution.network.params:
        units, edges = path_sets(solution.network, p.name)
        assert (set(units), set(edges)) == expected_paths(solution, p.name), p.name


def check_clickable(name: str, text: str) -> None:
    """Every parameter has its edge, its label (or a focusable edge), its paths and its derivation."""
    page = parsed(text)
    network = load_spec(path(name))
    params = [w.name for w in network.weights] + [b.name for b in network.biases]
    ids = {a["id"] for _, a in page.tags if "id" in a}
    for p in params:
        assert f"grad-{p}" in ids, p
        kinds = {a.get("class", "").split()[0] for _, a in page.tags if a.get("data-param") == p}
        assert "edge" in kinds, p  # its arrow (a bias: its dashed arrows)
        assert "param" in kinds or "edge-hit" in kinds, p  # its label, or where there is none its edge
    focusable = [a["data-param"] for _, a in page.tags if "data-param" in a and a.get("tabindex") == "0"]
    assert sorted(focusable) == sorted(params)  # each parameter once in the Tab order
    paths = json.loads(next(s for s in page.scripts if s.startswith("{")))
    assert sorted(paths) == sorted(params)


def _squeezed(tex: str) -> str:
    return re.sub(r"\s+", "", tex)


def markdown_spans(md: str) -> set[str]:
    return {_squeezed(t) for t in re.findall(r"\$\$(.+?)\$\$", md, re.DOTALL)} | {
        _squeezed(t) for t in re.findall(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$", re.sub(r"\$\$.+?\$\$", "", md, flags=re.DOTALL))}


def same_math_as_markdown(name: str, style: str, preset: str | None = None, solution=None, full_steps: int = 1) -> str:
    """Every math span of the Markdown solution (so every number) is a span of the page."""
    solution = solution or solve(load_spec(path(name)), form=form_of(style))
    md = markdown(document(solution, style, preset, full_steps))
    text = html_page(solution, style, preset, full_steps)
    page = {_squeezed(t) for t, _ in parsed(text).tex}
    spans = markdown_spans(md)
    numbers = set(re.findall(r"-?\d+\.\d+", " ".join(spans)))
    assert spans and numbers
    assert sorted(spans - page) == []
    assert sorted(n for n in numbers if n not in " ".join(page)) == []
    return text


@pytest.mark.parametrize(("name", "style"), CASES)
def test_every_parameter_is_clickable_and_the_page_is_the_markdown_solution(name, style):
    check_clickable(name, same_math_as_markdown(name, style))


@pytest.mark.parametrize("preset", NOTATIONS)
def test_notation_presets_as_in_the_markdown(preset):
    same_math_as_markdown("sigmoid-2-2-2", "chain", preset)


def test_a_training_run_as_in_the_markdown_with_unique_ids():
    solution = solve(parse_spec_text(XOR, "xor.yaml"))  # a run with momentum, four samples
    text = same_math_as_markdown("", "chain", solution=solution, full_steps=2)
    page = parsed(text)
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids))
    assert "<h2>Training</h2>" in text and "<h2>Update 2 (epoch 1, sample 2)</h2>" in text
    assert text.split("<script")[0].count("<svg") == 2  # the network and the loss curve


def test_the_page_math_renders_in_katex_and_mathjax():
    """The spans of the pages that their Markdown solutions do not have (the Markdown's own are
    checked with it, test_document) render in KaTeX and MathJax 3; all of them in the
    smallest example."""
    spans = set()
    for name in names():
        solution = solve(load_spec(path(name)))
        known = set() if name == "sigmoid-2-2-2" else markdown_spans(markdown(document(solution)))
        spans |= {(t, d) for t, d in parsed(html_page(solution)).tex if _squeezed(t) not in known}
    as_markdown = "\n\n".join(f"$$\n{t}\n$$" if display else f"${t}$" for t, display in sorted(spans))
    assert katex_failures(as_markdown) == []
    assert mathjax_failures(as_markdown) == []


def test_the_page_fetches_nothing():
    text = page_of("sigmoid-2-2-2")
    page = parsed(text)
    assert not [t for t, a in page.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for t, a in page.tags if t == "script" and "src" in a]
    assert "url(fonts/" not in text and not re.search(r"url\((?!data:|#)", text.split("<body", 1)[0].replace(
        "url(#", ""))
    csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp


def test_same_spec_same_bytes():
    assert page_of("softmax-2-2-3", "delta") == page_of("softmax-2-2-3", "delta")


HOSTILE = """
title: '<script>alert(1)</script> & "quoted" </style>'
learning_rate: 0.5
layers:
  - {name: input, units: [x1]}
  - {name: output, units: [y1], activation: sigmoid}
weights:
  w1: x1 -> y1 = 0.5
samples:
  - {input: {x1: 1}, target: {y1: 0}}
"""


def test_user_text_is_escaped():
    text = html_page(solve(parse_spec_text(HOSTILE, "hostile.yaml")))
    assert "<script>alert" not in text and "</style>'" not in text
    assert html.escape('<script>alert(1)</script> & "quoted"', quote=False) in text


def test_cli_writes_one_page_and_keeps_what_a_user_wrote(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["solve", "sigmoid-2-2-2", "--format", "html", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["solution.html"]
    first = (out / "solution.html").read_bytes()
    assert b"generated by symprop" in first.split(b"\n", 3)[1]
    assert main(["solve", "sigmoid-2-2-2", "--format", "html", "-o", str(out), "--style", "delta"]) == 0
    assert (out / "solution.html").read_bytes() != first  # ours: replaced
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "solution.html").write_text("<p>my notes</p>\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["solve", "sigmoid-2-2-2", "--format", "html", "-o", str(mine)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not written by symprop" in err
    assert (mine / "solution.html").read_text(encoding="utf-8") == "<p>my notes</p>\n"


def test_a_users_template_overrides_a_block(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "solution.html.j2").write_text(
        '((* extends "html/base.html.j2" *))((* block after *))<p class="mine">My own ending.</p>((* endblock *))\n',
        encoding="utf-8")
    text = html_page(solve(load_spec(path("sigmoid-2-2-2"))), templates=tmp_path)
    assert '<p class="mine">My own ending.</p>' in text and "Forward pass with the updated parameters" not in text
