from fractions import Fraction as F

import sympy

from osp.checks import dfn_positive, interval
from osp.proofs import identities as ident
from osp.proofs.functions import Dfn, h, log2


def test_identities_hold():
    for name in ("uniform_entropy", "h_second_derivative", "dfn_derivative_eps", "dfn_zero_at_edge",
                 "dfn_derivative_V", "ln_bounds", "ln2_bracket", "log_monotone", "h_range"):
        holds, what = getattr(ident, name)()
        assert holds, (name, what)


def test_wrong_identities_fail():
    e, V = ident.e, ident.V
    assert not ident._identity(Dfn(1 - 1 / V, V), sympy.Integer(1))[0]
    assert not ident._identity(sympy.diff(h(ident.p).explicit(), ident.p, 2),
                               1 / (ident.p * (1 - ident.p) * sympy.log(2)))[0]
    assert not ident._identity(sympy.diff(Dfn(e, V), e), log2((1 - e) * (V - 1) / e))[0]


def test_functions_exact_values():
    assert h(sympy.Integer(0)) == 0 and h(sympy.Integer(1)) == 0 and h(sympy.Rational(1, 2)) == 1
    assert log2(sympy.Integer(1024)) == 10
    assert abs(float(Dfn(sympy.Rational(1, 10), 4)) - (2 - 0.4689955935892812 - 0.1 * 1.584962500721156)) < 1e-12


def certify(eps, V, budget=20000):
    form, box = dfn_positive.numeric_form({"eps": eps, "V": V})
    return interval.certify_positive(form, box, budget=budget, name="Dfn")


def test_interval_certifies_a_wide_valid_box():
    v = certify((F(0), F(45, 100)), (F(2), F(2**20)))
    assert v.status == "proved"


def test_interval_refutes_a_box_reaching_the_edge_with_witness():
    v = certify((F(0), F(3, 4)), (F(2), F(8)))
    assert v.status == "refuted"
    ev, Vv = F(v.counterexample["eps"]), F(v.counterexample["V"])
    assert ev == 1 - 1 / Vv and F(2) <= Vv <= F(8)


def test_interval_budget_exhaustion_is_unknown():
    v = certify((F(0), F(1, 2) - F(1, 10**9)), (F(2), F(2**20)), budget=5)
    assert v.status == "unknown" and "budget" in v.reason


def test_evalf_is_accurate_near_one_and_near_zero():
    """sympy's own evalf answers log(1 + 1e-40) = 0; an upper bound must never be rounded down so."""
    import mpmath
    mpmath.mp.dps = 80
    x = 1 + sympy.Rational(1, 10**40)
    ref = mpmath.log1p(mpmath.mpf(1) / 10**40) / mpmath.log(2)
    assert abs(float(sympy.N(log2(x), 30)) / float(ref) - 1) < 1e-25
    y = sympy.Rational(1, 10**45)
    ref_h = (-(mpmath.mpf(y.p) / y.q) * mpmath.log(mpmath.mpf(y.p) / y.q)
             - (1 - mpmath.mpf(y.p) / y.q) * mpmath.log1p(-mpmath.mpf(y.p) / y.q)) / mpmath.log(2)
    assert abs(float(sympy.N(h(y), 30)) / float(ref_h) - 1) < 1e-25
    mpmath.mp.dps = 15


def test_user_numbers_are_capped_before_arithmetic():
    import pytest

    from osp.errors import OspInputError
    from osp.numbers import exact
    assert exact("0.1", "x") == F(1, 10) and exact("3", "x") == 3
    for bad in ("1e5000", "1e-10000000", "9" * 2000, float("inf"), True):
        with pytest.raises(OspInputError):
            exact(bad, "x")
