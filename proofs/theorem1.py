"""Definitions, cited lemmas, steps 1-12, Theorem 1, Corollaries 1.1-1.2 and
the monotonicity nodes of docs/theory.md sections 1-3, as proof-graph nodes."""

from __future__ import annotations

import sympy
from sympy import Eq, Ge, Gt, Implies, Le, Lt

from osp.checks import theorem1 as ob, theorem1_monotone as mono
from osp.proofs import identities as ident
from osp.proofs.evidence import Cited, Definition, Sympy, Z3
from osp.proofs.functions import Dfn, h, log2
from osp.proofs.graph import Node

S = sympy.symbols
e, ep, V, N, b, B, p, L, rho, t = S("epsbar epsbar' V N b_T B p L rho t", real=True)
Hc = sympy.Function("H")      # H(X, Y): entropy of X given Y (the second argument is the condition)
Ic = sympy.Function("I")      # I(X, Y, Z): mutual information of X and Y given Z
P_ = sympy.Function("P")
Z, K, Sv, W, vi, Yi, Ypi, Xv = S("Z K S W v_i Yhat_i Y'_i X", real=True)
f = h(e) + e * log2(V - 1)

CT = "Cover & Thomas, Elements of Information Theory, 2nd ed."


def _definitions() -> list[Node]:
    D = Definition()
    return [
        Node("def.log2", "definition", "base-2 logarithm", Eq(log2(S("x")), sympy.log(S("x")) / sympy.log(2)), D),
        Node("def.h", "definition", "binary entropy h, h(0) = h(1) = 0",
             Eq(h(p), -p * log2(p) - (1 - p) * log2(1 - p)), D, statement_uses=("def.log2",)),
        Node("def.Dfn", "definition", "Dfn(e, V) = log V - h(e) - e log(V-1)",
             Eq(sympy.Function("Dfn")(e, V), Dfn(e, V)), D,
             statement_uses=("def.h", "def.log2")),
        Node("def.osp", "definition", "pure OSP: s_t = F_t(s_{t-1}, x_t, u_t), y_t = G_t(s_{t-1}, x_t, u_t)",
             "P = (S_t, s0, F_t, G_t), private randomness u independent of the input", D),
        Node("def.tape-osp", "definition", "tape OSP: a pure OSP that may also read cells of the raw prefix",
             "each read of x_1..x_{t-1} costs one unit; a read past the prefix returns a sentinel", D,
             statement_uses=("def.osp",)),
        Node("def.resources", "definition", "per-step cost c_t(L) and state bits b_t(L) = log |S_t|",
             Eq(S("b_t"), log2(S("|S_t|"))), D, statement_uses=("def.osp", "def.log2")),
        Node("def.properties", "definition", "Efficiency, Compactness, Recall, delta-Recall",
             "E: max c_t = O(1); C: max b_t = O(1); R: epsbar <= eps < 1 - 1/V with N(L) >= rho L pairs", D,
             statement_uses=("def.resources", "def.mqar")),
        Node("def.mqar", "definition", "MQAR: N distinct keys, values i.i.d. uniform on V letters",
             "K = keys, storing and query orders; values Z independent of K; fillers independent of Z given K", D),
        Node("def.error", "definition", "mean error epsbar = (1/N) sum_i P(Yhat_i != v_i)",
             Eq(e, sympy.Sum(P_(S("Yhat_i != v_i")), (S("i"), 1, N)) / N), D, statement_uses=("def.mqar",)),
    ]


