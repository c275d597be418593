"""Hostile answer sheets and documents: a verdict or a one-line error, in time linear in the
input (the formerly quadratic documents of issue 14 are timed here), never a traceback."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest

from symprop.cli import main
from symprop.jobs.check.chains import _math_spans, chains_of
from symprop.jobs.check.sheets import MAX_BYTES


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def one_line_error(capsys, *argv: str) -> str:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.startswith("symprop: error: ") and err.count("\n") == 1, err
    return err


def sheet(tmp_path: Path, text: str, name: str = "answers.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("text", ["!!float x", "!!bool x", "!!timestamp x", "!!set x", "out(h1): !!binary eA=="])
def test_yaml_tags_in_answers(tmp_path, capsys, text):
    assert "YAML tag" in one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers", sheet(tmp_path, text))


def test_a_date_that_is_no_date_in_answers(tmp_path, capsys):
    err = one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers",
                         sheet(tmp_path, "out(h1): !!timestamp 2020-13-45\n"))
    assert "out(h1): 2020-13-45 is not a valid date" in err


@pytest.mark.parametrize(("value", "message"), [
    ("017", "a number with a leading zero"), ("1:30", "base-60"), ("0x1F", "hexadecimal"), ("1_000", "grouped by _"),
])
def test_yaml_1_1_numbers_in_answers(tmp_path, capsys, value, message):
    err = one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers", sheet(tmp_path, f"out(h1): {value}\n"))
    assert message in err


def test_an_alias_bomb_in_answers_is_refused_at_once(tmp_path, capsys):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")]
    start = time.perf_counter()
    err = one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers", sheet(tmp_path, "\n".join(lines) + "\n"))
    assert time.perf_counter() - start < 2 and "aliases" in err


@pytest.mark.parametrize("name", ["answers.json", "answers.yaml"])
def test_deep_answer_files(tmp_path, capsys, name):
    text = '{"a": ' * 100_000 + "1" + "}" * 100_000 if name.endswith("json") else "[" * 100_000 + "]" * 100_000
    assert "nested more than" in one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers",
                                                sheet(tmp_path, text, name))


@pytest.mark.parametrize("value", ["1e999999", "1e-9999999", "0." + "1" * 1_000_000], ids=["huge", "tiny", "long"])
@pytest.mark.parametrize("name", ["answers.yaml", "answers.json", "answers.csv"])
def test_numbers_beyond_what_is_computed_are_refused_by_name(tmp_path, capsys, value, name):
    text = {"answers.yaml": f"out(o1): {value}\n", "answers.json": f'{{"out(o1)": {value}}}',
            "answers.csv": f"out(o1),{value}\n"}[name]
    err = one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers", sheet(tmp_path, text, name))
    assert ("out(o1)" in err and ("out of range" in err or "significant digits" in err)) or "line 1: CSV error" in err


def test_large_numbers_within_range_get_a_verdict(tmp_path, capsys):
    answers = {"out(h1)": "1e1000", "net(o1)": "-1e1000", "grad(w5)": "1e-1000", "out(o1)": "0." + "7" * 99}
    status, out, _ = run(capsys, "check", "sigmoid-2-2-2", "--answers", sheet(tmp_path, json.dumps(answers), "a.json"),
                         "--format", "json")
    assert status == 1 and {r["verdict"] for r in json.loads(out)["results"]} <= {"wrong", "carried"}


def test_unbounded_answer_input(capsys):
    assert f"more than {MAX_BYTES} bytes" in one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers", "/dev/zero")


def test_csv_oddities_are_one_line(tmp_path, capsys):
    for text in ["out(h1),0.5\x00\n", "out(h1),\"" + "9" * 200_000 + "\"\n"]:
        one_line_error(capsys, "check", "sigmoid-2-2-2", "--answers", sheet(tmp_path, text, "a.csv"))


def timed_check(tmp_path: Path, capsys, text: str) -> tuple[float, str]:
    doc = tmp_path / "doc.md"
    doc.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    status, out, err = run(capsys, "check", str(doc))
    assert status in (0, 1), err
    return time.perf_counter() - start, out


QUADRATIC = [  # (what, document): each took from 23 s to 114 s, or more, before
    ("200 KB of unclosed \\[", "\\[" * 100_000),
    ("200 KB of unclosed $$", "$$ x " * 40_000),
    ("2 MB of nested braces", "$" + "{" * 1_000_000 + "}" * 1_000_000 + " = 1$\n"),
    ("a 200x200 bmatrix", "$$\\begin{bmatrix}" + " \\\\ ".join([" & ".join(["0.1"] * 200)] * 200)
     + "\\end{bmatrix} = 0.5$$\n"),
    ("a product of two 200x200 bmatrices", "$$" + ("\\begin{bmatrix}" + " \\\\ ".join([" & ".join(["0.1"] * 200)] * 200)
                                              + "\\end{bmatrix}") * 2 + " = 0.5$$\n"),
    ("30,000 inline spans", "$x = 0.5$ and\n" * 30_000),
    ("unclosed fences", "```\nx\n" * 50_000),
    # runs of spaces where a separator, an equation number, a wrapper or a trailing mark is looked for
    ("40,000 spaces in a bold group", "$$\na = \\mathbf{" + " " * 40_000 + "}\n$$\n"),
    ("40,000 spaces in a case", "$$\nf = \\begin{cases} 1 & " + " " * 40_000 + " \\end{cases}\n$$\n"),
    ("40,000 spaces before a comma", "$$\na = 0.1 +" + " " * 40_000 + "x ,\n$$\n"),
    ("a row of 100,000 nested braces", "$$\n" + "{" * 100_000 + "x = 1" + "}" * 100_000 + "\n$$\n"),
    ("40,000 spaces before an equation number", "$$\na = 1" + " " * 40_000 + "\\quad (1) x\n$$\n"),
]


@pytest.mark.parametrize(("label", "text"), QUADRATIC, ids=[label for label, _ in QUADRATIC])
def test_documents_are_read_in_linear_time(tmp_path, capsys, label, text):
    seconds, _ = timed_check(tmp_path, capsys, text)
    assert seconds < 20, f"{label}: {seconds:.1f} s"


@pytest.mark.parametrize(("text", "reason"), [
    pytest.param("$$" + " + ".join(["0.1"] * 600) + " = 60.0$$\n", "more than 200 terms in a row", id="600-term sum"),
    pytest.param("$$" + "^".join(["1.0"] * 600) + " = 1.0$$\n", "more than 200 terms in a row", id="600-power tower"),
    pytest.param("$$" + "2.0^{" * 600 + "1" + "}" * 600 + " = 1.0$$\n", "nested more than 40 levels deep",
                 id="600 nested powers"),
    pytest.param("$$" + "(" * 600 + "1.0" + ")" * 600 + " = 1.0$$\n", "nested more than 40 levels deep",
                 id="600 brackets"),
    pytest.param("$$" + "- " * 5000 + "1.5 = 1.5$$\n", "more than 200 terms in a row", id="5000 signs"),
    pytest.param("$$" + ("\\begin{bmatrix}" + " \\\\ ".join([" & ".join(["0.1"] * 50)] * 50) + "\\end{bmatrix}") * 2
                 + " = 0.5$$\n", "a 50x50 matrix times a 50x50 matrix: more than 100000 multiplications",
                 id="a big matrix product"),
])
def test_deep_or_long_expressions_are_skipped_with_their_reason(tmp_path, capsys, text, reason):
    _, out = timed_check(tmp_path, capsys, text)
    assert reason in out and "1 skipped" in out


# The lazy regex the math spans were found with (quadratic on unclosed openers): the oracle.
_LAZY = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"
    r"|\\\[(?P<br>.+?)\\\]"
    r"|\\begin\{(?P<env>(?:equation|align|gather|multline|eqnarray|displaymath|math)\*?)\}(?P<envbody>.+?)\\end\{(?P=env)\}"
    r"|\\\((?P<par>.+?)\\\)"
    r"|(?<![\\$])\$(?P<d>[^$\n]+?)(?<!\\)\$(?!\$)",
    re.DOTALL,
)


def test_math_spans_are_those_of_the_lazy_regex():
    pieces = ["$", "$$", "\\[", "\\]", "\\(", "\\)", "\\begin{equation}", "\\end{equation}", "\\begin{align*}",
              "\\end{align*}", "x", " ", "\n", "\\", "=", "1"]
    draw = random.Random(14)
    for _ in range(3000):
        text = "".join(draw.choice(pieces) for _ in range(draw.randint(0, 25)))
        expected = [(m.start(g), m.end(g)) for m in _LAZY.finditer(text)
                    for g in [next(g for g in ("dd", "br", "envbody", "par", "d") if m.group(g) is not None)]]
        assert _math_spans(text) == expected, text
    text = "a $x = 1$ b $$y = 2$$ \\[z = 3\\] \\(u = 4\\) \\begin{equation}v = 5\\end{equation} \\$6 = 6$"
    assert [tuple(s.text for s in c.sides) for c in chains_of(text)] == [
        ("x", "1"), ("y", "2"), ("z", "3"), ("u", "4"), ("v", "5")]


SPEC_W = """learning_rate: 0.5
layers:
  - {name: input, units: [i1, i2]}
  - {name: output, units: [o1], activation: sigmoid}
