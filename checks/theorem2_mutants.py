"""Broken variants of the Theorem 2, Corollary 2.1 and tape obligations.

Each must be refuted (or at worst unknown), never proved. The issue's
required ones: the S1 invariant without lam >= 0; "the answer stays
delta-confident after the move"; Theorem 2 without the eps_delta hypothesis
(and its concrete counterexample, the never-confident processor); Corollary
2.1 without the t beta term.

`checks/mutant_runner.py` runs `MUTANTS` after Theorem 1's.
"""

from __future__ import annotations

from dataclasses import replace

from sympy import And, Eq, Ge, Gt, Implies, Le, Lt, Or, Rational

from osp.checks import no_decay as nd, tape as tp, theorem2 as t, theorem2_box, theorem2_monotone as m2
from osp.checks.mutant_edits import Mutant, drop, drop_axiom, drop_axioms, goal, swap, swap_axiom
from osp.checks.obligation import Axiom, Obligation


def never_confident() -> Obligation:
    """A processor that is never delta-confident (all logits tied, constant state:
    R = 0) has eps_delta = 1 > 1 - 1/V, and Dfn(1, V) = log(V/(V-1)) > 0, while the
    right-hand side is D log 1 = 0: the conclusion fails for every N >= 1."""
    return Obligation(
        "thm2~never-confident", "Theorem 2 without H2, at the never-confident processor",
        (Ge(t.V, 2), Ge(t.N, 1), Ge(t.D, 1), Eq(t.R, 0), Gt(t.Lam, 0), Gt(t.delta, 0), t.RADIUS_DEF,
         Eq(t.q * t.r, t.r + 2 * t.R), Eq(t.ed, 1)),
        Le(t.N * t.Dd, t.D * t.lq),
        (Axiom(Implies(Eq(t.ed, 1), Gt(t.Dd, 0)), "Dfn(1, V) = log2(V/(V-1)) > 0"),
         Axiom(Implies(Eq(t.q, 1), Eq(t.lq, 0)), "log2 1 = 0")),
    )


def never_confident_capacity() -> Obligation:
    """Corollary 2.1's capacity step at the never-confident processor: H2 replaced by eps_delta = 1."""
    ob = drop(nd.capacity(), Le(nd.eps * nd.V, nd.V - 1))  # raises if H2's form ever changes
    return replace(ob, id="cor2.1.capacity~never-confident",
                   hypotheses=ob.hypotheses + (Eq(nd.eps, 1), Gt(nd.Dd, 0)))


