"""The architecture registry as rows: each entry classified (E, C, R, region,
coordinates), the problems `osp registry --check` reports, and one entry's
trajectory through the triangle as L* (or a hybrid's share) grows."""

from __future__ import annotations

import sympy

from osp.errors import OspInputError
from osp.registry import classify, loader

TRAJECTORY_LENGTHS = (1 << 14, 1 << 17, 1 << 20, 1 << 24, 1 << 30)
TRAJECTORY_SHARES = ("0", "1/16", "1/8", "1/4", "1/2", "1")


def _point_json(p) -> dict:
    return {"Lstar": p.length, "e": p.e, "k": p.k, "q": p.q, "q_note": p.q_note}


def trajectory(name: str) -> dict:
    entries = loader.load_registry()
    arch = loader.find(name, entries)
    if arch is None:
        raise OspInputError(f"--trajectory: unknown architecture {name!r}")
    out = {"name": arch.name, "L0": classify.REFERENCE["L0"], "reference": classify.REFERENCE,
           "lengths": [_point_json(p) for p in classify.length_trajectory(arch, TRAJECTORY_LENGTHS)]}
    if "a" in arch.constants:
        shares = [sympy.Rational(s) for s in TRAJECTORY_SHARES]
        out["shares"] = [{"a": str(a), **_point_json(p)}
                         for a, p in zip(TRAJECTORY_SHARES, (p for _, p in classify.share_trajectory(arch, "a", shares)))]
    return out


def rows(entries) -> list[dict]:
    out = []
    for arch in entries:
        cl = classify.classify(arch)
        pt = classify.arch_point(arch)
        out.append({
            "name": arch.name, "year": arch.year, "source": arch.source,
            "efficient": cl.efficient, "compact": cl.compact, "recall_possible": cl.recall_possible,
            "region": cl.region,
            "family": arch.family, "tape": arch.tape,
            "compute_growth": cl.compute_growth.label(), "state_bits_growth": cl.state_growth.label(),
            "cites": list(cl.cites), "reason": cl.reason, "configuration": arch.configuration,
            "coordinates": {"L0": classify.REFERENCE["L0"], "Lstar": pt.length, "e": pt.e, "k": pt.k,
                            "q": pt.q, "q_note": pt.q_note},
        })
    return out


def region_counts(table: list[dict]) -> dict[str, int]:
    counts = {region: 0 for region in classify.REGIONS}
    for r in table:
        counts[r["region"]] += 1
    return counts


def problems(table: list[dict]) -> list[str]:
    found = []
    for r in table:
        if r["region"] in ("E+C+R", classify.TAPE_ECR):
            # a tape entry there is not refuted by a theorem, but it would contradict the open statement
            what = "the open tape statement (tape.open, not proved)" if r["tape"] else "Theorem 1 (cor1.1)"
            found.append(f"{r['name']}: lands in {r['region']}, which contradicts {what}")
        if not r["source"].strip():
            found.append(f"{r['name']}: no source")
    return found
