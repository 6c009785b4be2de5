"""Text and JSON views of a box check (`osp check --ranges`)."""

from __future__ import annotations

from osp.box import THEOREM1_CORNER_NODE, BoxCheck
from osp.status import Status


def to_json(out: BoxCheck, r: dict, seconds: float) -> dict:
    first = out.extremes.get("theorem1") or out.extremes.get("theorem2") or {}
    return {
        "verdict": out.verdict,
        "bound_min": first.get("bound_min"), "bound_max": first.get("bound_max"),
        "extremes": out.extremes,
        "ranges": {k: [str(lo), str(hi)] for k, (lo, hi) in r.items()},
        "obligations": [{"id": res.id, "status": res.status, "z3": res.z3.status,
                         "second": res.second.status, "second_method": res.second.method,
                         "counterexample": res.counterexample, "reason": res.reason,
                         "disagreement": res.disagreement} for res in out.results],
        "seconds": round(seconds, 3),
    }


def text(out: BoxCheck, r: dict, seconds: float) -> str:
    lines = ["box: " + ", ".join(f"{k} in [{lo}, {hi}]" for k, (lo, hi) in r.items())]
    for res in out.results:
        line = f"  {res.id:24s} {res.status:8s} z3={res.z3.status:8s} {res.second.method}={res.second.status}"
        if res.status is not Status.PROVED:
            if res.counterexample:
                line += "  counterexample: " + ", ".join(f"{k}={v}" for k, v in res.counterexample.items())
            if res.reason:
                line += f"  ({res.reason})"
        lines.append(line)
        if res.disagreement:
            lines.append(f"  !! {res.reason}")
    for name, ex in out.extremes.items():
        by = THEOREM1_CORNER_NODE if name == "theorem1" else "the Theorem 2 monotonicity nodes"
        lines.append(f"{name} bound over the box: min {ex['bound_min_decimal']}, max {ex['bound_max_decimal']} "
                     f"(at most {ex['pairs_min_decimal']} / {ex['pairs_max_decimal']} pairs; rounded down) "
                     f"(at corners, by {by})")
        if ex.get("note"):
            lines.append(f"  {ex['note']}")
    n = len(out.results)
    proved = sum(res.status is Status.PROVED for res in out.results)
    lines.append(f"verdict: {out.verdict} ({proved}/{n} obligations proved, {seconds:.2f} s)")
    return "\n".join(lines)