def _theorem2() -> list:
    M = Mutant
    lam, beta, R = t.lam, t.beta, t.R
    return [
        M("thm2.S1.triangle", "no triangle inequality", lambda: drop_axioms(t.s1_triangle(), 0)),
        M("thm2.S1.triangle", "drop the beta term", lambda: goal(t.s1_triangle(), Le(t.nFs, lam * t.ns))),
        M("thm2.S1.invariant", "without lam >= 0", lambda: drop(t.s1_invariant(), t.INV_LAM_NONNEG)),
        M("thm2.S1.invariant", "without R(1-lam) >= beta", lambda: drop(t.s1_invariant(), Ge(R * (1 - lam), beta))),
        M("thm2.S1.radius", "min instead of max", lambda: swap(t.s1_radius(), t.RADIUS_MAX,
                                                                Or(And(Eq(R, t.s0), Le(t.s0, t.q_)),
                                                                   And(Eq(R, t.q_), Le(t.q_, t.s0))))),
        M("thm2.S1.radius", "beta/(1-lam) not tied to beta", lambda: drop(t.s1_radius(), Eq(t.q_ * (1 - lam), beta))),
        M("thm2.S1.induction", "without lam >= 0", lambda: drop(t.s1_induction(), Ge(lam, 0))),
        M("thm2.S1.induction", "without R(1-lam) >= beta", lambda: drop(t.s1_induction(), Ge(R * (1 - lam), beta))),
        M("thm2.step1", "the answer stays delta-confident after the move",
          lambda: goal(t.robustness(), Gt(t.ap - t.bp, t.delta))),
        M("thm2.step1", "radius delta/Lam instead of delta/(2 Lam)",
          lambda: swap(t.robustness(), t.RADIUS_DEF, Eq(t.Lam * t.r, t.delta))),
        M("thm2.step2.disjoint", "r-balls instead of r/2-balls",
          lambda: goal(t.cover_disjoint(), Or(Ge(t.dpz, t.r), Ge(t.dzq, t.r)))),
        M("thm2.step2.disjoint", "no triangle inequality", lambda: drop_axioms(t.cover_disjoint(), 0)),
        M("thm2.step2.inside", "inside the R-ball itself", lambda: goal(t.cover_inside(), Lt(t.d0z, R))),
        M("thm2.step2.inside", "no triangle inequality", lambda: drop_axioms(t.cover_inside(), 0)),
        M("thm2.step2", "volume scaling radius^(D-1)",
          lambda: swap_axiom(t.cover_volume(), t.SCALE_A, Eq(t.lVa, t.lc + (t.D - 1) * t.la))),
        M("thm2.step2", "wrong constant: half the covering number",
          lambda: goal(t.cover_volume(), Le(t.lM, t.D * t.lq - 1))),
        M("thm2.step2", "no packing", lambda: drop_axiom(t.cover_volume(), t.PACKING)),
        M("thm2.step3.event", "robustness not applied", lambda: drop_axiom(t.quantise_event(), t.KEEPS)),
        M("thm2.step3.event", "not quantised to a net point within r",
          lambda: drop_axiom(t.quantise_event(), t.NEAREST)),
        M("thm2.step3.event", "converse inclusion",
          lambda: goal(t.quantise_event(), Le(1 - t.conf * t.corr, 1 - t.corr_q))),
        M("thm2.step3", "without H2 (eps_delta <= 1 - 1/V)", lambda: drop(t.quantise_error(), t.H2)),
        M("thm2.step3", "quantising lowers nothing: eps_q >= eps_delta",
          lambda: goal(t.quantise_error(), Ge(t.eq, t.ed))),
        M("thm2.step3", "inclusion reversed (wrong-or-unconfident within wrong-after-quantising)",
          lambda: swap_axiom(t.quantise_error(), t.EVENT_SUM, Le(t.sum_d, t.sum_q))),
        M("thm2.step3", "eps_q not the mean of the per-query probabilities",
          lambda: drop(t.quantise_error(), t.MEAN_Q)),
        M("thm2.step4", "Theorem 2 without H2 (eps_delta <= 1 - 1/V)", lambda: drop(t.assembly(), t.H2)),
        M("thm2.step4", "never-confident processor (H2 fails)", never_confident),
        M("thm2.step4", "Theorem 1 not applied to the quantised processor",
          lambda: drop_axiom(t.assembly(), t.THM1_ON_Q)),
        M("thm2.step4", "step 3 not used (eps_q unrelated to eps_delta)",
          lambda: drop_axiom(t.assembly(), t.STEP3)),
        M("thm2.step4", "wrong constant: 1 + 2 R Lam / delta",
          lambda: goal(t.assembly(), And(Eq(t.q * t.delta, t.delta + 2 * R * t.Lam), Le(t.N * t.Dd, t.D * t.lq)))),
        M("thm2.divide", "divide without Dfn > 0", lambda: drop_axiom(t.divide(), t.DFN_POS)),
        M("thm2.divide", "divide with Dfn >= 0 only",
          lambda: swap_axiom(t.divide(), t.DFN_POS, Implies(And(Ge(t.ed, 0), t.STRICT_H2), Ge(t.Dd, 0)))),
        M("thm2.divide", "divide at the edge eps_delta = 1 - 1/V too",
          lambda: goal(t.divide(), And(Gt(t.Dd, 0), Le(t.N, t.D * t.lq / t.Dd)))),
        M("box2.H2", "eps_max at the edge 1 - 1/V_min", lambda: theorem2_box.validity()[0],
          ranges={"eps": (Rational(0), Rational(1, 2)), "V": (Rational(2), Rational(4))}),
        M("box2.H2", "eps_max above 1 - 1/V_min", lambda: theorem2_box.validity()[0],
          ranges={"eps": (Rational(0), Rational(9, 10)), "V": (Rational(8), Rational(64))}),
        M("box2.margin", "margin range reaching 0", lambda: theorem2_box.validity()[1],
          ranges={"margin": (Rational(0), Rational(1))}),
        M("box2.margin", "negative margins", lambda: theorem2_box.validity()[1],
          ranges={"margin": (Rational(-1), Rational(-1, 2))}),
        M("box2.lipschitz", "Lipschitz range reaching 0", lambda: theorem2_box.validity()[2],
          ranges={"lipschitz": (Rational(0), Rational(1))}),
        M("box2.lipschitz", "negative Lipschitz constants", lambda: theorem2_box.validity()[2],
          ranges={"lipschitz": (Rational(-2), Rational(-1))}),
        M("thm2.step2.net", "not maximal (a far state could be added)", lambda: drop(t.cover_net(), t.MAXIMAL)),
        M("thm2.step2.net", "net points not at distance 0 from themselves", lambda: drop_axioms(t.cover_net(), 0, 1)),
        M("thm2.step2.net", "an r/2-net", lambda: goal(t.cover_net(), Le(2 * t.move, t.r))),
    ]


