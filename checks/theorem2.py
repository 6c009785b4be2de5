"""The algebraic obligations of Theorem 2 (docs/theory.md section 4).

Norms and distances are plain nonnegative reals; the triangle inequality of
the norm enters as an axiom naming `def.norm`. Logarithms (of the covering
number, of volumes, of 1 + 4 R Lam / delta) are opaque atoms, and every
property used of them is an axiom naming its node. No division reaches a
solver without an explicit positive premise: 1 + 2R/r is the symbol q with
the hypothesis q r = r + 2R, r > 0.
"""

from __future__ import annotations


import sympy
from sympy import And, Eq, Ge, Gt, Implies, Le, Lt, Or

from osp.checks.obligation import Axiom, Obligation
from osp.checks.obligation import obligation as _ob

S = sympy.symbols
# S1 (stability): norms of states and of images under F_t
lam, beta, R, s0, ns, nFs, nF0, nFd, r_, q_ = S("lam beta R s0 norm_s norm_Fs norm_F0 norm_Fs_minus_F0 r q", real=True)
nprev, nnext = S("norm_prev norm_next", real=True)
# robustness: logits of the answer (a) and of any other token (b) at s and at s'
a, b, ap, bp, dist, Lam, delta = S("logit_a logit_b logit_a' logit_b' dist Lam delta", real=True)
# covering: packing and volumes
D, r, lM, lVa, lVb, lc, la, lb, lq, q = S("D r logM logVol_a logVol_b logVol_1 log_half_r log_R_half_r log_q q",
                                          real=True)
dpq, dpz, dzq, d0p, d0z = S("d_pq d_pz d_zq d_0p d_0z", real=True)
# quantisation: indicators (0/1) for one query and the mean errors
conf, corr, corr_q, same = S("confident correct correct_q same_answer", real=True)
move = S("dist_to_net", real=True)
ed, eq, V, N, Dd, Dq = S("eps_delta eps_q V N Dfn_delta Dfn_q", real=True)

NORM = "def.norm (triangle inequality)"
LOG = "lemma.log-monotone"


# --- S1: stability gives H0 -------------------------------------------------

def s1_triangle() -> Obligation:
    return _ob(
        "thm2.S1.triangle", "||F(s)|| <= lam ||s|| + beta (Lipschitz at s' = 0, then the triangle inequality)",
        [Ge(ns, 0), Ge(lam, 0), Ge(beta, 0),
         Le(nFd, lam * ns),           # ||F(s) - F(0)|| <= lam ||s - 0||
         Le(nF0, beta)],              # ||F(0)|| <= beta
        Le(nFs, lam * ns + beta),
        axioms=[Axiom(Le(nFs, nFd + nF0), NORM)],
        parameters={"decay": lam, "input_bound": beta},
    )


INV_LAM_NONNEG = Ge(lam, 0)


def s1_invariant() -> Obligation:
    return _ob(
        "thm2.S1.invariant", "r <= R, R(1-lam) >= beta, R >= ||s0||, 0 <= lam < 1  =>  lam r + beta <= R",
        [Ge(r_, 0), Le(r_, R), Ge(R * (1 - lam), beta), Ge(R, s0), Ge(s0, 0), INV_LAM_NONNEG, Lt(lam, 1),
         Ge(beta, 0)],
        Le(lam * r_ + beta, R),
        parameters={"decay": lam, "input_bound": beta, "init_norm": s0},
    )


# R = max(||s0||, q), by cases: the larger of the two
RADIUS_MAX = Or(And(Eq(R, s0), Ge(s0, q_)), And(Eq(R, q_), Ge(q_, s0)))


def s1_radius() -> Obligation:
    # R = max(||s0||, q) with q (1 - lam) = beta, i.e. q = beta/(1 - lam) (1 - lam > 0 is a premise)
    return _ob(
        "thm2.S1.radius", "R = max(||s0||, beta/(1-lam)) satisfies R >= ||s0|| and R(1-lam) >= beta",
        [Ge(lam, 0), Lt(lam, 1), Ge(beta, 0), Ge(s0, 0), Eq(q_ * (1 - lam), beta), RADIUS_MAX],
        And(Ge(R, s0), Ge(R * (1 - lam), beta)),
        parameters={"decay": lam, "input_bound": beta, "init_norm": s0},
    )


