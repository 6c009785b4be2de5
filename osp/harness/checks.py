"""One comparison of measured recall with a state size, decided by osp.exact.

    N Dfn(eps_upper, V) <= state_bits (+ Delta, zoology's layout)

Delta and Theorem 2's D log2(1 + 4 R Lam / delta) are irrational: they come
as certified enclosures [lo, hi]. The check HOLDS when it holds at the
smallest right-hand side, is VIOLATED when it fails at the largest, and is
INCONCLUSIVE otherwise (or when the certified arithmetic ran out of budget).
At eps_upper >= 1 - 1/V the check is VACUOUS (Dfn rises again past the edge).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from osp import exact
from osp.status import Status

#: seconds the certified arithmetic may spend on one comparison
BUDGET_S = 10.0


@dataclass(frozen=True)
class Check:
    status: Status  # HOLDS, VIOLATED, INCONCLUSIVE or VACUOUS
    recall_bits: Fraction  # certified lower bound on N Dfn(eps_upper, V) - Delta (0 when vacuous)
    rhs_lo: Fraction
    rhs_hi: Fraction
    reason: str


def is_vacuous(eps_upper: Fraction, V: int) -> bool:
    return eps_upper >= 1 - Fraction(1, V)


def _status(comparison) -> Status:
    return Status(getattr(comparison, "status", comparison))


def compare(pairs: int, eps_upper: Fraction, V: int, bits_lo: Fraction, bits_hi: Fraction,
            delta_lo: Fraction = Fraction(0), delta_hi: Fraction = Fraction(0)) -> Check:
    """Is pairs * Dfn(eps_upper, V) <= bits + Delta, for bits in [bits_lo, bits_hi], Delta in [delta_lo, delta_hi]?"""
    if is_vacuous(eps_upper, V):
        return Check(Status.VACUOUS, Fraction(0), bits_lo + delta_lo, bits_hi + delta_hi,
                     f"vacuous: error_upper >= 1 - 1/V = {exact.decimal_down(1 - Fraction(1, V))}")
    recall = max(Fraction(0), pairs * exact.dfn_lower(eps_upper, V) - delta_hi)
    low = _status(exact.compare_recall(pairs, eps_upper, V, bits_lo, delta_lo, budget_s=BUDGET_S))
    if low is Status.HOLDS:
        return Check(Status.HOLDS, recall, bits_lo + delta_lo, bits_hi + delta_hi, "holds (certified)")
    high = _status(exact.compare_recall(pairs, eps_upper, V, bits_hi, delta_hi, budget_s=BUDGET_S))
    if high is Status.VIOLATED:
        return Check(Status.VIOLATED, recall, bits_lo + delta_lo, bits_hi + delta_hi, "violated (certified)")
    return Check(Status.INCONCLUSIVE, recall, bits_lo + delta_lo, bits_hi + delta_hi,
                 "inconclusive: the certified comparison did not separate the two sides")