def _others() -> list:
    M = Mutant
    return [
        M("cor2.1.induction", "drop the t beta term", lambda: goal(nd.induction(), Le(nd.rnext, nd.s0))),
        M("cor2.1.induction", "no contraction step", lambda: drop(nd.induction(), nd.STEP)),
        M("cor2.1.induction", "no triangle inequality", lambda: drop_axiom(nd.induction(), nd.TRIANGLE)),
        M("cor2.1.capacity", "constant capacity (no log L)",
          lambda: goal(nd.capacity(), Le(nd.N * nd.Dd, nd.D * nd.lc))),
        M("cor2.1.capacity", "no log of a product", lambda: drop_axiom(nd.capacity(), nd.LOG_PRODUCT)),
        M("cor2.1.capacity", "Theorem 2 not applied at R(L)", lambda: drop_axiom(nd.capacity(), nd.THM2_AT_RL)),
        M("cor2.1.capacity", "never-confident processor (H2 fails: eps_delta = 1, Dfn > 0)", never_confident_capacity),
        M("cor2.1.capacity", "without H2 (eps_delta <= 1 - 1/V)",
          lambda: drop(nd.capacity(), Le(nd.eps * nd.V, nd.V - 1))),
        M("cor2.1.capacity", "H0 at R(L) not imported", lambda: drop_axiom(nd.capacity(), nd.NO_DECAY_H0)),
        M("cor2.1.no-recall", "without L >= 1 (log-tangent needs L > 0)",
          lambda: drop(nd.no_recall(), Ge(nd.L, 1))),
        M("cor2.1.no-recall", "no tangent bound on log L", lambda: drop_axiom(nd.no_recall(), nd.TANGENT)),
        M("cor2.1.no-recall", "capacity not imported", lambda: drop_axiom(nd.no_recall(), nd.CAPACITY)),
        M("cor2.1.no-recall", "at the edge eps_delta = 1 - 1/V (Dfn may be 0)",
          lambda: swap(nd.no_recall(), Lt(nd.eps * nd.V, nd.V - 1), Le(nd.eps * nd.V, nd.V - 1))),
        M("cor2.1.no-recall", "wrong constant: D instead of 2D",
          lambda: goal(nd.no_recall(), Le(nd.rho * nd.Dd * nd.L, nd.D * (nd.lk + nd.lc)))),
        M("mono2.numerator", "delta direction dropped", lambda: drop(m2.numerator(), Le(m2.d2, m2.d1))),
        M("mono2.numerator", "flip", lambda: goal(m2.numerator(), Ge(m2.D1 * m2.lq1, m2.D2 * m2.lq2))),
        M("mono2.radius", "lam order dropped", lambda: drop(m2.radius(), Le(m2.l1, m2.l2))),
        M("mono2.radius", "flip", lambda: goal(m2.radius(), Ge(m2.R1, m2.R2))),
        M("mono2.box", "B_lo may be negative (no B >= 0)", lambda: drop(m2.box_corners(), Ge(m2.Blo, 0))),
        M("mono2.box", "wrong corner: B_hi / Dfn_hi",
          lambda: goal(m2.box_corners(), Le(m2.Bx / m2.Fx, m2.Bhi / m2.Fhi))),
        M("lemma.T.algebra", "without log N! >= N log(N/e)", lambda: drop_axiom(tp.lemma_t(), tp.FACTORIAL)),
        M("lemma.T.algebra", "without list Fano", lambda: drop_axiom(tp.lemma_t(), tp.LIST_FANO)),
        M("lemma.T.algebra", "without the +1 of list Fano in the conclusion",
          lambda: goal(tp.lemma_t(), Le(tp.SP * tp.lNc, tp.B + tp.N * tp.le))),
        M("lemma.T.algebra", "log N! <= N log(N/e) (reversed)",
          lambda: swap_axiom(tp.lemma_t(), tp.FACTORIAL, Le(tp.lNf, tp.N * tp.lN - tp.N * tp.le))),
        M("tape.triangle.algebra", "slack not halved",
          lambda: swap(tp.triangle_from_open(), Eq(2 * tp.slack * tp.V, tp.V - 1 - tp.eps * tp.V),
                       Eq(tp.slack * tp.V, tp.V - 1 - tp.eps * tp.V))),
        M("tape.triangle.algebra", "accuracy only within twice the slack of 1/V",
          lambda: swap(tp.triangle_from_open(), Le(tp.acc * tp.V, 1 + tp.slack * tp.V),
                       Le(tp.acc * tp.V, 1 + 2 * tp.slack * tp.V))),
    ]


MUTANTS: list[Mutant] = _theorem2() + _others()
