"""Shannon quantities of finite joint pmfs, in bits (base-2 logs), 0 log 0 = 0.

A joint pmf is a numpy array with one axis per variable: `p[x, y, z]` is
P(X=x, Y=y, Z=z). Variables are named by their axis numbers, so
`cond_entropy(p, [0], [1, 2])` is H(X | Y, Z). Everything is computed from
marginal entropies (H(A|B) = H(A,B) - H(B) and so on); `cond_entropy_by_definition`
is the slow obvious reference, sum_b p(b) H(A | B=b), that the chain-rule
check compares against.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

Axes = Sequence[int]


def entropy_of_pmf(p: np.ndarray) -> float:
    """H of the whole array seen as one variable: -sum p log2 p over p > 0."""
    q = np.asarray(p, dtype=float).ravel()
    q = q[q > 0]
    return float(-(q * np.log2(q)).sum())


def marginal(p: np.ndarray, keep: Axes) -> np.ndarray:
    """Marginal pmf of the axes in `keep` (in increasing axis order)."""
    keep = sorted(set(keep))
    drop = tuple(a for a in range(p.ndim) if a not in keep)
    return p.sum(axis=drop) if drop else p


def entropy(p: np.ndarray, axes: Axes | None = None) -> float:
    """H(axes); all axes when `axes` is None."""
    if axes is None:
        return entropy_of_pmf(p)
    if len(axes) == 0:
        return 0.0
    return entropy_of_pmf(marginal(p, axes))


def cond_entropy(p: np.ndarray, a: Axes, b: Axes) -> float:
    """H(A | B) = H(A, B) - H(B)."""
    return entropy(p, [*a, *b]) - entropy(p, b)


def mutual_info(p: np.ndarray, a: Axes, b: Axes) -> float:
    """I(A; B) = H(A) + H(B) - H(A, B)."""
    return entropy(p, a) + entropy(p, b) - entropy(p, [*a, *b])


def cond_mutual_info(p: np.ndarray, a: Axes, b: Axes, c: Axes) -> float:
    """I(A; B | C) = H(A, C) + H(B, C) - H(A, B, C) - H(C)."""
    return entropy(p, [*a, *c]) + entropy(p, [*b, *c]) - entropy(p, [*a, *b, *c]) - entropy(p, c)


def cond_entropy_by_definition(p: np.ndarray, a: Axes, b: Axes) -> float:
    """Reference H(A | B) = sum_b p(b) H(A | B=b), shares no subtraction with cond_entropy."""
    a, b = list(a), list(b)
    if not b:
        return entropy(p, a)
    m = marginal(p, [*a, *b])
    # reorder so the conditioning axes come first: (B..., A...)
    order = sorted(set(a) | set(b))
    pos = {ax: i for i, ax in enumerate(order)}
    m = np.transpose(m, [pos[x] for x in sorted(b)] + [pos[x] for x in sorted(a)])
    nb = int(np.prod(m.shape[: len(b)]))
    rows = m.reshape(nb, -1)
    total = 0.0
    for row in rows:
        pb = row.sum()
        if pb > 0:
            total += pb * entropy_of_pmf(row / pb)
    return float(total)


def binary_entropy(e: float) -> float:
    """h(e) = -e log2 e - (1-e) log2(1-e), h(0) = h(1) = 0."""
    if e <= 0.0 or e >= 1.0:
        return 0.0
    return -e * math.log2(e) - (1.0 - e) * math.log2(1.0 - e)


def fano_f(e: float, values: int) -> float:
    """f(e) = h(e) + e log2(V - 1): the right side of Fano (docs/theory.md step 8)."""
    return binary_entropy(e) + e * math.log2(values - 1)


def dfn(e: float, values: float) -> float:
    """Dfn(e, V) = log2 V - h(e) - e log2(V - 1)."""
    return math.log2(values) - binary_entropy(e) - e * math.log2(values - 1)


def dfn_derivative(e: float, values: float) -> float:
    """dDfn/de = -log2((1 - e)(V - 1) / e) on (0, 1) (docs/theory.md step 10).

    Summed as logs so that subnormal e does not overflow the quotient.
    """
    return math.log2(e) - math.log2(1.0 - e) - math.log2(values - 1)
