"""Dfn(e, V) > 0 over a parameter box, by two independent routes.

In nats, Dfn(e, V) ln 2 = (1-e) ln((1-e)V) + e ln(eV/(V-1)), the binary KL
divergence d(1-e || 1/V) (docs/theory.md section 3.10). z3 sees the two logarithms as opaque
atoms bounded below by rational functions (node lemma.ln-bounds); the
interval route evaluates the same quantity with arb balls.
"""

from __future__ import annotations

from fractions import Fraction

import flint
import sympy

from osp.checks import interval
from osp.checks.obligation import Axiom, Obligation

e, V, x1, x2, a1, a2 = sympy.symbols("eps V x1 x2 ln_x1 ln_x2", real=True)

LN_BOUNDS = "lemma.ln-bounds"


def _ln_above_one(x, lnx) -> Axiom:
    # ln x >= 2(x-1)/(x+1) for x >= 1, multiplied out so no division reaches the solver
    return Axiom(sympy.Implies(sympy.Ge(x, 1), sympy.Ge((x + 1) * lnx, 2 * (x - 1))), LN_BOUNDS)


def _ln_below_one(x, lnx) -> Axiom:
    # ln x >= (x^2-1)/(2x) for 0 < x <= 1
    return Axiom(sympy.Implies(sympy.And(sympy.Gt(x, 0), sympy.Le(x, 1)), sympy.Ge(2 * x * lnx, x**2 - 1)), LN_BOUNDS)


def obligation(oid: str, strict_valid: bool) -> Obligation:
    """strict_valid: assume eps < 1 - 1/V (the theory form, checked by cvc5);
    without it the claim is about a whole box (checked by intervals)."""
    hyps = (
        sympy.Ge(e, 0), sympy.Ge(V, 2),
        sympy.Eq(x1, (1 - e) * V),
        sympy.Eq(x2 * (V - 1), e * V),
    )
    if strict_valid:
        hyps += (sympy.Lt(e * V, V - 1),)
    return Obligation(
        id=oid,
        title="Dfn(eps, V) > 0 on the valid region (KL form, rational bounds on ln)",
        hypotheses=hyps,
        goal=sympy.Gt((1 - e) * a1 + e * a2, 0),
        # on the valid region x1 > 1 > x2, so one bound each is all the step needs; a box
        # may reach past the edge, where either side of 1 can occur
        axioms=((_ln_above_one(x1, a1), _ln_below_one(x2, a2)) if strict_valid else
                (_ln_above_one(x1, a1), _ln_below_one(x1, a1), _ln_above_one(x2, a2), _ln_below_one(x2, a2))),
        atoms={"ln_x1": "ln((1-eps) V)", "ln_x2": "ln(eps V / (V-1))"},
        parameters={"eps": e, "V": V},
        second="cvc5" if strict_valid else "interval",
        numeric=None if strict_valid else numeric_form,
    )


def _phi_min(lo: Fraction, hi: Fraction) -> flint.arb:
    """min of e ln e + (1-e) ln(1-e) over [lo, hi]: convex, smallest at 1/2."""
    c = min(max(Fraction(1, 2), lo), hi)
    return _phi(c)


def _phi(c: Fraction) -> flint.arb:
    total = flint.arb(0)
    for t in (c, 1 - c):
        if t > 0:
            bt = interval.ball(t)
            total += bt * bt.log()
    return total


def _lower(box) -> Fraction:
    de, dv = box
    ln_v = interval.ball(dv.lo).log()
    e_ln = interval.ball(de.hi) * (interval.ball(dv.hi) - 1).log()
    return interval.lower(ln_v + _phi_min(de.lo, de.hi) - e_ln)


def _at(point) -> flint.arb:
    ev, vv = Fraction(point["eps"]), Fraction(point["V"])
    total = flint.arb(0)
    if ev < 1:
        total += interval.ball(1 - ev) * interval.ball((1 - ev) * vv).log()
    if ev > 0:
        total += interval.ball(ev) * interval.ball(ev * vv / (vv - 1)).log()
    return total


def _witness(box) -> dict:
    """A point on the zero curve eps = 1 - 1/V if the box meets it, else the
    corner where Dfn is smallest on the valid region."""
    de, dv = box
    if de.lo <= 1 - 1 / dv.lo <= de.hi:
        return {"eps": 1 - 1 / dv.lo, "V": dv.lo}
    if de.hi < 1 and dv.lo <= 1 / (1 - de.hi) <= dv.hi:
        return {"eps": de.hi, "V": 1 / (1 - de.hi)}
    return {"eps": de.hi, "V": dv.lo}


def numeric_form(ranges: dict):
    """The box and the numeric form for the interval route."""
    (elo, ehi), (vlo, vhi) = ranges["eps"], ranges["V"]
    box = (interval.Dim("eps", Fraction(elo), Fraction(ehi)),
           interval.Dim("V", Fraction(vlo), Fraction(vhi), geometric=True))
    return interval.NumericForm(_lower, _at, _witness), box
