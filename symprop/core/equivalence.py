"""Symbolic answers: a formula a person wrote as plain text, read safely, and judged equal
to a gradient when the two agree at points.

The text uses the JSON's symbols (``formulas``): ``out_<unit>`` (an input's value is
``out_<input>``), ``net_<unit>``, ``target_<output>`` and the parameter names, with
``+ - * / ^ **``, parentheses, numbers, ``exp``, ``ln``/``log``, ``tanh``, ``sigmoid``,
``step`` (1 above 0, else 0: the ReLU's derivative), ``relu``, ``max`` and the JSON's
``Piecewise((1, net_h1 > 0), (0, True))``; ``·``, ``×`` and ``−`` are read as ``*`` and ``-``, and a product may be
written without ``*`` (``out_h1(1 - out_h1)``). Nothing else is read: every token is
checked against that list before SymPy parses the text (``parse_expr`` evaluates what it
is given), and the text's length, token count and nesting are bounded.

Two formulas of one sample's gradient are equal when they agree, with every unit symbol
replaced by its definition (``proof.nested``: the sample's inputs and targets in, the
parameters free), at points near the spec's parameters, to 30 digits: so
``out_o1*(1 - out_o1)`` and ``sigmoid(net_o1)*(1 - sigmoid(net_o1))`` are the same
answer, and any rearrangement is.
"""

from __future__ import annotations

import io
import tokenize

import sympy
from sympy.parsing.sympy_parser import implicit_multiplication, parse_expr, standard_transformations

from .derive import Derivation
from .formulas import plain_names
from .graph import Network
from .proof import _equal_at, _rational, _shifted, _value, nested

MAX_LENGTH = 4000  # characters of one formula
MAX_TOKENS = 1500
MAX_DEPTH = 40  # nested parentheses
MAX_NUMBER = 20  # digits of one number
MAX_EXPONENT = 16  # |n| of a numeric exponent
POINTS = 3  # points per sample a formula is compared at
BOUND = 1000.0  # a power's exponent or an exponential's argument, at most, at a point


def _sigmoid(x):
    return 1 / (1 + sympy.exp(-x))


def _step(x):
    return sympy.Piecewise((1, x > 0), (0, True))  # f'(0) = 0, as the ReLU rule takes it


def _relu(x):
    return sympy.Piecewise((x, x > 0), (0, True))


FUNCTIONS = {"exp": sympy.exp, "ln": sympy.log, "log": sympy.log, "tanh": sympy.tanh, "sigmoid": _sigmoid,
             "step": _step, "relu": _relu, "max": sympy.Max, "Piecewise": sympy.Piecewise}
_CONSTANTS = {"True": sympy.true}  # a Piecewise's last condition, as the JSON writes it
_OPERATORS = {"+", "-", "*", "/", "**", "(", ")", ",", ">", "<", ">=", "<="}
_SPELLINGS = {"·": "*", "×": "*", "⋅": "*", "−": "-", "^": "**", "–": "-"}


_GLOBALS = {"__builtins__": {}, "Integer": sympy.Integer, "Float": sympy.Float, "Rational": sympy.Rational,
            "Symbol": sympy.Symbol, "Mul": sympy.Mul, "Add": sympy.Add, "Pow": sympy.Pow,
            "Gt": sympy.Gt, "Lt": sympy.Lt, "Ge": sympy.Ge, "Le": sympy.Le}  # what parse_expr's code calls


class FormulaError(ValueError):
    """A formula that cannot be read; the message says why, in one line."""


def formula_symbols(network: Network) -> dict[str, sympy.Symbol]:
    """The plain names a formula may use, each the graph's symbol."""
    symbols = {plain.name: graph for graph, plain in plain_names(network).items()}
    symbols.update({p.name: p.symbol for p in network.params})
    return symbols


