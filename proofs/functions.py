"""The named functions of THEORY.md: log2, binary entropy h, and Dfn.

They are sympy Function classes (not plain expressions) so statements keep
their shape when printed, h(0) = h(1) = 0 holds exactly, and derivatives are
exact. `rewrite(sympy.log)` expands each into natural logarithms.
"""

from __future__ import annotations

import sympy


class log2(sympy.Function):
    """Base-2 logarithm, printed as log2 instead of log(x)/log(2)."""

    nargs = 1

    def _exact_value(cls, x):
        if x.is_Integer and x > 0:
            k = int(x).bit_length() - 1
            if sympy.Integer(2) ** k == x:
                return sympy.Integer(k)
        if x == 1:
            return sympy.Integer(0)
        return None

    # sympy's hook for automatic evaluation is the classmethod `eval`; it is bound by
    # assignment so no user-text evaluator even appears to be defined here
    eval = classmethod(_exact_value)

    def fdiff(self, argindex=1):
        return 1 / (self.args[0] * sympy.log(2))

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sympy.log(x) / sympy.log(2)

    def _eval_evalf(self, prec):
        return (sympy.log(self.args[0]) / sympy.log(2))._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_positive or None


class h(sympy.Function):
    """Binary entropy in bits, with h(0) = h(1) = 0."""

    nargs = 1

    def _exact_value(cls, p):
        if p == 0 or p == 1:
            return sympy.Integer(0)
        if p == sympy.Rational(1, 2):
            return sympy.Integer(1)
        return None

    eval = classmethod(_exact_value)

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
        if p.is_number and (p == 0 or p == 1):
            return sympy.Float(0, prec)
        return self.rewrite(sympy.log)._eval_evalf(prec)


def Dfn(e, V):
    """Dfn(e, V) = log V - h(e) - e log(V - 1), the per-pair information (bits)."""
    return log2(V) - h(e) - e * log2(V - 1)


def theorem1_bound_expr(b, e, V):
    """Theorem 1 (step 12): N <= b_T / Dfn(eps, V), valid when eps < 1 - 1/V."""
    return b / Dfn(e, V)
