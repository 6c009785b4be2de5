"""Upper confidence bounds on a mean error, with the EXAMPLE as the unit.

Queries inside one MQAR example share its state and are correlated, so the
independent draws are the examples: each contributes its fraction of wrong
answers x_i in [0, 1]. For n such fractions with mean m and sample variance
s^2 (denominator n - 1), at level alpha the bound is the smaller of

    Hoeffding                  m + sqrt(ln(2/alpha) / (2n))
    empirical Bernstein        m + sqrt(2 s^2 ln(4/alpha) / n) + 7 ln(4/alpha) / (3 (n - 1))
                               (Maurer and Pontil 2009, Theorem 4)

each at alpha/2 (a union bound), capped at 1. Everything is computed on
exact rationals and arb balls and rounded outward (up) to 12 decimals.

One --confidence for a whole run: its alpha = 1 - confidence is split evenly
(Bonferroni) over every bound the run asserts anything from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from flint import arb, ctx

from osp.exact import to_arb

#: every upper bound is rounded up to this grid
ROUND_DIGITS = 12


@dataclass(frozen=True)
class ConfidenceSplit:
    """One confidence level split evenly over `checks` bounds."""

    confidence: Fraction
    checks: int

    @property
    def alpha_per_check(self) -> Fraction:
        return (1 - self.confidence) / max(1, self.checks)

    def to_json(self) -> dict:
        return {"level": float(self.confidence), "checks": self.checks, "method": "Bonferroni (even split)",
                "alpha_per_check": str(self.alpha_per_check),
                "per_check": "min(Hoeffding, empirical Bernstein), each at alpha_per_check / 2; "
                             "unit: one example's fraction of wrong answers"}


@dataclass(frozen=True)
class ErrorBound:
    examples: int
    mean: Fraction  # exact sample mean
    upper: Fraction  # certified upper confidence bound, rounded up
    alpha: Fraction
    method: str  # which of the two was smaller

    def to_json(self) -> dict:
        return {"examples": self.examples, "mean": float(self.mean), "upper": float(self.upper),
                "alpha": str(self.alpha), "method": self.method}


def _round_up(x: arb) -> Fraction:
    man, exp = x.upper().man_exp()
    hi = Fraction(int(man)) * Fraction(2) ** int(exp)
    scale = 10 ** ROUND_DIGITS
    return Fraction(math.ceil(hi * scale), scale)


def error_upper(fractions: list[Fraction], alpha: Fraction) -> ErrorBound:
    """Upper bound at level 1 - alpha on the mean of i.i.d. values in [0, 1]."""
    n = len(fractions)
    if n < 2:
        raise ValueError(f"a confidence bound needs at least 2 examples, got {n}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    xs = [Fraction(x) for x in fractions]
    if any(x < 0 or x > 1 for x in xs):
        raise ValueError("per-example error fractions must lie in [0, 1]")
    mean = sum(xs, Fraction(0)) / n
    var = sum(((x - mean) ** 2 for x in xs), Fraction(0)) / (n - 1)
    with ctx.workprec(128):
        a = to_arb(alpha)
        hoeff = to_arb(mean) + ((2 / a).log() / (2 * n)).sqrt()
        log4 = (4 / a).log()
        bern = to_arb(mean) + (2 * to_arb(var) * log4 / n).sqrt() + 7 * log4 / (3 * (n - 1))
        h, b = _round_up(hoeff), _round_up(bern)
    upper, method = (h, "hoeffding") if h <= b else (b, "empirical-bernstein")
    return ErrorBound(n, mean, min(upper, Fraction(1)), alpha, method)
