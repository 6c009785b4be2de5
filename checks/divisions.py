"""Every division in an obligation must be guarded.

z3 and cvc5 treat x/0 as an arbitrary value, so `x = 0, 1/x = 5` is
satisfiable for them. For each negative power in a hypothesis, axiom or
the goal, this module collects the conditions under which that subterm
matters (the antecedent of an enclosing Implies, the sibling conjuncts of
an And, the negated siblings of an Or) and asks z3 whether the base can be
zero under the rest of the obligation's context and those conditions.
"""

from __future__ import annotations

import sympy
import z3

from osp.checks import z3_backend
from osp.checks.obligation import Obligation
from osp.settings import DEFAULTS


def _denominators(expr) -> list:
    return [p.base for p in expr.atoms(sympy.Pow) if p.exp.is_negative]


def _walk(expr, guards: tuple, out: list) -> None:
    if isinstance(expr, sympy.And):
        for i, a in enumerate(expr.args):
            _walk(a, guards + tuple(b for j, b in enumerate(expr.args) if j != i), out)
    elif isinstance(expr, sympy.Or):
        for i, a in enumerate(expr.args):
            _walk(a, guards + tuple(sympy.Not(b) for j, b in enumerate(expr.args) if j != i), out)
    elif isinstance(expr, sympy.Implies):
        _walk(expr.args[0], guards, out)
        _walk(expr.args[1], guards + (expr.args[0],), out)
    elif isinstance(expr, (sympy.Not, sympy.Equivalent)):
        for a in expr.args:
            _walk(a, guards, out)
    else:
        for base in _denominators(expr):
            out.append((base, guards))


def unguarded(ob: Obligation, timeout_ms: int = DEFAULTS.precheck_timeout_ms) -> tuple[list[str], list]:
    """(descriptions, bases) of divisions whose base may be zero where the division matters."""
    parts = [("hypothesis", h) for h in ob.hypotheses] + [("axiom", a.relation) for a in ob.axioms] + [("goal", ob.goal)]
    problems, bases = [], []
    for i, (where, expr) in enumerate(parts):
        found: list = []
        _walk(expr, (), found)
        if not found:
            continue
        context = [p for j, (w, p) in enumerate(parts) if j != i and w != "goal"]
        for base, guards in found:
            env: dict = {}
            s = z3.Solver()
            s.set("timeout", timeout_ms)
            for c in context + list(guards):
                s.add(z3_backend.to_z3(c, env))
            s.add(z3_backend.to_z3(sympy.Eq(base, 0), env))
            if s.check() != z3.unsat:
                problems.append(f"division by {base} in a {where} is not guarded against {base} = 0")
                if base not in bases:
                    bases.append(base)
    return problems, bases
