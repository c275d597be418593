"""The command line: ``symprop examples`` and ``symprop solve SPEC`` (the JSON contract)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from symprop.cli import main
from symprop.errors import SympropError
from symprop.examples import path
from symprop.jobs import solve as solve_job
from symprop.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("relu-3-2-1", "sigmoid-2-2-2", "softmax-2-2-3", "tanh-2-3-3-2", "xor-threshold-2-2-1")


def solve_json(capsys, spec: str) -> dict:
    assert main(["solve", spec]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out, parse_float=Decimal)


def assert_q(q, places: int) -> None:
    """A quantity: ``{"value": number, "shown": string}``, shown with ``places`` decimals."""
    assert set(q) == {"value", "shown"}
    assert isinstance(q["value"], (int, Decimal)) and not isinstance(q["value"], bool)
    assert isinstance(q["shown"], str)
    assert re.fullmatch(rf"-?\d+\.\d{{{places}}}" if places else r"-?\d+", q["shown"]), q["shown"]


def test_examples_lists_both(capsys):
    assert main(["examples"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(EXAMPLES)
    assert "sigmoid-2-2-2\tForward pass and back-propagation" in lines


@pytest.mark.parametrize("name", EXAMPLES)
def test_solve_example_contract(capsys, name):
    data = solve_json(capsys, name)
    places = data["rounding"]["places"]
    assert isinstance(data["title"], str) and data["title"]
    assert len(data["samples"]) == len(load_spec(path(name)).samples)
    for sample in data["samples"]:
        for quantities in sample["units"].values():
            assert set(quantities) == {"net", "out", "delta"}
            for q in quantities.values():
                assert_q(q, places)
        for q in sample["error"].values():
            assert_q(q, places)
    for key in ("gradients", "updated"):
        for q in data[key].values():
            assert_q(q, places)
    assert_q(data["error_total"], places)
    assert_q(data["after"]["error_total"], places)
    assert data["after"]["error_total"]["value"] < data["error_total"]["value"]


def test_solve_sigmoid_numbers(capsys):
    data = solve_json(capsys, "sigmoid-2-2-2")
    assert data["title"] == "Forward pass and back-propagation"
    sample = data["samples"][0]
    assert list(sample["units"]) == ["h1", "h2", "o1", "o2"]
    assert list(sample["error"]) == ["o1", "o2", "total"]
    assert set(data["gradients"]) >= {f"w{k}" for k in range(1, 9)}
    assert set(data["updated"]) == set(data["gradients"])
    # the printed numbers of the lecture notes (truncated to 5 places; see the example's comments)
    assert sample["units"]["h1"]["net"]["value"] == Decimal("0.41")
    assert sample["units"]["h1"]["out"]["shown"] == "0.60108"
    assert data["updated"]["w5"]["shown"] == "0.45187"
    assert data["updated"]["w1"]["shown"] == "0.09933"
    assert data["rounding"] == {"places": 5, "mode": "truncate", "carry": "exact"}


def test_solve_relu_numbers(capsys):
    data = solve_json(capsys, "relu-3-2-1")
    assert data["samples"][0]["units"]["o"]["out"]["shown"] == "0.526"
    assert list(data["samples"][0]["error"]) == ["o", "total"]


def test_solve_format_json(capsys):
    assert main(["solve", "sigmoid-2-2-2", "--format", "json"]) == 0
    json.loads(capsys.readouterr().out, parse_float=Decimal)


def test_an_output_folder_with_json_is_a_one_line_error(tmp_path, capsys):
    folder = tmp_path / "out"
    assert main(["solve", "sigmoid-2-2-2", "-o", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not folder.exists()
    assert captured.err.count("\n") == 1 and f"-o {folder}: --format json prints" in captured.err
    assert "> solution.json" in captured.err and "md, tex, pdf or html" in captured.err


def test_output_is_byte_identical_across_runs(capsys):
    for name in EXAMPLES:
        assert main(["solve", name]) == 0
        first = capsys.readouterr().out
        assert main(["solve", name]) == 0
        assert capsys.readouterr().out == first


def test_path_wins_over_example_name(tmp_path, monkeypatch, capsys):
    example = (ROOT / "symprop" / "examples" / "sigmoid-2-2-2.yaml").read_text(encoding="utf-8")
    (tmp_path / "sigmoid-2-2-2").write_text(example.replace("title: Forward pass and back-propagation", "title: Mine"))
    monkeypatch.chdir(tmp_path)
    assert solve_json(capsys, "sigmoid-2-2-2")["title"] == "Mine"


def test_unknown_example(capsys):
    assert main(["solve", "sigmoid-9-9-9"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "symprop: error: sigmoid-9-9-9: no such file, and no bundled example of that name " \
                  "(examples: relu-3-2-1, sigmoid-2-2-2, softmax-2-2-3, tanh-2-3-3-2, xor-threshold-2-2-1)\n"


def test_error_is_one_line_whatever_it_quotes(monkeypatch, capsys):
    def broken(spec, options):
        raise SympropError("first line\nsecond line")

    monkeypatch.setattr(solve_job, "solution_json", broken)
    assert main(["solve", "sigmoid-2-2-2"]) == 2
    assert capsys.readouterr().err == "symprop: error: first line second line\n"


def test_python_dash_m(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-m", "symprop", "solve", "sigmoid-2-2-2"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout, parse_float=Decimal)["title"] == "Forward pass and back-propagation"
