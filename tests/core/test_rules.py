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


ELEMENTWISE = tuple(a for a in choices.ACTIVATIONS if not ACTIVATIONS[a].coupled)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_local_derivative_is_sympy_diff(name):
    row = ACTIVATIONS[name]
    f = row.symbolic(X, SLOPE)
    out = sympy.Symbol("out")
    local = row.local(X, out, SLOPE).subs(out, f)
    for x in POINTS:
        assert abs(sympy.N(local.subs(X, x) - sympy.diff(f, X).subs(X, x), 60)) < sympy.Float("1e-50"), x


@pytest.mark.parametrize("name", ELEMENTWISE)
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


def test_softmax_jacobian_is_sympy_diff_and_its_decimal_form_agrees():
    row = ACTIVATIONS["softmax"]
    z = sympy.symbols("z1:4")
    outs = row.symbolic_layer(list(z))
    point = {z[0]: sympy.Rational(3, 10), z[1]: sympy.Rational(-7, 5), z[2]: sympy.Rational(2)}
    with localcontext(CONTEXT):
        decimals = row.layer([Decimal(v.p) / Decimal(v.q) for v in point.values()])
        for k, out_k in enumerate(outs):
            assert abs(decimals[k] - Decimal(str(sympy.N(out_k.subs(point), 60)))) < Decimal("1e-45")
            for j in range(3):
                exact = sympy.N(sympy.diff(out_k, z[j]).subs(point), 60)
                local = row.local(z[k], outs[k], None) if j == k else row.cross(outs[k], outs[j])
                assert abs(sympy.N(local.subs(point), 60) - exact) < 1e-45
                value = row.derivative(None, decimals[k], None) if j == k else row.cross_derivative(decimals[k], decimals[j])
                assert abs(value - Decimal(str(exact))) < Decimal("1e-45")


def test_softmax_of_far_apart_sums_neither_overflows_nor_loses_the_small_output():
    with localcontext(CONTEXT):
        small, big = ACTIVATIONS["softmax"].layer([Decimal(0), Decimal(28)])
        assert f"{small:.4e}" == "6.9144e-13" and big < 1
        huge = ACTIVATIONS["softmax"].layer([Decimal(100000), Decimal(0)])
        assert huge[0] == 1 and huge[1] > 0


@pytest.mark.parametrize("name", choices.LOSSES)
def test_loss_local_derivative_is_sympy_diff(name):
    row, out, target = LOSSES[name], sympy.Symbol("out"), sympy.Rational(3, 10)
    for n in (1, 2, 3):
        term = row.symbolic(out, target, n)
        assert sympy.simplify(row.local(out, target, n) - sympy.diff(term, out)) == 0
        with localcontext(CONTEXT):
            for o in (Decimal("0.25"), Decimal("0.9")):
                logs = (o.ln(), (1 - o).ln())
                expected = Decimal(str(sympy.N(term.subs(out, sympy.Rational(str(o))), 60)))
                assert abs(row.term(o, Decimal("0.3"), n, logs) - expected) < Decimal("1e-45")
                derivative = Decimal(str(sympy.N(sympy.diff(term, out).subs(out, sympy.Rational(str(o))), 60)))
                assert abs(row.derivative(o, Decimal("0.3"), n) - derivative) < Decimal("1e-45")


@pytest.mark.parametrize(("name", "activation"), [("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid")])
def test_the_shortcut_delta_is_out_minus_target(name, activation):
    """Softmax + CE and sigmoid + BCE: Σ_k ∂E/∂out_k · ∂out_k/∂net_j = out_j − t_j."""
    loss = LOSSES[name]
    assert loss.shortcut == activation
    z = sympy.symbols("z1:3")
    t = [sympy.Rational(1, 4), sympy.Rational(3, 4)]
    if activation == "softmax":
        outs = ACTIVATIONS["softmax"].symbolic_layer(list(z))
        error = sum(loss.symbolic(o, tk, 2) for o, tk in zip(outs, t))
    else:
        outs = [ACTIVATIONS["sigmoid"].symbolic(zk, None) for zk in z]
        error = sum(loss.symbolic(o, tk, 2) for o, tk in zip(outs, t))
    for j in range(2):
        assert sympy.simplify(sympy.diff(error, z[j]) - (outs[j] - t[j])) == 0


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
