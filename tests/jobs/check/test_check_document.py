"""``symprop check DOC [--spec SPEC]``: hand derivations checked link by link.

The seeds' findings below were written out by hand after checking each one against the
seed's text (see the comments); every other numeric line of the seeds must pass. Every
document symprop renders must pass with zero findings.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import gallery
import pytest

from symprop.cli import main
from symprop.examples import names, path
from symprop.jobs.check.chains import chains_of, read_document
from symprop.jobs.check.document import check_document
from symprop.jobs.check.expressions import Mat, Name, Num, Unparseable
from symprop.jobs.check.parser import parse
from symprop.jobs.check.policy import Policy
from symprop.jobs.options import Rendering, SolveOptions
from symprop.jobs.solve import write_solution
from symprop.numbers.solution import solve
from symprop.spec import load_spec
from symprop.spec.choices import NUMERIC_STYLES as STYLES  # general: tests/render/test_symbolic.py

SEEDS = gallery.SEEDS
SEED = {k: SEEDS / name for k, name in (
    ("000", "000_2a6880b81b897f2a.txt"), ("001", "001_f2f096adea60b029.txt"),
    ("002", "002_aae57ece02471e83.txt"), ("004", "004_206766b0729cdffe.txt"),
)}
FINDING_KEYS = ["line", "equation", "expected", "category"]
# Locally the notes may be absent (skip); CI always has shared/ beside the clone (fail).
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir() and os.environ.get("CI") != "true",
                                 reason="the lecture notes are not in ../shared/seeds")


def check(capsys, *argv: str) -> tuple[int, dict]:
    status = main(["check", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    return status, json.loads(out)


def brief(findings: list[dict]) -> list[tuple[int, str, str]]:
    return [(f["line"], f["category"], f["expected"].split(" ")[0]) for f in findings]


# --- the seeds ----------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize(("seed", "policy"), [
    ("000", {"places": 5, "mode": "truncate", "carry": "exact"}),  # 1/(1 + e^-0.41) = 0.601087... printed 0.60108
    ("001", {"places": 5, "mode": "truncate", "carry": "exact"}),  # 0.5 - 0.6 * 0.08020 = 0.45188, printed 0.45187
    ("002", {"places": 3, "mode": "round", "carry": "shown"}),  # 0.526 * 0.249 * 0.29 = 0.03798 -> 0.038
    ("004", {"places": None, "mode": None, "carry": None}),  # the general algorithm: no numbers
])
def test_seed_policies(capsys, seed, policy):
    _status, report = check(capsys, str(SEED[seed]))
    assert {k: report["policy"][k] for k in policy} == policy


@needs_seeds
@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_seeds_000_001_004_have_no_findings(capsys, seed):
    """000 and 001 are consistent under their own policy (truncation, exact values carried:
    001's new_w_1 = 0.1 - 0.6 * 0.00110 = 0.09933 fits, as 0.00110 stands for 0.0011080...);
    004 has no numbers."""
    status, report = check(capsys, str(SEED[seed]))
    assert status == 0
    assert report["findings"] == []
    assert report["policy"]["links"] == report["policy"]["fitting"]


@needs_seeds
@pytest.mark.parametrize("seed", ["000", "001"])
def test_seeds_000_001_agree_with_the_spec_and_are_checked_completely(capsys, seed):
    """With the spec, the sums the notes write in symbols (sum_h2 = i_1 * w_2 + i_2 * w_4 +
    b_1 = 0.47) are checked too: nothing is left unchecked."""
    status, report = check(capsys, str(SEED[seed]), "--spec", "sigmoid-2-2-2")
    assert status == 0
    assert report["findings"] == []
    assert report["skipped"] == []


# Seed 002, checked by hand:
SEED_002 = [
    # (9) o_pre = W_out h + b_out = 0.203 - 0.1: with W_out = [0.8 -1.1] as stated in (3),
    # W_out h = 0.8 * 0.29 = 0.232; 0.203 is 0.7 * 0.29
    (51, "inconsistent_value", "0.232"),
    # (18) w_100 - mu dE/dw_100 = 0.7 - 0.1 * 0.038: w_100 was stated 0.8 in (3)
    (88, "inconsistent_value", "0.8"),
    # (24) 0.526 * 0.249 * w_100 = 0.526 * 0.249 * 0.7: the same
    (114, "inconsistent_value", "0.8"),
    # (25) and (27): 0.092 * 1 * 0.9 = 0.0828 rounds to 0.083; printed 0.082 (truncated)
    (122, "rounding", "0.083"),
    (127, "rounding", "0.083"),
    # (28) 0.2 - 0.1 * 0.082 = 0.1918 rounds to 0.192; printed 0.191 (truncated)
    (131, "rounding", "0.192"),
    # (47) sigma(0.075) = 0.51874 rounds to 0.519; printed 0.518 (truncated)
    (204, "rounding", "0.519"),
]


@needs_seeds
def test_seed_002_slips(capsys):
    status, report = check(capsys, str(SEED["002"]))
    assert status == 1
    assert brief(report["findings"]) == SEED_002
    assert report["policy"] == {"places": 3, "mode": "round", "carry": "shown", "links": 38, "fitting": 34}
    assert [list(f) for f in report["findings"]] == [FINDING_KEYS] * len(SEED_002)
    by_line = {f["line"]: f for f in report["findings"]}
    assert by_line[122]["equation"] == r"0.092 \cdot 1 \cdot 0.9 = 0.082"
    assert by_line[88]["expected"] == "0.8 (w_{100} as stated on line 27)"
    # W_hid x (the matrix is stated as W_0) and \sum_i (y_i - o_i)^2 hold no number: no skips
    assert report["skipped"] == []


@needs_seeds
def test_seed_002_against_the_spec(capsys):
    """The spec (relu-3-2-1, w_100 = 0.7) under the seed's policy: the stated 0.8, the slips,
    and the second forward pass built on the slip 0.191 (0.27, 0.075, 0.518, 0.134)."""
    _status, report = check(capsys, str(SEED["002"]), "--spec", "relu-3-2-1")
    spec_findings = [(f["line"], f["expected"], f["equation"]) for f in report["findings"]
                     if f["category"] == "disagrees_with_spec"]
    assert spec_findings == [
        (27, "0.7", "w_{100} = 0.8"),
        (122, "0.083", "dE/dw_{000} = 0.082"),
        (127, "0.083", "dE/dw_{000} = 0.082"),
        (131, "0.192", "w_{000}^{*} = 0.191"),
        (204, "0.519", "o^{*} = 0.518"),
        (207, "0.135", "E^{*} = 0.134"),
    ]
    # Judged as a marker does, under the spec's policy: 0.27 (two places) is the spec's
    # 0.2709 at its own digits, o_pre* = 0.075 is right when exact values are carried, and so
    # is 0.092 * 0.9 = 0.082 (0.092 may stand for 0.0915...); the spec still finds the 0.082.
    assert brief([f for f in report["findings"] if f["category"] != "disagrees_with_spec"]) == [
        f for f in SEED_002 if f[0] not in (122, 127)]


# --- every document symprop renders ------------------------------------------------------------

GALLERY = gallery.files()
def _spec_of(file: Path) -> str:
    return file.relative_to(gallery.GALLERY).parts[0]  # outputs/<example>/[<style>/]<file>


# Known, not yet fixed: in the delta and matrix decks of a two-sample spec the checker takes
# the frame titles "The deltas, sample 2" for no heading, so sample 1's values are used in
# sample 2's frames; the matrix deck also writes dE/dW = delta x^T without the sum over the
# samples its numbers are (a formula bug of the matrix style).
KNOWN = {"tanh-2-3-3-2/delta/slides.tex", "tanh-2-3-3-2/matrix/slides.tex"}


@pytest.mark.parametrize("file", [
    pytest.param(f, marks=pytest.mark.xfail(strict=True, reason="sample scopes of deck frames; batch formulas"))
    if str(f.relative_to(gallery.GALLERY)) in KNOWN else f for f in GALLERY
], ids=lambda p: str(p.relative_to(gallery.GALLERY)))
def test_rendered_files_pass(file):
    for solution in (None, solve(load_spec(path(_spec_of(file))))):
        report = check_document(read_document(file), solution)
        assert report.findings == (), report.findings
        assert report.fitting == report.links


@pytest.mark.parametrize("name", names())
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_rendered_documents_pass(tmp_path, name, style, fmt):
    """Every example, style and format, rendered as the CLI renders it, then checked, alone
    and against its spec: zero findings, and the spec's own policy found."""
    spec = load_spec(path(name))
    solution = solve(spec, form="chain" if style == "chain" else "delta")
    (file,) = [f for f in write_solution(spec, SolveOptions(fmt, tmp_path, Rendering(style))) if f.suffix == f".{fmt}"]
    for against in (None, solution):
        report = check_document(read_document(file), against)
        assert report.findings == (), report.findings
    rounding = spec.rounding
    assert report.policy == Policy(rounding.places, rounding.mode, rounding.carry)


# --- small documents: each category ------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "doc.md") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


DOC = r"""# A hand calculation

$$w_1 = 0.5$$

$$h = \frac{1}{1 + e^{-0.4}} = 0.599$$

$$a = 0.599 \cdot 0.5 + 0.1 = 0.400$$

$$b = 0.599 \cdot w_1 = 0.599 \cdot 0.6 = 0.359$$

$$c = 0.25 + 0.125 = 0.385$$

$$d = 1.5 \cdot 2 = 3.0$$
"""


def test_each_category_in_a_small_document(capsys, tmp_path):
    """sigma(0.4) = 0.59869 -> 0.599 and 0.599 * 0.5 + 0.1 = 0.3995 -> 0.400 (rounded, not
    truncated: 0.399); then w_1, stated 0.5, used as 0.6; then 0.25 + 0.125 = 0.375, printed
    0.385, which no rounding explains."""
    status, report = check(capsys, str(write(tmp_path, DOC)))
    assert status == 1
    assert (report["policy"]["places"], report["policy"]["mode"]) == (3, "round")
    assert brief(report["findings"]) == [(9, "inconsistent_value", "0.5"), (11, "arithmetic", "0.375")]


def test_a_truncated_result_in_a_rounding_document(capsys, tmp_path):
    text = "$$a = 0.3 \\cdot 0.7 = 0.210$$\n\n$$b = \\frac{1}{1 + e^{-0.4}} = 0.599$$\n\n$$c = 0.2 \\cdot 0.9989 = 0.199$$\n"
    _status, report = check(capsys, str(write(tmp_path, text)))
    # 0.2 * 0.9989 = 0.19978: rounded 0.200, printed 0.199 (truncated)
    assert brief(report["findings"]) == [(5, "rounding", "0.200")]


def test_unparseable_expressions_are_skipped_not_guessed(capsys, tmp_path):
    """A side it cannot read that holds a decimal number is skipped with the reason; a
    formula of names and small integers is no skip (nothing numeric is left unchecked)."""
    text = ("$$E = \\frac{1}{2} \\sum_k (t_k - y_k)^2 = 0.125$$\n\n"
            "$$E = \\frac{1}{2} \\sum_k (0.5 - y_k)^2 = 0.125$$\n\n$$x = 0.5 + 0.25 = 0.75$$\n")
    status, report = check(capsys, str(write(tmp_path, text)))
    assert status == 0
    assert report["findings"] == []
    assert report["skipped"] == [{"line": 3, "equation": r"\frac{1}{2} \sum_k (0.5 - y_k)^2", "reason": r"cannot read: \sum"}]


def test_latex_documents_and_aligned_rows(capsys, tmp_path):
    text = r"""\documentclass{article}
\begin{document}
\section*{Forward}
% a comment: $x = 1 + 1 = 3$ is not read
\begin{align*}
s &= 0.1 \cdot 0.2 + 0.5 \cdot 0.4 \\
  &= 0.22 \\
t &= 0.22 \cdot 2 \\
  &\quad + 1 = 1.48
\end{align*}
\[ v = \begin{bmatrix} 0.1 \\ 0.2 \end{bmatrix} + \begin{bmatrix} 0.3 \\ 0.4 \end{bmatrix} = \begin{bmatrix} 0.4 \\ 0.7 \end{bmatrix} \]
\end{document}
"""
    _status, report = check(capsys, str(write(tmp_path, text, "doc.tex")))
    # t = 0.22 * 2 + 1 = 1.44 (printed 1.48); v = [0.4; 0.6] (printed [0.4; 0.7]); the
    # places are 2 (0.22, 1.48), so the expected values are written with 2 decimals
    assert [(f["line"], f["category"], f["expected"]) for f in report["findings"]] == [
        (9, "arithmetic", "1.44"),
        (11, "arithmetic", "[0.40, 0.60]"),
    ]


def test_sample_headings_scope_the_stated_values(capsys, tmp_path):
    text = "## Sample 1\n\n$$a = 0.5$$\n\n$$b = 2 \\cdot a = 2 \\cdot 0.5 = 1$$\n\n" \
           "## Sample 2\n\n$$a = 0.25$$\n\n$$b = 2 \\cdot a = 2 \\cdot 0.25 = 0.5$$\n\n" \
           "### Back to sample 1\n\n$$c = 3 \\cdot a = 3 \\cdot 0.25 = 0.75$$\n"
    _status, report = check(capsys, str(write(tmp_path, text)))
    # sample 1's a is 0.5: the last line uses sample 2's value under a sample 1 heading
    assert [(f["line"], f["category"]) for f in report["findings"]] == [(15, "inconsistent_value")]


def test_text_and_markdown_reports(capsys):
    doc = str(SEED["002"]) if SEEDS.is_dir() else None
    if doc is None:
        pytest.skip("no seeds")
    assert main(["check", doc]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("policy: 3 places, rounded half up, the written values carried (34 of 38 numeric links fit)")
    assert r"line 122: rounding: 0.092 \cdot 1 \cdot 0.9 = 0.082  expected 0.083" in out
    assert main(["check", doc, "--format", "md"]) == 1
    out = capsys.readouterr().out
    assert r"| 122 | rounding | `0.092 \cdot 1 \cdot 0.9 = 0.082` | 0.083 |" in out



def test_reports_of_equations_as_written(capsys, tmp_path):
    """A terminal is shown a control character of the document, not made to obey it; a
    Markdown cell keeps an equation on one line, with its "|" escaped."""
    doc = write(tmp_path, "$$c = 0.25 +\n0.125 = 0.385\x1b[31m$$\n\n$$a = 0.5 \\| 0.25 = 0.75$$\n\n"
                          "$$b = 0.5 + 0.25 = 0.75$$\n")
    assert main(["check", str(doc)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "line 1: skipped: 0.385\\x1b[31m  (cannot read: unexpected '\\x1b[31m')\n" in out
    assert main(["check", str(write(tmp_path, "$$c = 0.25 +\n0.125 = 0.385$$\n$$a = P(0.3 | 0.2) + 0.25 = 0.75$$\n")),
                 "--format", "md"]) == 1
    out = capsys.readouterr().out
    assert "| 1 | arithmetic | `0.25 + 0.125 = 0.385` | 0.375 |  |\n" in out
    assert "- line 3: `P(0.3 \\| 0.2) + 0.25` (cannot read: expected '\\|' at ') + 0.25')\n" in out
    assert out.endswith("\n\n1 finding(s), 1 skipped\n")


def test_a_document_without_numbers_has_no_policy(capsys, tmp_path):
    doc = write(tmp_path, "# Notation\n\n$$a = b$$\n")
    assert main(["check", str(doc)]) == 0
    assert capsys.readouterr().out == (
        f"{doc}: policy: none found (no equation computes a printed number from printed numbers)\n"
        "0 finding(s), 0 skipped\n")
    assert main(["check", str(doc), "--format", "md"]) == 0
    assert capsys.readouterr().out == (
        f"# Check of {doc}\n\npolicy: none found (no equation computes a printed number from printed numbers)\n\n"
        "0 finding(s), 0 skipped\n")

def test_bad_document_input(capsys, tmp_path):
    assert main(["check", str(tmp_path / "none.md")]) == 2
    assert "none.md: cannot read" in capsys.readouterr().err
    (tmp_path / "bin.md").write_bytes(b"\xff\xfe\x00")
    assert main(["check", str(tmp_path / "bin.md")]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert main(["check", str(write(tmp_path, "$$a = 1 + 1 = 2$$")), "--require", "x"]) == 2
    assert "--require: only with --answers" in capsys.readouterr().err
    assert main(["check", str(write(tmp_path, "$$a = 1 + 1 = 2$$")), "--spec", "nope"]) == 2
    assert "nope: no such file" in capsys.readouterr().err


# --- the parser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("tex", "key"), [
    (r"\frac{\partial E_{\text{total}}}{\partial w_5}", "dEtotal/dw5"),
    (r"new\_w_5", "neww5"),
    ("new_w_5", "neww5"),
    (r"w_{100}^*", "w100*"),
    (r"h_{\text{pre},0}", "hpre0"),
    (r"z^{3}_{1}", "z31"),
    (r"{a^{0}_{1}}^{[1]}", "a01[1]"),
    (r"\frac{\partial E_{1}}{\partial w^{3}_{11}}\ \text{(sample 1)}", "dE1/dw311[1]"),
])
def test_names(tex, key):
    node = parse(tex)
    assert isinstance(node, Name) and node.key == key


def test_numbers_matrices_and_unparseable():
    assert parse("0.60108") == Num(Decimal("0.60108"), 5, "0.60108")
    assert parse("(-1.1)") == Num(Decimal("-1.1"), 1, "-1.1")
    matrix = parse(r"\begin{bmatrix} 0.2 & -1.2 \\ -0.5 & 0.3 \end{bmatrix}")
    assert isinstance(matrix, Mat) and [[x.text for x in row] for row in matrix.rows] == [["0.2", "-1.2"], ["-0.5", "0.3"]]
    for tex in (r"\sum_i x_i", r"\frac{d}{dx} \sigma(x)", r"\frac{\partial w_1 h + b}{\partial w_1}", r"\begin{cases} 1 \end{cases}"):
        with pytest.raises(Unparseable):
            parse(tex)


def test_chains_continue_across_displays_and_rows():
    text = "$$\\frac{\\partial E}{\\partial w_5} = 0.68 * 0.19$$\n\n$$\\frac{\\partial E}{\\partial w_5} = 0.1292$$\n" \
           "$$\\begin{aligned} s &= 1 + 2 \\\\ &= 3 \\end{aligned}$$\n"
    chains = chains_of(text)
    assert [[s.text for s in c.sides] for c in chains] == [
        [r"\frac{\partial E}{\partial w_5}", "0.68 * 0.19", "0.1292"],
        ["s", "1 + 2", "3"],
    ]
