"""The web worked solution in a real headless Chromium (Debian's ``chromium``, driven by
Playwright's Python API; no browser download): the page loads from a file:// URL with the
network cut off and every request to anything but the page itself refused; no JavaScript
error or console error; every math span typeset by the inlined KaTeX, none an error box;
every number of the worked solution in the typeset math; clicking each parameter (or Tab to
it and Enter) marks exactly the edges and units of its chain-rule paths and shows its
derivation; the way back clears it; the step-through walks to the end and back, the drawing
showing the values of each step. One browser per test worker, a few pages.

Missing Chromium or Playwright skips these tests with the install line, and fails them in CI
(CI=true)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from test_html import expected_paths

from symprop.examples import path
from symprop.numbers.solution import solve
from symprop.render.document import document
from symprop.render.html import html_page
from symprop.render.worked import markdown
from symprop.spec import load_spec
from symprop.spec.choices import form_of
from symprop.spec.reader import parse_spec_text

CHROMIUM = "/usr/bin/chromium"

DENSE_3_4_3_2 = """
title: A 3-4-3-2 network
learning_rate: 0.5
rounding: {places: 4, mode: round, carry: exact}
layers:
  - {name: input, units: 3}
  - name: hidden1
    units: 4
    activation: sigmoid
    weights: [[0.1, -0.2, 0.3], [0.4, 0.1, -0.3], [-0.2, 0.2, 0.1], [0.3, -0.1, 0.2]]
    bias: 0.1
  - name: hidden2
    units: 3
    activation: tanh
    weights: [[0.2, -0.3, 0.4, 0.1], [0.5, 0.1, -0.2, 0.3], [-0.1, 0.3, 0.2, -0.4]]
    bias: [0.1, 0, -0.1]
  - name: output
    units: 2
    activation: sigmoid
    weights: [[0.6, -0.4, 0.3], [-0.2, 0.5, 0.1]]
    bias: 0.2
samples:
  - {input: [0.5, -1, 0.25], target: [1, 0]}
