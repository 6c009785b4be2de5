"""The proof graph: nodes with their uses, and statuses computed from evidence.

A node's own status comes from its evidence alone. Its reported status is
its own status only when every ancestor (statement uses and proof uses) is
checked; otherwise the worst status among its ancestors shows through, and
`blocked_by` names them. Nothing here is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from osp.proofs import evidence as ev
from osp.status import Status, worst

KINDS = ("definition", "step", "lemma", "theorem", "corollary", "monotonicity", "hypothesis", "open")
CHECKED = (Status.DEFINED, Status.PROVED, Status.CITED_VALIDATED)
#: every status a node's evidence may answer; the unchecked ones show through to what rests on them
NODE_STATUSES = CHECKED + (Status.OPEN, Status.UNKNOWN, Status.REFUTED)


class GraphError(ValueError):
    """The graph itself is malformed (unknown id, cycle, duplicate)."""


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    title: str
    statement: sympy.Basic | str
    evidence: ev.Evidence
    statement_uses: tuple[str, ...] = ()
    proof_uses: tuple[str, ...] = ()
    section: str = ""

    @property
    def uses(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.statement_uses + self.proof_uses))


@dataclass
class NodeResult:
    node: Node
    own: ev.Result
    status: Status | None = None
    blocked_by: list[str] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        return self.status in CHECKED


class Graph:
    def __init__(self, nodes: list[Node]):
        self.nodes: dict[str, Node] = {}
        for n in nodes:
            if n.id in self.nodes:
                raise GraphError(f"duplicate node id {n.id!r}")
            if n.kind not in KINDS:
                raise GraphError(f"node {n.id!r}: unknown kind {n.kind!r}")
            self.nodes[n.id] = n
        for n in nodes:
            for u in n.uses:
                if u not in self.nodes:
                    raise GraphError(f"node {n.id!r} uses unknown id {u!r}")
        self.order = self._topological()

    def _topological(self) -> list[str]:
        state: dict[str, int] = {}
        order: list[str] = []

        def visit(nid: str, path: list[str]) -> None:
            if state.get(nid) == 2:
                return
            if state.get(nid) == 1:
                cycle = path[path.index(nid):] + [nid]
                raise GraphError("cycle in uses: " + " -> ".join(cycle))
            state[nid] = 1
            for u in self.nodes[nid].uses:
                visit(u, path + [nid])
            state[nid] = 2
            order.append(nid)

        for nid in self.nodes:
            visit(nid, [])
        return order

    def ancestors(self, nid: str) -> list[str]:
        if nid not in self.nodes:
            raise GraphError(f"unknown node id {nid!r}")
        seen: dict[str, None] = {}
        stack = list(self.nodes[nid].uses)
        while stack:
            u = stack.pop()
            if u not in seen:
                seen[u] = None
                stack.extend(self.nodes[u].uses)
        return [n for n in self.order if n in seen]

    def rests_on(self, nid: str) -> list[str]:
        """The node and every ancestor, in dependency order."""
        return self.ancestors(nid) + [nid]

    def rests_on_all(self, *nids: str) -> list[str]:
        """What several nodes rest on together: their union, in dependency order."""
        wanted = {a for n in nids for a in self.rests_on(n)}
        return [n for n in self.order if n in wanted]

    def evaluate(self, ctx: ev.Context | None = None, only: set[str] | None = None) -> dict[str, NodeResult]:
        """Run every node's evidence (or those in `only` and their ancestors) and propagate."""
        ctx = ctx or ev.Context()
        wanted = set(self.order) if only is None else {a for n in only for a in self.rests_on(n)}
        results: dict[str, NodeResult] = {}
        for nid in self.order:
            if nid not in wanted:
                continue
            node = self.nodes[nid]
            own = node.evidence.run(ctx)
            if own.status not in NODE_STATUSES:
                own = ev.Result(Status.UNKNOWN, own.checker, own.seconds,
                                {**own.detail, "reason": f"evidence answered an unknown status {own.status!r}"})
            res = NodeResult(node, own)
            blocked = [u for u in self.ancestors(nid) if not _own_checked(results[u])]
            res.blocked_by = blocked
            # the worst of its own status and its unchecked ancestors' (its own when none is unchecked)
            res.status = worst([res.own.status] + [results[u].own.status for u in blocked])
            results[nid] = res
        return results


def _own_checked(r: NodeResult) -> bool:
    return r.own.status in CHECKED

