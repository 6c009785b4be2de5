"""Check a parameter box (`osp check --ranges`): every obligation over the box,
one verdict, and the bound's extremes where the obligations license them.

The corner values are the bound's extremes only if every obligation holds on
the box (the monotonicity nodes mono.box / mono2.box say which corner), so an
extreme is reported only when that theorem's obligations are all proved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osp import continuous
from osp import ranges as box_ranges
from osp.bound import theorem1_bound
from osp.checks import runner, theorem1_box, theorem2_box
from osp.checks.runner import ObligationResult
from osp.proofs.nodes import load_graph
from osp.status import Status, worst

#: the nodes that license reading the extremes off the corners
THEOREM1_CORNER_NODE = "mono.box"
THEOREM2_CORNER_NODE = "mono2.box"


@dataclass(frozen=True)
class BoxCheck:
    verdict: Status
    results: list[ObligationResult] = field(default_factory=list)
    #: "theorem1" / "theorem2" -> bound_min, bound_max, argmin, argmax, rests_on (and note)
    extremes: dict = field(default_factory=dict)


def theorem1_box_ranges(r: dict) -> dict:
    bits = box_ranges.state_bits_range(r)
    return {"eps": r["eps"], "V": r["V"], "B": bits}


def theorem1_extremes(b1: dict) -> dict:
    """min and max of the Theorem 1 bound over the box (at corners; every obligation proved)."""
    (blo, bhi), (vlo, vhi), (elo, ehi) = b1["B"], b1["V"], b1["eps"]
    bmin = theorem1_bound(blo, vhi, elo, rests_on=False)
    bmax = theorem1_bound(bhi, vlo, ehi, rests_on=False)
    return {
        "bound_min": bmin.bound, "bound_max": bmax.bound, **extreme_decimals(bmin, bmax),
        "argmin": {"B": str(blo), "V": str(vhi), "eps": str(elo)},
        "argmax": {"B": str(bhi), "V": str(vlo), "eps": str(ehi)},
        "rests_on": load_graph().rests_on_all(THEOREM1_CORNER_NODE, "thm1"),
    }


def extreme_decimals(bmin, bmax) -> dict:
    """The extremes as certified decimals (rounded down: each is an upper bound on N) and exact floors;
    a value past the float range is null in `bound_min`/`bound_max` but never here."""
    return {"bound_min_decimal": bmin.decimal, "bound_max_decimal": bmax.decimal,
            "pairs_min": bmin.pairs, "pairs_max": bmax.pairs,
            "pairs_min_decimal": bmin.pairs_decimal, "pairs_max_decimal": bmax.pairs_decimal}


def _radius(r: dict, end: int):
    """R at the low (end = 0) or high (end = 1) corner: R increases in every input (mono2.radius)."""
    if "radius" in r:
        return r["radius"][end]
    s0 = r.get("init_norm", (0, 0))[end]
    length = r["length"][end] if r["decay"][end] == 1 else None
    return continuous.radius_from_decay(r["decay"][end], r["input_bound"][end], s0, length).radius


def theorem2_extremes(ranges: dict) -> dict:
    """min and max of the Theorem 2 bound over the box (at corners; valid box required)."""
    r = theorem2_box.box(ranges)
    lo = {"dim": r["dim"][0], "radius": _radius(r, 0), "lipschitz": r["lipschitz"][0], "margin": r["margin"][1],
          "values": r["V"][1], "error": r["eps"][0]}
    hi = {"dim": r["dim"][1], "radius": _radius(r, 1), "lipschitz": r["lipschitz"][1], "margin": r["margin"][0],
          "values": r["V"][0], "error": r["eps"][1]}
    bmin = continuous.theorem2_bound(**lo, rests_on=False)
    bmax = continuous.theorem2_bound(**hi, rests_on=False)
    return {"bound_min": bmin.bound, "bound_max": bmax.bound, **extreme_decimals(bmin, bmax),
            "argmin": {k: str(v) for k, v in lo.items()}, "argmax": {k: str(v) for k, v in hi.items()},
            "rests_on": _theorem2_rests_on(r), "note": continuous.MARGINS_NOTE}


def _radius_node(r: dict) -> str | None:
    """The node that certifies the radius: S1 (decay < 1), the no-decay lemma (decay 1), none if given."""
    if "radius" in r:
        return None
    return "thm2.S1.no-decay" if r["decay"][0] == 1 else "thm2.S1"


def _theorem2_rests_on(r: dict) -> list[str]:
    nodes = [THEOREM2_CORNER_NODE, "thm2"] + ([_radius_node(r)] if _radius_node(r) else [])
    return load_graph().rests_on_all(*nodes)


def check_box(r: dict, timeout_ms: int) -> BoxCheck:
    """Every obligation of each theorem the box names, run over the box, and the extremes they license."""
    results, extremes = [], {}
    if box_ranges.wants_theorem1(r):
        b1 = theorem1_box_ranges(r)
        thm1 = [runner.run(ob, timeout_ms, b1) for ob in theorem1_box.theorem1_obligations()]
        results += thm1
        if all(res.status is Status.PROVED for res in thm1):
            extremes["theorem1"] = theorem1_extremes(b1)
    if box_ranges.wants_theorem2(r):
        b2 = theorem2_box.box(r)
        thm2 = [runner.run(ob, timeout_ms, b2) for ob in theorem2_box.obligations_for_box(r)]
        results += thm2
        if all(res.status is Status.PROVED for res in thm2):
            extremes["theorem2"] = theorem2_extremes(r)
    # no obligation run proves nothing: an empty box check must not read as proved
    return BoxCheck(worst((res.status for res in results), default=Status.UNKNOWN), results, extremes)
