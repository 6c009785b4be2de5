"""Nothing the project ships points outside the repository: the mathematics is
cited as "docs/theory.md section N" (sections 1-7), never as THEORY.md or ../shared."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [ROOT / "README.md", ROOT / "pyproject.toml"] + [
    p for d in ("osp", "proofs", "checks", "docs", "examples", "benchmarks") for p in (ROOT / d).rglob("*")
    if p.is_file() and p.suffix in (".py", ".md", ".toml", ".txt", ".html", ".j2") and "__pycache__" not in p.parts]
OUTSIDE = re.compile(r"\.\./shared|THEORY\.md|\bTHEORY\b")
SECTION = re.compile(r"docs/theory\.md,? sections? (\d+)")


def test_no_citation_points_outside_the_repository():
    offenders = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in SHIPPED
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if OUTSIDE.search(line)]
    assert not offenders, "\n".join(offenders)


def test_cited_sections_exist():
    bad = [f"{p.relative_to(ROOT)}: section {m.group(1)}" for p in SHIPPED
           for m in SECTION.finditer(p.read_text(encoding="utf-8")) if not 1 <= int(m.group(1)) <= 7]
    assert not bad, "\n".join(bad)


def test_the_scan_sees_a_bad_citation():
    assert OUTSIDE.search("see ../shared/THEORY.md section 5") and OUTSIDE.search("(THEORY section 2)")
    assert not OUTSIDE.search("see docs/theory.md section 5")
