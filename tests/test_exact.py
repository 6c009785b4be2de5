"""osp.exact against mpmath at high precision, and the reproducers of issue 8 that live at this level."""

from fractions import Fraction as F

import mpmath
import pytest
from hypothesis import given, settings, strategies as st

from osp import exact as X
from osp.status import Status


def dfn_mp(eps: F, V: int, good_bits: int = 400) -> mpmath.mpf:
    """Dfn in bits at a precision raised by 2 log2(1/a) bits (the KL form then keeps ~good_bits good bits)."""
    a = V * (1 - eps) - 1
    extra = 2 * max(a.denominator.bit_length() - a.numerator.bit_length(), 0)
    with mpmath.workprec(good_bits + 64 + extra):
        p = mpmath.mpf(eps.denominator - eps.numerator) / eps.denominator
        e = mpmath.mpf(eps.numerator) / eps.denominator
        q = mpmath.mpf(1) / V
        kl = p * mpmath.log(p / q) + (e * mpmath.log(e / (1 - q)) if eps else 0)
        return +(kl / mpmath.log(2))


@st.composite
def eps_and_v(draw):
    V = draw(st.integers(2, 10 ** 6))
    edge = F(V - 1, V)
    kind = draw(st.sampled_from(["inside", "near-edge"]))
    if kind == "inside":
        den = draw(st.integers(1, 10 ** 12))
        num = draw(st.integers(0, den))
        eps = edge * F(num, den)
        if eps == edge:
            eps = F(0)
    else:
        k = draw(st.integers(1, 300))
        eps = edge - F(1, 10 ** k)
        if eps < 0:
            eps = F(0)
    return eps, V


@settings(max_examples=60, deadline=None)
@given(eps_and_v())
def test_dfn_bounds_enclose_mpmath_and_are_tight(ev):
    eps, V = ev
    lo, hi = X.dfn_bounds(eps, V)
    ref = dfn_mp(eps, V)
    assert 0 < lo <= hi
    assert (hi - lo) * 2 ** 60 <= lo
    with mpmath.workprec(mpmath.mp.prec + 400):
        rel = abs(ref - mpmath.mpf(lo.numerator) / lo.denominator) / ref
        assert mpmath.mpf(lo.numerator) / lo.denominator <= ref * (1 + mpmath.mpf(2) ** -250)
        assert mpmath.mpf(hi.numerator) / hi.denominator >= ref * (1 - mpmath.mpf(2) ** -250)
    assert rel < mpmath.mpf(2) ** -59


def test_dfn_at_the_edge_issue_value():
    eps = F(999, 1000) - F(1, 10 ** 200)
    lo, hi = X.dfn_bounds(eps, 1000)
    assert X.decimal_down(lo, 3) == "7.22e-398" and X.decimal_up(hi, 3) == "7.23e-398"
    assert X.dfn_bounds(F(999, 1000), 1000) == (0, 0)
    with pytest.raises(ValueError):
        X.dfn_ball(F(1001, 1000), 1000, 64)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        X.dfn_ball(0.5, 3, 64)
    with pytest.raises(TypeError):
        X.compare_recall(3, F(0), 3, 4.0, budget_s=1)


@settings(max_examples=40, deadline=None)
@given(eps_and_v(), st.integers(1, 10 ** 30), st.integers(1, 10 ** 6))
def test_floor_bound_matches_mpmath(ev, num, den):
    eps, V = ev
    b = F(num, den)
    n = X.floor_bound(b, eps, V)
    ref = dfn_mp(eps, V, good_bits=3000)
    with mpmath.workprec(mpmath.mp.prec + 4000):
        value = (mpmath.mpf(b.numerator) / b.denominator) / ref
        assert n == int(mpmath.floor(value))


@settings(max_examples=40, deadline=None)
@given(eps_and_v(), st.integers(1, 10 ** 9), st.sampled_from([-1, 1]))
def test_compare_within_1e_40_of_the_tie(ev, pairs, side):
    eps, V = ev
    ref = dfn_mp(eps, V, good_bits=1000)
    with mpmath.workprec(4000):
        exact_side = mpmath.mpf(pairs) * ref
        b = F(mpmath.nstr(exact_side, 400, strip_zeros=False)) + side * F(1, 10 ** 40)
    verdict = X.compare_recall(pairs, eps, V, b, budget_s=60)
    assert verdict.status is (Status.HOLDS if side == 1 else Status.VIOLATED)
    assert verdict.lhs_lo <= verdict.lhs_hi


