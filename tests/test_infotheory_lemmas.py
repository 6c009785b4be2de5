"""Each cited lemma holds to 1e-9 bits on hypothesis-drawn distributions; each broken
twin is refuted, hypothesis shrinking it to a small concrete counterexample."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings

import infotheory_strategies as S
from osp.infotheory import entropy as ent
from osp.infotheory import lemmas as lm
from osp.infotheory import validate

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIND = settings(max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# lemma name -> (strategy where it must hold, its slack, strategy for the broken twin, broken slack)
CASES = {
    "fano": (S.fano_draws(), lm.fano_slack, S.projection_draws(), lm.broken_fano_unprojected_slack),
    "fano-projection": (S.projection_draws(), lm.fano_projection_slack,
                        S.projection_draws(), lm.broken_fano_unprojected_slack),
    "dpi": (S.markov_draws(), lm.dpi_slack, S.triple_draws(), lm.broken_dpi_slack),
    "conditioning": (S.conditioning_draws(), lm.conditioning_slack,
                     S.general_xab_draws(), lm.broken_conditioning_slack),
    "chain-rule": (S.chain_draws(), lm.chain_rule_slack, S.chain_draws(), lm.broken_chain_rule_slack),
    "entropy-support": (S.zsw_draws(), lm.entropy_support_slack, S.zsw_draws(), lm.broken_entropy_support_slack),
    "jensen-h": (S.jensen_draws(), lm.jensen_slack, S.jensen_draws(), lm.broken_jensen_slack),
    "h-continuity": (S.pair_draws(), lm.h_continuity_slack, S.pair_draws(), lm.broken_h_continuity_slack),
    "mvt-dfn": (S.mvt_draws(), lm.mvt_dfn_slack, S.mvt_draws(), lm.broken_mvt_dfn_slack),
    "list-fano": (S.list_fano_draws(), lm.list_fano_slack, S.list_fano_draws(), lm.broken_list_fano_slack),
}


def _holds_test(name):
    strategy, slack = CASES[name][0], CASES[name][1]

    @SETTINGS
    @given(strategy)
    def test(kwargs):
        assert slack(**kwargs) >= -lm.TOL, kwargs

    return test


# one hypothesis test per lemma, so a failure names the lemma
for _name in CASES:
    globals()[f"test_{_name.replace('-', '_')}_holds"] = _holds_test(_name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_twin_is_refuted_and_shrunk(name):
    strategy, broken = CASES[name][2], CASES[name][3]
    example = find(strategy, lambda kw: broken(**kw) < -lm.TOL, settings=FIND)
    assert broken(**example) < -lm.TOL
    # the same draw satisfies the correct lemma when it lies in the correct lemma's domain
    if name in ("fano-projection", "jensen-h", "h-continuity", "chain-rule", "list-fano"):
        assert CASES[name][1](**example) >= -lm.TOL


def test_unprojected_fano_counterexample_is_the_textbook_one():
    # V = 2, X uniform, Yhat always out of the alphabet: H(X|Yhat) = 1 > h(1) + 1 * log2(1) = 0
    p = np.array([[0.0, 0.0, 0.5], [0.0, 0.0, 0.5]])
    assert lm.broken_fano_unprojected_slack(p) == pytest.approx(-1.0)
    assert lm.fano_projection_slack(p, v0=0) >= 0.0  # projected: eps' = 1/2 <= eps = 1, Fano tight


def test_projection_never_increases_error():
    p = np.array([[0.1, 0.0, 0.2], [0.0, 0.3, 0.4]])
    eps, eps_proj = lm.error_of(p), lm.error_of(lm.project_predictions(p, 1))
    assert eps == pytest.approx(0.6) and eps_proj == pytest.approx(0.2)


def test_broken_dpi_is_refuted_only_off_markov():
    # Z = X and Y independent noise: I(X;Z) = 1 > I(X;Y) = 0, and I(X;Z|Y) = 1 != 0
    p = np.zeros((2, 2, 2))
    for x in range(2):
        for y in range(2):
            p[x, y, x] = 0.25
    assert lm.broken_dpi_slack(p) == pytest.approx(-1.0)
    assert lm.markov_gap(p) == pytest.approx(1.0)


def test_xor_refutes_conditioning_reduces_mi():
    p = np.zeros((2, 2, 2))  # axes (Z, S, W), S = Z xor W
    for z in range(2):
        for w in range(2):
            p[z, z ^ w, w] = 0.25
    assert lm.broken_entropy_support_slack(p) == pytest.approx(-1.0)
    assert lm.entropy_support_slack(p) >= -lm.TOL


def test_h_is_not_lipschitz_near_zero():
    assert lm.broken_h_continuity_slack(0.0, 1e-6) < -lm.TOL
    assert lm.h_continuity_slack(0.0, 1e-6, 2) >= -lm.TOL  # tight: h(d) - h(0) = h(d)


def test_dfn_rises_beyond_one_minus_one_over_v():
    v = 3
    assert lm.broken_mvt_dfn_slack(1 - 1 / v, 1.0, v) == pytest.approx(-np.log2(v / (v - 1)))
    assert lm.mvt_dfn_slack(1 - 1 / v, 1.0, v) >= -lm.TOL  # the MVT itself still holds there


def test_mvt_point_lies_between_and_solves_the_equation():
    a, b, v = 0.1, 0.6, 4
    c = lm.mvt_point(a, b, v)
    assert a < c < b
    assert ent.dfn_derivative(c, v) * (b - a) == pytest.approx(ent.dfn(b, v) - ent.dfn(a, v), abs=1e-12)


def test_list_fano_without_plus_one_fails_for_blind_guessing():
    n, cbar = 4, 1
    p = np.full((n, 1), 1 / n)  # S carries nothing: I = 0, P(hit) = cbar / N
    assert lm.broken_list_fano_slack(p, cbar) == pytest.approx(-0.25)
    assert lm.list_fano_slack(p, cbar) == pytest.approx(1 / np.log2(4) - 0.25)


@pytest.mark.parametrize("name", sorted(validate.LEMMAS))
def test_registry_validations_pass_and_broken_twins_are_caught(name):
    good = validate.validate_lemma(name, draws=60, seed=7)
    assert good.passed == good.total and good.counterexample is None
    assert good.worst_slack >= -lm.TOL
    bad = validate.validate_broken(name, draws=200, seed=7)
    assert bad.passed < bad.total and bad.counterexample is not None
    assert bad.counterexample["slack"] < -lm.TOL


def test_validation_is_deterministic_for_a_seed():
    a = validate.validate_lemma("fano", draws=30, seed=3)
    b = validate.validate_lemma("fano", draws=30, seed=3)
    assert (a.passed, a.total, a.worst_slack) == (b.passed, b.total, b.worst_slack)


def test_unknown_lemma_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown lemma"):
        validate.validate_lemma("no-such-lemma")