def s1_induction() -> Obligation:
    # the induction step ||s_{t-1}|| <= R  =>  ||s_t|| <= R; the base case is R >= ||s0||
    return _ob(
        "thm2.S1.induction", "induction step: ||s_{t-1}|| <= R and ||s_t|| <= lam ||s_{t-1}|| + beta give ||s_t|| <= R",
        [Ge(nprev, 0), Le(nprev, R), Le(nnext, lam * nprev + beta), Ge(lam, 0), Lt(lam, 1), Ge(beta, 0),
         Ge(R * (1 - lam), beta)],
        Le(nnext, R),
        parameters={"decay": lam, "input_bound": beta},
    )


# --- step 1: robustness -----------------------------------------------------

def _moved(x, xp):
    # each logit is Lam-Lipschitz in the state: |x' - x| <= Lam dist
    return [Le(xp - x, Lam * dist), Le(x - xp, Lam * dist)]


RADIUS_DEF = Eq(2 * Lam * r, delta)      # r = delta / (2 Lam)
GAP = Gt(a - b, delta)                    # the answer a is delta-confident against b


def robustness() -> Obligation:
    return _ob(
        "thm2.step1", "a gap > delta stays > 0 after a move of at most r = delta/(2 Lam)",
        [Gt(Lam, 0), Gt(delta, 0), RADIUS_DEF, Ge(dist, 0), Le(dist, r), GAP, *_moved(a, ap), *_moved(b, bp)],
        Gt(ap - bp, 0),
        parameters={"lipschitz": Lam, "margin": delta},
    )


# --- step 2: covering -------------------------------------------------------

SEPARATED = Ge(dpq, r)


def cover_disjoint() -> Obligation:
    return _ob(
        "thm2.step2.disjoint", "the open r/2-balls around r-separated points p, q are disjoint",
        [Gt(r, 0), SEPARATED, Ge(dpz, 0), Ge(dzq, 0)],
        Or(Ge(2 * dpz, r), Ge(2 * dzq, r)),
        axioms=[Axiom(Le(dpq, dpz + dzq), NORM)],
    )


def cover_inside() -> Obligation:
    return _ob(
        "thm2.step2.inside", "an r/2-ball around a point of the R-ball lies in the (R + r/2)-ball",
        [Gt(r, 0), Ge(R, 0), Le(d0p, R), Ge(dpz, 0), Lt(2 * dpz, r)],
        Lt(d0z, R + r / 2),
        axioms=[Axiom(Le(d0z, d0p + dpz), NORM)],
    )


PACKING = Le(lM + lVa, lVb)               # M disjoint r/2-balls inside the (R + r/2)-ball
SCALE_A = Eq(lVa, lc + D * la)            # vol(rho B) = rho^D vol(B), rho = r/2
SCALE_B = Eq(lVb, lc + D * lb)            # rho = R + r/2
Q_COVER = Eq(q * r, r + 2 * R)            # q = 1 + 2R/r (a definition)


def cover_volume() -> Obligation:
    return _ob(
        "thm2.step2", "covering: M vol(r/2) <= vol(R + r/2) gives log M <= D log(1 + 2R/r)",
        [Ge(D, 1), Gt(r, 0), Ge(R, 0), Q_COVER],
        Le(lM, D * lq),
        axioms=[Axiom(PACKING, "thm2.step2.disjoint + thm2.step2.inside + lemma.volume-scaling (disjoint balls "
                               "inside a ball: Lebesgue measure is additive and monotone)"),
                Axiom(SCALE_A, "lemma.volume-scaling"), Axiom(SCALE_B, "lemma.volume-scaling"),
                # (R + r/2) / (r/2) = 1 + 2R/r = q, so log q = log(R + r/2) - log(r/2)
                Axiom(Implies(And(Gt(r, 0), Ge(R, 0), Q_COVER), Eq(lq, lb - la)), "def.log2 (log of a quotient)")],
        atoms={"logM": "log2 M", "logVol_1": "log2 vol(unit ball)", "log_half_r": "log2(r/2)",
               "log_R_half_r": "log2(R + r/2)", "log_q": "log2(1 + 2R/r)",
               "logVol_a": "log2 vol(r/2-ball)", "logVol_b": "log2 vol((R + r/2)-ball)"},
        parameters={"dim": D, "radius": R},
    )


