"""PROVISIONAL stand-in for the `exact` branch's certified arithmetic (same names).

Replaced wholesale when branch `exact` is merged. Dfn is enclosed in arb balls
(python-flint) and every decision is taken on the enclosure's endpoints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx, fmpq

from osp.status import Status


class UndecidedError(Exception):
    """A certified answer needs more precision than the budget allows."""


def to_fraction(x: arb) -> Fraction:
    man, exp = x.man_exp()
    return Fraction(int(man)) * Fraction(2) ** int(exp)


def interval(ball: arb) -> tuple[Fraction, Fraction]:
    if not ball.is_finite():
        raise UndecidedError("the enclosure is not finite")
    return to_fraction(ball.lower()), to_fraction(ball.upper())


def to_arb(x) -> arb:
    x = Fraction(x)
    return arb(fmpq(x.numerator, x.denominator))


def _dfn_ball(eps: Fraction, V: int) -> arb:
    e = to_arb(eps)
    log2 = arb(2).log()
    h = arb(0)
    if 0 < eps < 1:
        h = -(e * e.log() + (1 - e) * (1 - e).log())
    elif eps not in (0, 1):
        raise ValueError("eps must lie in [0, 1]")
    return (arb(V).log() - h - e * arb(V - 1).log()) / log2


def dfn_bounds(eps: Fraction, V: int, prec: int = 200) -> tuple[Fraction, Fraction]:
    with ctx.workprec(prec):
        return interval(_dfn_ball(Fraction(eps), int(V)))


def dfn_lower(eps: Fraction, V: int) -> Fraction:
    return dfn_bounds(eps, V)[0]


def dfn_upper(eps: Fraction, V: int) -> Fraction:
    return dfn_bounds(eps, V)[1]


@dataclass(frozen=True)
class Comparison:
    status: Status
    reason: str
    lhs_lo: Fraction
    lhs_hi: Fraction
    rhs: Fraction


def compare_recall(pairs: int, eps: Fraction, V: int, state_bits: Fraction, slack_bits: Fraction = Fraction(0),
                   *, budget_s: float = 30.0) -> Comparison:
    rhs = Fraction(state_bits) + Fraction(slack_bits)
    prec = 128
    while prec <= 1 << 14:
        lo, hi = dfn_bounds(eps, V, prec)
        lo, hi = pairs * lo, pairs * hi
        if lo > rhs:
            return Comparison(Status.VIOLATED, f"certified at {prec} bits", lo, hi, rhs)
        if hi <= rhs:
            return Comparison(Status.HOLDS, f"certified at {prec} bits", lo, hi, rhs)
        prec *= 2
    return Comparison(Status.UNDECIDED, "precision limit reached", lo, hi, rhs)


def floor_bound(state_bits: Fraction, eps: Fraction, V: int, *, budget_s: float = 30.0) -> int:
    b = Fraction(state_bits)
    lo, hi = dfn_bounds(eps, V)
    n = math.floor(b / lo)
    while n > 0 and compare_recall(n, eps, V, b).status is not Status.HOLDS:
        n -= 1
    return n


def decimal_up(x, digits: int = 6) -> str:
    x = Fraction(x)
    scaled = math.ceil(x * 10 ** digits)
    return _fmt(scaled, digits)


def decimal_down(x, digits: int = 6) -> str:
    return _fmt(math.floor(Fraction(x) * 10 ** digits), digits)


def _fmt(scaled: int, digits: int) -> str:
    sign = "-" if scaled < 0 else ""
    s = str(abs(scaled)).rjust(digits + 1, "0")
    return f"{sign}{s[:-digits]}.{s[-digits:]}"
