"""Broken variants of every obligation: each must be refuted (or at worst
unknown), never proved. A mutant that is proved means the checker, or the
obligation's encoding, cannot tell a wrong step from a right one."""

from __future__ import annotations

import sympy
from sympy import Eq, Ge, Gt, Implies, Le, Lt

from osp.checks import dfn_positive, theorem1 as t, theorem1_monotone as m
from osp.checks.mutant_edits import Mutant, drop, drop_axiom, drop_axioms, goal, swap, swap_axiom
from osp.checks.obligation import Obligation
from osp.status import Status


def _dfn_at_edge() -> Obligation:
    estar = 1 - 1 / t.V
    return Obligation("thm1.step10.positive~edge", "claim Dfn > 0 at eps = 1 - 1/V",
                      (Ge(t.V, 2), Eq(t.e, estar), Eq(t.Dstar, 0), Eq(t.Dc - t.Dstar, t.dD * (t.e - estar))),
                      Gt(t.Dc, 0))


def _list() -> list[Mutant]:
    M = Mutant
    e, V, b = t.e, t.V, t.b
    return [
        M("thm1.step1.projection", "an out-of-alphabet prediction may equal the value",
          lambda: drop(t.step1_projection(), Implies(Eq(t.a, 0), sympy.Ne(t.yhat, t.v)))),
        M("thm1.step1.projection", "converse: a raw error implies a projected error",
          lambda: goal(t.step1_projection(), Implies(sympy.Ne(t.yhat, t.v), sympy.Ne(t.yp, t.v)))),
        M("thm1.step8.sign", "p > 1 instead of p < 1", lambda: swap(t.step8_concavity(), Lt(t.p, 1), Gt(t.p, 1))),
        M("thm1.step8.sign", "flip: h'' > 0", lambda: goal(t.step8_concavity(), Gt(-1 / (t.p * (1 - t.p) * t.ln2), 0))),
        M("thm1.step9", "drop eps <= 1 - 1/V", lambda: drop(t.step9_monotone(), Le(e * V, V - 1))),
        M("thm1.step9", "flip: f(eps') >= f(eps)", lambda: goal(t.step9_monotone(), Ge(t.f_ep, t.f_e))),
        M("thm1.step9", "mean-value point not below eps",
          lambda: swap(t.step9_monotone(), Implies(Lt(t.ep, e), sympy.And(Lt(t.ep, t.c), Lt(t.c, e))),
                       Implies(Lt(t.ep, e), Lt(t.ep, t.c)))),
        M("thm1.step10.sign", "wrong constant: eps V < V",
          lambda: goal(t.step10_sign(), sympy.Equivalent(Lt(t.dD, 0), Lt(e * V, V)))),
        M("thm1.step10.sign", "flip: dDfn/de > 0 iff eps V < V - 1",
          lambda: goal(t.step10_sign(), sympy.Equivalent(Gt(t.dD, 0), Lt(e * V, V - 1)))),
        M("thm1.step10.positive", "mean-value point beyond 1 - 1/V",
          lambda: drop(t.step10_positive(), Lt(t.c, 1 - 1 / V))),
        M("thm1.step10.positive", "claim Dfn > 0 at eps = 1 - 1/V", _dfn_at_edge),
        M("thm1.step10.kl", "claim Dfn > 0 at eps = 1 - 1/V",
          lambda: swap(t.step10_kl(), Lt(e * V, V - 1), Le(e * V, V - 1))),
        M("thm1.step10.kl", "drop the bound on ln(eps V/(V-1))", lambda: drop_axioms(t.step10_kl(), 1)),
        M("thm1.step11", "drop step 6 (I(Z;S|W,K) <= b_T)", lambda: drop_axiom(t.step11_combine(), Le(t.IS, b))),
        M("thm1.step11", "Jensen reversed",
          lambda: swap_axiom(t.step11_combine(), Le(t.SF, t.N * t.f_ep), Ge(t.SF, t.N * t.f_ep))),
        M("thm1.step11", "wrong constant: N Dfn <= b_T - 1",
          lambda: goal(t.step11_combine(), Le(t.N * (t.logV - t.h_e - e * t.logVm1), b - 1))),
        M("thm1.step11", "combine beyond eps = 1 - 1/V",
          lambda: swap(t.step11_combine(), Le(e * V, V - 1), Gt(e * V, V - 1))),
        M("thm1.step12", "divide without Dfn > 0", lambda: drop(t.step12_divide(), Gt(t.D, 0))),
        M("thm1.step12", "divide with Dfn >= 0 only", lambda: swap(t.step12_divide(), Gt(t.D, 0), Ge(t.D, 0)),
          expect=Status.UNKNOWN),
        M("thm1.assembly", "without step 10",
          lambda: drop_axiom(t.theorem1_assembly(), Implies(Lt(e * V, V - 1), Gt(t.D, 0)))),
        M("thm1.assembly", "claim the division at eps = 1 - 1/V",
          lambda: goal(t.theorem1_assembly(), Implies(Le(e * V, V - 1), Le(t.N, b / t.D)))),
        M("cor1.1", "drop h <= 1", lambda: drop_axiom(t.cor11(), sympy.And(Ge(t.h_e, 0), Le(t.h_e, 1)))),
        M("cor1.1", "Theorem 1 at eps without epsbar <= eps",
          lambda: drop(t.cor11(), Le(sympy.Symbol("epsbar", real=True), e))),
        M("cor1.1", "wrong constant: B instead of 2B",
          lambda: goal(t.cor11(), Le(t.N * (1 - e) * t.logV, t.B))),
        M("cor1.2", "drop log V >= 2/(1-eps)", lambda: drop(t.cor12(), Ge(t.logV * (1 - e), 2))),
        M("cor1.2", "wrong constant: no factor 2",
          lambda: goal(t.cor12(), Ge(b, t.rho * (1 - e) * t.L * t.logV))),
        M("mono.B", "drop Dfn > 0", lambda: drop(m.mono_B(), Gt(m.D, 0))),
        M("mono.B", "flip", lambda: goal(m.mono_B(), Gt(m.B1 / m.D, m.B2 / m.D))),
        M("mono.eps", "beyond the valid region", lambda: drop(m.mono_eps(), Lt(m.e2 * m.V, m.V - 1))),
        M("mono.eps", "flip", lambda: goal(m.mono_eps(), Gt(m.B / m.D1, m.B / m.D2))),
        M("mono.V.sign", "wrong constant: eps V < V",
          lambda: goal(m.mono_V_sign(), sympy.Equivalent(Gt(m.dD, 0), Lt(m.e * m.V, m.V)))),
        M("mono.V.sign", "flip", lambda: goal(m.mono_V_sign(), sympy.Equivalent(Lt(m.dD, 0), Lt(m.e * m.V, m.V - 1)))),
        M("mono.V", "beyond the valid region", lambda: drop(m.mono_V(), Lt(m.e * m.V1, m.V1 - 1))),
        M("mono.V", "flip", lambda: goal(m.mono_V(), Gt(m.B / m.D2, m.B / m.D1))),
        M("mono.box", "corner on the edge", lambda: swap(m.mono_box(), Lt(m.emax * m.vmin, m.vmin - 1),
                                                          Le(m.emax * m.vmin, m.vmin - 1))),
        M("mono.box", "V below the box", lambda: drop(m.mono_box(), Ge(m.V, m.vmin))),
        M("box.dfn-positive", "box reaching eps = 1 - 1/V",
          lambda: dfn_positive.obligation("box.dfn-positive", strict_valid=False),
          ranges={"eps": (sympy.Integer(0), sympy.Rational(1, 2)), "V": (sympy.Integer(2), sympy.Integer(16))}),
        M("box.dfn-positive", "box crossed by the edge eps = 1 - 1/V",
          lambda: dfn_positive.obligation("box.dfn-positive", strict_valid=False),
          ranges={"eps": (sympy.Rational(3, 5), sympy.Rational(7, 10)), "V": (sympy.Integer(2), sympy.Integer(3))}),
        M("box.dfn-positive", "ln bounds dropped",
          lambda: drop_axioms(dfn_positive.obligation("box.dfn-positive", strict_valid=False), 0),
          ranges={"eps": (sympy.Integer(0), sympy.Rational(1, 4)), "V": (sympy.Integer(2), sympy.Integer(16))},
          target="z3"),
    ]


MUTANTS: list[Mutant] = _list()
