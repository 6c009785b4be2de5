import pytest
import sympy

from osp.checks import cvc5_backend, runner, theorem1_box, z3_backend
from osp.checks.obligation import Obligation, Verdict

ALL = theorem1_box.theorem1_obligations()
BOX = {"eps": (sympy.Integer(0), sympy.Rational(2, 5)), "V": (sympy.Integer(2), sympy.Integer(2) ** 16),
       "B": (sympy.Integer(0), sympy.Integer(2) ** 30)}


@pytest.mark.parametrize("ob", [o for o in ALL if o.second == "cvc5"], ids=lambda o: o.id)
def test_obligation_proved_by_both_methods(ob):
    res = runner.run(ob, 10000, BOX if ob.id.startswith("box.") else None)
    assert res.z3.status == "proved", res.z3
    assert res.second.status == "proved", res.second
    assert res.status == "proved"


def test_box_obligations_over_a_valid_box():
    for ob in ALL[:2]:
        assert runner.run(ob, 10000, BOX).status == "proved"


def test_every_obligation_lists_justified_axioms():
    for ob in ALL:
        for ax in ob.axioms:
            assert ax.justification.strip(), ob.id


def test_inconsistent_hypotheses_are_never_a_pass():
    x = sympy.Symbol("x", real=True)
    ob = Obligation("t", "t", (sympy.Gt(x, 1), sympy.Lt(x, 0)), sympy.Gt(x, 5))
    for backend in (z3_backend, cvc5_backend):
        v = backend.check(ob)
        assert v.status == "unknown" and "inconsistent" in v.reason


def test_refuted_carries_counterexample_from_both():
    x, y = sympy.symbols("x y", real=True)
    ob = Obligation("t", "t", (sympy.Gt(x, 0),), sympy.Gt(x * y, 0))
    res = runner.run(ob)
    assert res.status == "refuted"
    assert res.z3.counterexample and res.second.counterexample


def test_division_without_premise_is_refuted():
    n, b, d = sympy.symbols("N b_T Dfn", real=True)
    ob = Obligation("t", "t", (sympy.Ge(n, 1), sympy.Le(n * d, b)), sympy.Le(n, b / d))
    assert runner.run(ob).status == "refuted"


def test_unknown_and_disagreement_are_not_passes(monkeypatch):
    ob = ALL[2]
    monkeypatch.setattr(z3_backend, "check", lambda o, t=0: Verdict("unknown", "z3", reason="timeout"))
    res = runner.run(ob)
    assert res.status == "unknown"
    monkeypatch.setattr(z3_backend, "check", lambda o, t=0: Verdict("proved", "z3"))
    monkeypatch.setattr(cvc5_backend, "check", lambda o, t=0: Verdict("refuted", "cvc5", counterexample={"x": "1"}))
    res = runner.run(ob)
    assert res.status == "unknown" and res.disagreement and "DISAGREEMENT" in res.reason and ob.id in res.reason
