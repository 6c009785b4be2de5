"""The algebraic obligations of Theorem 1 (docs/theory.md section 3).

Symbols ending in an atom name (logV, h_e, ...) stand for transcendental
quantities; the only facts a solver knows of them are the axioms listed,
each naming the node that justifies it.
"""

from __future__ import annotations

import sympy
from sympy import And, Eq, Ge, Gt, Implies, Le, Lt, Ne

from osp.checks import dfn_positive, theorem1_monotone
from osp.checks.obligation import Axiom, Obligation
from osp.checks.obligation import obligation as _ob

S = sympy.symbols
N, b, B, e, ep, V, rho, L = S("N b_T B eps epsp V rho L", real=True)
logV, logVm1, h_e, f_e, f_ep, D = S("logV logVm1 h_e f_e f_ep Dfn", real=True)
SH, SF, HZSWK, HZK, I, IW, IS = S("sumH sumF H_Z_SWK H_Z_K I_Z_SW_K I_Z_W_K I_Z_S_WK", real=True)
p, ln2, y, dD, c, Dc, Dstar = S("p ln2 y dDfn c Dfn_e Dfn_star", real=True)
yhat, v, v0, yp, a = S("yhat v v0 yprime in_alphabet", real=True)

LOG_MONO = "lemma.log-monotone"


#: the range of Corollary 1.1: log V >= 2/(1-eps), multiplied out
LOGV_PREMISE = Ge(logV * (1 - e), 2)


def step1_projection() -> Obligation:
    # a = 1: the prediction lies in the value alphabet; the true value always does.
    return _ob(
        "thm1.step1.projection", "projected error never exceeds the raw error: {Y' != v} within {Yhat != v}",
        [Eq(a * (a - 1), 0), Implies(Eq(a, 1), Eq(yp, yhat)), Implies(Eq(a, 0), Eq(yp, v0)),
         Implies(Eq(a, 0), Ne(yhat, v))],
        Implies(Ne(yp, v), Ne(yhat, v)),
    )


def step8_concavity() -> Obligation:
    return _ob(
        "thm1.step8.sign", "h''(p) = -1/(p(1-p) ln 2) < 0 on (0, 1)",
        [Gt(p, 0), Lt(p, 1)],
        Lt(-1 / (p * (1 - p) * ln2), 0),
        axioms=[Axiom(Gt(ln2, 0), "lemma.ln2")],
        atoms={"ln2": "ln 2"},
    )


def step9_monotone() -> Obligation:
    # f = log V - Dfn, so f'(c) = -dDfn/de(c); mean value theorem between eps' and eps.
    fp_c = S("fprime_c", real=True)
    return _ob(
        "thm1.step9", "f(eps'bar) <= f(epsbar): f' = -dDfn/de > 0 below 1 - 1/V, mean value theorem",
        [Ge(V, 2), Ge(ep, 0), Le(ep, e), Le(e * V, V - 1), Implies(Lt(ep, e), And(Lt(ep, c), Lt(c, e)))],
        Le(f_ep, f_e),
        axioms=[Axiom(Implies(Lt(ep, e), Eq(f_e - f_ep, fp_c * (e - ep))), "lemma.mvt (f between eps' and eps)"),
                Axiom(Implies(Eq(ep, e), Eq(f_ep, f_e)), "def.h (f is a function)"),
                Axiom(Eq(fp_c, -dD), "thm1.step10.derivative (f = log V - Dfn)"),
                Axiom(Implies(And(Gt(c, 0), Lt(c, 1)), sympy.Equivalent(Lt(dD, 0), Lt(c * V, V - 1))),
                      "thm1.step10.sign at the mean-value point c")],
        atoms={"f_e": "h(epsbar) + epsbar log(V-1)", "f_ep": "h(eps'bar) + eps'bar log(V-1)",
               "fprime_c": "f'(c)", "dDfn": "dDfn/de at c"},
        parameters={"eps": e, "V": V},
    )


