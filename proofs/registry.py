"""Every node of the proof graph, gathered from the modules that define them.

A module listed here that fails to import is an error, never skipped.
"""

from __future__ import annotations

import importlib

#: modules exposing `nodes() -> list[Node]`, in THEORY.md order
MODULES = ("osp.proofs.theorem1", "osp.proofs.theorem2", "osp.proofs.tape")


def all_nodes() -> list:
    out = []
    for name in MODULES:
        out.extend(importlib.import_module(name).nodes())
    return out
