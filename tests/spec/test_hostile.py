"""Hostile and faulty specs: every one is a one-line error (or read as a person would), in
bounded time and memory, never a traceback (issue 14's reproducers, one test each)."""

from __future__ import annotations

import json
import os
import threading
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from symprop.cli import main
from symprop.errors import SympropError
from symprop.spec import load_spec, parse_number
from symprop.spec.values import Rounding, describe
from symprop.spec.yamlread import ALIAS_BUDGET, MAX_DEPTH, MAX_SPEC_BYTES, read_yaml

EXAMPLE = "".join(  # the bundled 2-2-2 network without its comments and title
    line for line in (Path(__file__).parents[2] / "symprop" / "examples" / "sigmoid-2-2-2.yaml")
    .read_text().splitlines(keepends=True) if not line.startswith(("#", "title:")))


def one_line_error(capsys, *argv: str) -> str:
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2 and out == "", (status, out, err)
    assert err.startswith("symprop: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def spec_file(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [
    "!!float x", "!!bool x", "!!timestamp x", "!!set x", "!!binary x", "!!omap x", "!!map [1]",
    "!!python/object:os.system x", "a: !!python/name:os.system", "title: !foo x",
])
def test_yaml_tags_are_one_line_errors(tmp_path, capsys, text):
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, text)))
    assert "YAML tag" in err


def test_a_date_that_is_no_date_is_text(tmp_path, capsys):
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, "a: !!timestamp 2020-13-45\n")))
    assert "unknown key 'a'" in err
    assert read_yaml("date: 2020-13-45") == {"date": "2020-13-45"}
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, EXAMPLE.replace("learning_rate: 0.6",
                                                                                   "learning_rate: 2020-13-45"))))
    assert "learning_rate: 2020-13-45 is not a valid date" in err


def test_tags_that_say_what_the_value_is_are_read():
    assert read_yaml("a: !!str 017\nb: !!int 3\nc: !!float 0.5\nd: !!seq [1]") == {
        "a": "017", "b": 3, "c": Decimal("0.5"), "d": [1]}


@pytest.mark.parametrize(("written", "message"), [
    ("017", "017 is a number with a leading zero, which YAML 1.1 reads as octal 15; write 17 or 0.17"),
    ("08", "08 is a number with a leading zero"),
    ("1:30", "1:30 is a base-60 (sexagesimal) number, which YAML 1.1 reads as 90"),
    ("0x1F", "0x1F is a hexadecimal number, which YAML 1.1 reads as 31; write 31"),
    ("0o17", "0o17 is an octal number, which YAML 1.1 reads as 15; write 15"),
    ("0b101", "0b101 is a binary number, which YAML 1.1 reads as 5; write 5"),
    ("1_000", "1_000 is a number with digits grouped by _, which YAML 1.1 reads as 1000; write 1000"),
    (".inf", "Infinity is not a finite number"),
])
def test_yaml_1_1_numbers_are_refused_saying_how_yaml_reads_them(tmp_path, capsys, written, message):
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, EXAMPLE.replace("learning_rate: 0.6",
                                                                                   f"learning_rate: {written}"))))
    assert f"learning_rate: {message}" in err


@pytest.mark.parametrize("written", ["017", "1:30", "0x1F", "1_000"])
def test_yaml_1_1_numbers_in_text_are_read_as_written(tmp_path, written):
    spec = load_spec(spec_file(tmp_path, f"title: {written}\n" + EXAMPLE))
    assert spec.title == written


def test_a_1_1_bomb_of_aliases_is_refused_at_once(tmp_path, capsys):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "\n".join(lines) + "\nlearning_rate: *a9\n"
    start = time.perf_counter()
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, bomb)))
    assert time.perf_counter() - start < 2
    assert f"expand to more than {ALIAS_BUDGET} values" in err


def test_a_few_aliases_are_fine_and_recursive_ones_are_refused():
    assert read_yaml("a: &x [1, 2]\nb: *x") == {"a": [1, 2], "b": [1, 2]}
    with pytest.raises(SympropError, match="recursive alias"):
        read_yaml("a: &x [1, *x]")


