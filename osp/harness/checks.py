"""One comparison of measured recall with a state size, decided by osp.exact.

    N Dfn(eps_upper, V) <= const + sum coef * log2(q)

Theorem 1: const = b_T, and in zoology's layout one log term, Delta =
log2(V^N (V-N)! / V!). Theorem 2: const = 0 and D log2(1 + 4 R Lam / delta).
The inputs are exact rationals; osp.exact decides the sign on certified
enclosures (exactly at a tie). "undecided" (budget spent) is INCONCLUSIVE,
never a pass. At eps_upper >= 1 - 1/V the check is VACUOUS (Dfn rises again
past the edge) and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from osp import exact
from osp.status import Status

#: seconds the certified arithmetic may spend on one comparison
BUDGET_S = 10


@dataclass(frozen=True)
class Check:
    status: Status  # HOLDS, VIOLATED, INCONCLUSIVE or VACUOUS
    recall_bits: Fraction  # certified lower bound on N Dfn(eps_upper, V) - the log terms (0 when vacuous)
    rhs_lo: Fraction  # certified enclosure of the right-hand side
    rhs_hi: Fraction
    reason: str


def is_vacuous(eps_upper: Fraction, V: int) -> bool:
    return eps_upper >= 1 - Fraction(1, V)


def compare(pairs: int, eps_upper: Fraction, V: int, const: Fraction, logs=()) -> Check:
    """Is pairs * Dfn(eps_upper, V) <= const + sum coef log2 q over `logs` [(coef, q)]?"""
    const = Fraction(const)
    if is_vacuous(eps_upper, V):
        return Check(Status.VACUOUS, Fraction(0), const, const,
                     f"vacuous: error_upper >= 1 - 1/V = {exact.decimal_down(1 - Fraction(1, V))}")
    c = exact.compare_with_logs(pairs, eps_upper, V, const, logs, budget_s=BUDGET_S)
    # the log terms' upper end, so recall_bits stays a lower bound
    log_hi = c.rhs_hi - const if logs else Fraction(0)
    recall = max(Fraction(0), c.lhs_lo - log_hi)
    if c.status is Status.UNDECIDED:
        return Check(Status.INCONCLUSIVE, recall, c.rhs_lo, c.rhs_hi, f"inconclusive: {c.reason}")
    return Check(c.status, recall, c.rhs_lo, c.rhs_hi, c.reason)
