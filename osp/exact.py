"""Certified arithmetic: every verdict on Theorem 1 is decided here, never by a float.

Inputs are exact (int / Fraction); Dfn is enclosed in arb balls (python-flint),
with the precision raised until the sign of the quantity asked about is certain.

Dfn without cancellation (docs/theory.md section 3). With p = 1 - eps, q = 1/V,
Dfn(eps, V) is the binary KL divergence d(p || q) / ln 2, written as a sum of
two non-negative terms

    d(p || q) = q phi(p/q - 1) + (1 - q) phi((1-p)/(1-q) - 1),
    phi(x) = (1 + x) ln(1 + x) - x = sum_{k>=2} (-1)^k x^k / (k (k-1)),

where both arguments are exact rationals: x1 = a, x2 = -a/(V-1) with
a = V (1 - eps) - 1. For small |x| phi is summed as its power series with a
rigorous tail bound, so Dfn keeps full relative precision even at 1e-600
(the plain KL form, even with log1p, cancels: both its terms are first order in a).

Ties. For eps = num/den, den * Dfn = log2 Q with the rational
Q = V^den num^num (den-num)^(den-num) / (den^den (V-1)^num). A rational power
of two that is rational is an integer power 2^k, so N Dfn can equal a rational
b exactly only when Q = 2^k; that is decided without computing Q (its
exponents may have hundreds of digits) by factoring over a coprime base.
Without a tie the gap is non-zero and refining the enclosure terminates, so
"undecided" only ever means the time (or precision) budget ran out.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import sympy
from flint import arb, ctx, fmpq

from osp.decimals import (decimal_down, decimal_up, exact_text, float_down, float_up, interval_decimal,  # noqa: F401
                           MAX_BOUND_DIGITS, bound_decimal, count_decimal, to_fraction)
from osp.status import Status
from osp.ties import log2_of_product

#: first working precision (bits) and the most any decision may use
START_PREC_BITS = 128
MAX_PREC_BITS = 1 << 17  # 131072 bits: inputs are capped at ~1000 digits, so real gaps need far less
#: relative width of the rational bounds `dfn_bounds` gives (bits)
BOUND_REL_BITS = 64
#: |x| below which phi is summed as a series (above it (1+x) log1p(x) - x loses < 20 bits)
_SERIES_BELOW = Fraction(1, 256)


class UndecidedError(Exception):
    """A certified answer needs more time or precision than the budget allows."""


# ---------------------------------------------------------------- conversions

def interval(ball: arb) -> tuple[Fraction, Fraction]:
    """The certified rational endpoints [lo, hi] of an arb ball (outward rounded at the ball's own precision)."""
    if not ball.is_finite():
        raise UndecidedError("the enclosure is not finite")
    with ctx.workprec(max(ctx.prec, ball.mid().bits() + 8, 64)):
        return to_fraction(ball.lower()), to_fraction(ball.upper())


def to_arb(x: Fraction | int) -> arb:
    """A ball containing the exact rational x at the current working precision."""
    x = Fraction(x)
    return arb(fmpq(x.numerator, x.denominator))


# ---------------------------------------------------------------- Dfn

def _check(eps: Fraction, V: int) -> tuple[Fraction, int]:
    if isinstance(eps, float) or isinstance(V, float):
        raise TypeError("eps and V must be exact (Fraction / int), not floats")
    eps, V = Fraction(eps), int(V)
    if V < 2 or not 0 <= eps <= 1:
        raise ValueError(f"Dfn needs an integer V >= 2 and 0 <= eps <= 1, got eps={eps}, V={V}")
    return eps, V


def _phi(x: Fraction) -> arb:
    """phi(x) = (1 + x) ln(1 + x) - x >= 0 for x >= -1, at the current precision."""
    if x == -1:
        return arb(1)
    if x == 0:
        return arb(0)
    xb = to_arb(x)
    if abs(x) > _SERIES_BELOW:
        # 1 + x is formed exactly: near x = -1 (eps near 0) a rounded 1 + xb could reach 0
        u = to_arb(1 + x)
        return u * u.log() - xb
    # phi(x) = sum_{k>=2} (-1)^k x^k / (k (k-1)); terms fall by |x| <= 2^-8 each
    small_bits = max(1, x.denominator.bit_length() - x.numerator.bit_length() - 1)  # <= log2(1/|x|)
    terms = 2 + (ctx.prec + 16) // small_bits + 1
    total, power = arb(0), xb * xb  # power = (-x)^k
    for k in range(2, terms):
        total += power / (k * (k - 1))
        power *= -xb
    # |tail| <= |x|^K / (K (K-1) (1 - |x|)) with K = terms
    absx = to_arb(abs(x))
    tail = absx ** terms / (terms * (terms - 1)) / (1 - absx)
    return total + arb(0, tail.upper())


def dfn_ball(eps: Fraction, V: int, prec: int) -> arb:
    """An arb enclosure of Dfn(eps, V) in bits, computed at `prec` bits without cancellation."""
    eps, V = _check(eps, V)
    a = V * (1 - eps) - 1  # > 0 exactly when eps < 1 - 1/V
    with ctx.workprec(prec):
        q = to_arb(Fraction(1, V))
        nats = q * _phi(a) + (1 - q) * _phi(-a / (V - 1))
        ball = nats / arb.const_log2()
        if a > 0:
            assert ball > 0, f"Dfn({eps}, {V}) is positive but its enclosure {ball} is not"
        elif a == 0:
            assert ball.contains(0)
        return +ball


def dfn_bounds(eps: Fraction, V: int, rel_bits: int = BOUND_REL_BITS) -> tuple[Fraction, Fraction]:
    """Certified rationals lo <= Dfn(eps, V) <= hi with (hi - lo) <= 2^-rel_bits * lo."""
    eps, V = _check(eps, V)
    if V * (1 - eps) - 1 == 0:
        return Fraction(0), Fraction(0)
    return refine(lambda prec: dfn_ball(eps, V, prec), rel_bits, START_PREC_BITS)


def refine(ball_at, rel_bits: int, start_prec: int) -> tuple[Fraction, Fraction]:
    """[lo, hi] of ball_at(prec), the precision doubled until hi - lo <= 2^-rel_bits |lo| (or the cap)."""
    prec = start_prec
    while True:
        with ctx.workprec(prec):
            lo, hi = interval(ball_at(prec))
        if (hi - lo) * 2 ** rel_bits <= abs(lo) or prec >= MAX_PREC_BITS:
            return lo, hi
        prec *= 2


def dfn_lower(eps: Fraction, V: int) -> Fraction:
    return dfn_bounds(eps, V)[0]


def _dfn_factors(eps: Fraction, V: int) -> list[tuple[int, int]]:
    """[(n, e), ...] with prod n^e = Q, where den * Dfn(eps, V) = log2 Q for eps = num/den."""
    num, den = eps.numerator, eps.denominator
    return [(V, den), (num, num), (den - num, den - num), (den, -den), (V - 1, -num)]


def dfn_times_den_log2(eps: Fraction, V: int) -> int | None:
    """For eps = num/den: k when den * Dfn(eps, V) = log2 Q is the integer k, else None (then it is irrational)."""
    eps, V = _check(eps, V)
    return log2_of_product(_dfn_factors(eps, V))


def dfn_rational(eps: Fraction, V: int) -> Fraction | None:
    """Dfn(eps, V) exactly when it is rational (e.g. eps = 0, V = 2^k), else None."""
    k = dfn_times_den_log2(eps, V)
    return None if k is None else Fraction(k, Fraction(eps).denominator)


def log2_ball(q: Fraction) -> arb:
    """log2 q for an exact rational q > 0 at the current precision (log1p near 1: no cancellation)."""
    q = Fraction(q)
    if q <= 0:
        raise ValueError("log2 needs q > 0")
    ln = to_arb(q - 1).log1p() if abs(q - 1) < Fraction(1, 2) else to_arb(q).log()
    return ln / arb.const_log2()


# ---------------------------------------------------------------- decisions

@dataclass(frozen=True)
class Comparison:
    """The certified sign of pairs * Dfn(eps, V) - rhs, rhs = state bits (+ slack, or a sum of logs)."""
    status: Status  # HOLDS (<= 0), VIOLATED (> 0) or UNDECIDED
    reason: str
    lhs_lo: Fraction  # certified enclosure of pairs * Dfn
    lhs_hi: Fraction
    rhs_lo: Fraction  # certified enclosure of the right-hand side (a point when it is rational)
    rhs_hi: Fraction
    exact_tie: bool = False
    prec_bits: int = 0

    @property
    def rhs(self) -> Fraction:
        return self.rhs_lo if self.rhs_lo == self.rhs_hi else (self.rhs_lo + self.rhs_hi) / 2

    @property
    def lhs_decimal(self) -> str:
        return interval_decimal(self.lhs_lo, self.lhs_hi)

    @property
    def rhs_decimal(self) -> str:
        return interval_decimal(self.rhs_lo, self.rhs_hi)


def _exact(x, name: str) -> Fraction:
    if isinstance(x, float):
        raise TypeError(f"{name} must be exact (Fraction / int), not a float")
    return Fraction(x)


def compare_recall(pairs: int, eps: Fraction, V: int, state_bits: Fraction, slack_bits: Fraction = Fraction(0),
                   *, budget_s: float, max_prec_bits: int = MAX_PREC_BITS) -> Comparison:
    """Decide pairs * Dfn(eps, V) <= state_bits + slack_bits (Theorem 1 with zoology's Delta) exactly."""
    rhs = _exact(state_bits, "state_bits") + _exact(slack_bits, "slack_bits")
    return compare_with_logs(pairs, eps, V, rhs, (), budget_s=budget_s, max_prec_bits=max_prec_bits)


def compare_with_logs(pairs: int, eps: Fraction, V: int, const: Fraction, logs=(), *, budget_s: float,
                      max_prec_bits: int = MAX_PREC_BITS) -> Comparison:
    """Decide pairs * Dfn(eps, V) <= const + sum coef * log2(q) over `logs` [(int coef, Fraction q > 0)].

    Theorem 2 is the case const = 0, logs = [(D, 1 + 4 R Lam / delta)]. Everything here is
    (1/den) log2 of a rational plus rationals, so a tie is decided exactly (`log2_of_product`),
    and without one the enclosure is refined until its sign is certain or the budget runs out."""
    eps, V = _check(eps, V)
    const = _exact(const, "const")
    logs = [(int(c), _exact(q, "log argument")) for c, q in logs]
    pairs = int(pairs)
    if pairs < 0:
        raise ValueError("pairs must be >= 0")
    if any(q <= 0 for _, q in logs):
        raise ValueError("log arguments must be > 0")
    den = eps.denominator
    factors = [(n, e * pairs) for n, e in _dfn_factors(eps, V)]
    for c, q in logs:
        factors += [(q.numerator, -den * c), (q.denominator, den * c)]
    k = log2_of_product(factors)  # den * (pairs * Dfn - sum coef log2 q) when that is an integer
    if k is not None:  # all rational: decide exactly
        diff = Fraction(k, den)
        lhs = pairs * (dfn_rational(eps, V) or Fraction(0)) if not logs else None
        status = Status.HOLDS if diff <= const else Status.VIOLATED
        if lhs is None:  # the sides are irrational but their difference is rational: show enclosures
            lo, hi, rlo, rhi = _sides(pairs, eps, V, const, logs, START_PREC_BITS)
        else:
            lo = hi = lhs
            rlo = rhi = const
        return Comparison(status, "decided exactly (the difference of the two sides is rational)",
                          lo, hi, rlo, rhi, exact_tie=diff == const)
    # irrational difference: never zero, so a fine enough enclosure decides
    start_prec = START_PREC_BITS + max(const.numerator.bit_length() - const.denominator.bit_length(), 0) \
        + pairs.bit_length()
    return _decide_sign(pairs, eps, V, lambda prec: _rhs_ball(const, logs), start_prec, budget_s, max_prec_bits, "")


def _decide_sign(pairs: int, eps: Fraction, V: int, rhs_at, start_prec: int, budget_s: float, max_prec_bits: int,
                 why_undecided: str) -> Comparison:
    """Refine pairs * Dfn - rhs_at(prec) until its sign is certain, or the time / precision budget runs out."""
    start, prec = time.monotonic(), start_prec
    while True:
        with ctx.workprec(prec):
            lhs = pairs * dfn_ball(eps, V, prec)
            rhs = rhs_at(prec)
            lo, hi = interval(lhs)
            rlo, rhi = interval(rhs)
            d_lo, d_hi = interval(lhs - rhs)
        if d_lo > 0 or d_hi < 0:
            status = Status.VIOLATED if d_lo > 0 else Status.HOLDS
            return Comparison(status, f"certified at {prec} bits", lo, hi, rlo, rhi, prec_bits=prec)
        if prec * 2 > max_prec_bits or time.monotonic() - start > budget_s:
            limit = (f"precision limit {max_prec_bits} bits" if prec * 2 > max_prec_bits
                     else f"time budget {budget_s:g} s")
            return Comparison(Status.UNDECIDED, f"sign of N*Dfn - b not certain at {prec} bits ({limit} reached"
                              f"{why_undecided})", lo, hi, rlo, rhi, prec_bits=prec)
        prec *= 2


def _rhs_ball(const: Fraction, logs) -> arb:
    total = to_arb(const)
    for c, q in logs:
        total += c * log2_ball(q)
    return total


def _sides(pairs, eps, V, const, logs, prec):
    with ctx.workprec(prec):
        lo, hi = interval(pairs * dfn_ball(eps, V, prec))
        rlo, rhi = (const, const) if not logs else interval(_rhs_ball(const, logs))
    return lo, hi, rlo, rhi


def bound_interval(state_bits: Fraction, eps: Fraction, V: int, rel_bits: int = BOUND_REL_BITS, logs=(),
                   ) -> tuple[Fraction, Fraction]:
    """Certified lo <= (state_bits + sum coef log2 q) / Dfn(eps, V) <= hi (eps < 1 - 1/V)."""
    eps, V = _check(eps, V)
    if V * (1 - eps) - 1 <= 0:
        raise ValueError("the bound needs eps < 1 - 1/V")
    b = _exact(state_bits, "state_bits")
    rational = dfn_rational(eps, V)
    if rational is not None and not logs:
        return b / rational, b / rational
    return refine(lambda prec: _rhs_ball(b, logs) / dfn_ball(eps, V, prec), rel_bits, START_PREC_BITS + rel_bits)


def floored_interval(state_bits: Fraction, eps: Fraction, V: int, *, budget_s: float = 30.0, logs=(),
                     ) -> tuple[int | None, Fraction, Fraction]:
    """(floor, lo, hi): the exact floor of the bound (None past the budget) and an enclosure inside
    [floor, floor + 1), so a decimal of it never crosses an integer the bound does not cross."""
    lo, hi = bound_interval(state_bits, eps, V, BOUND_REL_BITS, logs)
    try:
        floor = floor_bound(state_bits, eps, V, budget_s=budget_s, logs=logs)
    except UndecidedError:
        return None, lo, hi
    rel_bits = BOUND_REL_BITS
    while (lo < floor or hi >= floor + 1) and rel_bits < 8192:  # floor <= bound < floor + 1: refine to show it
        rel_bits *= 2
        lo, hi = bound_interval(state_bits, eps, V, rel_bits, logs)
    return floor, lo, hi


def floor_bound(state_bits: Fraction, eps: Fraction, V: int, *, budget_s: float = 30.0, logs=()) -> int:
    """The exact floor of (state_bits + sum coef log2 q) / Dfn(eps, V): the most pairs Theorem 1 (or 2) allows."""
    b = _exact(state_bits, "state_bits")
    if b < 0:
        raise ValueError("state bits must be >= 0")
    if b == 0 and not logs:
        return 0
    rough_lo, _ = bound_interval(b, eps, V, 8, logs)  # only to size the precision the integer part needs
    int_bits = max(rough_lo.numerator.bit_length() - rough_lo.denominator.bit_length() + 1, 0)
    lo, hi = bound_interval(b, eps, V, BOUND_REL_BITS + int_bits, logs)
    if math.floor(lo) == math.floor(hi):
        return math.floor(lo)
    n = math.floor(hi)  # lo < n <= hi: the floor is n iff n * Dfn <= rhs
    verdict = compare_with_logs(n, eps, V, b, logs, budget_s=budget_s)
    if verdict.status is Status.UNDECIDED:
        raise UndecidedError(f"floor of the bound not decided: {verdict.reason}")
    return n if verdict.status is Status.HOLDS else n - 1




def log2_interval(q, rel_bits: int = BOUND_REL_BITS) -> tuple[Fraction, Fraction]:
    """Certified lo <= log2 q <= hi for an exact rational q > 0 (a point when q is a power of two)."""
    q = _exact(q, "q")
    k = log2_of_product([(q.numerator, 1), (q.denominator, -1)])
    if k is not None:
        return Fraction(k), Fraction(k)
    return refine(lambda prec: log2_ball(q), rel_bits, START_PREC_BITS + rel_bits)


def compare_log2(q, p) -> int:
    """The exact sign of log2 q - p for rationals q > 0 and p (-1, 0 or 1)."""
    q, p = _exact(q, "q"), _exact(p, "p")
    k = log2_of_product([(q.numerator, p.denominator), (q.denominator, -p.denominator)])
    if k is not None:  # p.den * log2 q = k exactly
        diff = Fraction(k, p.denominator) - p
        return (diff > 0) - (diff < 0)
    prec = START_PREC_BITS + max(p.numerator.bit_length() - p.denominator.bit_length(), 0)
    while True:  # irrational minus rational is never 0: refinement terminates
        with ctx.workprec(prec):
            lo, hi = interval(log2_ball(q) - to_arb(p))
        if lo > 0 or hi < 0:
            return 1 if lo > 0 else -1
        if prec >= MAX_PREC_BITS:
            raise UndecidedError("log2 q - p not decided at the precision limit")
        prec *= 2


def sympy_ball(expr, prec: int) -> arb:
    """An arb enclosure of a constant sympy expression from the claim grammar (+, *, ^ rational, log, min, max)."""
    with ctx.workprec(prec):
        return +_ball(expr)


def _ball(e) -> arb:
    if e.is_Rational:
        return to_arb(Fraction(int(e.p), int(e.q)))
    if isinstance(e, sympy.Add):
        total = arb(0)
        for a in e.args:
            total += _ball(a)
        return total
    if isinstance(e, sympy.Mul):
        total = arb(1)
        for a in e.args:
            total *= _ball(a)
        return total
    if isinstance(e, sympy.Pow) and e.exp.is_Rational:
        base = _ball(e.base)
        if e.exp.is_Integer:
            return base ** int(e.exp)
        return base ** to_arb(Fraction(int(e.exp.p), int(e.exp.q)))
    if isinstance(e, sympy.log) and len(e.args) == 1:
        return _ball(e.args[0]).log()
    if isinstance(e, (sympy.Min, sympy.Max)):
        balls = [_ball(a) for a in e.args]
        out = balls[0]
        for b in balls[1:]:
            out = out.min(b) if isinstance(e, sympy.Min) else out.max(b)
        return out
    raise ValueError(f"cannot enclose {e!r}")


def compare_with_ball(pairs: int, eps: Fraction, V: int, rhs_ball, *, budget_s: float,
                      max_prec_bits: int = MAX_PREC_BITS) -> Comparison:
    """Decide pairs * Dfn(eps, V) <= rhs where rhs_ball(prec) encloses an irrational rhs (no exact tie test)."""
    eps, V = _check(eps, V)
    return _decide_sign(int(pairs), eps, V, rhs_ball, START_PREC_BITS + int(pairs).bit_length(), budget_s,
                        max_prec_bits, "; an exact tie cannot be ruled out for this state formula")
