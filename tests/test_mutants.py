from collections import Counter

import pytest

from osp.checks import mutant_runner, theorem1_box
from osp.checks.mutant_runner import MUTANTS


def test_every_obligation_has_two_mutants():
    counts = Counter(m.obligation for m in MUTANTS)
    for ob in theorem1_box.theorem1_obligations():
        if ob.id == "box.valid":
            continue  # the box itself is the variable part; refuted boxes are tested in test_check_cli
        assert counts[ob.id] >= 2, ob.id


@pytest.mark.parametrize("mu", MUTANTS, ids=lambda m: f"{m.obligation}:{m.name}")
def test_mutant_is_refuted_never_proved(mu):
    res = mutant_runner.run_mutant(mu, 10000)
    assert res["verdict"] == mu.expect, (mu.name, res)
    if mu.expect == "refuted":
        assert res["counterexample"]
    else:  # only a zero denominator could falsify it: the precheck must say so
        assert "not guarded" in (res["z3"].reason or "")


def test_unguarded_division_never_proves():
    import sympy

    from osp.checks import runner
    from osp.checks.obligation import Obligation
    x = sympy.Symbol("x", real=True)
    ob = Obligation("t", "t", (sympy.Eq(x, 0), sympy.Eq(1 / x, 5)), sympy.Gt(1 / x, 4))
    res = runner.run(ob)
    assert res.status == "unknown" and "not guarded" in res.reason


def test_cited_lemmas_broken_twins_are_caught():
    rows = mutant_runner.run_cited(draws=100, seed=7)
    assert rows
    for row in rows:
        assert row["verdict"] == "refuted" and row["counterexample"], row
