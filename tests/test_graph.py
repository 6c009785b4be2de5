import pytest
import sympy

from osp.proofs import evidence as ev
from osp.proofs.graph import CHECKED, Graph, GraphError, Node
from osp.proofs.nodes import load_graph


def node(nid, evidence=None, uses=(), proof_uses=()):
    return Node(nid, "lemma", nid, sympy.true, evidence or ev.Definition(), tuple(uses), tuple(proof_uses))


def sympy_evidence(holds):
    return ev.Sympy(lambda: (holds, "toy"))


def test_unknown_id_is_an_error():
    with pytest.raises(GraphError, match="unknown id 'nope'"):
        Graph([node("a", uses=("nope",))])


def test_cycle_is_an_error():
    with pytest.raises(GraphError, match="cycle"):
        Graph([node("a", proof_uses=("b",)), node("b", proof_uses=("c",)), node("c", uses=("a",))])


def test_duplicate_and_bad_kind_are_errors():
    with pytest.raises(GraphError, match="duplicate"):
        Graph([node("a"), node("a")])
    with pytest.raises(GraphError, match="unknown kind"):
        Graph([Node("a", "axiom-ish", "a", sympy.true, ev.Definition())])


def test_status_propagates_from_ancestors():
    g = Graph([
        node("def"),
        node("gap", ev.Open("nobody proved it")),
        node("bad", sympy_evidence(False), uses=("def",)),
        node("good", sympy_evidence(True), uses=("def",)),
        node("on_gap", sympy_evidence(True), proof_uses=("good", "gap")),
        node("on_bad", sympy_evidence(True), proof_uses=("on_gap", "bad")),
    ])
    r = g.evaluate()
    assert r["good"].status == "proved" and r["good"].checked
    assert r["gap"].status == "open"
    assert r["on_gap"].own.status == "proved"
    assert r["on_gap"].status == "open" and r["on_gap"].blocked_by == ["gap"]
    assert r["bad"].status == "refuted"
    assert r["on_bad"].status == "refuted"  # the worst ancestor shows through
    assert set(r["on_bad"].blocked_by) == {"gap", "bad"}  # root causes, not their dependents


def test_crashing_sympy_check_is_unknown_not_proved():
    def boom():
        raise RuntimeError("no")
    r = Graph([node("x", ev.Sympy(boom))]).evaluate()
    assert r["x"].status == "unknown"


def test_theorem1_graph_fully_checked(graph_results):
    r = graph_results
    for nid in load_graph().rests_on("thm1") + ["cor1.1", "cor1.2", "mono.box"]:
        assert r[nid].status in CHECKED, (nid, r[nid].status, r[nid].own.detail)
    assert r["thm1"].status == "proved"
    assert r["tape.open"].status == "open"


def test_every_step_and_corollary_is_a_node():
    g = load_graph()
    required = [f"thm1.step{i}" for i in range(1, 13)] + ["thm1", "cor1.1", "cor1.2", "mono.B", "mono.eps",
                                                           "mono.V", "def.Dfn", "def.h", "lemma.fano",
                                                           "lemma.chain-rule", "lemma.jensen", "lemma.mvt",
                                                           "lemma.h-continuity"]
    for nid in required:
        assert nid in g.nodes, nid
    for n in g.nodes.values():
        assert isinstance(n.statement, (sympy.Basic, str))
        if n.kind == "definition":
            assert n.proof_uses == ()


def test_cited_nodes_carry_reference_and_validation(graph_results):
    for res in graph_results.values():
        if isinstance(res.node.evidence, ev.Cited):
            assert res.node.evidence.reference
            runs = res.own.detail["validations"]
            assert runs and all(v["passed"] == v["total"] > 0 for v in runs)


def test_every_axiom_is_justified_by_an_ancestor():
    """An axiom handed to a solver must name nodes the obligation's node rests on."""
    g = load_graph()
    for n in g.nodes.values():
        if not isinstance(n.evidence, ev.Z3):
            continue
        ancestors = set(g.ancestors(n.id))
        for build in n.evidence.builders:
            for ax in build().axioms:
                ids = ax.node_ids()
                assert ids, (n.id, ax.justification)
                for nid in ids:
                    assert nid in ancestors, f"{n.id}: axiom justified by {nid!r}, not an ancestor"


def test_facts_about_atoms_are_axioms_not_hypotheses():
    """A property of an opaque atom (log V, h(eps), ...) imported from elsewhere must be an
    axiom naming its justification; hypotheses may only define atoms (an equation)."""
    g = load_graph()
    for n in g.nodes.values():
        if not isinstance(n.evidence, ev.Z3):
            continue
        for build in n.evidence.builders:
            ob = build()
            atoms = set(ob.atoms)
            for hyp in ob.hypotheses:
                names = {s.name for s in hyp.free_symbols}
                if names & atoms and hyp not in ob.atom_premises:
                    assert isinstance(hyp, sympy.Eq), f"{ob.id}: hypothesis {hyp} constrains atoms {names & atoms}"


def test_goal_is_never_a_hypothesis_or_axiom():
    g = load_graph()
    for n in g.nodes.values():
        if isinstance(n.evidence, ev.Z3):
            for build in n.evidence.builders:
                ob = build()
                assert ob.goal not in ob.hypotheses and ob.goal not in [a.relation for a in ob.axioms], ob.id


def test_no_statement_collapses_to_a_truth_value():
    # sympy evaluates relations eagerly; a statement that became True/False no longer says anything
    # (lemma.volume-scaling once read False: symbols("vol(rho B)") is a tuple, not a symbol)
    collapsed = [n.id for n in load_graph().nodes.values()
                 if isinstance(n.statement, sympy.logic.boolalg.BooleanAtom)]
    assert collapsed == []
