"""Rigorous interval arithmetic (python-flint arb balls) with branch-and-bound.

This is the second, independent method for obligations with a numeric form
over a parameter box: it shares no code with the SMT backends. A box is
certified when a rigorous lower bound of g over it is > 0; refuted when g
evaluated at a point of the box (an exact rational point, as a ball) is
<= 0; unknown when the box budget runs out first.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import flint

from osp.checks.obligation import PROVED, REFUTED, UNKNOWN, Verdict

flint.ctx.prec = 128


def q(x: Fraction | int) -> flint.fmpq:
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def ball(x: Fraction | int) -> flint.arb:
    return flint.arb(q(x))


def lower(a: flint.arb) -> Fraction:
    lo = a.lower()
    if not lo.is_finite():
        return Fraction(-(10**30))
    m, e = lo.man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def upper(a: flint.arb) -> Fraction:
    return -lower(-a)


@dataclass(frozen=True)
class Dim:
    name: str
    lo: Fraction
    hi: Fraction
    geometric: bool = False  # split at the geometric mean (wide positive ranges such as V)

    def split(self) -> tuple["Dim", "Dim"]:
        mid = (self.lo + self.hi) / 2
        if self.geometric and self.lo > 0:
            # geometric mean in exact integer arithmetic (floats overflow past 1e308)
            prod = self.lo * self.hi
            scale = 2**40
            g = Fraction(math.isqrt(prod.numerator * scale * scale // prod.denominator), scale)
            if self.lo < g < self.hi:
                mid = g
        return Dim(self.name, self.lo, mid, self.geometric), Dim(self.name, mid, self.hi, self.geometric)

    def width(self) -> float:
        if self.geometric and self.lo > 0:
            return _ln(self.hi) - _ln(self.lo)
        return _ln_free_float(self.hi - self.lo)


Box = tuple  # tuple[Dim, ...]


def _ln(x: Fraction) -> float:
    return math.log(x.numerator) - math.log(x.denominator)  # exact-size ints, no float overflow


def _ln_free_float(x: Fraction) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class NumericForm:
    """Certify g > 0 over a box.

    `lower_bound(box)` returns a rigorous lower bound of g over the box;
    `at_point(point)` returns g at an exact point as an arb ball;
    `witness(box)` picks the point of a box most likely to violate.
    """

    lower_bound: Callable[[Box], Fraction]
    at_point: Callable[[dict], flint.arb]
    witness: Callable[[Box], dict]


def certify_positive(form: NumericForm, box: Box, budget: int = 20000, name: str = "g") -> Verdict:
    t0 = time.perf_counter()
    for d in box:
        if d.lo > d.hi:
            return Verdict(UNKNOWN, "interval", 0.0, reason=f"empty range for {d.name}")
    heap = [(0, 0, box)]
    counter = 0
    boxes = 0
    while heap:
        _, _, b = heapq.heappop(heap)
        boxes += 1
        if boxes > budget:
            return Verdict(UNKNOWN, "interval", time.perf_counter() - t0,
                           reason=f"box budget of {budget} exhausted before {name} > 0 was certified")
        point = form.witness(b)
        value = form.at_point(point)
        if upper(value) <= 0:
            cex = {k: str(v) for k, v in point.items()}
            cex[name] = str(value.mid())
            return Verdict(REFUTED, "interval", time.perf_counter() - t0, counterexample=cex)
        lb = form.lower_bound(b)
        if lb > 0:
            continue
        widest = max(range(len(b)), key=lambda i: b[i].width())
        if b[widest].width() == 0:
            continue_reason = f"cannot separate {name} from 0 at a point"
            return Verdict(UNKNOWN, "interval", time.perf_counter() - t0, reason=continue_reason)
        for half in b[widest].split():
            nb = b[:widest] + (half,) + b[widest + 1:]
            counter += 1
            heapq.heappush(heap, (float(lb), counter, nb))
    return Verdict(PROVED, "interval", time.perf_counter() - t0, reason=f"{boxes} boxes certified")
