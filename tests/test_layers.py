"""The import graph of osp/, proofs/ and checks/ has no cycle and never points up.

Layers, top to bottom (a module may import its own layer or any layer below):
commands -> render -> domain -> proofs -> checks -> base. osp.infotheory (the
numeric validation behind every cited lemma) is a checker like osp.checks, which
uses it, so it sits in the checks layer. Read from the AST, so imports inside
functions count as much as those at the top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"osp": ROOT / "osp", "osp.proofs": ROOT / "proofs", "osp.checks": ROOT / "checks"}

BASE = {"osp", "osp.numbers", "osp.exact", "osp.decimals", "osp.ties", "osp.errors", "osp.status", "osp.settings", "osp.tomlfile"}
#: (layer rank, module prefixes); the first matching prefix decides, longest prefixes first
LAYERS = [
    (5, ("osp.cli", "osp.commands", "osp.testing", "osp.pytest_plugin", "osp.testing_records")),
    (4, ("osp.render",)),
    (3, ("osp.bound", "osp.box", "osp.continuous", "osp.ranges", "osp.registry", "osp.runtime", "osp.harness",
         "osp.mqar", "osp.report", "osp.sweep")),
    (2, ("osp.proofs",)),
    (1, ("osp.checks", "osp.infotheory")),
]

#: upward imports still to remove, each with who owns the file
ALLOWED_UPWARD: set[tuple[str, str]] = set()
#: import cycles still to break, each with who owns the files
ALLOWED_CYCLES: list[set[str]] = [
    {"osp.registry.expr", "osp.registry.growth"},  # owned by the "exact" helper, which breaks it
]


def _modules() -> dict[str, Path]:
    out = {}
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            if ".venv" in path.parts or "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package] + parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every osp module `name` imports, at module level or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # "from osp.checks import runner" names the module osp.checks.runner; "from osp.x import f", osp.x
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def _rank(module: str) -> int:
    if module in BASE:
        return 0
    best = None
    for rank, prefixes in LAYERS:
        for p in prefixes:
            if module == p or module.startswith(p + "."):
                if best is None or len(p) > best[1]:
                    best = (rank, len(p))
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS or BASE"
    return best[0]


def _graph() -> nx.DiGraph:
    mods = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for name, path in mods.items():
        for target in _imports(name, path, set(mods)):
            # a package's __init__ is not an edge: importing osp.checks.x runs osp.checks first
            if mods[target].name == "__init__.py" and name.startswith(target + "."):
                continue
            g.add_edge(name, target)
    return g


def test_every_module_has_a_layer():
    for name in _modules():
        _rank(name)


def test_no_upward_import():
    upward = sorted((a, b) for a, b in _graph().edges if _rank(b) > _rank(a) and (a, b) not in ALLOWED_UPWARD)
    assert not upward, "upward imports:\n" + "\n".join(f"  {a} -> {b}" for a, b in upward)


def test_no_import_cycle():
    cycles = [c for c in nx.simple_cycles(_graph()) if set(c) not in ALLOWED_CYCLES]
    assert not cycles, "import cycles:\n" + "\n".join("  " + " -> ".join(c + c[:1]) for c in cycles)


def test_the_checker_sees_function_level_imports(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from osp.checks import runner\n")
    assert _imports("osp.status", src, {"osp.checks", "osp.checks.runner"}) == {"osp.checks.runner"}
