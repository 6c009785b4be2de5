"""Lemma T's ingredients: log N! >= N log(N/e) for every N (a proof, with a
check that the proof can fail), list-decoding Fano (cited + validated), and
the size of the bound."""

import math

import pytest

from osp.infotheory import factorial, validate
from osp.proofs import tape


def test_log_factorial_proof_holds_and_its_pieces_can_fail():
    ok, what = tape.log_factorial()
    assert ok, what
    # the sympy pieces it rests on reject a wrong constant: they are not rubber stamps
    assert not factorial.integral_identity_holds(constant=2)
    assert not factorial.step_bound_holds(constant=2)


def test_log_factorial_margin_is_log2_e_bits_on_a_range():
    """Corroboration with arb balls (not the proof): every N passes, and the smallest gap is exactly
    log2 e bits, reached at N = 1 (ln 1! - 1 ln(1/e) = 1 nat)."""
    passed, total, worst_bits, _ = factorial.check_range(500)
    assert total == 500 and passed == total
    assert worst_bits == pytest.approx(math.log2(math.e), abs=1e-9)
    # the sympy identity the bound rests on rejects the constant 2 (it would claim a 2-nat margin)
    assert factorial.integral_identity_holds() and not factorial.integral_identity_holds(constant=2)


def test_list_fano_validated_and_its_broken_twin_fails():
    v = validate.validate_lemma("list-fano", 100, 7)
    assert v.ok and v.counterexample is None
    assert validate.validate_broken("list-fano", 100, 7).counterexample is not None


def test_lemma_t_fraction_bound_at_b0_cbar1():
    """The node's bound, at B = 0, cbar = 1: (1 + log2 e) / log2 N per query (weak at zoology sizes)."""
    from osp.proofs.nodes import load_graph
    stmt = load_graph().nodes["lemma.T"].statement
    rhs = stmt.args[1].rhs                                  # Implies(premises, E_hits <= rhs)
    sym = {s.name: s for s in rhs.free_symbols}
    per_query = lambda n: float((rhs / n).subs({sym["N"]: n, sym["B"]: 0, sym["cbar"]: 1}).evalf(30))  # noqa: E731
    assert per_query(64) == pytest.approx((1 + math.log2(math.e)) / 6, rel=1e-12)
    assert per_query(64) > 0.4 and per_query(2 ** 40) < 0.07


def test_lemma_t_algebra_is_the_node_bound_and_needs_its_axioms():
    """The obligation's goal, with its atoms read as what they stand for, is the node's bound; without
    list Fano it is not provable."""
    import sympy
    from osp.checks import mutant_edits, runner, tape as tape_ob
    ob = tape_ob.lemma_t()
    assert runner.run(ob, 20000).status == "proved"
    goal_rhs = ob.goal.args[1].rhs if ob.goal.args[1].lhs == tape_ob.SP else ob.goal.args[0].rhs
    n, b, c = 1000, 7, 3
    atoms = {tape_ob.N: n, tape_ob.B: b, tape_ob.le: math.log2(math.e), tape_ob.lNc: math.log2(n / c)}
    expr = tape.lemma_t_bound_expr(sympy.Integer(n), sympy.Integer(b), sympy.Integer(c))
    assert float(goal_rhs.subs(atoms)) == pytest.approx(float(expr.evalf(30)), rel=1e-12)
    assert runner.run(mutant_edits.drop_axiom(ob, tape_ob.LIST_FANO), 20000).status == "refuted"
