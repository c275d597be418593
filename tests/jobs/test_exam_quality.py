"""Exams a course can run: no weak or mistake-ambiguous question gets through (on a few
hundred draws of several specs), a spec that cannot give its variants says what to change,
and the Moodle answers of the classic mistakes are the mistake library's values, named."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from symprop.cli import main
from symprop.errors import SympropError
from symprop.examples import path
from symprop.jobs.check.answers import Checker
from symprop.jobs.check.mistakes import MISTAKES
from symprop.jobs.check.sheets import Answer
from symprop.jobs.exam import make_exam
from symprop.numbers.quantities import rounding_kind
from symprop.numbers.records import exact
from symprop.numbers.solution import solve
from symprop.numbers.trace import base_model, trace
from symprop.spec import load_spec, parse_spec_text

RELU_ASK = "out(o),E_total,grad(w_100),grad(w_000)"


def significant(written: str) -> int:
    """Digits from the first non-zero one to the last written place, read off the string."""
    digits = written.lstrip("-").replace(".", "").lstrip("0")
    return len(digits)


def library_values(solution, asked) -> dict[str, list[tuple[str, Decimal, set[str]]]]:
    """For each asked quantity, every (mistake, exact value, values as written) the library
    gives where it differs from the right exact value: the step recomputed under each model
    (or solved again from each spec a mistake about the spec gives), at full precision and
    (carrying written values) the policy's way."""
    rounding = solution.spec.rounding
    base = base_model(solution)
    right = trace(solution, base, exact).values
    found: dict[str, list] = {q: [] for q in asked}
    for mistake in MISTAKES:
        made = [(solution, model) for model in mistake.models(solution, base)]
        for spec in mistake.respecs(solution.spec) if mistake.respecs else ():  # a mistake about the spec
            other = solve(spec)
            made.append((other, base_model(other)))
        for run, model in made:
            try:
                full = trace(run, model, exact).values
                hand = trace(run, model, rounding).values if rounding.carries_shown else full
            except (ArithmeticError, SympropError):
                continue
            for q in asked:
                if full[q] != right[q]:
                    written = {rounding.show(v, rounding_kind(q)) for v in (full[q], hand[q])}
                    found[q].append((mistake.name, full[q], written))
    return found


def spec_of(name: str, *replacements: tuple[str, str]):
    text = path(name).read_text()
    for old, new in replacements:
        text = text.replace(old, new)
    return parse_spec_text(text, f"{name}.yaml")


CASES = [  # (spec, variants, ask): 300 draws and more in all, weak and ambiguous ones among them
    (spec_of("sigmoid-2-2-2"), 20, None),
    (spec_of("sigmoid-2-2-2", ("places: 5", "places: 4")), 6, "grad(w1),new(w2),grad(w5)"),
    (spec_of("relu-3-2-1"), 8, RELU_ASK),
    (spec_of("xor-threshold-2-2-1"), 4, "out(n5),E_total,grad(w35),grad(w13)"),  # a mistake about the spec
]


def test_no_accepted_variant_has_a_weak_or_mistake_ambiguous_answer():
    draws, rejected, named = 0, {"weak": 0, "mistake": 0}, set()
    for spec, n, ask in CASES:
        exam = make_exam(spec, n, 1, ask)
        draws += exam.draws
        for reason in rejected:
            rejected[reason] += exam.rejected[reason]
        for variant in exam.variants:
            solution = solve(parse_spec_text(variant.text, "variant.yaml"))  # the variant as written out
            checker = Checker(solution)
            mistaken = library_values(solution, [a.quantity for a in variant.answers])
            for a in variant.answers:
                named |= {name for wrong in a.wrong for name in wrong.names}
                assert a.answer == checker.shown(a.quantity)
                assert significant(a.answer) >= 2 and Decimal(a.answer) != 0, (variant.number, a)
                for name, full, written in mistaken[a.quantity]:
                    for value in (full, *map(Decimal, written)):
                        assert abs(value - Decimal(a.answer)) > a.tolerance, (variant.number, a.quantity, name)
    assert draws >= 200 and rejected["weak"] > 0 and rejected["mistake"] > 0, (draws, rejected)
    assert {"sign_flip", "update_sign", "half_missing", "threshold_added"} <= named, named


