from collections import Counter

import pytest

from osp.checks import box, mutation
from osp.checks.mutants import MUTANTS


def test_every_obligation_has_two_mutants():
    counts = Counter(m.obligation for m in MUTANTS)
    for ob in box.theorem1_obligations():
        if ob.id == "box.valid":
            continue  # the box itself is the variable part; refuted boxes are tested in test_check_cli
        assert counts[ob.id] >= 2, ob.id


@pytest.mark.parametrize("mu", MUTANTS, ids=lambda m: f"{m.obligation}:{m.name}")
def test_mutant_is_refuted_never_proved(mu):
    res = mutation.run_mutant(mu, 10000)
    assert res["verdict"] == "refuted", (mu.name, res)
    assert res["counterexample"]


def test_cited_lemmas_broken_twins_are_caught():
    rows = mutation.run_cited(draws=100, seed=7)
    assert rows
    for row in rows:
        assert row["verdict"] == "refuted" and row["counterexample"], row
