"""`osp check --ranges FILE.toml`: every obligation over a parameter box, and
the bound's extremes over it (at corners, by the monotonicity nodes)."""

from __future__ import annotations

import time

from osp import ranges as box_ranges
from osp.bound import theorem1_bound
from osp.commands.common import add_json_flag, emit_json, integer_arg
from osp.errors import EXIT_FAILED, EXIT_OK, OspInputError

#: the node that licenses reading the extremes off the corners
CORNER_NODE = "mono.box"


def register(sub) -> None:
    p = sub.add_parser("check", help="check every obligation over a parameter box")
    add_json_flag(p)
    p.add_argument("--ranges", required=True, help="TOML file with a [ranges] table")
    p.add_argument("--timeout-ms", default="5000", help="per-obligation solver timeout (default 5000)")
    p.set_defaults(func=run)


def theorem1_box(r: dict) -> dict:
    bits = box_ranges.state_bits_range(r)
    return {"eps": r["eps"], "V": r["V"], "B": bits}


def run_box(r: dict, timeout_ms: int) -> dict:
    from osp.checks import box, box_thm2, runner
    from osp.proofs.graph import load_graph

    results, extremes = [], {}
    if box_ranges.wants_theorem1(r):
        b1 = theorem1_box(r)
        thm1 = [runner.run(ob, timeout_ms, b1) for ob in box.theorem1_obligations()]
        results += thm1
        # the corner values are the bound's extremes only if every obligation holds on the box
        if all(res.status == "proved" for res in thm1):
            (blo, bhi), (vlo, vhi), (elo, ehi) = b1["B"], b1["V"], b1["eps"]
            bmin = theorem1_bound(blo, vhi, elo, rests_on=False)
            bmax = theorem1_bound(bhi, vlo, ehi, rests_on=False)
            extremes["theorem1"] = {
                "bound_min": bmin.bound, "bound_max": bmax.bound, **box_thm2.extreme_decimals(bmin, bmax),
                "argmin": {"B": str(blo), "V": str(vhi), "eps": str(elo)},
                "argmax": {"B": str(bhi), "V": str(vlo), "eps": str(ehi)},
                "rests_on": load_graph().rests_on_all(CORNER_NODE, "thm1"),
            }
    if box_ranges.wants_theorem2(r):
        b2 = box_thm2.box(r)
        thm2 = [runner.run(ob, timeout_ms, b2) for ob in box_thm2.obligations_for_box(r)]
        results += thm2
        if all(res.status == "proved" for res in thm2):
            extremes["theorem2"] = box_thm2.bound_extremes(r)
    statuses = {res.status for res in results}
    verdict = "refuted" if "refuted" in statuses else "unknown" if "unknown" in statuses else "proved"
    return {"verdict": verdict, "results": results, "extremes": extremes}


def run(args) -> int:
    timeout_ms = integer_arg(args.timeout_ms, "--timeout-ms")
    r = box_ranges.load(args.ranges)
    t0 = time.perf_counter()
    try:
        out = run_box(r, timeout_ms)
    except OspInputError as exc:
        text = str(exc)
        raise OspInputError(text if text.startswith(args.ranges) else f"{args.ranges}: {text}") from None
    seconds = time.perf_counter() - t0
    first = out["extremes"].get("theorem1") or out["extremes"].get("theorem2") or {}
    if args.json:
        emit_json({
            "verdict": out["verdict"],
            "bound_min": first.get("bound_min"), "bound_max": first.get("bound_max"),
            "extremes": out["extremes"],
            "ranges": {k: [str(lo), str(hi)] for k, (lo, hi) in r.items()},
            "obligations": [{"id": res.id, "status": res.status, "z3": res.z3.status,
                             "second": res.second.status, "second_method": res.second.method,
                             "counterexample": res.counterexample, "reason": res.reason,
                             "disagreement": res.disagreement} for res in out["results"]],
            "seconds": round(seconds, 3),
        })
    else:
        _print(out, r, seconds)
    return EXIT_OK if out["verdict"] == "proved" else EXIT_FAILED


def _print(out: dict, r: dict, seconds: float) -> None:
    print("box: " + ", ".join(f"{k} in [{lo}, {hi}]" for k, (lo, hi) in r.items()))
    for res in out["results"]:
        line = f"  {res.id:24s} {res.status:8s} z3={res.z3.status:8s} {res.second.method}={res.second.status}"
        if res.status != "proved":
            if res.counterexample:
                line += "  counterexample: " + ", ".join(f"{k}={v}" for k, v in res.counterexample.items())
            if res.reason:
                line += f"  ({res.reason})"
        print(line)
        if res.disagreement:
            print(f"  !! {res.reason}")
    for name, ex in out["extremes"].items():
        print(f"{name} bound over the box: min {ex['bound_min_decimal']}, max {ex['bound_max_decimal']} "
              f"(at most {ex['pairs_min_decimal']} / {ex['pairs_max_decimal']} pairs; rounded down) "
              f"(at corners, by {CORNER_NODE if name == 'theorem1' else 'the Theorem 2 monotonicity nodes'})")
        if ex.get("note"):
            print(f"  {ex['note']}")
    n = len(out["results"])
    proved = sum(res.status == "proved" for res in out["results"])
    print(f"verdict: {out['verdict']} ({proved}/{n} obligations proved, {seconds:.2f} s)")
