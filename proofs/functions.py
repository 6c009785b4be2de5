"""The named functions of docs/theory.md: log2, binary entropy h, and Dfn.

They are sympy Function classes (not plain expressions) so statements keep
their shape when printed, h(0) = h(1) = 0 holds exactly, and derivatives are
exact. `rewrite(sympy.log)` expands each into natural logarithms.
"""

from __future__ import annotations

import mpmath
import sympy


def _ln(x, prec: int):
    """ln x as an mpmath number with `prec` correct bits. For an exact rational near 1,
    log1p of the exact difference keeps every bit that ln(x) itself would lose
    (sympy's evalf of log(1 + 1e-40) answers 0)."""
    if x.is_Rational:
        if abs(x - 1) < sympy.Rational(1, 2):
            return mpmath.log1p(mpmath.mpf(x.p - x.q) / x.q)
        return mpmath.log(mpmath.mpf(x.p) / x.q)  # far from 1: the quotient keeps full relative precision
    return mpmath.log(mpmath.mpf(sympy.Float(x, precision=prec + 64)._mpf_))


def _to_float(v, prec: int) -> sympy.Float:
    return sympy.Float._new(mpmath.mpf(v)._mpf_, prec)


class log2(sympy.Function):
    """Base-2 logarithm, printed as log2 instead of log(x)/log(2)."""

    nargs = 1

    @classmethod
    def eval(cls, x):  # sympy's hook for automatic evaluation: exact values at powers of two
        if x.is_Integer and x > 0:
            k = int(x).bit_length() - 1
            if sympy.Integer(2) ** k == x:
                return sympy.Integer(k)
        if x == 1:
            return sympy.Integer(0)
        return None

    def fdiff(self, argindex=1):
        return 1 / (self.args[0] * sympy.log(2))

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sympy.log(x) / sympy.log(2)

    def _eval_evalf(self, prec):
        x = self.args[0]
        if not x.is_number:
            return None
        with mpmath.workprec(prec + 64):
            return _to_float(_ln(x, prec) / mpmath.log(2), prec)

    def _eval_is_real(self):
        return self.args[0].is_positive or None


class h(sympy.Function):
    """Binary entropy in bits, with h(0) = h(1) = 0."""

    nargs = 1

    @classmethod
    def eval(cls, p):  # sympy's hook for automatic evaluation: h(0) = h(1) = 0, h(1/2) = 1
        if p == 0 or p == 1:
            return sympy.Integer(0)
        if p == sympy.Rational(1, 2):
            return sympy.Integer(1)
        return None

    def fdiff(self, argindex=1):
        p = self.args[0]
        return log2((1 - p) / p)

    def _eval_rewrite_as_log(self, p, **kwargs):
        return (-p * sympy.log(p) - (1 - p) * sympy.log(1 - p)) / sympy.log(2)

    def explicit(self):
        p = self.args[0]
        return -p * log2(p) - (1 - p) * log2(1 - p)

    def _eval_evalf(self, prec):
        p = self.args[0]
        if not p.is_number:
            return None
        if p == 0 or p == 1:
            return sympy.Float(0, prec)
        with mpmath.workprec(prec + 64):
            q = 1 - p
            return _to_float(-(mpmath.mpf(sympy.Float(p, precision=prec + 64)._mpf_) * _ln(p, prec)
                               + mpmath.mpf(sympy.Float(q, precision=prec + 64)._mpf_) * _ln(q, prec))
                             / mpmath.log(2), prec)


def Dfn(e, V):
    """Dfn(e, V) = log V - h(e) - e log(V - 1), the per-pair information (bits)."""
    return log2(V) - h(e) - e * log2(V - 1)


def theorem1_bound_expr(b, e, V):
    """Theorem 1 (step 12): N <= b_T / Dfn(eps, V), valid when eps < 1 - 1/V."""
    return b / Dfn(e, V)


def bits_per_scalar_expr(R, Lam, delta):
    """Bits per real scalar a delta-confident state amounts to: log2(1 + 4 R Lam / delta)."""
    return log2(1 + 4 * R * Lam / delta)


def capacity_bits_expr(D, R, Lam, delta):
    """Theorem 2's right-hand side: the log of the net size, D log2(1 + 4 R Lam / delta) bits."""
    return D * bits_per_scalar_expr(R, Lam, delta)


def theorem2_bound_expr(D, R, Lam, delta, e, V):
    """Theorem 2 is Theorem 1 on the quantised processor: its state bits are the net's."""
    return theorem1_bound_expr(capacity_bits_expr(D, R, Lam, delta), e, V)


def s1_radius_expr(s0, beta, lam):
    """S1: R = max(||s0||, beta / (1 - lam)) for 0 <= lam < 1."""
    return sympy.Max(s0, beta / (1 - lam))


def no_decay_radius_expr(s0, beta, L):
    """lam = 1: ||s_L|| <= ||s0|| + L beta."""
    return s0 + L * beta