def test_issue_reproducers_at_this_level():
    assert X.floor_bound(85137581, F(0), 3) == 53715832
    assert X.floor_bound(F("12345678.6"), F(0), 2) == 12345678
    bound = X.floor_bound(1000, F(999, 1000) - F(1, 10 ** 200), 1000)
    assert X.decimal_down(bound, 4) == "1.384e+400"
    assert X.compare_recall(53715833, F(0), 3, 85137581, budget_s=10).status is Status.VIOLATED
    assert X.compare_recall(2 ** 60, F(0), 2, 2 ** 60 - 1, budget_s=10).status is Status.VIOLATED
    mirror = X.compare_recall(1024, F(0), 3, F("1623.0016007384639298086286786025642"), budget_s=10)
    assert mirror.status is Status.HOLDS
    edge = X.compare_recall(10, F(999, 1000) - F(1, 10 ** 200), 1000, 64, budget_s=10)
    assert edge.status is Status.HOLDS


def test_ties_are_exact():
    assert X.dfn_rational(F(0), 8) == 3
    assert X.dfn_rational(F(0), 3) is None and X.dfn_rational(F(1, 3), 4) is None
    assert X.dfn_rational(F(1, 2), 2) == 0  # the edge itself
    tie = X.compare_recall(10, F(0), 8, 30, budget_s=1)
    assert tie.status is Status.HOLDS and tie.exact_tie
    assert X.compare_recall(10, F(0), 8, F(30) - F(1, 10 ** 300), budget_s=1).status is Status.VIOLATED
    assert X.floor_bound(30, F(0), 8) == 10 and X.floor_bound(F(30) - F(1, 10 ** 300), F(0), 8) == 9


def test_log2_of_product_against_brute_force():
    for a in range(1, 40):
        for b in range(1, 40):
            for e in (-3, -1, 2, 5):
                value = F(a) ** e / F(b) ** 2
                got = X.log2_of_product([(a, e), (b, -2)])
                num, den = value.numerator, value.denominator
                is_power = num & (num - 1) == 0 and den & (den - 1) == 0
                if is_power:
                    k = value.numerator.bit_length() - value.denominator.bit_length()
                    assert got == k
                else:
                    assert got is None


def test_budget_exhaustion_is_undecided_not_a_guess():
    eps, V = F(1, 7), 5
    ref = dfn_mp(eps, V)
    with mpmath.workprec(2000):
        b = F(mpmath.nstr(ref * 1000, 300, strip_zeros=False)) + F(1, 10 ** 100)
    verdict = X.compare_recall(1000, eps, V, b, budget_s=60, max_prec_bits=200)
    assert verdict.status is Status.UNDECIDED and "200 bits" in verdict.reason
    assert X.compare_recall(1000, eps, V, b, budget_s=60).status is Status.HOLDS


@given(st.fractions(), st.integers(1, 30))
def test_decimals_round_outward(x, digits):
    assert F(X.decimal_down(x, digits)) <= x <= F(X.decimal_up(x, digits))


def test_decimal_formats():
    assert X.decimal_down(F(2, 3)) == "0.666666" and X.decimal_up(F(2, 3)) == "0.666667"
    assert X.decimal_up(F(999999999, 10 ** 9), 3) == "1"
    assert X.decimal_down(53715832) == "53715800" and X.decimal_down(53715832, 12) == "53715832"
    assert X.decimal_down(-F(10 ** 500, 3)) == "-3.33334e+499"
    assert X.interval_decimal(F(1, 3), F(1, 3)).startswith("[0.333")
    assert X.interval_decimal(64, 64) == "64"


def test_theorem2_form_compares_logs_exactly():
    # 4 * Dfn(0, 2) = 4 bits = 2 * log2(4): a tie between two logarithmic sides
    tie = X.compare_with_logs(4, F(0), 2, 0, [(2, F(4))], budget_s=1)
    assert tie.status is Status.HOLDS and tie.exact_tie
    assert X.compare_with_logs(5, F(0), 2, 0, [(2, F(4))], budget_s=1).status is Status.VIOLATED
    # floor(3 * log2(1 + 4*2*1/1) / Dfn(1/10, 16)) against mpmath
    n = X.floor_bound(0, F(1, 10), 16, logs=[(3, F(9))])
    ref = dfn_mp(F(1, 10), 16)
    with mpmath.workprec(600):
        assert n == int(mpmath.floor(3 * mpmath.log(9, 2) / ref))


def test_the_cancelling_kl_form_is_the_broken_twin():
    """The KL form with log1p at 30 digits (what osp used before) loses Dfn at the edge; ours keeps it."""
    eps, V = F(999, 1000) - F(1, 10 ** 200), 1000
    with mpmath.workdps(30):
        e = mpmath.mpf(eps.numerator) / eps.denominator
        a = mpmath.mpf(V) * (1 - e) - 1
        naive = ((1 - e) * mpmath.log1p(a) + e * mpmath.log1p(-a / (V - 1))) / mpmath.log(2)
    lo, hi = X.dfn_bounds(eps, V)
    naive_q = F(mpmath.nstr(naive, 30)) if naive else F(0)
    assert not lo / 10 < naive_q < hi * 10  # the digits vanished: off by hundreds of orders of magnitude
    assert lo > 0 and X.decimal_down(lo, 3) == "7.22e-398"
