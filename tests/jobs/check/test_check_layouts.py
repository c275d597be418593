"""The document checker on the layouts of other people's derivations: boxed and bold results,
decimal commas, HTML comments, a chain that goes on in the next display, one computation
rewritten as another (``0.7 × 0.3 = 0.6457 × 0.3543``), vectors written
``[a, b]^T``, element-by-element products (``\\odot``), layer indices written inline
(``W[1]``, ``dZ[2]``) and a layer-superscript notation read with its spec.

The published document is the 2-2-1 "Concrete Example" of session 6 of smaxx73's
Neural-Network-Course (tests/fixtures/check/documents/smaxx73-2-2-1.md, cited there), in
vectors and matrices at 4 decimals, with one slip of its own: 0.6028 × 0.3972 is 0.2394, not
0.2395 (σ'(0.6) = 0.239429)."""

from __future__ import annotations

from pathlib import Path

import pytest

from symprop.jobs.check.chains import read_document
from symprop.jobs.check.document import check_document
from symprop.numbers.solution import solve
from symprop.spec import load_spec

DOCS = Path(__file__).parents[2] / "fixtures" / "check" / "documents"
MATRICES = (DOCS / "smaxx73-2-2-1.md").read_text(encoding="utf-8")
MATRICES_SPEC = solve(load_spec(DOCS / "smaxx73-2-2-1.yaml"))


def report(tmp_path: Path, text: str, solution=None):
    file = tmp_path / "doc.md"
    file.write_text(text, encoding="utf-8")
    return check_document(read_document(file), solution)


def found(tmp_path: Path, text: str, solution=None) -> list[tuple[int, str]]:
    result = report(tmp_path, text, solution)
    assert result.skipped == (), result.skipped
    return [(f.line, f.category) for f in result.findings]


def line_of(text: str, piece: str) -> int:
    assert text.count(piece) == 1, piece
    return text[:text.index(piece)].count("\n") + 1


def test_the_published_matrix_derivation_is_read_whole_and_its_slip_found(tmp_path):
    assert found(tmp_path, MATRICES) == [(line_of(MATRICES, "= 0.2395$"), "rounding")]
    (slip,) = report(tmp_path, MATRICES).findings
    assert slip.expected == "0.2394"  # 0.6028 x 0.3972 = 0.23943: it fits truncated operands only
    assert slip.note == "it fits truncated values, but the document rounds to 4 places, carrying the written values"


def test_with_its_spec_the_layer_superscripts_mean_the_spec_s_notation(tmp_path):
    # notation layer_superscript: z^{(1)} is the weighted sum, a^{(1)} the output (Bishop's are the other way)
    assert found(tmp_path, MATRICES, MATRICES_SPEC) == []
    wrong = MATRICES.replace(r"\approx \begin{bmatrix} 0.6457 \\ 0.4256 \end{bmatrix}",
                             r"\approx \begin{bmatrix} 0.6457 \\ 0.4265 \end{bmatrix}")
    assert (line_of(MATRICES, r"a^{(1)} = \sigma(z^{(1)})"), "disagrees_with_spec") in found(
        tmp_path, wrong, MATRICES_SPEC)


@pytest.mark.parametrize(("old", "new"), [
    # the element-by-element product
    (r"\odot \begin{bmatrix} 0.2288 \\ 0.2445 \end{bmatrix} = \begin{bmatrix} -0.0261 \\ 0.0186 \end{bmatrix}",
     r"\odot \begin{bmatrix} 0.2288 \\ 0.2445 \end{bmatrix} = \begin{bmatrix} -0.0261 \\ 0.0196 \end{bmatrix}"),
    # a product of two matrices
    (r"= \begin{bmatrix} -0.0261 & 0 \\ 0.0186 & 0 \end{bmatrix}", r"= \begin{bmatrix} -0.0261 & 0 \\ 0.0168 & 0 \end{bmatrix}"),
])
def test_a_slip_in_a_matrix_line_is_found(tmp_path, old, new):
    text = MATRICES.replace(old, new)
    assert text != MATRICES
    assert (line_of(text, new), "arithmetic") in found(tmp_path, text)


def test_a_transposed_list_is_a_column_vector(tmp_path):
    text = "$$\nv = [0.5, 0.25]^T + \\begin{bmatrix} 0.1 \\\\ 0.2 \\end{bmatrix} = \\begin{bmatrix} 0.6 \\\\ 0.45 \\end{bmatrix}\n$$\n"
    assert found(tmp_path, text) == []
    assert found(tmp_path, text.replace("0.45 \\end", "0.55 \\end")) == [(2, "arithmetic")]


BOXED = r"""
$$
y_3 = \frac{1}{1 + e^{-0.21}} = \boxed{0.5523}
$$

$$
e = 0.5 - 0.6686 = \mathbf{-0.1686}
$$

$$
d = \textcolor{red}{0.5523} \times 2 = 1.1046
$$
"""


def test_boxed_bold_and_coloured_numbers_are_read(tmp_path):
    assert found(tmp_path, BOXED) == []
    assert found(tmp_path, BOXED.replace(r"\boxed{0.5523}", r"\boxed{0.5623}")) == [(3, "arithmetic")]
    assert found(tmp_path, BOXED.replace(r"\mathbf{-0.1686}", r"\mathbf{-0.1786}")) == [(7, "arithmetic")]