"""


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (python3 -m pip install '.[test]')")
    executable = shutil.which("chromium") or CHROMIUM
    if not Path(executable).exists():
        _missing("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Opened:
    """A page loaded offline, with what went wrong on the way."""

    def __init__(self, browser, file: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True,
                                           reduced_motion="reduce")
        self.errors: list[str] = []
        self.requests: list[str] = []
        url = file.as_uri()
        self.context.route("**/*", self._only(url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
                     else None)
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def _only(self, url: str):
        def route(r):
            if r.request.url == url:
                r.continue_()
            else:
                self.requests.append(r.request.url)
                r.abort()
        return route

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def close(self):
        self.context.close()


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "solution.html"
    file.write_text(text, encoding="utf-8")
    return file


MARKED = """() => ({
  edges: [...document.querySelectorAll('svg.network .edge.on-path')].map(e => e.dataset.param),
  units: [...document.querySelectorAll('svg.network .unit.on-path')].map(u => u.dataset.unit),
  selected: [...document.querySelectorAll('.gradient.selected')].map(s => s.id ? [s.id]
    : [...s.querySelectorAll('[id^="grad-"]')].map(a => a.id)),
  whole: !document.getElementById('whole').hidden,
})"""
CENTRE = """(name) => {  // where the parameter's label is, or else a point of its edge no other edge covers
  const label = document.querySelector(`svg.network .param[data-param="${name}"]`);
  if (label) { const r = label.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }
  const edge = document.querySelector(`svg.network .edge-hit[data-param="${name}"]`);
  const length = edge.getTotalLength(), m = edge.getScreenCTM();
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9]) {
    const p = edge.getPointAtLength(t * length).matrixTransform(m);
    if (document.elementFromPoint(p.x, p.y) === edge) { return [p.x, p.y]; }
  }
  throw new Error(`no point of ${name}'s edge can be clicked`);
}"""
IN_VIEW = """(name) => { const r = document.getElementById('grad-' + name).getBoundingClientRect();
  return r.top >= -2 && r.top < window.innerHeight; }"""
STEP = """() => ({
  count: document.getElementById('step-count').textContent,
  next: document.getElementById('next').disabled,
  prev: document.getElementById('prev').disabled,
  visible: [...document.querySelectorAll('.step')].filter(s => !s.hidden).length,
  want: JSON.parse([...document.querySelectorAll('.step')].find(s => !s.hidden).dataset.show).sort(),
  shown: [...document.querySelectorAll('svg.network .badge.shown')].map(b => b.dataset.badge).sort(),
})"""


def check_loads(opened: Opened, md: str) -> None:
    assert opened.errors == [] and opened.requests == []
    counts = opened.js("""() => ({tex: document.querySelectorAll('main .tex').length,
      typeset: document.querySelectorAll('main .tex > .katex, main .tex > .katex-display').length,
      errors: document.querySelectorAll('.katex-error').length,
      math: [...document.querySelectorAll('annotation')].map(a => a.textContent).join(' ')})""")
    assert counts["errors"] == 0 and counts["tex"] == counts["typeset"] > 0
    numbers = set(re.findall(r"-?\d+\.\d+", " ".join(re.findall(r"\$\$?(.+?)\$\$?", md, re.DOTALL))))
    assert numbers and sorted(n for n in numbers if n not in counts["math"]) == []


CLICK_ALL = """(names) => names.map(name => {  // each parameter clicked by script, through the page's own handler
  const el = document.querySelector(`svg.network .param[data-param="${name}"]`)
    || document.querySelector(`svg.network .edge-hit[data-param="${name}"]`);
  el.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  const r = document.getElementById("grad-" + name).getBoundingClientRect();
  return Object.assign((""" + MARKED + """)(), {inView: r.top >= -2 && r.top < window.innerHeight});
})"""


def check_marked(marked: dict, solution, name: str) -> None:
    units, edges = expected_paths(solution, name)
    assert set(marked["edges"]) == edges and set(marked["units"]) == units, name
    assert len(marked["selected"]) == 1 and f"grad-{name}" in marked["selected"][0], name
    assert marked["whole"], name


def check_clicks(opened: Opened, solution) -> None:
    page, params = opened.page, solution.network.params
    for p in dict.fromkeys((params[0], params[-1], next(q for q in params if q.kind == "weight" and q is not params[0]))):
        page.mouse.click(*opened.js(CENTRE, p.name))  # a real click where its label (or its edge) is drawn
        check_marked(opened.js(MARKED), solution, p.name)
        assert opened.js(IN_VIEW, p.name), p.name
    for p, marked in zip(params, opened.js(CLICK_ALL, [p.name for p in params])):
        check_marked(marked, solution, p.name)
        assert marked["inView"], p.name
    page.click("#whole")
    assert opened.js(MARKED) == {"edges": [], "units": [], "selected": [], "whole": False}


def check_keyboard(opened: Opened, name: str, solution) -> None:
    page = opened.page
    page.focus(f'svg.network [data-param="{name}"][tabindex="0"]')
    page.keyboard.press("Enter")
    units, edges = expected_paths(solution, name)
    marked = opened.js(MARKED)
    assert (set(marked["units"]), set(marked["edges"])) == (units, edges)
    page.keyboard.press("Tab")  # on to the next parameter
    page.keyboard.press("Enter")
    assert opened.js(MARKED)["units"] != []
    page.click("#whole")


def check_steps(opened: Opened) -> None:
    page = opened.page
    page.click("#step-start")
    total = opened.js("() => document.querySelectorAll('.step').length")
    assert total > 3
    state = opened.js(STEP)
    assert state["count"] == f"Step 1 of {total}" and state["prev"] and state["want"] == state["shown"] != []
    for k in range(2, total + 1):
        page.click("#next") if k == 2 else page.keyboard.press("ArrowRight")
        state = opened.js(STEP)
        assert state["count"] == f"Step {k} of {total}" and state["visible"] == 1
        assert state["want"] == state["shown"], k
    typeset = opened.js("""() => [...document.querySelectorAll('.step .tex')].map(t => !!t.querySelector('.katex'))""")
    assert typeset and all(typeset)  # every step's math, typeset as it was shown
    assert opened.js("() => document.querySelectorAll('.katex-error').length") == 0
    assert state["next"]  # the end
    page.keyboard.press("ArrowRight")
    assert opened.js(STEP)["count"] == f"Step {total} of {total}"
    page.keyboard.press("ArrowLeft")
    assert opened.js(STEP)["count"] == f"Step {total - 1} of {total}"
    page.keyboard.press("Escape")
    assert opened.js("() => document.getElementById('stepper').hidden && "
                     "!document.querySelector('svg.network .badge.shown')")


# two samples and a skip edge; a dense drawing with no edge labels (its edges clicked); the
# softmax coupling's paths are the same code's, checked against the derivations in test_html
CASES = [("sigmoid-2-2-2", "chain"), ("tanh-2-3-3-2", "delta"), ("3-4-3-2", "matrix")]


@pytest.mark.parametrize(("name", "style"), CASES)
def test_the_page_in_chromium(browser, tmp_path, name, style):
    spec = parse_spec_text(DENSE_3_4_3_2, "3-4-3-2.yaml") if name == "3-4-3-2" else load_spec(path(name))
    solution = solve(spec, form=form_of(style))
    opened = Opened(browser, write(tmp_path, html_page(solution, style)))
    try:
        check_loads(opened, markdown(document(solution, style)))
        check_clicks(opened, solution)
        check_keyboard(opened, solution.network.params[0].name, solution)
        check_steps(opened)
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


DECK = """() => ({slides: Reveal.getTotalSlides(), errors: document.querySelectorAll('.katex-error').length,
  tex: document.querySelectorAll('.tex').length, typeset: document.querySelectorAll('.tex > .katex, .tex > .katex-display').length,
  paths: [...document.querySelectorAll('.slides > section')].map((s, h) => [h, !!s.querySelector('svg .path')])
    .filter(x => x[1]).map(x => x[0])})"""
LIT = """() => { const s = Reveal.getCurrentSlide(); return {
  h: Reveal.getIndices().h, f: Reveal.getIndices().f,
  edges: [...s.querySelectorAll('svg .edge.on-path')].map(e => e.dataset.param).sort(),
  units: [...s.querySelectorAll('svg .unit.on-path')].map(u => u.dataset.unit).sort(),
  shown: s.querySelectorAll('.rows .fragment.visible').length, rows: s.querySelectorAll('.rows .fragment').length}; }"""


def test_the_deck_in_chromium(browser, tmp_path):
    from symprop.render.revealdeck import html_deck, html_slides

    solution = solve(load_spec(path("sigmoid-2-2-2")))
    file = tmp_path / "slides.html"
    file.write_text(html_slides(solution), encoding="utf-8")
    slides = [s for _, section in html_deck(solution).sections for s in section]
    opened = Opened(browser, file)
    try:
        state = opened.js(DECK)
        assert opened.errors == [] and opened.requests == []
        assert state["slides"] == len(slides) + 2 and state["errors"] == 0 and state["tex"] == state["typeset"] > 0
        lit = [k + 2 for k, s in enumerate(slides) if s.kind == "reveal" and s.drawing]
        assert state["paths"] == lit and lit
        for h in lit:
            slide = slides[h - 2]
            opened.js(f"() => Reveal.slide({h}, 0, -1)")
            first = opened.js(LIT)
            assert (first["edges"], first["units"], first["shown"]) == ([], [], 0)  # nothing lit yet
            opened.page.keyboard.press("ArrowRight")  # fragment 0: the path lights up
            after = opened.js(LIT)
            assert (after["edges"], after["units"]) == (list(slide.edges), list(slide.units)), h
            for k in range(after["rows"]):  # then the factors, one fragment each
                opened.page.keyboard.press("ArrowRight")
                assert opened.js(LIT)["shown"] == k + 1
            opened.page.keyboard.press("ArrowRight")
            assert opened.js(LIT)["h"] == h + 1  # on to the next slide
        assert opened.errors == []
    finally:
        opened.close()
