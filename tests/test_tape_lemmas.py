"""Lemma T's ingredients: log N! >= N log(N/e) for every N (a proof, with a
check that the proof can fail), list-decoding Fano (cited + validated), and
the size of the bound."""

import math

import pytest
from flint import arb

from osp.infotheory import factorial, validate
from osp.proofs import tape


def test_log_factorial_proof_holds_and_its_pieces_can_fail():
    ok, what = tape.log_factorial()
    assert ok, what
    # the sympy pieces it rests on reject a wrong constant: they are not rubber stamps
    assert not factorial.integral_identity_holds(constant=2)
    assert not factorial.step_bound_holds(constant=2)


def test_log_factorial_margin_is_log2_e_bits_on_a_range():
    """Corroboration of the proved bound ln N! >= N ln N - N + 1 with arb balls (not the proof)."""
    for n in list(range(1, 200)) + [10 ** 4, 10 ** 6]:
        gap = arb(n + 1).lgamma() - (n * arb(n).log() - n + 1)
        assert gap >= 0 or gap.contains(0), n


def test_list_fano_validated_and_its_broken_twin_fails():
    v = validate.validate_lemma("list-fano", 100, 7)
    assert v.ok and v.counterexample is None
    assert validate.validate_broken("list-fano", 100, 7).counterexample is not None


def test_lemma_t_fraction_bound_at_b0_cbar1():
    """(B + N (1 + log2 e)) / log2(N / cbar) per query at B = 0, cbar = 1: about 2.44 / log2 N."""
    per_query = lambda n: (1 + math.log2(math.e)) / math.log2(n)  # noqa: E731
    assert 1 + math.log2(math.e) == pytest.approx(2.4427, abs=1e-4)
    assert per_query(64) > 0.4                    # zoology sizes: weak
    assert per_query(2 ** 40) < 0.07