# a reachable state z and the net P (a maximal r-separated subset of the R-ball): 0/1 indicators
in_net, sep_plus, nz = S("z_in_net P_plus_z_separated norm_z", real=True)
# d(z, P) = min over p in P of ||z - p||: the quantiser moves z by exactly this much
MAXIMAL = Implies(And(Le(nz, R), Eq(in_net, 0)), Eq(sep_plus, 0))   # no point of the R-ball can be added
SEPARATED_DEF = Implies(And(Eq(in_net, 0), Ge(move, r)), Eq(sep_plus, 1))  # P r-separated, z >= r from all of P


NET_PREMISES = (Or(Eq(in_net, 0), Eq(in_net, 1)), MAXIMAL, SEPARATED_DEF)


def cover_net() -> Obligation:
    # the net's defining properties (maximal, r-separated) are this node's own premises about its atoms
    return _ob(
        "thm2.step2.net", "a maximal r-separated subset P of the R-ball is an r-net: every reachable z has "
        "d(z, P) <= r (else P + {z} is still r-separated)",
        [Gt(r, 0), *NET_PREMISES],
        Le(move, r),
        axioms=[Axiom(Implies(Eq(in_net, 1), Eq(move, 0)), "def.norm (||z - z|| = 0)"),
                Axiom(Le(nz, R), "thm2.H0 (reachable states lie in the R-ball)")],
        atoms={"dist_to_net": "d(z, P) = min_p ||z - p||", "z_in_net": "1 if z is a point of P",
               "P_plus_z_separated": "1 if P + {z} is r-separated", "norm_z": "||z||"},
        atom_premises=NET_PREMISES,
    )


# --- step 3: quantisation ---------------------------------------------------

def _bits(*xs):
    return [Eq(x * (x - 1), 0) for x in xs]


KEEPS = Implies(And(Eq(conf, 1), Eq(corr, 1), Le(move, r)), Eq(same, 1))   # thm2.step1
NEAREST = Implies(Gt(r, 0), Le(move, r))    # thm2.step2.net: a maximal r-separated set is an r-net
ANSWERS = Implies(And(Eq(same, 1), Eq(corr, 1)), Eq(corr_q, 1))             # the quantised processor's answer


def quantise_event() -> Obligation:
    return _ob(
        "thm2.step3.event", "{wrong after quantising} lies in {wrong or not delta-confident} (per query)",
        [*_bits(conf, corr, corr_q, same), Gt(r, 0), Ge(move, 0), ANSWERS],
        Le(1 - corr_q, 1 - conf * corr),
        axioms=[Axiom(KEEPS, "thm2.step1 (the move to the nearest net point keeps a delta-confident answer)"),
                Axiom(NEAREST, "thm2.step2.net (a maximal r-separated set is an r-net)")],
    )


H2 = Le(ed * V, V - 1)                      # eps_delta <= 1 - 1/V
# sums over the N queries of P(wrong after quantising) and P(wrong or not delta-confident)
sum_q, sum_d = S("sum_P_wrong_q sum_P_wrong_or_unconfident", real=True)
EVENT_SUM = Le(sum_q, sum_d)
MEAN_Q = Eq(N * eq, sum_q)                  # eps_q = (1/N) sum_i P(wrong_q, i)
MEAN_D = Eq(N * ed, sum_d)                  # eps_delta = (1/N) sum_i P(wrong or not confident, i)


def quantise_error() -> Obligation:
    return _ob(
        "thm2.step3", "eps_q <= eps_delta <= 1 - 1/V (expectation of the per-query inclusion, averaged)",
        [Ge(V, 2), Ge(N, 1), MEAN_Q, MEAN_D, H2],
        And(Ge(eq, 0), Le(eq, ed), Le(eq * V, V - 1)),
        axioms=[Axiom(EVENT_SUM, "thm2.step3.event (per query, P is monotone under inclusion; summed over "
                                 "the N queries: expectation is linear)"),
                Axiom(Ge(sum_q, 0), "def.delta-confident (a sum of probabilities is >= 0)")],
        atoms={"sum_P_wrong_q": "sum_i P(answer i wrong after quantising)",
               "sum_P_wrong_or_unconfident": "sum_i P(answer i wrong or not delta-confident)"},
        parameters={"eps": ed, "V": V},
    )


