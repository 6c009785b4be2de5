"""Text views of the architecture registry (`osp registry`); its JSON is the rows themselves."""

from __future__ import annotations

from osp.registry import classify


def trajectory_text(t: dict) -> str:
    def q(v):
        return "n/a (tape)" if v is None else f"{v:.4f}"
    lines = [f"{t['name']}: coordinates (e, k, q) against L0 = {t['L0']}"]
    for p in t["lengths"]:
        lines.append(f"  L* = {p['Lstar']:>11}  e = {p['e']:.4f}  k = {p['k']:.4f}  q = {q(p['q'])}")
    for p in t.get("shares", []):
        lines.append(f"  a = {p['a']:>5} (L* = {p['Lstar']})  e = {p['e']:.4f}  k = {p['k']:.4f}  q = {q(p['q'])}")
    return "\n".join(lines)


def table_text(table: list[dict], counts: dict[str, int]) -> str:
    lines = [f"{'name':36} {'year':4}  {'region':6} {'compute':16} {'state bits':16} source"]
    for r in table:
        tape = " (tape)" if r["tape"] else ""
        lines.append(f"{r['name'][:36]:36} {r['year']:4}  {r['region']:6} {r['compute_growth']:16} "
                     f"{r['state_bits_growth']:16} {r['source']}{tape}")
    lines.append("regions: " + ", ".join(f"{k} {v}" for k, v in counts.items()
                                         if v or k in ("E+C+R", classify.TAPE_ECR)))
    return "\n".join(lines)


def check_text(table: list[dict], problems: list[str]) -> str:
    lines = [f"registry check: {line}" for line in problems]
    lines.append(f"registry check: {len(table)} entries, {len(problems)} problem(s)")
    return "\n".join(lines)
