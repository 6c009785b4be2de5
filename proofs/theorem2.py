"""Theorem 2 (continuous states), its hypotheses, the S1 lemma, steps 1-4,
Corollary 2.1 and the monotonicity nodes of docs/theory.md section 4.

The formulas below are the statements of the nodes; `osp.continuous`
evaluates these same expressions (no second formula).
"""

from __future__ import annotations

import sympy
from sympy import Eq, Ge, Gt, Le

from osp.checks import covering, no_decay, theorem2 as ob, theorem2_monotone
from osp.proofs.evidence import Cited, Definition, Sympy, Z3
from osp.proofs.functions import (Dfn, capacity_bits_expr, log2, no_decay_radius_expr,  # noqa: F401
                                  s1_radius_expr, theorem2_bound_expr)
from osp.proofs.identities import log_tangent
from osp.proofs.graph import Node

S = sympy.symbols
D, Lam, delta, V, N = S("D Lam delta V N", positive=True)
# eps_delta = 0 and R = 0 are legitimate inputs: nonnegative, with explicit premises in the statements
e, R = S("eps_delta R", nonnegative=True)
lam, beta, s0, L, t, rho = S("lam beta s0 L t rho", nonnegative=True)
norm = sympy.Function("norm")
s_T, s_t, s_prev = S("s_T s_t s_{t-1}")


def _definitions() -> list[Node]:
    d = Definition()
    x, y = S("x y")
    return [
        Node("def.norm", "definition", "a norm on R^D: ||x|| >= 0, ||c x|| = |c| ||x||, ||x + y|| <= ||x|| + ||y||",
             Le(norm(x + y), norm(x) + norm(y)), d),
        Node("def.continuous-osp", "definition", "continuous-state OSP: s_t in R^D, one norm throughout",
             "s_t = F_t(s_{t-1}, x_t, u_t) in R^D; answers are the argmax of logits read from the state", d,
             statement_uses=("def.osp", "def.norm")),
        Node("def.delta-confident", "definition", "delta-confident answer and eps_delta",
             "an answer is delta-confident if its top logit exceeds every other by more than delta; eps_delta = "
             "mean over queries of P(answer wrong or not delta-confident)", d,
             statement_uses=("def.continuous-osp", "def.mqar")),
    ]


def _hypotheses() -> list[Node]:
    d = Definition()
    return [
        Node("thm2.H0", "hypothesis", "(H0) ||s_T|| <= R almost surely (from S1, or measured)", Le(norm(s_T), R), d,
             statement_uses=("def.continuous-osp",)),
        Node("thm2.H1", "hypothesis", "(H1) logits at each query are Lam-Lipschitz in s_T; Lam > 0, delta > 0",
             "|logit_j(s) - logit_j(s')| <= Lam ||s - s'|| for every token j, query and realisation", d,
             statement_uses=("def.continuous-osp", "def.norm")),
        Node("thm2.H2", "hypothesis", "(H2) eps_delta <= 1 - 1/V (without it the theorem is false)",
             Le(e, 1 - 1 / V), d, statement_uses=("def.delta-confident",)),
    ]


# S1's premises: F_t is lam-Lipschitz, ||F_t(0)|| <= beta, ||s_0|| = s0 (s, s' any states)
_F = sympy.Function("F_t")
_sv, _spv, _s0v = S("s s' s_0")


def _s1_premises(lam_):
    return sympy.And(Le(norm(_F(_sv) - _F(_spv)), lam_ * norm(_sv - _spv)), Le(norm(_F(0)), beta),
                     Eq(norm(_s0v), s0))


def _lemmas() -> list[Node]:
    return [
        Node("thm2.S1", "lemma", "S1 (stability): lam-contractive F_t, ||F_t(0)|| <= beta, 0 <= lam < 1 give "
             "||s_t|| <= R = max(||s0||, beta/(1-lam))",
             sympy.Implies(sympy.And(Ge(lam, 0), sympy.Lt(lam, 1), _s1_premises(lam)),
                           Le(norm(s_t), s1_radius_expr(s0, beta, lam))),
             Z3((ob.s1_triangle, ob.s1_invariant, ob.s1_radius, ob.s1_induction)),
             statement_uses=("def.continuous-osp",), proof_uses=("def.norm",), section="4"),
        Node("thm2.S1.no-decay", "lemma", "no decay (lam = 1): ||s_t|| <= ||s0|| + t beta",
             sympy.Implies(sympy.And(Ge(t, 1), _s1_premises(1)), Le(norm(s_t), no_decay_radius_expr(s0, beta, t))),
             Z3((no_decay.induction,)),
             statement_uses=("def.continuous-osp",), proof_uses=("def.norm",), section="4"),
        Node("lemma.volume-scaling", "lemma", "vol(rho B) = rho^D vol(B) for the ball B of any norm on R^D; "
             "maximal r-separated sets in the R-ball have <= (1 + 2R/r)^D points",
             Eq(sympy.Symbol("vol(rho B)"), rho**D * sympy.Symbol("vol(B)")),
             Cited("Folland, Real Analysis, 2nd ed., Thm 2.44 (Lebesgue measure under linear maps); "
                   "Vershynin, High-Dimensional Probability, Cor. 4.2.13 (covering numbers by volume)",
                   (covering.volume_scaling, covering.covering_count)),
             statement_uses=("def.norm",)),
        Node("lemma.log-tangent", "lemma", "ln x <= ln k + x/k - 1 for x, k > 0 (log is concave)",
             Le(sympy.log(S("x", positive=True)),
                sympy.log(S("k", positive=True)) + S("x", positive=True) / S("k", positive=True) - 1),
             Sympy(log_tangent)),
    ]


