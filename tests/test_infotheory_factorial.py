"""Lemma T's log2 N! >= N log2(N/e): the all-N proof steps in sympy, and a rigorous range check."""

from __future__ import annotations

import math

from osp.infotheory import factorial
from osp.infotheory import validate


def test_the_all_n_proof_steps_hold_in_sympy():
    assert factorial.integral_identity_holds()
    assert factorial.step_bound_holds()


def test_the_sympy_checks_can_fail():
    assert not factorial.integral_identity_holds(constant=0)
    assert not factorial.step_bound_holds(constant=2)


def test_rigorous_range_small():
    passed, total, worst_bits, _ = factorial.check_range(2000)
    assert passed == total == 2000
    # the gap is >= 1 nat = log2 e bits, attained at N = 1
    assert worst_bits >= math.log2(math.e) - 1e-12
    assert math.isclose(worst_bits, math.log2(math.e), rel_tol=1e-12)


def test_validation_entry_reports_every_n_plus_the_proof():
    v = validate.validate_log_factorial(500)
    assert v.passed == v.total == 501 and v.counterexample is None
