"""The rules table against sympy.diff: every activation's and loss's local derivative, as
the notes write it, is the derivative of its function; the decimal forms agree with SymPy
at many points (inside the evaluator's context); every row has its printed form."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
import sympy

from symprop.core.rules import ACTIVATIONS, LOSSES
from symprop.numbers.arithmetic import CONTEXT
from symprop.render.printer import ACTIVATION_FORMS, LOSS_FORMS
from symprop.spec import choices

X = sympy.Symbol("x")
SLOPE = sympy.Rational(1, 5)
POINTS = [sympy.Rational(k, 7) for k in range(-20, 21) if k]  # off the kinks at 0


@pytest.mark.parametrize("name", choices.ACTIVATIONS)
def test_activation_local_derivative_is_sympy_diff(name):
    row = ACTIVATIONS[name]
    f = row.symbolic(X, SLOPE)
    out = sympy.Symbol("out")
    local = row.local(X, out, SLOPE).subs(out, f)
    for x in POINTS:
        assert abs(sympy.N(local.subs(X, x) - sympy.diff(f, X).subs(X, x), 60)) < sympy.Float("1e-50"), x


@pytest.mark.parametrize("name", choices.ACTIVATIONS)
def test_activation_decimal_forms_agree_with_sympy(name):
    row = ACTIVATIONS[name]
    f = row.symbolic(X, SLOPE)
    slope = Decimal(1) / Decimal(5)
    with localcontext(CONTEXT):
        for x in POINTS:
            value = Decimal(x.p) / Decimal(x.q)
            out = row.forward(value, slope)
            assert abs(out - Decimal(str(sympy.N(f.subs(X, x), 60)))) < Decimal("1e-45")
            derivative = row.derivative(value, out, slope)
            assert abs(derivative - Decimal(str(sympy.N(sympy.diff(f, X).subs(X, x), 60)))) < Decimal("1e-45")


@pytest.mark.parametrize("name", choices.LOSSES)
def test_loss_local_derivative_is_sympy_diff(name):
    row, out, target = LOSSES[name], sympy.Symbol("out"), sympy.Rational(3, 10)
    for n in (1, 2, 3):
        term = row.symbolic(out, target, n)
        assert sympy.simplify(row.local(out, target, n) - sympy.diff(term, out)) == 0
        with localcontext(CONTEXT):
            for o in (Decimal("0.25"), Decimal("0.9")):
                exact = term.subs(out, sympy.Rational(str(o)))
                assert row.term(o, Decimal("0.3"), n) == Decimal(exact.p) / Decimal(exact.q)


def test_the_sigmoid_does_not_overflow_far_from_zero():
    with localcontext(CONTEXT):
        assert ACTIVATIONS["sigmoid"].forward(Decimal(-100000), None) > 0
        assert ACTIVATIONS["sigmoid"].forward(Decimal(100000), None) == 1
        assert ACTIVATIONS["tanh"].forward(Decimal(-100000), None) == -1


def test_every_rule_has_its_printed_form_and_every_choice_its_rule():
    assert tuple(ACTIVATIONS) == tuple(ACTIVATION_FORMS) == choices.ACTIVATIONS
    assert tuple(LOSSES) == tuple(LOSS_FORMS) == choices.LOSSES
    with pytest.raises(RuntimeError, match="the choices are"):
        choices.covered({"sigmoid": 1}, choices.ACTIVATIONS, "activations")