def _lemmas() -> list[Node]:
    return [
        Node("lemma.fano", "lemma", "Fano's inequality, with out-of-alphabet predictions projected",
             Le(Hc(Xv, Ypi), h(S("P_e")) + S("P_e") * log2(V - 1)),
             Cited(CT + " Thm 2.10.1", ("fano", "fano-projection")), statement_uses=("def.h",)),
        Node("lemma.conditioning", "lemma", "conditioning reduces entropy; H(X|Y) <= H(X|g(Y))",
             Le(Hc(Xv, Sv), Hc(Xv, Ypi)), Cited(CT + " Thm 2.6.5", ("conditioning",))),
        Node("lemma.chain-rule", "lemma", "chain rule for entropy and mutual information",
             Eq(Hc(Z, K), sympy.Sum(Hc(vi, S("v_<i")), (S("i"), 1, N))), Cited(CT + " Thms 2.5.1, 2.5.2",
                                                                                     ("chain-rule",))),
        Node("lemma.dpi", "lemma", "data-processing inequality on Markov chains X -> Y -> Z",
             Le(Ic(Xv, Z, S("empty")), Ic(Xv, Yi, S("empty"))), Cited(CT + " Thm 2.8.1", ("dpi",))),
        Node("lemma.entropy-support", "lemma", "H(X) <= log |support X|; I(X;Y) <= H(Y)",
             Le(Hc(Sv, S("empty")), log2(S("|S|"))), Cited(CT + " Thm 2.6.4", ("entropy-support",)),
             statement_uses=("def.log2",)),
        Node("lemma.jensen", "lemma", "Jensen's inequality for concave functions",
             Le(sympy.Function("mean")(sympy.Function("f")(S("eps_i"))), sympy.Function("f")(ep)),
             Cited(CT + " Thm 2.6.2", ("jensen-h",))),
        Node("lemma.h-continuity", "lemma", "h is continuous on [0, 1]",
             Le(sympy.Abs(h(S("a")) - h(S("c"))), h(sympy.Abs(S("a") - S("c")))),
             Cited("Rudin, Principles of Mathematical Analysis, Thm 4.9 (with x log x -> 0)", ("h-continuity",)),
             statement_uses=("def.h",)),
        Node("lemma.mvt", "lemma", "mean value theorem",
             Eq(S("g(a)") - S("g(c)"), S("g'(xi)") * (S("a") - S("c"))),
             Cited("Rudin, Principles of Mathematical Analysis, Thm 5.10", ("mvt-dfn",))),
        Node("lemma.ln-bounds", "lemma", "ln x >= 2(x-1)/(x+1) on [1, oo); ln x >= (x^2-1)/(2x) on (0, 1]",
             sympy.And(Implies(Ge(S("x"), 1), Ge(sympy.log(S("x")), 2 * (S("x") - 1) / (S("x") + 1))),
                       Implies(sympy.And(Gt(S("x"), 0), Le(S("x"), 1)),
                               Ge(sympy.log(S("x")), (S("x") ** 2 - 1) / (2 * S("x"))))),
             Sympy(ident.ln_bounds), proof_uses=("lemma.mvt",)),
        Node("lemma.ln2", "lemma", "69/100 < ln 2 < 7/10",
             sympy.And(Lt(sympy.Rational(69, 100), sympy.log(2), evaluate=False),
                       Lt(sympy.log(2), sympy.Rational(7, 10), evaluate=False)),
             Sympy(ident.ln2_bracket)),
        Node("lemma.log-monotone", "lemma", "log2 strictly increasing, log2 1 = 0",
             Gt(sympy.diff(log2(S("x")), S("x")), 0), Sympy(ident.log_monotone), statement_uses=("def.log2",)),
        Node("lemma.h-range", "lemma", "0 <= h <= 1 on [0, 1]", sympy.And(Ge(h(p), 0), Le(h(p), 1)),
             Sympy(ident.h_range), statement_uses=("def.h",), proof_uses=("thm1.step8",)),
    ]


