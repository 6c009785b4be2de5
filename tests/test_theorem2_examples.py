"""Executable examples for Theorem 2 and Corollary 2.1.

The base-M digit processor: a 1-D state that shifts in one base-M digit per
stored pair (lam = 1/M) answers every MQAR query correctly, while the margin
any Lam-Lipschitz readout can give shrinks like M^-N. It has plain Recall and
decay, and still no delta-Recall: Theorem 2 and Corollary 2.1 are about
margins, not decay.
"""

import itertools
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from osp import continuous
from osp import box as box_check
from osp.checks import covering, runner, theorem2_box
from osp.errors import OspInputError
from osp.proofs import theorem2 as t2
from osp.proofs.functions import Dfn


class DigitProcessor:
    """s_t = (s_{t-1} + d_t) / M with d_t = key * V + value, M = N V (exact rationals)."""

    def __init__(self, pairs: int, values: int):
        self.N, self.V, self.M = pairs, values, pairs * values

    def store(self, order, vals) -> Fraction:
        s = Fraction(0)
        for key in order:                      # storing phase: pairs in a random order
            s = (s + key * self.V + vals[key]) / self.M
        return s

    def answer(self, s: Fraction, key: int) -> int:
        for t in range(self.N):                # read every digit back; the clock is free
            digit = math.floor(s * self.M ** (t + 1)) % self.M
            if digit // self.V == key:
                return digit % self.V
        raise AssertionError("key not stored")


def _inputs(proc):
    for order in itertools.permutations(range(proc.N)):
        for vals in itertools.product(range(proc.V), repeat=proc.N):
            yield order, vals


@pytest.mark.parametrize("pairs", [1, 2, 3])
def test_digit_processor_recalls_everything_while_margins_shrink(pairs):
    proc = DigitProcessor(pairs, values=2)
    M = proc.M
    lam, beta = Fraction(1, M), Fraction(M - 1, M)
    radius = Fraction(t2.s1_radius_expr(0, beta, lam))         # S1's radius for this processor
    finals, errors = [], 0
    for order, vals in _inputs(proc):
        s = proc.store(order, vals)
        assert 0 <= s <= radius                                 # H0 from S1
        errors += sum(proc.answer(s, k) != vals[k] for k in range(pairs))
        finals.append((s, vals))
    assert errors == 0                                          # plain Recall: every answer correct
    # the closest two final states whose correct answers differ at some query
    gap = min(abs(s - s2) for (s, v), (s2, v2) in itertools.combinations(finals, 2) if v != v2)
    assert gap == Fraction(1, M ** pairs)                      # margins of order M^-N
    # a Lam-Lipschitz readout delta-confident at both states needs 2 delta < 2 Lam gap: delta < Lam M^-N
    lip = Fraction(1)
    delta_max = lip * gap
    rhs = float(sympy.N(t2.capacity_bits_expr(1, radius, lip, delta_max)))
    lhs = pairs * float(sympy.N(Dfn(0, 2)))                    # N Dfn(0, V) at eps_delta = 0
    assert lhs <= rhs                                           # Theorem 2 is consistent with it ...
    # ... and at any FIXED margin the bound stops growing, so delta-Recall fails for large N
    fixed = continuous.theorem2_bound(1, radius, 1, Fraction(1, 10), 2, 0, rests_on=False).bound
    assert fixed < 2 * 4 and fixed == pytest.approx(math.log2(1 + 40))


def test_digit_processor_margin_shrinks_geometrically():
    gaps = []
    for pairs in (1, 2, 3):
        proc = DigitProcessor(pairs, values=2)
        finals = [(proc.store(o, v), v) for o, v in _inputs(proc)]
        gaps.append(min(abs(a - b) for (a, va), (b, vb) in itertools.combinations(finals, 2) if va != vb))
        # the bits a readout must resolve grow like N log2 M: exactly what Theorem 2 charges at that margin
        assert -math.log2(gaps[-1]) == pytest.approx(pairs * math.log2(proc.M))
    assert gaps[0] > gaps[1] > gaps[2]