def read_formula(text: object, network: Network) -> sympy.Expr:
    """``text`` as a SymPy expression over the graph's symbols (``FormulaError`` if it is
    not one of the formulas this module reads)."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula is text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"a formula of {len(text)} characters (at most {MAX_LENGTH})")
    for written, meant in _SPELLINGS.items():
        text = text.replace(written, meant)
    if not text.strip():
        raise FormulaError("an empty formula")
    symbols = formula_symbols(network)
    allowed = set(symbols) | set(FUNCTIONS) | set(_CONSTANTS)
    depth, count = 0, 0
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        if text.count("(") > text.count(")"):
            raise FormulaError("a '(' without its ')'") from None
        raise FormulaError(f"cannot read the formula ({exc.args[0] if exc.args else 'unbalanced'})") from None
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        count += 1
        if count > MAX_TOKENS:
            raise FormulaError(f"a formula of more than {MAX_TOKENS} symbols")
        if tok.type == tokenize.NAME:
            if tok.string not in allowed:
                raise FormulaError(f"unknown symbol {tok.string!r} (symbols: out_<unit>, net_<unit>, "
                                   f"target_<output>, the parameter names; functions: {', '.join(FUNCTIONS)})")
        elif tok.type == tokenize.NUMBER:
            if len(tok.string) > MAX_NUMBER or not tok.string.replace(".", "", 1).isdigit():
                raise FormulaError(f"not a plain number: {tok.string[:30]!r}")
        elif tok.type == tokenize.OP and tok.string in _OPERATORS:
            depth += (tok.string == "(") - (tok.string == ")")
            if depth > MAX_DEPTH:
                raise FormulaError(f"parentheses nested more than {MAX_DEPTH} deep")
            if depth < 0:
                raise FormulaError("a ')' without its '('")
        else:
            raise FormulaError(f"unexpected {tok.string[:30]!r} (write + - * / ^ and parentheses)")
    if depth:
        raise FormulaError("a '(' without its ')'")
    local = {**symbols, **FUNCTIONS, **_CONSTANTS}
    try:
        expr = parse_expr(text, local_dict=local, global_dict=dict(_GLOBALS),
                          transformations=standard_transformations + (implicit_multiplication,), evaluate=False)
    except (SyntaxError, TypeError, ValueError, AttributeError, NameError, RecursionError) as exc:
        raise FormulaError(f"cannot read the formula ({type(exc).__name__})") from None
    if not isinstance(expr, sympy.Expr):
        raise FormulaError("not an expression")
    for power in expr.atoms(sympy.Pow):  # unevaluated: a numeric exponent is still as written
        exponent = power.exp
        if not exponent.free_symbols:
            try:
                size = abs(_value(exponent, {}, MAX_EXPONENT))
            except (OverflowError, TypeError, ValueError, ZeroDivisionError, ArithmeticError):
                size = None
            if size is None or size > MAX_EXPONENT:
                raise FormulaError(f"an exponent of {sympy.sstr(exponent)[:30]} (at most {MAX_EXPONENT})")
    return expr


def equal_for(network: Network, a: sympy.Expr, b: sympy.Expr, points: int = POINTS) -> bool:
    """Whether ``a`` and ``b`` (one sample's formulas, over the graph's symbols) agree for
    every sample of the spec, at ``points`` points near its parameters."""
    values = {p.symbol: _rational(p.value) for p in network.params}
    for k in range(len(network.spec.samples)):
        define = nested(network, k)[1]
        x, y = a.xreplace(define), b.xreplace(define)
        for point in range(1, points + 1):
            try:
                if not _equal_at(x, y, _shifted(values, point), BOUND):
                    return False
            except (TypeError, ValueError, ZeroDivisionError, OverflowError, ArithmeticError):
                return False
    return True


def gradient_of(derivation: Derivation) -> sympy.Expr:
    """One sample's ∂E/∂p: the sum of the path products, over the graph's symbols."""
    return derivation.chain_expr