def _steps() -> list[Node]:
    T = "thm1."
    return [
        Node(T + "step1", "step", "projection + Fano: H(v_i | Y'_i) <= f(eps'_i), eps'_i <= eps_i",
             Le(Hc(vi, Ypi), h(S("eps'_i")) + S("eps'_i") * log2(V - 1)), Z3((ob.step1_projection,)),
             statement_uses=("def.h", "def.mqar"), proof_uses=("lemma.fano",)),
        Node(T + "step2", "step", "Y'_i is a function of (S, W, v_<i, K): conditioning reduces entropy",
             Le(Hc(vi, sympy.Tuple(Sv, W, S("v_<i"), K)), Hc(vi, Ypi)),
             Cited(CT + " Thm 2.6.5 and Problem 2.4", ("conditioning",)), proof_uses=("lemma.conditioning",)),
        Node(T + "step3", "step", "chain rule: sum_i H(v_i | S, W, v_<i, K) = H(Z | S, W, K)",
             Eq(sympy.Sum(Hc(vi, sympy.Tuple(Sv, W, S("v_<i"), K)), (S("i"), 1, N)), Hc(Z, sympy.Tuple(Sv, W, K))),
             Cited(CT + " Thm 2.5.1", ("chain-rule",)), proof_uses=("lemma.chain-rule",)),
        Node(T + "step4", "step", "H(Z | S, W, K) = H(Z | K) - I(Z; S, W | K)",
             Eq(Hc(Z, sympy.Tuple(Sv, W, K)), Hc(Z, K) - Ic(Z, sympy.Tuple(Sv, W), K)),
             Cited(CT + " eq. 2.60 (definition of conditional MI)", ("chain-rule",)),
             proof_uses=("lemma.chain-rule",)),
        Node(T + "step5", "step", "I(Z; S, W | K) = I(Z; W | K) + I(Z; S | W, K), I(Z; W | K) = 0",
             Eq(Ic(Z, sympy.Tuple(Sv, W), K), Ic(Z, Sv, sympy.Tuple(W, K))),
             Cited(CT + " Thm 2.5.2 (chain rule for information)", ("chain-rule",)),
             statement_uses=("def.mqar",), proof_uses=("lemma.chain-rule",)),
        Node(T + "step6", "step", "I(Z; S | W, K) <= H(S | W, K) <= H(S) <= log |S_T| = b_T",
             Le(Ic(Z, Sv, sympy.Tuple(W, K)), b), Cited(CT + " Thms 2.6.4, 2.6.5", ("entropy-support", "conditioning")),
             statement_uses=("def.resources",), proof_uses=("lemma.entropy-support", "lemma.conditioning")),
        Node(T + "step7", "step", "H(Z | K) = N log V", Eq(Hc(Z, K), N * log2(V)), Sympy(ident.uniform_entropy),
             statement_uses=("def.mqar", "def.log2")),
        Node(T + "step8.derivative", "step", "h''(p) = -1/(p(1-p) ln 2); f'' = h''",
             Eq(sympy.Derivative(h(p), (p, 2)), -1 / (p * (1 - p) * sympy.log(2))),
             Sympy(ident.h_second_derivative), statement_uses=("def.h",)),
        Node(T + "step8", "step", "f concave on [0, 1]; Jensen: (1/N) sum f(eps'_i) <= f(eps'bar)",
             Implies(sympy.And(Gt(p, 0), Lt(p, 1)), Lt(sympy.Derivative(h(p), (p, 2)), 0)),
             Z3((ob.step8_concavity,)),
             statement_uses=("def.h",),
             proof_uses=(T + "step8.derivative", "lemma.ln2", "lemma.h-continuity", "lemma.jensen")),
        Node(T + "step10.derivative", "step", "dDfn/de = -log((1-e)(V-1)/e)",
             Eq(sympy.Derivative(sympy.Function("Dfn")(e, V), e), -log2((1 - e) * (V - 1) / e)),
             Sympy(ident.dfn_derivative_eps), statement_uses=("def.Dfn",)),
        Node(T + "step10.sign", "step", "dDfn/de < 0 iff e V < V - 1",
             sympy.Equivalent(Lt(sympy.Derivative(sympy.Function("Dfn")(e, V), e), 0), Lt(e * V, V - 1)),
             Z3((ob.step10_sign,)), proof_uses=(T + "step10.derivative", "lemma.log-monotone")),
        Node(T + "step10.zero", "step", "Dfn(1 - 1/V, V) = 0 exactly", Eq(Dfn(1 - 1 / V, V), 0),
             Sympy(ident.dfn_zero_at_edge), statement_uses=("def.Dfn",)),
        Node(T + "step10", "step", "Dfn strictly decreasing on [0, 1 - 1/V], so Dfn > 0 on [0, 1 - 1/V)",
             Implies(sympy.And(Ge(e, 0), Lt(e, 1 - 1 / V)), Gt(Dfn(e, V), 0)),
             Z3((ob.step10_positive, ob.step10_kl)),
             statement_uses=("def.Dfn",),
             proof_uses=(T + "step10.sign", T + "step10.zero", "lemma.mvt", "lemma.h-continuity",
                         "lemma.ln-bounds")),
        Node(T + "step9", "step", "f increasing on [0, 1 - 1/V] and eps'bar <= epsbar: f(eps'bar) <= f(epsbar)",
             Implies(sympy.And(Ge(ep, 0), Le(ep, e), Le(e, 1 - 1 / V)), Le(f.subs(e, ep), f)),
             Z3((ob.step9_monotone,)),
             proof_uses=(T + "step1", T + "step10.derivative", T + "step10.sign", "lemma.mvt", "def.h")),
        Node(T + "step11", "step", "combine 1-9: N Dfn(epsbar, V) <= b_T when epsbar <= 1 - 1/V",
             Implies(Le(e, 1 - 1 / V), Le(N * Dfn(e, V), b)),
             Z3((ob.step11_combine,)), statement_uses=("def.Dfn", "def.resources"),
             proof_uses=tuple(T + f"step{i}" for i in range(1, 10))),
        Node(T + "step12", "step", "divide with Dfn > 0 as a premise: N <= b_T / Dfn",
             Implies(sympy.And(Le(N * Dfn(e, V), b), Gt(Dfn(e, V), 0)), Le(N, b / Dfn(e, V))),
             Z3((ob.step12_divide,)), proof_uses=(T + "step10", T + "step11")),
    ]


