"""log2 N! >= N log2(N / e) for every N >= 1 (Lemma T, docs/theory.md section 5).

Proof for all N (this is what makes it "checked, not sampled"):
ln is increasing, so for every integer k >= 2, ln k >= integral_{k-1}^{k} ln x dx.
Summing over k = 2..N (ln 1 = 0):

    ln N! = sum_{k=2}^{N} ln k >= integral_1^N ln x dx = N ln N - N + 1,

so ln N! - N ln(N/e) >= 1 > 0, and dividing by ln 2 gives the claim in bits
(with a margin of log2 e bits). N = 1 is included: both sides of the
integral identity are 0 there and the gap is exactly 1 nat.

`integral_identity_holds()` has sympy confirm the integral and the algebra;
`check_range(n_max)` corroborates the inequality for N = 1..n_max with
rigorous arb ball arithmetic (python-flint): every comparison is decided
on certified enclosures, never on rounded floats.
"""

from __future__ import annotations

import math
import time

import sympy
from flint import arb


def integral_identity_holds(constant=1) -> bool:
    """sympy: integral_1^N ln x dx = N ln N - N + constant (true for constant = 1), = N ln(N/e) + 1."""
    x = sympy.Symbol("x", positive=True)
    n = sympy.Symbol("N", positive=True)
    integral = sympy.integrate(sympy.log(x), (x, 1, n))
    identity = sympy.simplify(integral - (n * sympy.log(n) - n + constant)) == 0
    with_e = sympy.simplify(sympy.expand_log(n * sympy.log(n / sympy.E), force=True) + 1
                            - (n * sympy.log(n) - n + 1)) == 0
    return bool(identity and with_e)


def step_bound_holds(constant=1) -> bool:
    """sympy: for k >= 2, ln k - integral_{k-1}^{k} ln x dx = 1 - (k-1) ln(1 + 1/(k-1)).

    That is >= 0 because ln(1 + t) <= t (t = 1/(k-1) > 0; ln is concave and its
    tangent at 1 is t). sympy confirms the integral and the algebra; the last
    inequality is the textbook tangent bound.
    """
    x = sympy.Symbol("x", positive=True)
    j = sympy.Symbol("j", positive=True)  # j = k - 1 >= 1
    k = j + 1
    integral = sympy.integrate(sympy.log(x), (x, j, k))
    closed_form = k * sympy.log(k) - j * sympy.log(j) - 1
    gap = sympy.log(k) - integral
    claimed = constant - j * sympy.log(1 + 1 / j)
    return bool(sympy.simplify(integral - closed_form) == 0
                and sympy.simplify(sympy.expand_log(sympy.together(gap - claimed), force=True)) == 0)


def check_range(n_max: int = 10 ** 5) -> tuple[int, int, float, float]:
    """(passed, total, min gap in bits as a float, seconds) for ln N! - N ln(N/e) > 0, N = 1..n_max.

    ln N! is accumulated as a sum of arb balls (the enclosure widens to ~1e-5 at
    N = 1e5, far below the true gap of >= 1 nat); the sign test is decided in
    nats, where it is the same as in bits.
    """
    start = time.perf_counter()
    log_factorial = arb(0)
    passed, worst_nats = 0, None
    for n in range(1, n_max + 1):
        ln_n = arb(n).log()
        log_factorial += ln_n
        gap = log_factorial - (n * ln_n - n)
        if gap > 0:  # arb: True only if the whole ball is positive
            passed += 1
        mid = float(gap.mid())
        worst_nats = mid if worst_nats is None else min(worst_nats, mid)
    return passed, n_max, worst_nats / math.log(2), time.perf_counter() - start
