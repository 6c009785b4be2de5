"""Theorem 2, Corollary 2.1 and tape obligations: proved by z3 and cvc5;
their mutants refuted (never proved); the proof graph's statuses."""

import pytest

from osp.checks import mutant_runner, no_decay, runner, tape, theorem2
from osp.checks import theorem2_monotone, theorem2_mutants

OBLIGATIONS = theorem2.all_obligations() + no_decay.all_obligations() + theorem2_monotone.all_obligations() + \
    tape.all_obligations()


@pytest.mark.parametrize("ob", OBLIGATIONS, ids=lambda o: o.id)
def test_obligation_proved_by_both_methods(ob):
    res = runner.run(ob, timeout_ms=20000)
    assert (res.z3.status, res.second.status) == ("proved", "proved"), res.reason
    assert res.second.method == "cvc5"
    assert not res.disagreement


# every mutant (these included, through mutant_runner.MUTANTS) is run by tests/test_mutants.py


def test_every_new_obligation_has_two_mutants():
    counts = {}
    for mu in theorem2_mutants.MUTANTS:
        counts[mu.obligation] = counts.get(mu.obligation, 0) + 1
    for ob in OBLIGATIONS:
        assert counts.get(ob.id, 0) >= 2, ob.id


def test_issue_mutants_present_and_seen_by_the_lead_runner():
    names = {(m.obligation, m.name) for m in mutant_runner.MUTANTS}
    for required in [("thm2.S1.invariant", "without lam >= 0"),
                     ("thm2.step1", "the answer stays delta-confident after the move"),
                     ("thm2.step4", "Theorem 2 without H2 (eps_delta <= 1 - 1/V)"),
                     ("thm2.step4", "never-confident processor (H2 fails)"),
                     ("cor2.1.induction", "drop the t beta term")]:
        assert required in names


def test_delta_confidence_counterexample_is_a_real_move():
    """z3's counterexample to 'stays delta-confident' must be a legal move that keeps the answer."""
    mu = next(m for m in theorem2_mutants.MUTANTS if m.name == "the answer stays delta-confident after the move")
    res = runner.run(mu.build())
    cex = {k: _num(v) for k, v in res.z3.counterexample.items()}
    a, b, ap, bp = cex["logit_a"], cex["logit_b"], cex["logit_a'"], cex["logit_b'"]
    lam, delta, dist = cex["Lam"], cex["delta"], cex["dist"]
    assert a - b > delta and ap - bp > 0 and not ap - bp > delta
    assert abs(ap - a) <= lam * dist + 1e-12 and dist <= delta / (2 * lam) + 1e-12


def _num(text):
    from fractions import Fraction
    return float(Fraction(text)) if "?" not in text else float(text.rstrip("?"))
