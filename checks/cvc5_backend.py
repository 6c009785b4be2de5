"""Discharge an obligation with cvc5, sharing no code with the z3 backend.

Same procedure: hypotheses satisfiable first, then the negated goal.
"""

from __future__ import annotations

import time

import cvc5
import sympy
from cvc5 import Kind

from osp.checks.obligation import INCONSISTENT, PROVED, REFUTED, UNKNOWN, Obligation, Verdict
from osp.settings import DEFAULTS

_REL = {"<": Kind.LT, "<=": Kind.LEQ, ">": Kind.GT, ">=": Kind.GEQ, "==": Kind.EQUAL}


class _Translator:
    def __init__(self, tm: cvc5.TermManager):
        self.tm = tm
        self.consts: dict[sympy.Symbol, cvc5.Term] = {}

    def __call__(self, expr):
        tm = self.tm
        if isinstance(expr, sympy.Symbol):
            if expr not in self.consts:
                if any(k.name == expr.name for k in self.consts):
                    raise TypeError(f"cvc5 backend: two different symbols are named {expr.name!r}")
                self.consts[expr] = tm.mkConst(tm.getRealSort(), expr.name)
            return self.consts[expr]
        if expr is sympy.true or expr is sympy.false:
            return tm.mkBoolean(expr is sympy.true)
        if isinstance(expr, sympy.Rational):
            return tm.mkReal(f"{expr.p}/{expr.q}")
        if isinstance(expr, (sympy.Add, sympy.Mul, sympy.And, sympy.Or)):
            kind = {sympy.Add: Kind.ADD, sympy.Mul: Kind.MULT, sympy.And: Kind.AND, sympy.Or: Kind.OR}[type(expr)]
            args = [self(a) for a in expr.args]
            return args[0] if len(args) == 1 else tm.mkTerm(kind, *args)
        if isinstance(expr, sympy.Pow):
            base, exp = expr.args
            if not isinstance(exp, sympy.Integer):
                raise TypeError(f"cvc5 backend: non-integer power {expr}")
            n = int(exp)
            if n == 0:
                return tm.mkReal(1)
            b = self(base)
            power = b if abs(n) == 1 else tm.mkTerm(Kind.MULT, *([b] * abs(n)))
            return power if n > 0 else tm.mkTerm(Kind.DIVISION, tm.mkReal(1), power)
        if isinstance(expr, sympy.core.relational.Relational):
            lhs, rhs = self(expr.lhs), self(expr.rhs)
            if expr.rel_op == "!=":
                return tm.mkTerm(Kind.NOT, tm.mkTerm(Kind.EQUAL, lhs, rhs))
            return tm.mkTerm(_REL[expr.rel_op], lhs, rhs)
        if isinstance(expr, sympy.Not):
            return tm.mkTerm(Kind.NOT, self(expr.args[0]))
        if isinstance(expr, sympy.Implies):
            return tm.mkTerm(Kind.IMPLIES, self(expr.args[0]), self(expr.args[1]))
        if isinstance(expr, sympy.Equivalent):
            if len(expr.args) != 2:
                raise TypeError(f"cvc5 backend: Equivalent with {len(expr.args)} arguments")
            return tm.mkTerm(Kind.EQUAL, self(expr.args[0]), self(expr.args[1]))
        raise TypeError(f"cvc5 backend: unsupported term {type(expr).__name__}: {expr}")


def check(ob: Obligation, timeout_ms: int = DEFAULTS.timeout_ms) -> Verdict:
    t0 = time.perf_counter()
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("produce-models", "true")
    solver.setOption("incremental", "true")
    solver.setOption("tlimit-per", str(int(timeout_ms)))
    solver.setLogic("QF_NRA")
    tr = _Translator(tm)
    for h in ob.hypotheses:
        solver.assertFormula(tr(h))
    for ax in ob.axioms:
        solver.assertFormula(tr(ax.relation))
    goal = tr(ob.goal)
    first = solver.checkSat()
    if first.isUnsat():
        return Verdict(UNKNOWN, "cvc5", time.perf_counter() - t0,
                       reason=INCONSISTENT)
    if not first.isSat():
        return Verdict(UNKNOWN, "cvc5", time.perf_counter() - t0,
                       reason=f"satisfiability of hypotheses undecided: {first.getUnknownExplanation()}")
    result = solver.checkSatAssuming(tm.mkTerm(Kind.NOT, goal))
    seconds = time.perf_counter() - t0
    if result.isUnsat():
        return Verdict(PROVED, "cvc5", seconds)
    if result.isSat():
        model = {sym.name: str(solver.getValue(term))
                 for sym, term in sorted(tr.consts.items(), key=lambda kv: kv[0].name)}
        return Verdict(REFUTED, "cvc5", seconds, counterexample=model)
    return Verdict(UNKNOWN, "cvc5", seconds, reason=str(result.getUnknownExplanation()))