def test_a_decimal_comma_is_a_point(tmp_path):
    assert found(tmp_path, "$$\nb = 0{,}5 \\cdot 2{,}5 = 1{,}25\n$$\n") == []
    assert found(tmp_path, "$$\nb = 0{,}5 \\cdot 2{,}5 = 1{,}35\n$$\n") == [(2, "arithmetic")]


def test_what_an_html_comment_says_is_not_read(tmp_path):
    text = "<!-- an earlier draft: y_3 = 0.51,\n$$z = 0.1 + 0.1 = 0.3$$ -->\n$$\na = (0.3 \\cdot y_3) = (0.3 \\cdot 0.57) = 0.171\n$$\n"
    assert found(tmp_path, text) == []
    assert found(tmp_path, text.replace("<!--", "").replace("-->", "")) != []


def test_a_chain_goes_on_in_the_display_that_starts_with_equals(tmp_path):
    text = "$$\ng = 0.6 - 1.0 \\times (-0.1229)\n$$\n\n$$\n= 0.6 + 0.1229\n$$\n\n$$\n= 0.7229\n$$\n"
    assert found(tmp_path, text) == []
    assert found(tmp_path, text.replace("= 0.7229", "= 0.7329")) == [(10, "arithmetic")]


LAYER_INDEX = r"""
$$
dZ[2] = 0.5
$$

$$
dW[2] = dZ[2] \cdot 0.4 = 0.5 \cdot 0.4 = 0.2
$$
"""


def test_a_layer_index_written_inline_is_part_of_the_name(tmp_path):
    assert found(tmp_path, LAYER_INDEX) == []
    assert found(tmp_path, LAYER_INDEX.replace("= 0.5 \\cdot 0.4 = 0.2", "= 0.6 \\cdot 0.4 = 0.24")) == [
        (7, "inconsistent_value")]


def test_one_place_is_singular(tmp_path, capsys):
    from symprop.cli import main

    file = tmp_path / "one.md"
    file.write_text("$$\na = 0.3 + 0.5 = 0.8\n$$\n", encoding="utf-8")
    assert main(["check", str(file)]) == 0
    assert "policy: 1 place, rounded half up" in capsys.readouterr().out


REWRITTEN = r"""
$$
z = 0.6 \times 0.6457 + (-0.4) \times 0.4256 + 0.2000 = 0.3874 - 0.1702 + 0.2000 = 0.4172
$$

$$
s = \sigma(0.6)(1 - \sigma(0.6)) = 0.6457 \times 0.3543 = 0.2288
$$

$$
o = \frac{1}{1 + e^{-0.6}} = \frac{1}{1 + 0.55} = 0.6452
$$

$$
f = e^{2.3} + 1 = 10 + 1 = 11
$$

$$
v = \begin{bmatrix} 0.1 \\ 0.2 \end{bmatrix} + \begin{bmatrix} 0.5 \\ 0.2 \end{bmatrix} = [0.1 + 0.5, 0.2 + 0.2] = [0.6, 0.4]
$$
"""


def test_a_computation_rewritten_as_another_must_be_the_same_number(tmp_path):
    # results written on the way may be a unit of their last digit off (0.55 for e^-0.6 = 0.5488,
    # 10 for e^2.3 = 9.97), and a column may be rewritten as a row
    assert found(tmp_path, REWRITTEN) == []
    # a wrong product on the way, though the sum after it is right (0.3847 for 0.3874)
    assert found(tmp_path, REWRITTEN.replace("= 0.3874 - 0.1702", "= 0.3847 - 0.1702")) == [
        (3, "arithmetic"), (3, "arithmetic")]
    # another operand than the left side's (sigma(0.9)), and a number copied wrong (0.4856)
    assert found(tmp_path, REWRITTEN.replace(r"\sigma(0.6)(1 - \sigma(0.6))", r"\sigma(0.9)(1 - \sigma(0.9))")) == [
        (7, "arithmetic")]
    assert found(tmp_path, REWRITTEN.replace("\\times 0.4256 + 0.2000 = 0.3874", "\\times 0.4856 + 0.2000 = 0.3874")) == [
        (3, "arithmetic")]


def test_a_number_rewritten_as_a_matrix_is_skipped(tmp_path):
    text = "$$\nd = 0.3 + 0.5 = 0.8\n$$\n\n$$\nh = 2 \\cdot 0.25 = \\begin{bmatrix} 0.25 + 0.25 \\\\ 0.5 \\end{bmatrix}\n$$\n"
    result = report(tmp_path, text)
    assert result.findings == () and [s.line for s in result.skipped] == [6]
    assert "a matrix rewritten as a number" in result.skipped[0].reason


def test_a_matrix_is_expected_row_by_row(tmp_path):
    text = MATRICES.replace(r"= \begin{bmatrix} -0.0261 & 0 \\ 0.0186 & 0 \end{bmatrix}",
                            r"= \begin{bmatrix} -0.0261 & 0 \\ 0.0168 & 0 \end{bmatrix}")
    (finding,) = [f for f in report(tmp_path, text).findings if f.category == "arithmetic"]
    assert finding.expected == "[-0.0261, 0.0000; 0.0186, 0.0000]"
