"""Theorem 2 over a parameter box (`osp check --ranges`).

`obligations_for_box(ranges)` returns the Theorem 2 / S1 / Corollary 2.1
obligations restricted to the box, plus validity checks of the box itself
(H2 at every point, delta > 0, a decay range below 1 or exactly 1 with a
length). The bound's extremes over a box (at the corners the monotonicity
nodes single out) are domain work: `osp.box.theorem2_extremes`.

Range names: dim, radius, lipschitz, margin, decay, input_bound, init_norm,
length, eps, V.
"""

from __future__ import annotations

import sympy

from osp.checks import no_decay, theorem2, theorem2_monotone
from osp.checks.obligation import Obligation
from osp.errors import OspInputError

e, V, lam, delta, Lam = sympy.symbols("eps_delta V lam delta Lam", real=True)
NEEDED = ("dim", "lipschitz", "margin", "eps", "V")


def _rat(x) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator) if hasattr(x, "numerator") else sympy.Rational(x)


def box(ranges: dict) -> dict:
    """The box as exact sympy rationals, checked: what `runner.run(ob, timeout, box)` takes."""
    r = {k: (_rat(lo), _rat(hi)) for k, (lo, hi) in ranges.items()}
    _check_names(r)
    return r


def _check_names(r: dict) -> None:
    missing = [n for n in NEEDED if n not in r]
    if "radius" not in r and not ("decay" in r and "input_bound" in r):
        missing.append("radius (or decay with input_bound)")
    if missing:
        raise OspInputError("a Theorem 2 box needs ranges for " + ", ".join(missing))
    if "radius" in r and any(k in r for k in ("decay", "input_bound", "init_norm", "length")):
        raise OspInputError("a Theorem 2 box takes radius or decay/input_bound/init_norm, not both")
    if "decay" in r:
        lo, hi = r["decay"]
        if lo < 0 or hi > 1:
            raise OspInputError("ranges.decay must lie in [0, 1]")
        if hi == 1 and lo != 1:
            raise OspInputError("ranges.decay must lie below 1 (S1) or be exactly 1 with a length range "
                                "(Corollary 2.1), not straddle both")
        if lo == 1 and "length" not in r:
            raise OspInputError("ranges.decay = 1 (no decay) needs a length range (Corollary 2.1)")
        if hi < 1 and "length" in r:
            raise OspInputError("ranges.length applies only with decay 1 (Corollary 2.1)")
    for name in ("dim", "V", "length"):
        # counts: a fractional endpoint would let the solvers range over values no processor has
        if name in r and any(x.q != 1 for x in r[name]):
            raise OspInputError(f"ranges.{name} must have integer endpoints, got [{r[name][0]}, {r[name][1]}]")
    if r["dim"][0] < 1:
        raise OspInputError("ranges.dim must be >= 1")
    if r["V"][0] < 2:
        raise OspInputError(f"ranges.V must be >= 2 (an alphabet size), got {r['V'][0]}")
    if "length" in r and r["length"][0] < 1:
        raise OspInputError(f"ranges.length must be >= 1, got {r['length'][0]}")
    for name in ("radius", "input_bound", "init_norm"):
        if name in r and r[name][0] < 0:
            # a norm bound below 0 bounds nothing: the obligations would hold vacuously on such a box
            raise OspInputError(f"ranges.{name} must be >= 0 (it bounds a norm), got {r[name][0]}")


def validity() -> list[Obligation]:
    return [
        Obligation("box2.H2", "H2 on the whole box: eps_delta < 1 - 1/V at every point", (sympy.Ge(V, 2),),
                   sympy.Lt(e * V, V - 1), parameters={"eps": e, "V": V}),
        Obligation("box2.margin", "delta > 0 on the whole box", (), sympy.Gt(delta, 0), parameters={"margin": delta}),
        Obligation("box2.lipschitz", "Lam > 0 on the whole box (H1)", (), sympy.Gt(Lam, 0),
                   parameters={"lipschitz": Lam}),
    ]


def obligations_for_box(ranges: dict) -> list[Obligation]:
    """The obligations a box must meet; run each as `runner.run(ob, timeout, box(ranges))` so the
    runner restricts it to the box (and recognises a box on which it holds vacuously)."""
    r = box(ranges)
    obs = validity() + theorem2.all_obligations() + theorem2_monotone.all_obligations()
    if "decay" in r and r["decay"][0] == 1:
        # S1 (lam < 1) says nothing here; Corollary 2.1 carries the radius
        obs = [o for o in obs if not o.id.startswith(("thm2.S1", "mono2.radius"))] + no_decay.all_obligations()
    return obs

