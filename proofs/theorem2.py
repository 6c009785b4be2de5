"""Theorem 2 (continuous states), its hypotheses, the S1 lemma, steps 1-4,
Corollary 2.1 and the monotonicity nodes of THEORY.md section 4.

The formulas below are the statements of the nodes; `osp.continuous`
evaluates these same expressions (no second formula).
"""

from __future__ import annotations

import sympy
from sympy import Eq, Ge, Gt, Le

from osp.checks import covering, monotone2, no_decay, theorem2 as ob
from osp.proofs.cited_numeric import CitedNumeric
from osp.proofs.evidence import Definition, Sympy, Z3
from osp.proofs.functions import Dfn, log2
from osp.proofs.graph import Node

S = sympy.symbols
D, R, Lam, delta, e, V, N = S("D R Lam delta eps_delta V N", positive=True)
lam, beta, s0, L, t, rho = S("lam beta s0 L t rho", nonnegative=True)
norm = sympy.Function("norm")
s_T, s_t, s_prev = S("s_T s_t s_{t-1}")


def capacity_bits_expr(D, R, Lam, delta):
    """Theorem 2's right-hand side: D log2(1 + 4 R Lam / delta) bits."""
    return D * log2(1 + 4 * R * Lam / delta)


def bits_per_scalar_expr(R, Lam, delta):
    """The bits per scalar the continuous bound amounts to."""
    return log2(1 + 4 * R * Lam / delta)


def theorem2_bound_expr(D, R, Lam, delta, e, V):
    """Theorem 2 divided by Dfn > 0: N <= D log2(1 + 4 R Lam / delta) / Dfn(eps_delta, V)."""
    return capacity_bits_expr(D, R, Lam, delta) / Dfn(e, V)


def s1_radius_expr(s0, beta, lam):
    """S1: R = max(||s0||, beta / (1 - lam)) for 0 <= lam < 1."""
    return sympy.Max(s0, beta / (1 - lam))


def no_decay_radius_expr(s0, beta, L):
    """lam = 1: ||s_L|| <= ||s0|| + L beta."""
    return s0 + L * beta


def log_tangent() -> tuple[bool, str]:
    """ln x <= ln k + x/k - 1 for x, k > 0: g = ln k + x/k - 1 - ln x has g(k) = 0,
    g'(k) = 0 and g'' = 1/x^2 > 0, so g is convex with its minimum 0 at x = k."""
    x, k = S("x k", positive=True)
    g = sympy.log(k) + x / k - 1 - sympy.log(x)
    ok = (sympy.simplify(g.subs(x, k)) == 0 and sympy.simplify(sympy.diff(g, x).subs(x, k)) == 0
          and sympy.simplify(sympy.diff(g, x, 2) - 1 / x**2) == 0 and bool((1 / x**2).is_positive))
    return ok, "g(x) = ln k + x/k - 1 - ln x: g(k) = 0, g'(k) = 0, g'' = 1/x^2 > 0"


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


def _lemmas() -> list[Node]:
    return [
        Node("thm2.S1", "lemma", "S1 (stability): lam-contractive F_t, ||F_t(0)|| <= beta, 0 <= lam < 1 give "
             "||s_t|| <= R = max(||s0||, beta/(1-lam))",
             Le(norm(s_t), s1_radius_expr(s0, beta, lam)),
             Z3((ob.s1_triangle, ob.s1_invariant, ob.s1_radius, ob.s1_induction)),
             statement_uses=("def.continuous-osp",), proof_uses=("def.norm",), section="4"),
        Node("thm2.S1.no-decay", "lemma", "no decay (lam = 1): ||s_t|| <= ||s0|| + t beta",
             Le(norm(s_t), no_decay_radius_expr(s0, beta, t)), Z3((no_decay.induction,)),
             statement_uses=("def.continuous-osp",), proof_uses=("def.norm",), section="4"),
        Node("lemma.volume-scaling", "lemma", "vol(rho B) = rho^D vol(B) for the ball B of any norm on R^D; "
             "maximal r-separated sets in the R-ball have <= (1 + 2R/r)^D points",
             Eq(S("vol(rho B)"), rho**D * S("vol(B)")),
             CitedNumeric("Folland, Real Analysis, 2nd ed., Thm 2.44 (Lebesgue measure under linear maps); "
                          "Vershynin, High-Dimensional Probability, Cor. 4.2.13 (covering numbers by volume)",
                          (covering.volume_scaling, covering.covering_count)),
             statement_uses=("def.norm",)),
        Node("lemma.log-tangent", "lemma", "ln x <= ln k + x/k - 1 for x, k > 0 (log is concave)",
             Le(sympy.log(S("x")), sympy.log(S("k")) + S("x") / S("k") - 1), Sympy(log_tangent)),
    ]


