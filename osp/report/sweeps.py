"""Sweep summaries for the report (`osp sweep`'s reports/data/sweep-<name>.json):
the figures across models that no single result file holds.

Only what the page draws is read, and checked: a malformed summary is bad
input naming the file and the field, never a silently empty section.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from osp.errors import OspInputError
from osp.report.files import read_json_files


@dataclass(frozen=True)
class CapacityPoint:
    group: str
    model: str
    state_bits: int            # b_T at the largest N measured
    capacity_pairs: int        # largest N with error_upper <= error, at this budget
    recall_fraction: float     # best recall_bits / b_T over N: a lower bound on the share used
    tape_osp: bool


@dataclass(frozen=True)
class Theorem2Point:
    group: str
    delta: str
    capacity_pairs: int        # delta-confident, at this budget
    bound_bits: float | None   # D log2(1 + 4 R Lam / delta) at the smallest N (rounded down)
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class SweepView:
    name: str
    source: str
    results_commit: str | None
    verdict: str
    budget: str
    error: str
    values: int
    dfn_lower: float           # Dfn(error, V) rounded down: the Theorem 1 line N = b_T / Dfn lies below N <= this
    points: tuple[CapacityPoint, ...]
    theorem2: tuple[Theorem2Point, ...]
    references: dict


def _get(data, key, kind, where):
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise OspInputError(f"{where}: missing or malformed key {key!r}")
    return value


def parse(data, where: str) -> SweepView:
    figures = _get(data, "figures", dict, where)
    cap = _get(figures, "capacity_vs_state_bits", dict, f"{where}.figures")
    (line, *_) = _get(cap, "theorem1_lines", list, f"{where}.figures.capacity_vs_state_bits") or [None]
    line = line if isinstance(line, dict) else {}
    fractions = {f.get("group"): f.get("recall_fraction_of_state")
                 for f in figures.get("recall_fraction", []) if isinstance(f, dict)}
    points = []
    for i, p in enumerate(_get(cap, "points", list, f"{where}.figures.capacity_vs_state_bits")):
        w = f"{where}.figures.capacity_vs_state_bits.points[{i}]"
        rows = _get(p, "rows", list, w)
        bits = [r.get("state_bits") for r in rows if isinstance(r, dict) and isinstance(r.get("state_bits"), int)]
        frac = fractions.get(p.get("group"))
        points.append(CapacityPoint(str(_get(p, "group", str, w)), str(_get(p, "model", str, w)),
                                    max(bits) if bits else 0, int(p.get("capacity_pairs") or 0),
                                    float(frac) if isinstance(frac, (int, float)) else 0.0,
                                    bool(p.get("tape_osp", False))))
    t2 = []
    for i, t in enumerate(figures.get("theorem2", [])):
        w = f"{where}.figures.theorem2[{i}]"
        rows = [r for r in _get(t, "rows", list, w) if isinstance(r, dict)]
        bound = next((r.get("bound_bits") for r in rows if isinstance(r.get("bound_bits"), (int, float))), None)
        t2.append(Theorem2Point(str(_get(t, "group", str, w)), str(t.get("delta")),
                                int(t.get("delta_confident_capacity_pairs") or 0), bound,
                                tuple(str(r.get("status")) for r in rows)))
    dfn = line.get("dfn_lower")
    return SweepView(str(data.get("sweep", "sweep")), where, data.get("results_commit"), str(data.get("verdict")),
                     str(data.get("capacity_label", "")), str(line.get("error", "")), int(line.get("V") or 0),
                     float(dfn) if isinstance(dfn, (int, float)) and dfn > 0 else 0.0, tuple(points), tuple(t2),
                     dict(figures.get("references") or {}))


def load_summaries(directory: Path) -> list[SweepView]:
    """Every sweep-*.json in `directory` (none: no sweep section)."""
    return [parse(data, path.name) for path, data in read_json_files(directory, "sweep-*.json")]