weights:
  w_: i1 -> o1 = 0.1
  w__: i2 -> o1 = 0.3
samples:
  - input: {i1: 0.1, i2: 0.5}
    target: {o1: 0.05}
"""


def test_w_and_w__stay_two_names(tmp_path, capsys):
    spec = tmp_path / "w.yaml"
    spec.write_text(SPEC_W)
    status, _, _ = run(capsys, "solve", str(spec), "--format", "md", "-o", str(tmp_path / "out"))
    assert status == 0
    status, out, _ = run(capsys, "check", str(tmp_path / "out" / "solution.md"), "--spec", str(spec))
    assert status == 0 and "0 finding(s)" in out


def test_the_markdown_report_fences_what_the_student_wrote(tmp_path, capsys):
    answers = sheet(tmp_path, '"`<script>alert(1)</script>`": 1\n"a``b|c": 2\n"\\e[31mred": 3\n', "<b>.yaml")
    status, out, _ = run(capsys, "check", "sigmoid-2-2-2", "--answers", answers, "--format", "md")
    assert status == 1
    assert "| `` `<script>alert(1)</script>` `` | 1 |" in out
    assert "| ```a``b\\|c``` | 2 |" in out and "| `\\x1b[31mred` | 3 |" in out
    assert "&lt;b&gt;.yaml" in out and "\x1b" not in out


def test_the_text_report_shows_terminal_escapes_escaped(tmp_path, capsys):
    answers = sheet(tmp_path, '"\\e]0;title\\a\\e[2J\\u202e": 1\n')
    status, out, _ = run(capsys, "check", "sigmoid-2-2-2", "--answers", answers)
    assert status == 1 and "\x1b" not in out and "\u202e" not in out and "\\x1b]0;title\\x07" in out
