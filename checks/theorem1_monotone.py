"""Monotonicity of the bound B / Dfn(eps, V) over a parameter box (docs/theory.md section 3)."""

from __future__ import annotations

import sympy
from sympy import And, Eq, Ge, Gt, Implies, Le, Lt

from osp.checks.obligation import Axiom, Obligation

S = sympy.symbols
B, B1, B2, D, D1, D2, e, e1, e2, V, V1, V2, c, dD, ln2 = S(
    "B B1 B2 Dfn Dfn1 Dfn2 eps eps1 eps2 V V1 V2 c dDfn ln2", real=True)
emax, vmin = S("eps_max V_min", real=True)


def mono_B() -> Obligation:
    return Obligation("mono.B", "B / Dfn increases in B (Dfn > 0)",
                      (Lt(B1, B2), Gt(D, 0)), Lt(B1 / D, B2 / D), parameters={"B": B1})


def mono_eps() -> Obligation:
    return Obligation(
        "mono.eps", "B / Dfn increases in eps on the valid region (mean value theorem, step 10's sign)",
        (Ge(B, 0), Ge(V, 2), Ge(e1, 0), Lt(e1, e2), Lt(e2 * V, V - 1), Gt(c, e1), Lt(c, e2)),
        Le(B / D1, B / D2),
        (Axiom(Eq(D1 - D2, dD * (e1 - e2)), "lemma.mvt (Dfn between eps1 and eps2)"),
         Axiom(Implies(Lt(e2 * V, V - 1), Gt(D2, 0)), "thm1.step10"),
         Axiom(Implies(And(Gt(c, 0), Lt(c, 1)), sympy.Equivalent(Lt(dD, 0), Lt(c * V, V - 1))),
               "thm1.step10.sign at the mean-value point c")),
        {"Dfn1": "Dfn(eps1, V)", "Dfn2": "Dfn(eps2, V)", "dDfn": "dDfn/de at c"},
        {"V": V, "B": B},
    )


def mono_V_sign() -> Obligation:
    # dDfn/dV = ((V-1) - eV) / (V (V-1) ln 2) (sympy identity, node mono.V.derivative)
    return Obligation(
        "mono.V.sign", "dDfn/dV > 0 iff eps V < V - 1",
        (Ge(V, 2), Ge(e, 0), Lt(e, 1)),
        sympy.Equivalent(Gt(dD, 0), Lt(e * V, V - 1)),
        (Axiom(Eq(dD * V * (V - 1) * ln2, (V - 1) - e * V), "mono.V.derivative"),
         Axiom(Gt(ln2, 0), "lemma.ln2")),
        {"ln2": "ln 2", "dDfn": "dDfn/dV"},
        {"eps": e, "V": V},
    )


def mono_V() -> Obligation:
    return Obligation(
        "mono.V", "B / Dfn decreases in V on the valid region",
        (Ge(B, 0), Ge(V1, 2), Lt(V1, V2), Ge(e, 0), Lt(e * V1, V1 - 1), Gt(c, V1), Lt(c, V2)),
        Le(B / D2, B / D1),
        (Axiom(Eq(D2 - D1, dD * (V2 - V1)), "lemma.mvt (Dfn between V1 and V2)"),
         Axiom(Implies(Lt(e * V1, V1 - 1), Gt(D1, 0)), "thm1.step10"),
         Axiom(sympy.Equivalent(Gt(dD, 0), Lt(e * c, c - 1)), "mono.V.sign at the mean-value point c")),
        {"Dfn1": "Dfn(eps, V1)", "Dfn2": "Dfn(eps, V2)", "dDfn": "dDfn/dV at c"},
        {"eps": e, "B": B},
    )


def mono_box() -> Obligation:
    return Obligation(
        "mono.box", "the corner condition eps_max V_min < V_min - 1 puts the whole box in the valid region",
        (Ge(vmin, 2), Ge(V, vmin), Ge(e, 0), Le(e, emax), Lt(emax * vmin, vmin - 1)),
        Lt(e * V, V - 1),
        parameters={"eps": e, "V": V},
    )


def all_obligations() -> list[Obligation]:
    return [mono_B(), mono_eps(), mono_V_sign(), mono_V(), mono_box()]
