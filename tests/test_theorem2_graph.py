"""Statuses of the Theorem 2 and tape nodes, computed and propagated."""

import pytest

from osp.proofs.graph import CHECKED, load_graph


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
