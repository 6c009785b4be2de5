"""The proof half of the report: every node of the proof graph with its
computed status, evidence, uses and used-by, the words of docs/theory.md
that describe it, and the mutants with their kill rate."""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy

from osp.checks import mutant_runner
from osp.proofs.evidence import Context
from osp.proofs.nodes import load_graph
from osp.report import layout as layout_mod
from osp.report import theory
from osp.status import Status, worst


@dataclass(frozen=True)
class NodeView:
    id: str
    kind: str
    title: str
    statement: object              # a sympy statement, or text
    status: Status
    own_status: Status
    checker: str
    seconds: float
    statement_uses: tuple[str, ...]
    proof_uses: tuple[str, ...]
    used_by: tuple[str, ...]
    blocked_by: tuple[str, ...]
    obligations: tuple[dict, ...]  # each with z3 and second-method verdicts, counterexample, axioms
    validations: tuple[dict, ...]  # cited lemmas: numeric draws
    reference: str
    identity: str
    reason: str
    section: theory.Section | None


@dataclass(frozen=True)
class ProofPart:
    nodes: tuple[NodeView, ...]
    layout: layout_mod.Layout
    sections: tuple[theory.Section, ...]
    summary: dict                  # status -> count, "total"
    status: Status                 # worst node status
    mutants: dict | None           # osp.checks.mutant_runner.run_all's answer
    seconds: float


def collect(ctx: Context | None = None, *, with_mutants: bool = True) -> ProofPart:
    t0 = time.perf_counter()
    graph = load_graph()
    ctx = ctx or Context()
    results = graph.evaluate(ctx)
    sections = theory.load()
    where = theory.node_sections(sections)
    users: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for nid, node in graph.nodes.items():
        for u in node.uses:
            users[u].append(nid)
    views = []
    for nid, res in results.items():
        node, d = res.node, res.own.detail
        views.append(NodeView(
            id=nid, kind=node.kind, title=node.title, statement=node.statement,
            status=Status(res.status), own_status=Status(res.own.status), checker=res.own.checker,
            seconds=res.own.seconds, statement_uses=node.statement_uses, proof_uses=node.proof_uses,
            used_by=tuple(users[nid]), blocked_by=tuple(res.blocked_by),
            obligations=tuple(d.get("obligations", ())), validations=tuple(d.get("validations", ())),
            reference=str(d.get("reference", "")), identity=str(d.get("identity", "")),
            reason=str(d.get("reason", "")), section=where.get(nid)))
    summary: dict = {}
    for v in views:
        summary[str(v.status)] = summary.get(str(v.status), 0) + 1
    summary["total"] = len(views)
    mutants = mutant_runner.run_all(ctx.timeout_ms, ctx.draws, ctx.seed) if with_mutants else None
    return ProofPart(tuple(views), layout_mod.layout(layout_mod.node_uses(graph)), tuple(sections), summary,
                     worst(v.status for v in views), mutants, time.perf_counter() - t0)