def step10_sign() -> Obligation:
    return _ob(
        "thm1.step10.sign", "dDfn/de < 0 iff eps V < V - 1 (0 < eps < 1)",
        [Gt(e, 0), Lt(e, 1), Ge(V, 2), Eq(y * e, (1 - e) * (V - 1))],
        sympy.Equivalent(Lt(dD, 0), Lt(e * V, V - 1)),
        axioms=[Axiom(Eq(dD, -logV), "thm1.step10.derivative (dDfn/de = -log2 y)"),
                Axiom(sympy.Equivalent(Gt(logV, 0), Gt(y, 1)), LOG_MONO)],
        atoms={"logV": "log2(y), y = (1-eps)(V-1)/eps", "dDfn": "dDfn/de at eps"},
        parameters={"eps": e, "V": V},
    )


def step10_positive() -> Obligation:
    # Mean value theorem between eps and eps* = 1 - 1/V, where Dfn(eps*) = 0 exactly.
    estar = 1 - 1 / V
    return _ob(
        "thm1.step10.positive", "Dfn(eps, V) > 0 on [0, 1 - 1/V) (mean value theorem from Dfn(1-1/V) = 0)",
        [Ge(V, 2), Ge(e, 0), Lt(e, estar), Gt(c, e), Lt(c, estar)],
        Gt(Dc, 0),
        axioms=[Axiom(Eq(Dstar, 0), "thm1.step10.zero"),
                Axiom(Eq(Dc - Dstar, dD * (e - estar)), "lemma.mvt (Dfn between eps and 1 - 1/V)"),
                Axiom(Implies(And(Gt(c, 0), Lt(c, 1)), sympy.Equivalent(Lt(dD, 0), Lt(c * V, V - 1))),
                      "thm1.step10.sign at the mean-value point c")],
        atoms={"Dfn_e": "Dfn(eps, V)", "Dfn_star": "Dfn(1-1/V, V)", "dDfn": "dDfn/de at c"},
        parameters={"eps": e, "V": V},
    )


def step10_kl() -> Obligation:
    return dfn_positive.obligation("thm1.step10.kl", strict_valid=True)


def step11_combine() -> Obligation:
    # the conclusions of steps 1-9, summed over the N queries, are the axioms here;
    # step 9 needs eps'bar <= epsbar <= 1 - 1/V, so the combination holds only there.
    A = Axiom
    valid = And(Ge(ep, 0), Le(ep, e), Le(e * V, V - 1))
    return _ob(
        "thm1.step11", "combine steps 1-9: N Dfn(epsbar, V) <= b_T when epsbar <= 1 - 1/V",
        [Ge(N, 1), Ge(b, 0), Ge(V, 2), Ge(ep, 0), Le(ep, e), Le(e * V, V - 1), Eq(f_e, h_e + e * logVm1)],
        Le(N * (logV - h_e - e * logVm1), b),
        axioms=[A(Le(SH, SF), "thm1.step1 + thm1.step2 (summed over the queries)"),
                A(Eq(SH, HZSWK), "thm1.step3"),
                A(Eq(HZSWK, HZK - I), "thm1.step4"),
                A(And(Eq(I, IW + IS), Eq(IW, 0)), "thm1.step5"),
                A(Le(IS, b), "thm1.step6"),
                A(Eq(HZK, N * logV), "thm1.step7"),
                A(Le(SF, N * f_ep), "thm1.step8 (Jensen, times N)"),
                A(Implies(valid, Le(f_ep, f_e)), "thm1.step9")],
        atoms={"logV": "log2 V", "logVm1": "log2(V-1)", "h_e": "h(epsbar)", "f_e": "f(epsbar)",
               "f_ep": "f(eps'bar)", "sumH": "sum_i H(v_i | S, W, v_<i, K)", "sumF": "sum_i f(eps'_i)"},
        parameters={"B": b, "eps": e, "V": V},
    )


