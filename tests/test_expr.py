"""The safe expression language: whitelist grammar, limits, fuzzing."""


import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osp.errors import OspInputError
from osp.registry import expr

L, d, w = (sympy.Symbol(n, positive=True) for n in ("L", "d", "w"))


@pytest.mark.parametrize("text, expected", [
    ("w*d", w * d),
    ("min(L, w)*d", sympy.Min(L, w) * d),
    ("L*d", L * d),
    ("log(L)*d", sympy.log(L) / sympy.log(2) * d),
    ("sqrt(L)*d", sympy.sqrt(L) * d),
    ("2^3^2", sympy.Integer(512)),            # right-associative
    ("-2^2", sympy.Integer(-4)),              # unary minus binds looser than ^
    ("2^-1", sympy.Rational(1, 2)),
    ("1/8 + 0.125", sympy.Rational(1, 4)),    # decimals are exact rationals
    ("1e3*L", 1000 * L),
    ("max(L, 2*L, 3)", sympy.Max(2 * L, 3)),
    ("(((d)))", d),
    ("  L *\td ", L * d),
])
def test_accepts_the_grammar(text, expected):
    assert sympy.simplify(expr.parse(text) - expected) == 0


def test_symbols_are_positive_and_shared():
    table = {}
    a = expr.parse("L*d", table)
    b = expr.parse("d + L", table)
    assert table["L"].is_positive and table["d"].is_positive
    assert (a / b).free_symbols == {table["L"], table["d"]}


@pytest.mark.parametrize("hostile", [
    "__import__('os')",
    "__import__('os').system('true')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 0",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd')",
    "d.__class__",
    "a__b",
    "2^2^2^2^2^2",
    "2^(10^9)",
    "10^30^2",
    "9" * 60,
    "1e999",
    "(2^64)^64",
    "L^a",
    "L^sqrt(2)",
    "d**2",
    "x if 1 else 2",
    "[1, 2]",
    "{}",
    "'text'",
    "1; 2",
    "f(L)",
    "log",
    "log(L, 2)",
    "sqrt()",
    "min(L)",
    "1/0",
    "log(0)",
    "log(-1)",
    "sqrt(-4)",
    "0^-1",
    "",
    "()",
    "L d",
    "(" * 100 + "L" + ")" * 100,
    "-" * 100 + "L",
    "L" * 40,
    "Ｌ*d",          # full-width letter
    "²",
    "L\nd",
    "max(" + ",".join(f"a{i}*L" for i in range(9)) + ")",            # too many arguments
    "max(" * 9 + "L" + "".join(f",a{i})" for i in range(9)),          # too many after flattening
    "*".join(["(2^64)^63"] * 40),                                      # constant of 161,280 bits
])
def test_rejects_hostile_and_malformed(hostile):
    with pytest.raises(OspInputError) as info:
        expr.parse(hostile)
    message = str(info.value)
    assert "\n" not in message
    assert "position" in message or "characters" in message or "limit" in message


def test_error_names_the_position():
    with pytest.raises(OspInputError, match=r"position 5"):
        expr.parse("L*d $ 2")
    with pytest.raises(OspInputError, match=r"position 3: unknown function 'foo'"):
        expr.parse("2*foo(L)")


def test_rejects_overlong_text():
    with pytest.raises(OspInputError, match="limit"):
        expr.parse("L+" * expr.MAX_LENGTH + "L")


def test_merged_exponents_are_bounded():
    expr.parse("d^64*d^64")  # fine: 128
    with pytest.raises(OspInputError):
        expr.parse("*".join(["((d^64)^64)"] * 2))


def test_to_rational():
    assert expr.to_rational("1/8", "a") == sympy.Rational(1, 8)
    assert expr.to_rational(0.1, "a") == sympy.Rational(1, 10)
    assert expr.to_rational(3, "a") == 3
    for bad in ("w", True, float("nan"), [1]):
        with pytest.raises(OspInputError, match="a"):
            expr.to_rational(bad, "a")


def _accepted_or_input_error(text):
    try:
        value = expr.parse(text)
    except OspInputError as exc:
        assert "\n" not in str(exc)
        return None
    assert isinstance(value, sympy.Basic)
    assert not value.has(sympy.zoo, sympy.nan, sympy.I)
    return value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_fuzz_arbitrary_text(text):
    _accepted_or_input_error(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="0123456789.eE+-*/^(),Ldwa_ logsqrtminax", max_size=60))
def test_fuzz_token_soup(text):
    _accepted_or_input_error(text)


def _grammar():
    atoms = st.one_of(
        st.integers(0, 10**6).map(str),
        st.sampled_from(["0.5", "1e3", "3.25", "L", "d", "w", "n", "a", "h"]),
    )

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from("+-*/^"), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            inner.map(lambda s: f"({s})"),
            inner.map(lambda s: f"-{s}"),
            st.tuples(st.sampled_from(["log", "sqrt"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"),
        )
    return st.recursive(atoms, extend, max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_grammar())
def test_fuzz_grammar_shaped(text):
    _accepted_or_input_error(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**12), st.integers(1, 10**6))
def test_numbers_round_trip(p, q):
    assert expr.parse(f"{p}/{q}") == sympy.Rational(p, q)


def test_parser_never_calls_sympify(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("sympify called on user text")
    monkeypatch.setattr(sympy, "sympify", boom)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", boom, raising=False)
    assert expr.parse("min(L, w)*d + log(L)") is not None
