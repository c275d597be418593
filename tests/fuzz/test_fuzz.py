"""Fuzzing: specs (YAML text, structured and garbage), answer sheets (YAML, JSON, CSV) and
documents (Markdown and LaTeX snippets), each read and worked through the way the commands
do. Every case either succeeds or raises ``SympropError`` with a one-line message, within
``SECONDS`` and ``MEGABYTES`` (Python allocations, traced). ``conftest.py`` holds the
profiles: a fixed seed and a few hundred cases in every run, ``long`` for 10,000 or more."""

from __future__ import annotations

import json
import signal
import time
import tracemalloc
from contextlib import contextmanager

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from symprop.errors import SympropError
from symprop.jobs.check.answers import Checker
from symprop.jobs.check.chains import Document, chains_of
from symprop.jobs.check.document import check_document
from symprop.jobs.check.reports import answers_report, document_report
from symprop.jobs.check.sheets import read_answers
from symprop.numbers.solution import solve
from symprop.spec import parse_spec_text
from symprop.spec.sources import resolve_spec

SECONDS = 20  # per case, wall clock
MEGABYTES = 400  # per case, peak of traced allocations
STATS = {"cases": 0, "slowest": (0.0, ""), "peak": (0, "")}


class TooSlow(Exception):
    pass


@contextmanager
def bounded(what: str):
    """Run one case: success or a one-line ``SympropError``, in bounded time and memory."""
    def alarm(signum, frame):
        raise TooSlow(f"{what}: more than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(SECONDS)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    except SympropError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) <= 2000, f"{what}: {message[:300]!r}"
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    STATS["cases"] += 1
    STATS["slowest"] = max(STATS["slowest"], (seconds, what))
    STATS["peak"] = max(STATS["peak"], (peak, what))
    assert peak <= MEGABYTES * 2**20, f"{what}: {peak / 2**20:.0f} MB"


@pytest.fixture(scope="module")
def solution():
    return solve(resolve_spec("sigmoid-2-2-2"))


@pytest.fixture(scope="module", autouse=True)
def report_stats():
    yield
    seconds, slow = STATS["slowest"]
    peak, big = STATS["peak"]
    print(f"\nfuzz: {STATS['cases']} cases; slowest {seconds:.2f} s ({slow[:80]!r}); "
          f"peak {peak / 2**20:.1f} MB ({big[:80]!r})")


# --- values, names and text that have broken readers before --------------------------------

NASTY_SCALARS = [
    "017", "08", "1:30", "190:20:30.15", "0x1F", "0o17", "0b101", "1_000", "1_0.5", ".inf", "-.inf", ".nan",
    "1e999", "1e-999", "1e999999", "1e-9999999", "9" * 5000, "0." + "1" * 3000, "1/0", "1/3", "-0", "+.5",
    "2020-13-45", "2020-01-01", "yes", "no", "on", "~", "null", "''", '""', "'\\x1b[31m'", '"\\ud800"',
    "!!float x", "!!bool x", "!!timestamp x", "!!set x", "!!binary eA==", "!!python/object:os.system ls",
    "&a 1", "*a", "[", "{", "1e15", "1e16", "-1e15", "0.1234567890123456789012345678901",
]
TOKENS = NASTY_SCALARS + [
    "\n", " ", "  ", "- ", ": ", ", ", "[", "]", "{", "}", "? ", "<<: ", "|", ">", "#", "'", '"', "\t", "---\n",
    "...\n", "%YAML 1.1\n", "&x ", "*x", "&y [1, 2]", "*y", "learning_rate", "layers", "samples", "units",
    "weights", "biases", "input", "target", "activation", "sigmoid", "relu", "w1", "i1 -> h1 = 0.1", "h1, h2 = 0.3",
    "\x00", "\x85", "\u2028", "\ufeff", "é", "\U0001f600",
]
garbage = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
number = st.one_of(
    st.sampled_from(NASTY_SCALARS),
    st.integers(0, 8).flatmap(lambda k: st.decimals(allow_nan=False, allow_infinity=False, places=k)).map(str),
    st.integers(-(10**20), 10**20).map(str),
    st.fractions(max_denominator=10**6).map(str),
)
value = st.one_of(number, st.just(None), st.booleans(), st.lists(number, max_size=3))


@st.composite
def spec_texts(draw) -> str:
    """A spec's YAML: a network of 2-4 layers with hostile values here and there, dumped and
    then perhaps cut, spliced with garbage or with a tag or an alias bomb."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    layers = [{"units": sizes[0]}]
    for k, size in enumerate(sizes[1:], 1):
        layer = {"units": size, "activation": draw(st.sampled_from(
            ["sigmoid", "relu", "tanh", "identity", "leaky_relu", "softmax", "sigmod", 7]))}
        layer["weights"] = [[draw(st.one_of(st.decimals(-2, 2, places=2).map(float), number))
                             for _ in range(sizes[k - 1])] for _ in range(size)]
        if draw(st.booleans()):
            layer["bias"] = draw(st.one_of(st.decimals(-1, 1, places=2).map(float), number))
        layers.append(layer)
    data = {
        "learning_rate": draw(st.one_of(st.just(0.5), number)),
        "layers": layers,
        "samples": [{"input": [draw(st.decimals(-1, 1, places=2).map(float)) for _ in range(sizes[0])],
                     "target": [draw(st.decimals(0, 1, places=2).map(float)) for _ in range(sizes[-1])]}],
    }
    if draw(st.booleans()):
        data["rounding"] = {"places": draw(st.one_of(st.integers(0, 15), value)),
                            "mode": draw(st.sampled_from(["round", "truncate", "floor"])), "carry": "shown"}
    if draw(st.integers(0, 4)) == 0:
        data["title"] = draw(st.text(max_size=40))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(st.sampled_from(TOKENS), garbage)) + text[at + draw(st.integers(0, 5)):]
    return text


def _solve_spec(text: str) -> None:
    spec = parse_spec_text(text, source="fuzz.yaml")
    if sum(len(layer.units) for layer in spec.layers) <= 12:
        solve(spec).to_json()


@given(garbage)
def test_garbage_specs(text):
    with bounded(f"garbage spec {text!r}"):
        _solve_spec(text)


@given(spec_texts())
def test_structured_specs(text):
    with bounded(f"spec {text!r}"):
        _solve_spec(text)


# --- answer sheets ---------------------------------------------------------------------------

NAMES = ["out(h1)", "net(o1)", "E_total", "grad(w5)", "new(w1)", "sum_h1", "dE_total/dw5", "w*_100", "out(h1)[2]",
         "`<script>`", "a|b", "\x1b[31m", "", " ", "x" * 300, "0x1F", "017"]


@st.composite
def answer_files(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(["yaml", "json", "csv"]))
    if draw(st.integers(0, 3)) == 0:
        return kind, draw(st.one_of(garbage, st.text(max_size=200)))
    pairs = draw(st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=20)), value), max_size=8))
    if kind == "json":
        text = "{" + ", ".join(f"{json.dumps(k)}: {v if isinstance(v, str) and v[:1].isdigit() else json.dumps(v)}"
                               for k, v in pairs) + "}"
    elif kind == "csv":
        separator = draw(st.sampled_from([",", ";", "\t"]))
        text = "".join(f"{k}{separator}{v}\n" for k, v in pairs)
    else:
        text = "".join(f"{json.dumps(k)}: {v if isinstance(v, str) else json.dumps(v)}\n" for k, v in pairs)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
    return kind, text


@given(answer_files())
def test_answer_sheets(tmp_path_factory, solution, case):
    kind, text = case
    path = tmp_path_factory.mktemp("sheet") / f"answers.{kind}"
    path.write_text(text, encoding="utf-8")
    with bounded(f"{kind} sheet {text!r}"):
        results = Checker(solution).check(read_answers(path))
        for fmt in ("text", "md"):
            report = answers_report(results, fmt, str(path), "sigmoid-2-2-2")
            assert "\x1b" not in report


# --- documents -------------------------------------------------------------------------------

MATH = ["0.60108", "0.5", "-0.25", "1", "w_5", "w_{5}", "\\text{sum}_{h1}", "\\text{output}_{o1}", "E_{\\text{total}}",
        "\\frac{\\partial E}{\\partial w_5}", "\\sigma(", "\\tanh(", "e^{", "\\frac{1}{1 + e^{-0.41}}", "\\cdot", "*",
        "+", "-", "/", "^", "(", ")", "{", "}", "[", "]", "=", "=", "\\approx", "&", "\\\\", "\\begin{bmatrix}",
        "\\end{bmatrix}", "\\left(", "\\right)", "\\quad", " ", "\\mathrm{w\\_}", "\\mathrm{w\\_\\_}", "x", "\\max(",
        ","]
WRAP = [("$", "$"), ("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("\\begin{align*}", "\\end{align*}"), ("", "")]
PROSE = ["\n", "# Sample 2\n", "## After the update\n", "```\n", "\\section{x}", "% comment\n", "text ", "\\$"]


@st.composite
def documents(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 3)) == 0:
            parts.append(draw(st.sampled_from(PROSE)))
            continue
        opening, closing = draw(st.sampled_from(WRAP))
        body = "".join(draw(st.lists(st.sampled_from(MATH), max_size=30)))
        parts.append(f"{opening}{body}{closing if draw(st.integers(0, 5)) else ''}\n")
    if draw(st.integers(0, 5)) == 0:
        parts.append(draw(st.sampled_from(["(", "{", "2^{", "- ", "0.1 + "])) * draw(st.integers(50, 800)))
    return "".join(parts)


@given(documents(), st.booleans())
def test_documents(solution, text, with_spec):
    with bounded(f"document {text!r}"):
        report = check_document(Document("fuzz.md", tuple(chains_of(text))), solution if with_spec else None)
        for fmt in ("text", "md"):
            assert "\x1b" not in document_report(report, fmt)


@given(st.text(max_size=300))
def test_any_text_as_a_document(text):
    with bounded(f"text {text!r}"):
        check_document(Document("fuzz.md", tuple(chains_of(text))))