def _results() -> list[Node]:
    return [
        Node("thm1", "theorem", "Theorem 1: N Dfn(epsbar, V) <= b_T; N <= b_T / Dfn when epsbar < 1 - 1/V",
             sympy.And(Implies(Le(e, 1 - 1 / V), Le(N * Dfn(e, V), b)),
                       Implies(Lt(e, 1 - 1 / V), Le(N, b / Dfn(e, V)))), Z3((ob.theorem1_assembly,)),
             statement_uses=("def.osp", "def.mqar", "def.error", "def.resources", "def.Dfn"),
             proof_uses=("thm1.step10", "thm1.step11", "thm1.step12"), section="3"),
        Node("thm1.toy", "lemma", "Theorem 1 on exhaustive toy processors (N <= 3, V <= 3), with and without "
             "teacher forcing", Le(N * Dfn(e, V), log2(S("|S|"))),
             Cited("exhaustive enumeration of small pure OSPs (osp.infotheory.toy)", ("toy-processors",)),
             statement_uses=("thm1",)),
        Node("cor1.1", "corollary", "C alone kills R: N <= B/Dfn <= 2B/((1-eps) log V) for log V >= 2/(1-eps)",
             Implies(sympy.And(Le(b, B), Lt(e, 1 - 1 / V), Ge(log2(V), 2 / (1 - e))),
                     Le(N, 2 * B / ((1 - e) * log2(V)))), Z3((ob.cor11,)),
             statement_uses=("def.properties",),
             proof_uses=("thm1", "thm1.step10", "mono.eps", "lemma.h-range", "lemma.log-monotone")),
        Node("cor1.2", "corollary", "pure OSPs: Recall needs b_T(L) >= rho Dfn(eps, V) L = Omega(L)",
             Implies(sympy.And(Ge(N, rho * L), Lt(e, 1 - 1 / V)), Ge(b, rho * Dfn(e, V) * L)), Z3((ob.cor12,)),
             statement_uses=("def.properties", "def.osp"),
             proof_uses=("thm1", "thm1.step10", "mono.eps", "lemma.h-range", "lemma.log-monotone")),
        Node("mono.B", "monotonicity", "B / Dfn increases in B",
             Implies(Gt(Dfn(e, V), 0), Gt(sympy.Derivative(B / Dfn(e, V), B), 0)),
             Z3((mono.mono_B,)), proof_uses=("thm1.step10",)),
        Node("mono.eps", "monotonicity", "B / Dfn increases in eps on the valid region",
             Implies(sympy.And(Ge(B, 0), Lt(e, 1 - 1 / V)), Ge(sympy.Derivative(B / Dfn(e, V), e), 0)),
             Z3((mono.mono_eps,)), proof_uses=("thm1.step10", "thm1.step10.sign", "lemma.mvt")),
        Node("mono.V.derivative", "monotonicity", "dDfn/dV = ((V-1) - eV)/(V(V-1) ln 2)",
             Eq(sympy.Derivative(sympy.Function("Dfn")(e, V), V), ((V - 1) - e * V) / (V * (V - 1) * sympy.log(2))),
             Sympy(ident.dfn_derivative_V), statement_uses=("def.Dfn",)),
        Node("mono.V.sign", "monotonicity", "dDfn/dV > 0 iff eV < V - 1",
             sympy.Equivalent(Gt(sympy.Derivative(sympy.Function("Dfn")(e, V), V), 0), Lt(e * V, V - 1)),
             Z3((mono.mono_V_sign,)), proof_uses=("mono.V.derivative", "lemma.ln2")),
        Node("mono.V", "monotonicity", "B / Dfn decreases in V on the valid region",
             Implies(sympy.And(Ge(B, 0), Lt(e, 1 - 1 / V)), Le(sympy.Derivative(B / Dfn(e, V), V), 0)),
             Z3((mono.mono_V,)),
             proof_uses=("mono.V.sign", "thm1.step10", "lemma.mvt")),
        Node("mono.box", "monotonicity", "a box with eps_max < 1 - 1/V_min lies in the valid region; "
             "extremes at (B_max, eps_max, V_min) and (B_min, eps_min, V_max)",
             Implies(sympy.And(Le(e, S("eps_max")), Ge(V, S("V_min")), Lt(S("eps_max"), 1 - 1 / S("V_min"))),
                     Lt(e, 1 - 1 / V)),
             Z3((mono.mono_box,)), proof_uses=("mono.B", "mono.eps", "mono.V")),
    ]


def nodes() -> list[Node]:
    # tape.open (docs/theory.md section 5) lives in osp.proofs.tape
    return _definitions() + _lemmas() + _steps() + _results()
