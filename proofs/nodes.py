"""The proof graph of osp: every node, gathered from the modules that define them.

The theorem modules import `graph` (for Node); this module imports them, so
`graph` itself never reaches back up to the nodes it evaluates.
"""

from __future__ import annotations

import functools

from osp.proofs import tape, theorem1, theorem2
from osp.proofs.graph import Graph

#: modules exposing `nodes() -> list[Node]`, in docs/theory.md order
MODULES = (theorem1, theorem2, tape)


def all_nodes() -> list:
    out = []
    for module in MODULES:
        out.extend(module.nodes())
    return out


@functools.lru_cache(maxsize=1)
def load_graph() -> Graph:
    return Graph(all_nodes())
