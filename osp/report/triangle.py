"""The triangle of docs/theory.md section 7: every registry architecture at
its (e, k, q) point, hybrids' trajectories, the table of regions, and tape
OSPs placed by mechanism (no proved theorem bounds their recall)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from osp.registry import classify, loader
from osp.registry.table import TRAJECTORY_LENGTHS, TRAJECTORY_SHARES  # the points `osp registry --trajectory` shows

SHARE = "a"   # the registry's constant for a hybrid's share of attention layers


@dataclass(frozen=True)
class Placement:
    name: str
    year: int
    family: str
    region: str
    tape: bool
    e: float
    k: float
    q: float                 # for a tape OSP: 1 if its mechanism retrieves by content, else 0
    q_proved: bool           # False: q comes from the mechanism, not from a proved bound
    note: str
    compute_growth: str
    state_growth: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Trajectory:
    name: str
    by: str                                     # "L*" or "a"
    points: tuple[tuple[str, float, float, float | None], ...]   # (label, e, k, q)


@dataclass(frozen=True)
class TrianglePart:
    reference: dict
    placements: tuple[Placement, ...]
    trajectories: tuple[Trajectory, ...]
    regions: dict                               # region -> count


def _placement(arch) -> Placement:
    cl = classify.classify(arch)
    pt = classify.arch_point(arch)
    if arch.tape:
        q, proved = (1.0 if arch.content_retrieval else 0.0), False
        note = f"{classify.TAPE_NOTE}; placed by mechanism: {arch.mechanism}"
    else:
        q, proved, note = pt.q, True, pt.q_note
    return Placement(arch.name, arch.year, arch.family, cl.region, arch.tape, pt.e, pt.k, q, proved, note,
                     cl.compute_growth.label(), cl.state_growth.label(), tuple(cl.cites))


def _trajectories(arch) -> list[Trajectory]:
    out = [Trajectory(arch.name, "L*", tuple((f"2^{n.bit_length() - 1}", p.e, p.k, p.q)
                                             for n, p in zip(TRAJECTORY_LENGTHS,
                                                             classify.length_trajectory(arch, TRAJECTORY_LENGTHS))))]
    if SHARE in arch.constants:
        shares = [sympy.Rational(s) for s in TRAJECTORY_SHARES]
        pts = classify.share_trajectory(arch, SHARE, shares)
        out.append(Trajectory(arch.name, SHARE, tuple((f"a={s}", p.e, p.k, p.q)
                                                      for s, (_, p) in zip(TRAJECTORY_SHARES, pts))))
    return out


def collect() -> TrianglePart:
    entries = loader.load_registry()
    placements = tuple(_placement(a) for a in entries)
    regions = {r: 0 for r in classify.REGIONS}
    for p in placements:
        regions[p.region] += 1
    trajectories = tuple(t for a in entries if a.family == "hybrid" for t in _trajectories(a))
    return TrianglePart(dict(classify.REFERENCE), placements, trajectories, regions)