def _steps() -> list[Node]:
    T = "thm2."
    r = delta / (2 * Lam)
    return [
        Node(T + "step1", "step", "robustness: a move of at most r = delta/(2 Lam) keeps a delta-confident "
             "answer (not its confidence)", Gt(S("logit_a'") - S("logit_b'"), 0), Z3((ob.robustness,)),
             statement_uses=("def.delta-confident",), proof_uses=(T + "H1",)),
        Node(T + "step2", "step", "covering: a maximal r-separated subset of the R-ball is an r-net of at most "
             "(1 + 2R/r)^D points", Le(log2(S("M")), D * log2(1 + 2 * R / S("r"))),
             Z3((ob.cover_disjoint, ob.cover_inside, ob.cover_volume)),
             statement_uses=("def.norm", "def.log2"), proof_uses=(T + "H0", "lemma.volume-scaling")),
        Node(T + "step3", "step", "quantise s_T to a nearest net point: a time-dependent pure OSP with M states "
             "whose error eps_q <= eps_delta <= 1 - 1/V", Le(S("eps_q"), e),
             Z3((ob.quantise_event, ob.quantise_error)),
             statement_uses=("def.osp", "def.delta-confident"), proof_uses=(T + "step1", T + "step2", T + "H2")),
        Node(T + "step4", "step", "Theorem 1 on the quantised processor, then Dfn decreasing: "
             "N Dfn(eps_delta) <= N Dfn(eps_q) <= log M = D log(1 + 4 R Lam/delta)",
             Le(N * Dfn(e, V), capacity_bits_expr(D, R, Lam, delta)), Z3((ob.assembly,)),
             statement_uses=("def.Dfn",), proof_uses=("thm1", "thm1.step10", T + "step2", T + "step3")),
        Node("thm2", "theorem", "Theorem 2: N Dfn(eps_delta, V) <= D log(1 + 4 R Lam / delta) (delta-confident "
             "recall: a statement about margins, not decay)",
             sympy.And(Le(N * Dfn(e, V), capacity_bits_expr(D, R, Lam, delta)),
                       Le(N, theorem2_bound_expr(D, R, Lam, delta, e, V))),
             Z3((ob.divide,)),
             statement_uses=("thm2.H0", "thm2.H1", "thm2.H2", "def.Dfn", "def.mqar"),
             proof_uses=(T + "step4", "thm1.step10"), section="4"),
        Node("cor2.1", "corollary", "Corollary 2.1 (no decay, lam = 1): delta-confident capacity O(D log L), so no "
             "delta-Recall for any fixed delta > 0 (plain Recall is not excluded: margins, not decay)",
             Le(N * Dfn(e, V), D * (log2(L) + log2(1 + 4 * (s0 + beta) * Lam / delta))),
             Z3((no_decay.capacity, no_decay.no_recall)),
             statement_uses=("def.properties", "def.delta-confident"),
             proof_uses=("thm2", "thm2.S1.no-decay", "lemma.log-monotone", "lemma.log-tangent", "lemma.ln2",
                         "thm1.step10"), section="4"),
        Node("mono2.numerator", "monotonicity", "D log(1 + 4 R Lam/delta) increases in D, R, Lam; decreases in delta",
             Ge(sympy.Derivative(capacity_bits_expr(D, R, Lam, delta), R), 0), Z3((monotone2.numerator,)),
             proof_uses=("lemma.log-monotone",)),
        Node("mono2.radius", "monotonicity", "the S1 radius max(||s0||, beta/(1-lam)) increases in ||s0||, beta, lam",
             Ge(sympy.Derivative(beta / (1 - lam), lam), 0), Z3((monotone2.radius,)), proof_uses=("thm2.S1",)),
        Node("mono2.box", "monotonicity", "Theorem 2 bound over a box: max at (D, R, Lam, eps)_max, (delta, V)_min; "
             "min at the opposite corner (whole box valid: eps_max < 1 - 1/V_min)",
             Le(theorem2_bound_expr(D, R, Lam, delta, e, V), S("bound_max")), Z3((monotone2.box_corners,)),
             proof_uses=("mono2.numerator", "mono2.radius", "mono.B", "mono.eps", "mono.V", "mono.box")),
    ]


def nodes() -> list[Node]:
    return _definitions() + _hypotheses() + _lemmas() + _steps()
