"""Exact tie tests: is a product of integer powers an integer power of two?

For eps = num/den, den * Dfn(eps, V) = log2 Q with a rational Q, and Theorem 2's
right-hand side is D log2 of a rational, so "N Dfn equals b exactly" reduces to
"a product n_1^e_1 ... n_k^e_k (exponents possibly hundreds of digits long) is
2^k". Factoring over a coprime base (factor refinement) decides it without
computing the product or factoring any number.
"""

from __future__ import annotations

import math

def coprime_base(numbers) -> list[int]:
    """Pairwise coprime integers > 1 of which every input > 0 is a product (factor refinement)."""
    base: list[int] = []
    work = [int(n) for n in numbers if int(n) > 1]
    while work:
        n = work.pop()
        for i, b in enumerate(base):
            g = math.gcd(n, b)
            if g > 1:
                base.pop(i)
                work.extend(x for x in (g, b // g, n // g) if x > 1)  # the product of all drops by g
                break
        else:
            base.append(n)
    return sorted(set(base))


def _valuation(n: int, b: int) -> tuple[int, int]:
    v = 0
    while n % b == 0:
        n //= b
        v += 1
    return v, n


def log2_of_product(factors) -> int | None:
    """k when prod n^e over `factors` [(n, e), ...] (n >= 1, e integer) equals 2^k exactly, else None."""
    factors = [(int(n), int(e)) for n, e in factors if int(n) > 1 and e != 0]
    base = coprime_base([2] + [n for n, _ in factors])
    total = {b: 0 for b in base}
    for n, e in factors:
        rest = n
        for b in base:
            v, rest = _valuation(rest, b)
            total[b] += v * e
        assert rest == 1, "factor refinement left a cofactor"
    k = 0
    for b, e in total.items():
        if b & (b - 1) == 0:  # a power of two
            k += (b.bit_length() - 1) * e
        elif e != 0:
            return None
    return k