def test_never_confident_processor_violates_the_unguarded_statement():
    """Without H2: eps_delta = 1, R = 0 (constant state), so the right-hand side is 0 while
    N Dfn(1, V) = N log2(V/(V-1)) > 0."""
    V = 4
    lhs = float(sympy.N(Dfn(1, V)))
    assert lhs == pytest.approx(math.log2(V / (V - 1))) and lhs > 0
    assert float(sympy.N(t2.capacity_bits_expr(3, 0, 1, 1))) == 0
    with pytest.raises(OspInputError, match="H2"):
        continuous.theorem2_bound(3, 0, 1, 1, V, 1)


def test_theorem2_bound_matches_an_independent_float_formula():
    D, R, lam, delta, V, eps = 32, 5.0, 3.0, 0.25, 64, 0.2
    h = -eps * math.log2(eps) - (1 - eps) * math.log2(1 - eps)
    expected = D * math.log2(1 + 4 * R * lam / delta) / (math.log2(V) - h - eps * math.log2(V - 1))
    got = continuous.theorem2_bound(D, R, lam, delta, V, eps, rests_on=False).bound
    assert got == pytest.approx(expected, rel=1e-12)


def test_s1_radius_and_no_decay_radius():
    r = continuous.radius_from_decay("0.75", 2, 3)
    assert r.radius == 8 and r.node == "thm2.S1"              # max(3, 2 / (1/4)), certified by S1
    assert continuous.radius_from_decay("0.75", 2, 9).radius == 9
    nd = continuous.radius_from_decay(1, 2, 3, length=10)
    assert nd.radius == 23 and nd.node == "thm2.S1.no-decay"
    for bad in [dict(decay="1.01", input_bound=1), dict(decay=-0.1, input_bound=1), dict(decay=1, input_bound=1),
                dict(decay="0.5", input_bound=1, length=10), dict(decay="0.5", input_bound=-1)]:
        with pytest.raises(OspInputError):
            continuous.radius_from_decay(**bad)


def test_corollary_capacity_grows_like_log_length():
    b = [continuous.continuous_bound(8, 1, 1, 16, 0, decay=1, input_bound=1, length=L, rests_on=False).bound
         for L in (10 ** 2, 10 ** 4, 10 ** 6)]
    # doubling log L adds about D log2(100) / Dfn each time: linear in log L, not in L
    assert b[1] - b[0] == pytest.approx(b[2] - b[1], rel=1e-2)
    assert b[2] < 10 ** 6 / 1000


def test_covering_validations_and_their_broken_twins():
    assert covering.volume_scaling(draws=20).counterexample is None
    assert covering.volume_scaling(draws=20, exponent_shift=1).counterexample is not None
    assert covering.covering_count(draws=20).counterexample is None
    assert covering.covering_count(draws=20, factor=1.0).counterexample is not None


def test_box_obligations_and_extremes():
    F = Fraction
    r = {"dim": (F(4), F(8)), "radius": (F(1), F(2)), "lipschitz": (F(1), F(2)), "margin": (F(1, 2), F(1)),
         "eps": (F(0), F(1, 4)), "V": (F(8), F(64))}
    statuses = {ob.id: runner.run(ob, 5000, theorem2_box.box(r)).status for ob in theorem2_box.obligations_for_box(r)}
    assert set(statuses.values()) == {"proved"} and "box2.H2" in statuses
    ex = box_check.theorem2_extremes(r)
    assert ex["bound_min"] < ex["bound_max"]
    # every sampled point of the box lies between the corner values
    for d, rad, lip, mar, eps, v in itertools.product((4, 8), (1, 2), (1, 2), ("1/2", 1), (0, "1/4"), (8, 64)):
        b = continuous.theorem2_bound(d, rad, lip, mar, v, eps, rests_on=False).bound
        assert ex["bound_min"] - 1e-9 <= b <= ex["bound_max"] + 1e-9
    bad = dict(r, eps=(F(0), F(9, 10)))
    h2 = next(ob for ob in theorem2_box.obligations_for_box(bad) if ob.id == "box2.H2")
    assert runner.run(h2, 5000, theorem2_box.box(bad)).status == "refuted"
    with pytest.raises(OspInputError):
        theorem2_box.obligations_for_box({k: v for k, v in r.items() if k != "margin"})
    with pytest.raises(OspInputError):
        theorem2_box.obligations_for_box(dict({k: v for k, v in r.items() if k != "radius"},
                                          decay=(F(1, 2), F(1)), input_bound=(F(1), F(1))))