@pytest.mark.parametrize("text", ["[" * 500 + "]" * 500, "{a: " * 500 + "1" + "}" * 500, "- " * 500 + "x"])
def test_deep_nesting_is_one_line(tmp_path, capsys, text):
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, text)))
    assert f"nested more than {MAX_DEPTH} levels deep" in err


def test_an_unbounded_input_is_read_up_to_the_limit(capsys):
    err = one_line_error(capsys, "solve", "/dev/zero")
    assert f"more than {MAX_SPEC_BYTES} bytes" in err


def test_a_fifo_is_read_with_a_limit(tmp_path, capsys):
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as out:
            try:
                for _ in range(MAX_SPEC_BYTES // 65536 + 2):
                    out.write(b"#" * 65536)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    err = one_line_error(capsys, "solve", str(fifo))
    writer.join(5)
    assert "bytes" in err


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    with path.open("wb") as out:
        out.truncate(10 * MAX_SPEC_BYTES)  # sparse: refused by its size alone
    start = time.perf_counter()
    err = one_line_error(capsys, "solve", str(path))
    assert time.perf_counter() - start < 1 and f"{10 * MAX_SPEC_BYTES} bytes; at most {MAX_SPEC_BYTES}" in err


def test_describe_cuts_before_it_formats():
    shared: list = ["lol"] * 9
    for _ in range(40):  # 9^40 leaves if formatted whole
        shared = [shared] * 9
    start = time.perf_counter()
    text = describe(shared)
    assert time.perf_counter() - start < 0.1 and len(text) <= 60 and text.endswith("...")
    looped: list = []
    looped.append(looped)
    assert describe(looped).startswith("[[[")
    assert describe(10**100_000) == "an integer of about 100000 digits"
    assert describe("x" * 10**7) == "'" + "x" * 56 + "..."


@pytest.mark.parametrize(("raw", "message"), [
    ("1e16", "is larger in size than 1e15"),
    (10**16, "is larger in size than 1e15"),
    ("1/3" + "0" * 0, None),
    ("1." + "1" * 30, "more than 30 significant digits"),
    ("1/" + "7" * 31, "a term of more than 30 digits"),
    (Decimal("-1e15"), None),
])
def test_spec_values_a_worked_solution_can_show(raw, message):
    if message is None:
        assert isinstance(parse_number(raw, "x"), Fraction)
    else:
        with pytest.raises(SympropError, match=message):
            parse_number(raw, "x")


def test_a_spec_value_too_large_names_its_key(tmp_path, capsys):
    err = one_line_error(capsys, "solve", str(spec_file(tmp_path, EXAMPLE.replace("w1: i1 -> h1 = 0.1\n",
                                                                                   "w1: i1 -> h1 = 1e999\n"))))
    assert "weights.w1" in err and "1e999" in err


def test_shown_values_use_exponent_notation_when_fixed_would_be_enormous():
    assert Rounding(5, "truncate").show(Decimal("1234567890123456789012345.5e100")) == "1.23456e+124"
    assert Rounding(3, "round").show(Decimal("-9.9999e130")) == "-1.000e+131"
    assert Rounding(2).show(Decimal("1e99")) == "1" + "0" * 99 + ".00"  # 100 digits: still written out


def deep_identity(layers: int, weight: str) -> str:
    rows = ["  - {units: 1}"] + [f"  - {{units: 1, activation: identity, weights: [[{weight}]]}}"] * layers
    return "learning_rate: 0.5\nlayers:\n" + "\n".join(rows) + "\nsamples:\n  - {input: [1], target: [0]}\n"


def test_deep_identity_networks_neither_overflow_nor_amplify(tmp_path, capsys):
    status = main(["solve", str(spec_file(tmp_path, deep_identity(18, "1e15")))])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    data = json.loads(out, parse_float=Decimal)
    assert len(out) < 50_000 and data["samples"][0]["units"]["o1"]["out"]["shown"] == "1.00000e+270"
    one_line_error(capsys, "solve", str(spec_file(tmp_path, deep_identity(200, "1e15"))))


def test_a_lone_surrogate_leaves_no_file(tmp_path, capsys):
    spec = spec_file(tmp_path, 'title: "\\ud800"\n' + EXAMPLE)
    one_line_error(capsys, "solve", str(spec), "--format", "md", "-o", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
