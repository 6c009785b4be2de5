"""Monotonicity of the Theorem 2 bound D log(1 + 4 R Lam / delta) / Dfn(eps, V)
over a parameter box, and of the S1 radius in its inputs.

The numerator B = D log(1 + 4 R Lam/delta) is handled here; how B / Dfn moves
with B, eps and V is Theorem 1's (mono.B, mono.eps, mono.V).
"""

from __future__ import annotations

import sympy
from sympy import Eq, Ge, Gt, Implies, Le, Lt, Or

from osp.checks.obligation import Axiom, Obligation

S = sympy.symbols
D1, D2, R1, R2, L1, L2, d1, d2, q1, q2, lq1, lq2 = S("D1 D2 R1 R2 Lam1 Lam2 delta1 delta2 q1 q2 log_q1 log_q2",
                                                    real=True)
l1, l2, b1, b2, s1, s2, p1, p2 = S("lam1 lam2 beta1 beta2 s0_1 s0_2 p1 p2", real=True)
LOG = "lemma.log-monotone"


def numerator() -> Obligation:
    return Obligation(
        "mono2.numerator", "D log(1 + 4 R Lam/delta) increases in D, R, Lam and decreases in delta",
        (Ge(D1, 1), Le(D1, D2), Ge(R1, 0), Le(R1, R2), Gt(L1, 0), Le(L1, L2), Gt(d2, 0), Le(d2, d1),
         Eq(q1 * d1, d1 + 4 * R1 * L1), Eq(q2 * d2, d2 + 4 * R2 * L2)),
        Le(D1 * lq1, D2 * lq2),
        (Axiom(Implies(sympy.And(Gt(q1, 0), Le(q1, q2)), Le(lq1, lq2)), LOG),   # log2 increasing on (0, oo)
         Axiom(Implies(Ge(q1, 1), Ge(lq1, 0)), LOG)),
        {"log_q1": "log2 q1", "log_q2": "log2 q2"},
        {"dim": D1, "radius": R1, "lipschitz": L1, "margin": d2},
    )


def _max(R, s, p):
    return [Ge(R, s), Ge(R, p), Or(Eq(R, s), Eq(R, p))]


def radius() -> Obligation:
    return Obligation(
        "mono2.radius", "R = max(||s0||, beta/(1-lam)) increases in ||s0||, beta and lam (0 <= lam < 1)",
        (Ge(l1, 0), Le(l1, l2), Lt(l2, 1), Ge(b1, 0), Le(b1, b2), Ge(s1, 0), Le(s1, s2),
         Eq(p1 * (1 - l1), b1), Eq(p2 * (1 - l2), b2), *_max(R1, s1, p1), *_max(R2, s2, p2)),
        Le(R1, R2),
        parameters={"decay": l1, "input_bound": b1, "init_norm": s1},
    )


def all_obligations() -> list[Obligation]:
    return [numerator(), radius(), box_corners()]


Blo, Bhi, Bx, Flo, Fhi, Fx = S("B_lo B_hi B Dfn_lo Dfn_hi Dfn", real=True)


def box_corners() -> Obligation:
    # B in [B_lo, B_hi] (mono2.numerator at the corners), Dfn in [Dfn_lo, Dfn_hi] with Dfn_lo > 0
    # (mono.eps, mono.V and mono.box at the corners of the (eps, V) box)
    return Obligation(
        "mono2.box", "B / Dfn over the box lies between its corner values B_lo/Dfn_hi and B_hi/Dfn_lo",
        (Ge(Blo, 0), Le(Blo, Bx), Le(Bx, Bhi), Gt(Flo, 0), Le(Flo, Fx), Le(Fx, Fhi)),
        sympy.And(Le(Blo / Fhi, Bx / Fx), Le(Bx / Fx, Bhi / Flo)),
    )
