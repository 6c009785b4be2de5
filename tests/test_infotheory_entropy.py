"""The entropy helpers against hand-computed values, the definitional reference,
sympy's h and Dfn, and the random draw generators."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import infotheory_strategies as S
from osp.infotheory import draws as dr
from osp.infotheory import entropy as ent
from osp.proofs import functions

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_known_values():
    assert ent.entropy(np.full(8, 1 / 8)) == pytest.approx(3.0)
    assert ent.entropy(np.array([1.0, 0.0, 0.0])) == 0.0  # 0 log 0 = 0
    assert ent.binary_entropy(0.0) == ent.binary_entropy(1.0) == 0.0
    assert ent.binary_entropy(0.5) == 1.0
    p = np.array([[0.5, 0.0], [0.0, 0.5]])  # Y = X
    assert ent.cond_entropy(p, [0], [1]) == 0.0
    assert ent.mutual_info(p, [0], [1]) == pytest.approx(1.0)
    q = np.outer([0.3, 0.7], [0.2, 0.5, 0.3])  # independent
    assert ent.mutual_info(q, [0], [1]) == pytest.approx(0.0, abs=1e-12)
    assert ent.cond_entropy(q, [1], [0]) == pytest.approx(ent.entropy(q, [1]))


def test_xor_conditional_mutual_information():
    p = np.zeros((2, 2, 2))
    for x in range(2):
        for y in range(2):
            p[x, y, x ^ y] = 0.25
    assert ent.mutual_info(p, [0], [1]) == pytest.approx(0.0, abs=1e-12)
    assert ent.cond_mutual_info(p, [0], [1], [2]) == pytest.approx(1.0)


@SETTINGS
@given(S.chain_draws(), st.data())
def test_cond_entropy_matches_definition(kw, data):
    p = kw["p"]
    axes = list(range(p.ndim))
    a = data.draw(st.lists(st.sampled_from(axes), min_size=1, unique=True))
    rest = [x for x in axes if x not in a]
    b = data.draw(st.lists(st.sampled_from(rest), unique=True)) if rest else []
    assert ent.cond_entropy(p, a, b) == pytest.approx(ent.cond_entropy_by_definition(p, a, b), abs=1e-9)


@pytest.mark.parametrize("e", [0.0, 1e-9, 0.1, 0.37, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("values", [2, 3, 10, 2 ** 20])
def test_dfn_matches_the_sympy_definition(e, values):
    exact = functions.Dfn(sympy.Rational(str(e)), sympy.Integer(values))
    assert ent.dfn(e, values) == pytest.approx(float(sympy.N(exact, 30)), abs=1e-12)


@pytest.mark.parametrize("e", [1e-6, 0.1, 0.5, 0.8])
@pytest.mark.parametrize("values", [2, 5])
def test_dfn_derivative_matches_sympy(e, values):
    x = sympy.Symbol("e")
    d = sympy.diff(functions.Dfn(x, sympy.Integer(values)), x).subs(x, sympy.Rational(str(e)))
    assert ent.dfn_derivative(e, values) == pytest.approx(float(sympy.N(d, 30)), rel=1e-12)


@pytest.mark.parametrize("values", [2, 3, 7, 2 ** 20])
def test_dfn_vanishes_at_guessing_error(values):
    assert ent.dfn(1 - 1 / values, values) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("kind", dr.KINDS)
def test_random_pmf_kinds_are_pmfs(kind):
    rng = np.random.default_rng(0)
    for _ in range(20):
        p = dr.random_pmf(rng, (3, 2), kind)
        assert p.shape == (3, 2) and np.all(p >= 0) and p.sum() == pytest.approx(1.0)


def test_point_and_sparse_kinds_make_zeros():
    rng = np.random.default_rng(1)
    assert np.count_nonzero(dr.random_pmf(rng, (5,), "point")) == 1
    assert any(np.count_nonzero(dr.random_pmf(rng, (6,), "sparse")) < 6 for _ in range(20))


def test_function_channels_are_deterministic():
    k = dr.random_channel(np.random.default_rng(2), 5, 3, "function")
    assert np.all(k.sum(axis=1) == 1) and np.all((k == 0) | (k == 1))


def test_markov_chains_have_zero_markov_gap_and_general_triples_do_not():
    rng = np.random.default_rng(3)
    for _ in range(50):
        p = dr.random_markov_chain(rng)
        assert p.sum() == pytest.approx(1.0)
        assert ent.cond_mutual_info(p, [0], [2], [1]) == pytest.approx(0.0, abs=1e-12)
    gaps = [ent.cond_mutual_info(dr.random_joint(rng, 3, 2, 3), [0], [2], [1]) for _ in range(50)]
    assert max(gaps) > 1e-3


def test_push_forward_adds_the_function_axis():
    p = np.array([[0.2, 0.3, 0.5]])  # X constant, A in {0,1,2}
    q = dr.push_forward(p, 1, np.array([1, 0, 1]), 2)
    assert q.shape == (1, 3, 2)
    assert q[0, :, 1].sum() == pytest.approx(0.7) and q[0, 1, 0] == pytest.approx(0.3)


def test_from_weights_all_zero_is_a_point_mass():
    p = dr.from_weights([0, 0, 0, 0], (2, 2))
    assert p[0, 0] == 1.0 and p.sum() == 1.0
    with pytest.raises(ValueError):
        dr.from_weights([-1, 2], (2,))


def test_binary_entropy_is_symmetric_and_fano_f_adds_the_log_term():
    for e in (0.01, 0.2, 0.45):
        assert ent.binary_entropy(e) == pytest.approx(ent.binary_entropy(1 - e))
        assert ent.fano_f(e, 5) == pytest.approx(ent.binary_entropy(e) + e * math.log2(4))