def test_an_exam_the_spec_cannot_give_says_what_to_change(tmp_path, capsys):
    """relu-3-2-1 writes 3 places with a learning rate of 0.1: the default questions (an
    update among them; the example's exam.ask leaves it out) cannot be told from the
    classic mistakes."""
    out = tmp_path / "exam"
    defaults = "out(o),E_total,grad(w_100),grad(w_000),new(w_000)"
    assert main(["exam", "relu-3-2-1", "--variants", "3", "--seed", "1", "--ask", defaults, "-o", str(out),
                 "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and not out.exists()
    assert "the spec cannot give 3 good variants" in err
    counts = {r: int(n) for n, r in re.findall(r"(\d+) (\w+)", err.split("(rejected: ")[1].split(")")[0])}
    assert counts["mistake"] > 0 and sum(counts.values()) == int(re.search(r"(\d+) in all", err)[1])
    assert "rounding.places, now 3" in err and "learning_rate, now 0.1" in err
    assert re.search(r"most often (grad|new)\(w_\d+\) by \w+", err)


def test_weak_answers_are_rejected():
    spec = spec_of("sigmoid-2-2-2", ("places: 5", "places: 4"))
    exam = make_exam(spec, 4, 1, "grad(w1),new(w2)")
    assert exam.rejected["weak"] > 0 and exam.culprits["weak"] == "grad(w1)"
    assert all(significant(a.answer) >= 2 for v in exam.variants for a in v.answers)


# --- Moodle: the mistakes' values as wrong answers ------------------------------------------------


def test_moodle_lists_the_mistakes_values_after_the_right_answer(tmp_path):
    out = tmp_path / "exam"
    assert main(["exam", "sigmoid-2-2-2", "--variants", "3", "--seed", "2", "-o", str(out), "--no-pdf"]) == 0
    key = json.loads((out / "key.json").read_text(), parse_float=Decimal)
    questions = ET.parse(out / "moodle.xml").getroot().findall("question[@type='numerical']")
    assert len(questions) == len(key)
    descriptions = {m.name: m.description for m in MISTAKES}
    listed = 0
    for question in questions:
        number, quantity = re.fullmatch(r"Variant (\d+): (.+)", question.findtext("name/text")).groups()
        row = next(r for r in key if r["variant"] == number and r["quantity"] == quantity)
        solution = solve(load_spec(out / "variants" / f"{number}.yaml"))
        answers = question.findall("answer")
        assert answers[0].get("fraction") == "100" and Decimal(answers[0].findtext("text")) == row["answer"]
        wrong = {a.findtext("text"): a for a in answers[1:]}
        assert all(a.get("fraction") == "0" for a in answers[1:]) and len(wrong) == len(answers) - 1
        expected: dict[str, set[str]] = {}
        for name, _full, written in library_values(solution, [quantity])[quantity]:
            for value in written:
                expected.setdefault(value, set()).add(name)
        assert set(wrong) == set(expected), (number, quantity)
        checker = Checker(solution)
        for value, answer in wrong.items():
            assert Decimal(answer.findtext("tolerance")) == row["tolerance"]
            assert abs(Decimal(value) - row["answer"]) > row["tolerance"]
            feedback = html.unescape(answer.findtext("feedback/text"))
            assert all(descriptions[name] in feedback and name in feedback for name in expected[value])
            result = checker.check([Answer(quantity, value, Decimal(value))])[0]
            assert result.verdict == "wrong" and result.diagnosis in expected[value], (quantity, value, result)
            listed += 1
    assert listed >= len(questions)  # most questions have several
    sign = next(q for q in questions if q.findtext("name/text") == "Variant 01: grad(w5)")
    assert "output - target" in html.unescape(sign.findtext("answer[2]/feedback/text"))  # sign_flip first
    for question in ET.parse(out / "moodle-cloze.xml").getroot().findall("question[@type='cloze']"):
        number = question.findtext("name/text").split()[-1]
        text = question.findtext("questiontext/text")
        codes = re.findall(r"\{1:NUMERICAL:(.*?)(?<!\\)\}", text)
        rows = [r for r in key if r["variant"] == number]
        assert len(codes) == len(rows)
        for code, row in zip(codes, rows):
            parts = code.split("~")
            assert parts[0] == f"={row['answer']:f}:{row['tolerance']:f}"
            numerical = next(q for q in questions if q.findtext("name/text") == f"Variant {number}: {row['quantity']}")
            assert [p.split("#")[0] for p in parts[1:]] == [
                f"%0%{a.findtext('text')}:{a.findtext('tolerance')}" for a in numerical.findall("answer")[1:]]


@pytest.mark.parametrize("text", ["a ~ tilde } brace # hash"])
def test_cloze_feedback_cannot_end_its_answer(text):
    from symprop.render.moodle import _cloze_feedback

    escaped = _cloze_feedback(text)
    assert "~" not in escaped and re.search(r"(?<!\\)\}", escaped) is None