# --- step 4: Theorem 2 from Theorem 1 ---------------------------------------

THM1_ON_Q = Implies(And(Ge(eq, 0), Le(eq * V, V - 1)), Le(N * Dq, lM))      # Theorem 1, b_T = log M
DFN_MONO = Implies(And(Ge(eq, 0), Le(eq, ed), Le(ed * V, V - 1)), Le(Dd, Dq))  # thm1.step10
COVER = Implies(And(Ge(D, 1), Ge(R, 0), Gt(r, 0), Q_COVER), Le(lM, D * lq))     # thm2.step2
H2_PREMISES = (Ge(V, 2), Ge(ed, 0), H2)                                         # thm2.H2 as the nodes state it
STEP3 = Implies(And(*H2_PREMISES), And(Ge(eq, 0), Le(eq, ed)))                  # thm2.step3


def assembly() -> Obligation:
    return _ob(
        "thm2.step4", "Theorem 1 on the quantised processor: N Dfn(eps_delta) <= D log(1 + 4 R Lam / delta)",
        [Ge(V, 2), Ge(N, 1), Ge(D, 1), Ge(R, 0), Gt(Lam, 0), Gt(delta, 0), RADIUS_DEF,
         Eq(q * r, r + 2 * R),                      # q = 1 + 2R/r (step 2's definition)
         Ge(ed, 0), H2],
        And(Eq(q * delta, delta + 4 * R * Lam), Le(N * Dd, D * lq)),
        axioms=[Axiom(THM1_ON_Q, "thm1 (on the quantised processor: a pure OSP with M states, b_T = log M)"),
                Axiom(COVER, "thm2.step2 (log M <= D log q)"),
                Axiom(STEP3, "thm2.step3 (0 <= eps_q <= eps_delta)"),
                Axiom(DFN_MONO, "thm1.step10 (Dfn decreasing on [0, 1 - 1/V])")],
        atoms={"logM": "log2 M", "log_q": "log2(1 + 4 R Lam / delta)", "Dfn_delta": "Dfn(eps_delta, V)",
               "Dfn_q": "Dfn(eps_q, V)"},
        parameters={"dim": D, "radius": R, "lipschitz": Lam, "margin": delta, "eps": ed, "V": V},
    )


STRICT_H2 = Lt(ed * V, V - 1)
# thm2.step4 with its premises (H2, R >= 0, Lam, delta > 0, D, N >= 1)
STEP4_PREMISES = (*H2_PREMISES, Ge(N, 1), Ge(D, 1), Ge(R, 0), Gt(Lam, 0), Gt(delta, 0))
STEP4 = Implies(And(*STEP4_PREMISES), Le(N * Dd, D * lq))
DFN_POS = Implies(And(Ge(ed, 0), STRICT_H2), Gt(Dd, 0))


def divide() -> Obligation:
    return _ob(
        "thm2.divide", "divide with Dfn(eps_delta) > 0 (eps_delta < 1 - 1/V): N <= D log(1 + 4 R Lam/delta) / Dfn",
        [*STEP4_PREMISES],
        # Dfn > 0 sits beside the quotient so that the division is guarded inside the goal itself
        Implies(STRICT_H2, And(Gt(Dd, 0), Le(N, D * lq / Dd))),
        axioms=[Axiom(STEP4, "thm2.step4"),
                Axiom(DFN_POS, "thm1.step10 (Dfn > 0 on [0, 1 - 1/V))")],
        atoms={"log_q": "log2(1 + 4 R Lam / delta)", "Dfn_delta": "Dfn(eps_delta, V)"},
        parameters={"dim": D, "radius": R, "lipschitz": Lam, "margin": delta, "eps": ed, "V": V},
    )


def all_obligations() -> list[Obligation]:
    return [s1_triangle(), s1_invariant(), s1_radius(), s1_induction(), robustness(), cover_disjoint(),
            cover_inside(), cover_volume(), cover_net(), quantise_event(), quantise_error(), assembly(), divide()]