def test_box_checks_lipschitz_and_integrality():
    F = Fraction
    r = {"dim": (F(4), F(8)), "radius": (F(1), F(2)), "lipschitz": (F(0), F(2)), "margin": (F(1, 2), F(1)),
         "eps": (F(0), F(1, 4)), "V": (F(8), F(64))}
    lip = next(ob for ob in theorem2_box.obligations_for_box(r) if ob.id == "box2.lipschitz")
    assert runner.run(lip, 5000, theorem2_box.box(r)).status == "refuted"    # Lam = 0 lies in the box
    ok = dict(r, lipschitz=(F(1), F(2)))
    lip = next(ob for ob in theorem2_box.obligations_for_box(ok) if ob.id == "box2.lipschitz")
    assert runner.run(lip, 5000, theorem2_box.box(ok)).status == "proved"
    for field, bad in [("dim", (F(3, 2), F(8))), ("V", (F(8), F(129, 2)))]:
        with pytest.raises(OspInputError, match=f"ranges.{field} must have integer endpoints"):
            theorem2_box.obligations_for_box(dict(ok, **{field: bad}))
    nd = dict({k: v for k, v in ok.items() if k != "radius"}, decay=(F(1), F(1)), input_bound=(F(1), F(1)))
    with pytest.raises(OspInputError, match="ranges.length must have integer endpoints"):
        theorem2_box.obligations_for_box(dict(nd, length=(F(1), F(21, 2))))
    with pytest.raises(OspInputError, match="ranges.length must be >= 1"):
        box_check.theorem2_extremes(dict(nd, length=(F(0), F(10))))


def test_box_extremes_cite_the_radius_node_and_the_theorem():
    F = Fraction
    base = {"dim": (F(4), F(8)), "lipschitz": (F(1), F(2)), "margin": (F(1, 2), F(1)), "eps": (F(0), F(1, 4)),
            "V": (F(8), F(64))}
    given = box_check.theorem2_extremes(dict(base, radius=(F(1), F(2))))
    assert {"mono2.box", "thm2"} <= set(given["rests_on"]) and "thm2.S1.no-decay" not in given["rests_on"]
    assert given["note"] == continuous.MARGINS_NOTE
    s1 = box_check.theorem2_extremes(dict(base, decay=(F(0), F(1, 2)), input_bound=(F(1), F(2))))
    assert {"mono2.box", "thm2", "thm2.S1"} <= set(s1["rests_on"])
    nd = box_check.theorem2_extremes(dict(base, decay=(F(1), F(1)), input_bound=(F(1), F(2)), length=(F(1), F(10))))
    assert {"mono2.box", "thm2", "thm2.S1.no-decay"} <= set(nd["rests_on"])


_pos = st.fractions(min_value=Fraction(1, 100), max_value=100)


@settings(max_examples=40, deadline=None)
@given(d=st.integers(1, 512), r=_pos, lam=_pos, delta=_pos, v=st.integers(2, 10 ** 6),
       eps=st.fractions(min_value=0, max_value=Fraction(49, 100)),  # H2 holds even at V = 2
       k=st.fractions(min_value=1, max_value=4))
def test_bound_moves_as_the_monotonicity_nodes_say(d, r, lam, delta, v, eps, k):
    b = lambda **kw: continuous.theorem2_bound(**{**dict(dim=d, radius=r, lipschitz=lam, margin=delta,  # noqa: E731
                                                        values=v, error=eps), **kw}, rests_on=False).bound
    base = b()
    assert b(radius=r * k) >= base and b(lipschitz=lam * k) >= base and b(margin=delta / k) >= base
    assert b(dim=d + 1) >= base
