"""Corollary 2.1 (no decay, lam = 1), docs/theory.md section 4.

Without decay S1 gives no fixed radius, only ||s_t|| <= ||s0|| + t beta, so
the delta-confident capacity grows like D log L and delta-Recall (N >= rho L)
fails beyond an explicit length. Plain Recall is not excluded: the statement
is about margins (see the base-M digit processor in the tests).
"""

from __future__ import annotations

import sympy
from sympy import And, Eq, Ge, Gt, Implies, Le, Lt

from osp.checks import theorem2
from osp.checks.obligation import Axiom, Obligation

S = sympy.symbols
t, s0, beta, rprev, rnext = S("t s0 beta norm_prev norm_next", real=True)
L, RL, Lam, delta, D, N, q, c, lq, lL, lc, Dd = S(
    "L R_L Lam delta D N q c log_q logL log_c Dfn_delta", real=True)
rho, k, lk, ln2 = S("rho k log_k ln2", real=True)
eps, V = S("eps_delta V", real=True)
# 1 when S1's premises at lam = 1 hold (F_t 1-Lipschitz, ||F_t(0)|| <= beta, ||s_0|| = s0): an indicator
# atom, so that imports of thm2.S1.no-decay and cor2.1.capacity carry those premises too
s1p, nsL = S("S1_premises norm_s_L", real=True)
H2 = theorem2.H2_PREMISES                                 # thm2.H2, as the nodes state it

nFd, nF0 = S("norm_Fs_minus_F0 norm_F0", real=True)
STEP = Le(nFd, rprev)                     # ||F(s) - F(0)|| <= 1 * ||s - 0|| (lam = 1)
HYP = Le(rprev, s0 + (t - 1) * beta)      # induction hypothesis at t - 1
TRIANGLE = Le(rnext, nFd + nF0)           # ||F(s)|| <= ||F(s) - F(0)|| + ||F(0)||


def induction() -> Obligation:
    return Obligation(
        "cor2.1.induction", "lam = 1: ||s_{t-1}|| <= ||s0|| + (t-1) beta gives ||s_t|| <= ||s0|| + t beta",
        (Ge(t, 1), Ge(beta, 0), Ge(s0, 0), Ge(rprev, 0), HYP, STEP, Le(nF0, beta)),
        Le(rnext, s0 + t * beta),
        (Axiom(TRIANGLE, "def.norm (triangle inequality)"),),
        parameters={"input_bound": beta, "init_norm": s0},
    )


# log2 is increasing on (0, oo) and log2(L c) = log2 L + log2 c for L, c > 0
LOG_PRODUCT = Implies(And(Gt(q, 0), Gt(L, 0), Gt(c, 0), Le(q, L * c)), Le(lq, lL + lc))
# thm2.S1.no-decay at t = L: its premises (L >= 1 and S1's at lam = 1) give H0 at R(L)
NO_DECAY_H0 = Implies(And(Ge(L, 1), Eq(s1p, 1)), Le(nsL, s0 + L * beta))
# thm2 at R = R(L): H2 and H0 (||s_L|| <= R) give the capacity bound (R >= 0, Lam, delta > 0, D, N >= 1)
THM2_AT_RL = Implies(And(*H2, Le(nsL, RL), Ge(RL, 0), Gt(Lam, 0), Gt(delta, 0), Ge(D, 1), Ge(N, 1)),
                     Le(N * Dd, D * lq))


def capacity_premises() -> tuple:
    """cor2.1.capacity's own premises (its node statement), shared with the import in no_recall."""
    return (Ge(L, 1), Ge(s0, 0), Ge(beta, 0), Gt(Lam, 0), Gt(delta, 0), Ge(D, 1), Ge(N, 1), *H2, Eq(s1p, 1))


def capacity() -> Obligation:
    return Obligation(
        "cor2.1.capacity", "R(L) = ||s0|| + L beta: N Dfn <= D (log L + log(1 + 4 (||s0|| + beta) Lam/delta))",
        (*capacity_premises(),
         Eq(RL, s0 + L * beta),
         Eq(q * delta, delta + 4 * RL * Lam),               # q = 1 + 4 R(L) Lam / delta
         Eq(c * delta, delta + 4 * (s0 + beta) * Lam)),     # c = the same at L = 1
        Le(N * Dd, D * (lL + lc)),
        (Axiom(LOG_PRODUCT, "lemma.log-monotone and def.log2 (log of a product)"),
         Axiom(NO_DECAY_H0, "thm2.S1.no-decay (at t = L: H0 with R = R(L))"),
         Axiom(THM2_AT_RL, "thm2 (Theorem 2 at R = R(L) = ||s0|| + L beta)")),
        {"log_q": "log2(1 + 4 R(L) Lam / delta)", "logL": "log2 L", "log_c": "log2(1 + 4(||s0|| + beta) Lam/delta)",
         "Dfn_delta": "Dfn(eps_delta, V)", "norm_s_L": "||s_L||",
         "S1_premises": "1 if F_t is 1-Lipschitz, ||F_t(0)|| <= beta and ||s_0|| = s0, else 0"},
        {"dim": D, "margin": delta, "lipschitz": Lam, "eps": eps, "V": V},
    )


TANGENT = Implies(And(Gt(k, 0), Gt(L, 0)), Le(k * ln2 * lL, k * ln2 * lk + L - k))   # ln L <= ln k + L/k - 1
CAPACITY = Implies(And(*capacity_premises()), Le(N * Dd, D * (lL + lc)))    # cor2.1.capacity
LN2 = And(Gt(ln2, sympy.Rational(69, 100)), Lt(ln2, sympy.Rational(7, 10)))
DFN_POS = theorem2.DFN_POS


def no_recall() -> Obligation:
    return Obligation(
        "cor2.1.no-recall", "delta-Recall (N >= rho L) fails for L > 2D(log k + C)/(rho Dfn), k = 2D/(rho Dfn ln 2)",
        (Gt(rho, 0), *capacity_premises(), Lt(eps * V, V - 1), Ge(N, rho * L),
         Eq(k * rho * Dd * ln2, 2 * D)),                  # k = 2 D / (rho Dfn ln 2): a definition
        Le(rho * Dd * L, 2 * D * (lk + lc)),
        (Axiom(TANGENT, "lemma.log-tangent"),
         Axiom(CAPACITY, "cor2.1.capacity"),
         Axiom(LN2, "lemma.ln2"),
         Axiom(DFN_POS, "thm1.step10 (Dfn > 0 on [0, 1 - 1/V))")),
        {"logL": "log2 L", "log_k": "log2 k", "log_c": "log2(1 + 4(||s0|| + beta) Lam/delta)", "ln2": "ln 2",
         "Dfn_delta": "Dfn(eps_delta, V)",
         "S1_premises": "1 if F_t is 1-Lipschitz, ||F_t(0)|| <= beta and ||s_0|| = s0, else 0"},
        {"dim": D, "eps": eps, "V": V},
    )


def all_obligations() -> list[Obligation]:
    return [induction(), capacity(), no_recall()]
