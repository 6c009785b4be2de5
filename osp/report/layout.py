"""A layered layout of the proof graph, computed at build time in pure Python,
so the page needs no layout engine and no script.

Layer = length of the longest chain of uses below a node (definitions on
top, theorems at the bottom; a wide layer wraps onto several rows); within a layer, nodes are ordered by the mean
position of their neighbours (a few barycentre sweeps, the Sugiyama
heuristic). grandalf's full Sugiyama layout was tried first: its dummy
vertices for long edges made the picture about 12,000 units wide for 76 nodes.
Coordinates are SVG user units.
"""

from __future__ import annotations

from dataclasses import dataclass

NODE_W, NODE_H = 150.0, 26.0
GAP_X, GAP_Y = 12.0, 54.0
MARGIN = 16.0
SWEEPS = 6
MAX_PER_ROW = 7   # a wider layer wraps onto several rows, so the picture fits a page without scaling


@dataclass(frozen=True)
class Placed:
    id: str
    x: float   # centre
    y: float
    layer: int


@dataclass(frozen=True)
class Route:
    source: str       # the node that uses ...
    target: str       # ... this one
    kind: str         # "statement" or "proof"
    points: tuple[tuple[float, float], ...]   # start, two control points, end (a cubic Bezier)


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, Placed]
    edges: tuple[Route, ...]


def _layers(uses: dict[str, dict[str, str]]) -> dict[str, int]:
    layer: dict[str, int] = {}

    def depth(nid: str) -> int:   # the graph is acyclic (proofs.graph checks it)
        if nid not in layer:
            layer[nid] = 1 + max((depth(u) for u in uses[nid]), default=-1)
        return layer[nid]

    for nid in uses:
        depth(nid)
    return layer


def _order(uses: dict[str, dict[str, str]], layer: dict[str, int]) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
    for nid in uses:           # display order first: related nodes start close
        rows[layer[nid]].append(nid)
    users: dict[str, list[str]] = {nid: [] for nid in uses}
    for nid, used in uses.items():
        for u in used:
            users[u].append(nid)
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        for r in (range(1, len(rows)) if down else range(len(rows) - 2, -1, -1)):
            pos = {nid: i for row in rows for i, nid in enumerate(row)}
            neighbours = (lambda n: list(uses[n])) if down else (lambda n: users[n])

            def key(nid: str, i: int) -> float:
                near = neighbours(nid)
                return sum(pos[m] for m in near) / len(near) if near else float(i)
            rows[r] = [nid for i, nid in sorted(enumerate(rows[r]), key=lambda p: key(p[1], p[0]))]
    return rows


def layout(uses: dict[str, dict[str, str]]) -> Layout:
    """`uses`: node id -> {used id: "statement" | "proof"}, in display order."""
    layer = _layers(uses)
    rows = [chunk[i:i + MAX_PER_ROW] for chunk in _order(uses, layer) for i in range(0, len(chunk), MAX_PER_ROW)]
    width = max(len(r) for r in rows) * (NODE_W + GAP_X) - GAP_X + 2 * MARGIN
    placed: dict[str, Placed] = {}
    for r, row in enumerate(rows):
        span = len(row) * (NODE_W + GAP_X) - GAP_X
        left = (width - span) / 2   # centre each layer
        for i, nid in enumerate(row):
            x = left + i * (NODE_W + GAP_X) + NODE_W / 2
            placed[nid] = Placed(nid, x, MARGIN + r * (NODE_H + GAP_Y) + NODE_H / 2, layer[nid])
    edges = []
    for nid, used in uses.items():
        for u, kind in used.items():
            a, b = placed[u], placed[nid]
            y0, y1 = a.y + NODE_H / 2, b.y - NODE_H / 2
            bend = max(GAP_Y / 2, (y1 - y0) / 3)
            edges.append(Route(nid, u, kind, ((a.x, y0), (a.x, y0 + bend), (b.x, y1 - bend), (b.x, y1))))
    height = MARGIN * 2 + len(rows) * (NODE_H + GAP_Y) - GAP_Y
    return Layout(width, height, placed, tuple(edges))


def node_uses(graph) -> dict[str, dict[str, str]]:
    """The proof graph's uses as {node: {used: kind}}; a use in both roles counts as a proof use."""
    out: dict[str, dict[str, str]] = {}
    for nid in graph.nodes:
        node = graph.nodes[nid]
        used = {u: "statement" for u in node.statement_uses}
        used.update({u: "proof" for u in node.proof_uses})
        out[nid] = used
    return out