def _implies(ob_builder):
    """The statement of a node holding one obligation: its hypotheses imply its goal (same symbols)."""
    o = ob_builder()
    return sympy.Implies(sympy.And(*o.hypotheses), o.goal)


def _steps() -> list[Node]:
    T = "thm2."
    h2 = sympy.And(Ge(V, 2), Ge(e, 0), Le(e, 1 - 1 / V))
    pos = sympy.And(Ge(R, 0), Gt(Lam, 0), Gt(delta, 0), Ge(D, 1), Ge(N, 1))
    strict = sympy.Lt(e, 1 - 1 / V)
    cap = capacity_bits_expr(D, R, Lam, delta)
    cor_c = log2(1 + 4 * (s0 + beta) * Lam / delta)
    rho_q, k = S("rho k", positive=True)
    # the corners of a box: (D, R, Lam, eps)_lo/hi, (delta, V)_lo/hi; the whole box satisfies strict H2
    Dl, Dh, Ll, Lh, dl, dh, Vl, Vh = S("D_lo D_hi Lam_lo Lam_hi delta_lo delta_hi V_lo V_hi", positive=True)
    Rl, Rh, el, eh = S("R_lo R_hi eps_lo eps_hi", nonnegative=True)
    lo_corner, hi_corner = (Dl, Rl, Ll, dh, el, Vh), (Dh, Rh, Lh, dl, eh, Vl)
    corner_box = (Le(Dl, D), Le(D, Dh), Le(Rl, R), Le(R, Rh), Le(Ll, Lam), Le(Lam, Lh), Le(dl, delta),
                  Le(delta, dh), Le(el, e), Le(e, eh), Le(Vl, V), Le(V, Vh), Ge(Vl, 2), Ge(el, 0),
                  sympy.Lt(eh, 1 - 1 / Vl), Ge(Dl, 1), Gt(Ll, 0), Gt(dl, 0))
    return [
        Node(T + "step1", "step", "robustness: a move of at most r = delta/(2 Lam) keeps a delta-confident "
             "answer (not its confidence)", _implies(ob.robustness), Z3((ob.robustness,)),
             statement_uses=("def.delta-confident",), proof_uses=(T + "H1",)),
        Node(T + "step2.disjoint", "step", "the open r/2-balls around r-separated points are disjoint",
             _implies(ob.cover_disjoint), Z3((ob.cover_disjoint,)), statement_uses=("def.norm",),
             proof_uses=("def.norm",)),
        Node(T + "step2.inside", "step", "an r/2-ball around a point of the R-ball lies in the (R + r/2)-ball",
             _implies(ob.cover_inside), Z3((ob.cover_inside,)), statement_uses=("def.norm",),
             proof_uses=("def.norm",)),
        Node(T + "step2", "step", "covering: a maximal r-separated subset of the R-ball is an r-net of at most "
             "(1 + 2R/r)^D points",
             sympy.Implies(sympy.And(Ge(D, 1), Ge(R, 0), Gt(S("r"), 0)),
                           Le(log2(S("M")), D * log2(1 + 2 * R / S("r")))),
             Z3((ob.cover_volume,)),
             statement_uses=("def.norm", "def.log2"),
             proof_uses=(T + "H0", T + "step2.disjoint", T + "step2.inside", "lemma.volume-scaling")),
        Node(T + "step2.net", "step", "a maximal r-separated subset of the R-ball is an r-net: every reachable "
             "state is within r of a net point", _implies(ob.cover_net), Z3((ob.cover_net,)),
             statement_uses=("def.norm",), proof_uses=("def.norm", T + "H0")),
        Node(T + "step3.event", "step", "per query: {wrong after quantising} lies in {wrong or not delta-confident}",
             _implies(ob.quantise_event), Z3((ob.quantise_event,)),
             statement_uses=("def.delta-confident",), proof_uses=(T + "step1", T + "step2.net")),
        Node(T + "step3", "step", "quantise s_T to a nearest net point: a time-dependent pure OSP with M states "
             "whose error eps_q <= eps_delta <= 1 - 1/V",
             sympy.Implies(h2, sympy.And(Ge(S("eps_q"), 0), Le(S("eps_q"), e), Le(S("eps_q"), 1 - 1 / V))),
             Z3((ob.quantise_error,)),
             statement_uses=("def.osp", "def.delta-confident"), proof_uses=(T + "step3.event", T + "H2")),
        Node(T + "step4", "step", "Theorem 1 on the quantised processor, then Dfn decreasing: "
             "N Dfn(eps_delta) <= N Dfn(eps_q) <= log M = D log(1 + 4 R Lam/delta)",
             sympy.Implies(sympy.And(h2, pos), Le(N * Dfn(e, V), cap)), Z3((ob.assembly,)),
             statement_uses=("def.Dfn", T + "H2"), proof_uses=("thm1", "thm1.step10", T + "step2", T + "step3")),
        Node("thm2", "theorem", "Theorem 2: N Dfn(eps_delta, V) <= D log(1 + 4 R Lam / delta) (delta-confident "
             "recall: a statement about margins, not decay); N <= that / Dfn when eps_delta < 1 - 1/V",
             sympy.Implies(sympy.And(h2, pos, Le(norm(s_T), R)),
                           sympy.And(Le(N * Dfn(e, V), cap),
                                     sympy.Implies(strict, Le(N, theorem2_bound_expr(D, R, Lam, delta, e, V))))),
             Z3((ob.divide,)),
             statement_uses=("thm2.H0", "thm2.H1", "thm2.H2", "def.Dfn", "def.mqar"),
             proof_uses=(T + "step4", "thm1.step10"), section="4"),
        Node("cor2.1.capacity", "step", "no decay (lam = 1): Theorem 2 at R(L) = ||s0|| + L beta gives "
             "N Dfn <= D (log L + log(1 + 4 (||s0|| + beta) Lam/delta))",
             sympy.Implies(sympy.And(h2, Ge(L, 1), _s1_premises(1)), Le(N * Dfn(e, V), D * (log2(L) + cor_c))),
             Z3((no_decay.capacity,)),
             statement_uses=("def.Dfn", "def.delta-confident"),
             proof_uses=("thm2", "thm2.S1.no-decay", "lemma.log-monotone"), section="4"),
        Node("cor2.1", "corollary", "Corollary 2.1 (no decay, lam = 1): delta-confident capacity O(D log L), so no "
             "delta-Recall for any fixed delta > 0 (plain Recall is not excluded: margins, not decay)",
             sympy.Implies(sympy.And(Ge(V, 2), Ge(e, 0), strict, Ge(L, 1), _s1_premises(1), Ge(N, rho_q * L),
                                     Eq(k * rho_q * Dfn(e, V) * sympy.log(2), 2 * D)),
                           sympy.And(Le(N * Dfn(e, V), D * (log2(L) + cor_c)),
                                     Le(rho_q * Dfn(e, V) * L, 2 * D * (log2(k) + cor_c)))),
             Z3((no_decay.no_recall,)),
             statement_uses=("def.properties", "def.delta-confident", "def.Dfn"),
             proof_uses=("cor2.1.capacity", "lemma.log-tangent", "lemma.ln2", "thm1.step10"), section="4"),
        Node("mono2.numerator", "monotonicity", "D log(1 + 4 R Lam/delta) increases in D, R, Lam; decreases in delta",
             sympy.Implies(pos, sympy.And(*(Ge(sympy.Derivative(cap, x), 0) for x in (D, R, Lam)),
                                         Le(sympy.Derivative(cap, delta), 0))),
             Z3((theorem2_monotone.numerator,)),
             proof_uses=("lemma.log-monotone",)),
        Node("mono2.radius", "monotonicity", "the S1 radius max(||s0||, beta/(1-lam)) increases in ||s0||, beta, lam",
             sympy.Implies(sympy.Lt(lam, 1), Ge(sympy.Derivative(beta / (1 - lam), lam), 0)),
             Z3((theorem2_monotone.radius,)), proof_uses=("thm2.S1",)),
        Node("mono2.box", "monotonicity", "Theorem 2 bound over a box: max at (D, R, Lam, eps)_max, (delta, V)_min; "
             "min at the opposite corner (whole box valid: eps_max < 1 - 1/V_min)",
             sympy.Implies(sympy.And(Ge(V, 2), Ge(e, 0), pos, *corner_box),
                           sympy.And(Le(theorem2_bound_expr(*lo_corner), theorem2_bound_expr(D, R, Lam, delta, e, V)),
                                     Le(theorem2_bound_expr(D, R, Lam, delta, e, V), theorem2_bound_expr(*hi_corner)))),
             Z3((theorem2_monotone.box_corners,)),
             proof_uses=("mono2.numerator", "mono2.radius", "mono.B", "mono.eps", "mono.V", "mono.box")),
    ]


def nodes() -> list[Node]:
    return _definitions() + _hypotheses() + _lemmas() + _steps()