def step12_divide() -> Obligation:
    return _ob(
        "thm1.step12", "divide by Dfn > 0: N <= b_T / Dfn",
        [Ge(N, 1), Ge(b, 0), Le(N * D, b), Gt(D, 0)],
        Le(N, b / D),
        parameters={"B": b},
    )


def theorem1_assembly() -> Obligation:
    valid = Le(e * V, V - 1)
    strict = Lt(e * V, V - 1)
    return _ob(
        "thm1.assembly", "Theorem 1 from steps 10-12",
        [Ge(V, 2), Ge(e, 0), Ge(N, 1), Ge(b, 0)],
        And(Implies(valid, Le(N * D, b)), Implies(strict, And(Gt(D, 0), Le(N, b / D)))),
        axioms=[Axiom(Implies(valid, Le(N * D, b)), "thm1.step11"),
                Axiom(Implies(strict, Gt(D, 0)), "thm1.step10")],  # the division itself is step 12's algebra
        atoms={"Dfn": "Dfn(epsbar, V)"},
        parameters={"eps": e, "V": V, "B": b},
    )


def _recall_premises():
    """A processor with Recall at constant eps has mean error epsbar <= eps < 1 - 1/V; Theorem 1
    bounds N with Dfn(epsbar), and Dfn(epsbar) >= Dfn(eps) because Dfn decreases (step 10)."""
    eb, Db = S("epsbar Dfn_epsbar", real=True)
    hyps = [Ge(V, 2), Ge(eb, 0), Le(eb, e), Lt(e * V, V - 1), Ge(e, 0), Lt(e, 1),
            Eq(D, logV - h_e - e * logVm1)]
    axioms = [Axiom(Implies(Le(eb * V, V - 1), Le(N * Db, b)), "thm1"),
              Axiom(Implies(And(Ge(eb, 0), Le(eb, e), Lt(e * V, V - 1)), Ge(Db, D)),
                    "thm1.step10 + mono.eps (Dfn decreases on the valid region)"),
              Axiom(And(Ge(h_e, 0), Le(h_e, 1)), "lemma.h-range"),
              Axiom(Le(logVm1, logV), LOG_MONO)]
    atoms = {"logV": "log2 V", "logVm1": "log2(V-1)", "h_e": "h(eps)", "Dfn": "Dfn(eps, V)",
             "Dfn_epsbar": "Dfn(epsbar, V)"}
    return hyps, axioms, atoms


def cor11() -> Obligation:
    hyps, axioms, atoms = _recall_premises()
    return _ob(
        "cor1.1", "C alone kills R: N <= B/Dfn <= 2B/((1-eps) log V) when log V >= 2/(1-eps)",
        hyps + [Ge(B, 0), Gt(N, 0), Le(b, B), LOGV_PREMISE],
        And(Le(N, B / D), Le(N * (1 - e) * logV, 2 * B)),
        axioms=axioms, atoms=atoms, parameters={"eps": e, "B": B, "V": V}, atom_premises=(LOGV_PREMISE,),
    )


def cor12() -> Obligation:
    hyps, axioms, atoms = _recall_premises()
    return _ob(
        "cor1.2", "Recall needs linear state: b_T >= rho Dfn L, and >= rho (1-eps) L log V / 2",
        hyps + [Gt(rho, 0), Gt(L, 0), Ge(N, rho * L), LOGV_PREMISE],
        And(Ge(b, rho * D * L), Ge(2 * b, rho * (1 - e) * L * logV)),
        axioms=axioms, atoms=atoms, parameters={"eps": e, "V": V}, atom_premises=(LOGV_PREMISE,),
    )


def all_obligations() -> list[Obligation]:
    return [step1_projection(), step8_concavity(), step9_monotone(), step10_sign(), step10_positive(),
            step10_kl(), step11_combine(), step12_divide(), theorem1_assembly(), cor11(), cor12(),
            *theorem1_monotone.all_obligations()]
