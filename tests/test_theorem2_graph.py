"""Statuses of the Theorem 2 and tape nodes, computed and propagated."""

import pytest

from osp.proofs.graph import CHECKED
from osp.proofs.nodes import load_graph


@pytest.fixture(scope="module")
def results():
    wanted = {"thm2", "cor2.1", "mono2.box", "lemma.T", "tape.open", "tape.triangle"}
    return load_graph().evaluate(only=wanted)


def test_theorem2_nodes_exist_as_listed():
    g = load_graph()
    for nid in ["thm2.H0", "thm2.H1", "thm2.H2", "thm2.S1", "thm2.step1", "thm2.step2", "thm2.step3", "thm2.step4",
                "thm2", "cor2.1", "tape.open", "lemma.T", "lemma.list-fano", "lemma.log-factorial"]:
        assert nid in g.nodes
    assert g.nodes["thm2.H2"].kind == "hypothesis"


def test_theorem2_and_corollary_checked(results):
    for nid in ["thm2", "cor2.1", "thm2.S1", "thm2.step4", "mono2.box", "lemma.volume-scaling"]:
        assert results[nid].status in CHECKED, (nid, results[nid].status, results[nid].blocked_by)


def test_theorem2_rests_on_theorem1_and_its_hypotheses():
    g = load_graph()
    rests = g.rests_on("thm2")
    for nid in ["thm1", "thm1.step10", "thm2.H0", "thm2.H1", "thm2.H2", "thm2.step1", "lemma.volume-scaling"]:
        assert nid in rests
    assert "tape.open" not in rests
    assert "thm2" in g.rests_on("cor2.1")


def test_tape_open_is_open_and_never_checked(results):
    assert results["tape.open"].status == "open"
    assert "open" not in CHECKED


def test_anything_resting_on_tape_open_is_not_checked(results):
    g = load_graph()
    for nid, res in results.items():
        if "tape.open" in g.ancestors(nid):
            assert res.status not in CHECKED, nid
    tri = results["tape.triangle"]
    assert tri.own.status == "proved"            # its own algebra holds ...
    assert tri.status == "open" and "tape.open" in tri.blocked_by   # ... but it rests on an open statement


def test_lemma_t_checked_and_independent_of_the_open_statement(results):
    assert results["lemma.T"].status in CHECKED
    assert results["lemma.list-fano"].status == "cited-validated"
    assert results["lemma.log-factorial"].status == "proved"
    assert "tape.open" not in load_graph().ancestors("lemma.T")


def test_cited_sampler_without_draws_is_unknown_not_validated():
    from types import SimpleNamespace

    import pytest

    from osp.proofs.evidence import Cited, Context
    with pytest.raises(ValueError):
        Cited("a reference", ())
    empty = lambda draws, seed: SimpleNamespace(name="x", passed=0, total=0, worst_slack=None,  # noqa: E731
                                                counterexample=None)
    failing = lambda draws, seed: SimpleNamespace(name="y", passed=1, total=2, worst_slack=-1.0,  # noqa: E731
                                                  counterexample={"draw": 1})
    assert Cited("ref", (empty,)).run(Context()).status == "unknown"
    assert Cited("ref", (empty, failing)).run(Context()).status == "refuted"


def test_decay_radius_rests_on_s1_and_the_theorem():
    from osp import continuous
    b = continuous.continuous_bound(4, 1, 1, 2, 0, decay="0.25", input_bound="0.25")
    assert "thm2.S1" in b.rests_on and "thm2" in b.rests_on and b.rests_on[-1] in ("thm2", "thm2.S1")
    nd = continuous.continuous_bound(4, 1, 1, 2, 0, decay=1, input_bound=1, length=5)
    # Theorem 2 at R(L): the no-decay lemma certifies R, the number is Theorem 2's (not Corollary 2.1's)
    assert "thm2.S1.no-decay" in nd.rests_on and "thm2" in nd.rests_on and "cor2.1" not in nd.rests_on


def test_node_statements_carry_their_premises():
    """A node whose obligation assumes premises states them (Implies), not a bare conclusion."""
    import sympy
    g = load_graph()
    for nid in ["thm2.S1", "thm2.S1.no-decay", "thm2.step1", "thm2.step2", "thm2.step3", "thm2.step4", "thm2",
                "cor2.1.capacity", "cor2.1", "lemma.T", "lemma.list-fano", "mono2.radius", "mono2.box"]:
        assert isinstance(g.nodes[nid].statement, sympy.Implies), nid
