"""Discharge an obligation with z3.

Procedure: (1) the hypotheses and axioms must be satisfiable, else the
obligation would hold vacuously and that is reported, never passed;
(2) the negated goal is added: unsat means proved, sat means refuted (the
model is the counterexample), unknown carries z3's reason.
"""

from __future__ import annotations

import time

import sympy
import z3

from osp.checks.obligation import INCONSISTENT, PROVED, REFUTED, UNKNOWN, Obligation, Verdict
from osp.settings import DEFAULTS


def to_z3(expr, env: dict):
    """Translate a sympy expression over real symbols into a z3 term."""
    if isinstance(expr, sympy.Symbol):
        # keyed by the Symbol itself: two distinct symbols sharing a name must not merge
        if expr not in env:
            if any(isinstance(k, sympy.Symbol) and k.name == expr.name for k in env):
                raise TypeError(f"z3 backend: two different symbols are named {expr.name!r}")
            env[expr] = z3.Real(expr.name)
        return env[expr]
    if expr is sympy.true:
        return z3.BoolVal(True)
    if expr is sympy.false:
        return z3.BoolVal(False)
    if isinstance(expr, sympy.Rational):
        return z3.RealVal(f"{expr.p}/{expr.q}")
    if isinstance(expr, sympy.Add):
        return z3.Sum([to_z3(a, env) for a in expr.args])
    if isinstance(expr, sympy.Mul):
        return z3.Product([to_z3(a, env) for a in expr.args])
    if isinstance(expr, sympy.Pow):
        base, exp = expr.args
        if isinstance(exp, sympy.Integer):
            b = to_z3(base, env)
            n = int(exp)
            if n == 0:
                return z3.RealVal(1)
            power = z3.Product([b] * abs(n)) if abs(n) > 1 else b
            return power if n > 0 else 1 / power
        raise TypeError(f"z3 backend: non-integer power {expr}")
    if isinstance(expr, sympy.core.relational.Relational):
        lhs, rhs = to_z3(expr.lhs, env), to_z3(expr.rhs, env)
        op = expr.rel_op
        return {"<": lhs < rhs, "<=": lhs <= rhs, ">": lhs > rhs, ">=": lhs >= rhs,
                "==": lhs == rhs, "!=": lhs != rhs}[op]
    if isinstance(expr, sympy.And):
        return z3.And([to_z3(a, env) for a in expr.args])
    if isinstance(expr, sympy.Or):
        return z3.Or([to_z3(a, env) for a in expr.args])
    if isinstance(expr, sympy.Not):
        return z3.Not(to_z3(expr.args[0], env))
    if isinstance(expr, sympy.Implies):
        return z3.Implies(to_z3(expr.args[0], env), to_z3(expr.args[1], env))
    if isinstance(expr, sympy.Equivalent):
        if len(expr.args) != 2:
            raise TypeError(f"z3 backend: Equivalent with {len(expr.args)} arguments")
        a, b = (to_z3(x, env) for x in expr.args)
        return a == b
    raise TypeError(f"z3 backend: unsupported term {type(expr).__name__}: {expr}")


def _model(m: z3.ModelRef, env: dict) -> dict:
    out = {}
    for sym, var in sorted(env.items(), key=lambda kv: str(kv[0])):
        out[str(sym)] = _value(m.eval(var, model_completion=True))
    return out


def _value(val) -> str:
    if z3.is_rational_value(val):
        return str(val.as_fraction())
    if z3.is_algebraic_value(val):
        return val.as_decimal(12)
    return str(val)


def check(ob: Obligation, timeout_ms: int = DEFAULTS.timeout_ms) -> Verdict:
    t0 = time.perf_counter()
    env: dict = {}
    solver = z3.SolverFor("QF_NRA")
    solver.set("timeout", int(timeout_ms))
    for h in ob.hypotheses:
        solver.add(to_z3(h, env))
    for ax in ob.axioms:
        solver.add(to_z3(ax.relation, env))
    goal = to_z3(ob.goal, env)
    first = solver.check()
    if first == z3.unsat:
        return Verdict(UNKNOWN, "z3", time.perf_counter() - t0,
                       reason=INCONSISTENT)
    if first == z3.unknown:
        return Verdict(UNKNOWN, "z3", time.perf_counter() - t0,
                       reason=f"satisfiability of hypotheses undecided: {solver.reason_unknown()}")
    solver.add(z3.Not(goal))
    result = solver.check()
    seconds = time.perf_counter() - t0
    if result == z3.unsat:
        return Verdict(PROVED, "z3", seconds)
    if result == z3.sat:
        return Verdict(REFUTED, "z3", seconds, counterexample=_model(solver.model(), env))
    return Verdict(UNKNOWN, "z3", seconds, reason=solver.reason_unknown() or "unknown")
