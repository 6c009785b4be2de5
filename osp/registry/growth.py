"""Growth class in L of a complexity expression: Theta(L^a (log L)^k).

As L -> infinity every other symbol is a fixed positive constant. Symbols
that were given a value are substituted first; a symbol left free is a
GENERIC positive constant: a coefficient that is a nonzero expression in
free symbols is taken to be nonzero. So `a*L*d + (1-a)*d^2` with `a` free is
Theta(L) (true for every a > 0, false at a = 0): give `a` a value when its
value matters. Registry entries give every symbol but L a value, so their
classes never rely on this convention.

Method: logs are expanded (log(L^2) = 2 log L: unexpanded, sympy's limit can
loop forever), min/max are resolved structurally (each is eventually equal
to one of its arguments; an argument that turns negative is the smaller one),
then `a = lim log f / log L` and `k = lim log(f / L^a) /
log log L` are taken with sympy's Gruntz limit, which handles the symbolic
positive constants exactly. A polynomial in L takes an exact fast path
(degree, sign of the leading coefficient), tested against the limits.
Every classification runs under a wall-clock budget (budget.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy

from osp.errors import OspInputError
from osp.numbers import exact_rational
from osp.registry import budget

L = sympy.Symbol("L", positive=True)


@dataclass(frozen=True)
class Growth:
    exponent: sympy.Rational   # a in L^a
    log_power: sympy.Rational  # k in (log L)^k

    @property
    def bounded(self) -> bool:
        """O(1) as L -> infinity."""
        return bool(self.exponent < 0 or (self.exponent == 0 and self.log_power <= 0))

    @property
    def at_least_linear(self) -> bool:
        """Omega(L)."""
        return bool(self.exponent > 1 or (self.exponent == 1 and self.log_power >= 0))

    @property
    def kind(self) -> str:
        if self.bounded:
            return "constant"
        if self.exponent == 0:
            return "polylog"
        return "power"

    def label(self) -> str:
        if self.bounded:
            return "O(1)"
        parts = []
        if self.exponent != 0:
            parts.append("L" if self.exponent == 1 else f"L^{self.exponent}")
        if self.log_power != 0:
            parts.append("log(L)" if self.log_power == 1 else f"log(L)^{self.log_power}")
        return "Theta(" + "*".join(parts) + ")"

    def key(self) -> tuple:
        return (self.exponent, self.log_power)


CONSTANT = Growth(sympy.Integer(0), sympy.Integer(0))


def same_L(expr: sympy.Expr) -> sympy.Expr:
    """Identify any symbol named L with the module's positive L."""
    subs = {s: L for s in expr.free_symbols if s.name == "L" and s != L}
    return expr.xreplace(subs) if subs else expr


def resolve_minmax(expr: sympy.Expr) -> sympy.Expr:
    """Replace every Min/Max by the argument it eventually equals as L -> oo."""
    if not expr.args:
        return expr
    args = [resolve_minmax(a) for a in expr.args]
    if not isinstance(expr, (sympy.Min, sympy.Max)):
        return expr.func(*args)
    if not any(a.has(L) for a in args):
        return expr.func(*args)
    pick_max = isinstance(expr, sympy.Max)
    best = args[0]
    for cand in args[1:]:
        best = _eventual_choice(best, cand, pick_max)
    return best


class NegativeForLargeL(OspInputError):
    """The expression is negative for all large L (a min/max argument may be)."""


def _signed_rank(expr: sympy.Expr) -> tuple:
    """Order key of the eventual size of `expr`: sign first, then growth class
    (larger |expr| ranks higher when positive, lower when negative)."""
    if expr.is_zero:
        return (0, 0, 0)
    try:
        g = growth_of_plain(expr)
        return (1, g.exponent, g.log_power)
    except NegativeForLargeL:
        g = growth_of_plain(-expr)
        return (-1, -g.exponent, -g.log_power)


def _eventual_choice(x: sympy.Expr, y: sympy.Expr, pick_max: bool) -> sympy.Expr:
    # an argument that goes negative (max(0, 5 - L)) is eventually the smaller one
    rx, ry = _signed_rank(x), _signed_rank(y)
    if rx != ry:
        x_larger = rx > ry
        return x if x_larger == pick_max else y
    # same class: the sign of lim (x - y) decides; either is Theta of the same class
    # an undecided comparison must not pick a side: an enclosing difference can cancel
    # (L*d - min(L, w*L)*d is Theta(L) for w = 1/2 but O(1) if min picked L)
    undecided = OspInputError(f"cannot tell which argument of {'max' if pick_max else 'min'} is larger for "
                              f"large L ({sympy.sstr(x)} vs {sympy.sstr(y)}): give its symbols values")
    try:
        diff = sympy.limit(x - y, L, sympy.oo)
    except Exception:  # noqa: BLE001 - Gruntz raises assorted types
        raise undecided from None
    if diff.is_extended_positive:
        return x if pick_max else y
    if diff.is_extended_negative:
        return y if pick_max else x
    if diff.is_zero:
        return x
    raise undecided


def growth_of_plain(expr: sympy.Expr) -> Growth:
    """Growth class of an expression without Min/Max; raises OspInputError."""
    if not expr.has(L):
        if expr.is_negative:
            raise NegativeForLargeL(f"expression {sympy.sstr(expr)} is negative")
        return CONSTANT
    if expr.is_polynomial(L):
        # fast exact path for the common case: degree and sign of the leading coefficient
        try:
            poly = sympy.Poly(expr, L)
        except sympy.PolynomialError:
            return growth_by_limits(expr)
        if poly.LC().is_negative:
            raise NegativeForLargeL(f"expression {sympy.sstr(expr)} is negative for large L")
        return Growth(sympy.Integer(poly.degree()), sympy.Integer(0))
    return growth_by_limits(expr)


def growth_by_limits(expr: sympy.Expr) -> Growth:
    """The general method (and the reference the polynomial fast path is tested against)."""
    if not expr.has(L):
        return CONSTANT
    try:
        limit_value = sympy.limit(expr, L, sympy.oo)
        if limit_value.is_negative or limit_value == -sympy.oo:
            raise NegativeForLargeL(f"expression {sympy.sstr(expr)} is negative for large L")
        if limit_value.is_zero:
            # o(1): decays, bounded; 1/f tends to +oo from above, -oo from below
            if sympy.limit(1 / expr, L, sympy.oo) == -sympy.oo:
                raise NegativeForLargeL(f"expression {sympy.sstr(expr)} is negative for large L")
            return Growth(sympy.Integer(-1), sympy.Integer(0))
        a = sympy.limit(sympy.log(expr) / sympy.log(L), L, sympy.oo)
        if not a.is_Rational:
            raise OspInputError(f"cannot classify the growth of {sympy.sstr(expr)} in L (exponent {a})")
        k = sympy.limit(sympy.log(expr / L ** a) / sympy.log(sympy.log(L)), L, sympy.oo)
    except OspInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - PoleError, NotImplementedError, ...: all mean "cannot"
        raise OspInputError(f"cannot classify the growth of {sympy.sstr(expr)} in L "
                            f"({type(exc).__name__})") from None
    if not k.is_Rational:
        raise OspInputError(f"cannot classify the growth of {sympy.sstr(expr)} in L (log power {k})")
    # the exponents only name the class if f / (L^a log^k L) tends to a positive constant
    # (log log L has a = k = 0 but is unbounded)
    try:
        ratio = sympy.limit(expr / (L ** a * sympy.log(L) ** k), L, sympy.oo)
    except Exception:  # noqa: BLE001 - as above
        ratio = None
    if ratio is None or not (ratio.is_positive and ratio.is_finite):
        raise OspInputError(f"the growth of {sympy.sstr(expr)} is not of the form L^a (log L)^k")
    return Growth(sympy.Rational(a), sympy.Rational(k))


def growth(expr: sympy.Expr, values: dict | None = None, field: str | None = None) -> Growth:
    """Growth class in L of `expr`, after substituting `values` (name -> number).

    Runs under the time budget (budget.SECONDS); an overrun, like every other
    failure, is an OspInputError whose message names `field`.
    """
    expr = same_L(expr)
    if values:
        subs = {s: exact_rational(values[s.name], s.name)
                for s in expr.free_symbols if s.name in values and s.name != "L"}
        expr = sympy.expand_log(expr.xreplace(subs), deep=True)
    what = field or "the expression"
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
        raise OspInputError(f"{what}: undefined, infinite or complex with the given values "
                            f"({sympy.sstr(expr)[:120]})")
    try:
        with budget.time_budget(f"classify {what}", lambda: sympy.sstr(expr)):
            return _growth_cached(expr)
    except OspInputError as exc:
        message = str(exc)
        if field is None or message.startswith(f"cannot classify {what} within"):
            raise
        raise OspInputError(f"{field}: {message}") from None


def eventual_sign(expr: sympy.Expr) -> int | None:
    """Sign of `expr` for all large L (+1, 0 or -1), every other symbol a
    positive constant; None when it cannot be decided (it depends on the
    other symbols, or sympy cannot tell). Call it under a time budget."""
    expr = same_L(expr)
    for _ in range(2):
        if expr.is_zero:
            return 0
        if expr.is_positive:
            return 1
        if expr.is_negative:
            return -1
        if not expr.has(L):
            return None      # log(a - 1): the sign depends on a
        if not expr.has(sympy.Min, sympy.Max):
            break
        try:
            expr = resolve_minmax(expr)
        except OspInputError:
            return None
    if expr.is_polynomial(L):
        try:
            lc = sympy.Poly(expr, L).LC()
        except sympy.PolynomialError:
            lc = None
        if lc is not None:
            return 1 if lc.is_positive else -1 if lc.is_negative else None
    try:
        lim = sympy.limit(expr, L, sympy.oo)
        if lim.is_zero:
            lim = sympy.limit(1 / expr, L, sympy.oo)   # +oo: from above, -oo: from below
            return 1 if lim == sympy.oo else -1 if lim == -sympy.oo else None
    except OspInputError:
        raise
    except Exception:  # noqa: BLE001 - Gruntz raises assorted types: undecided
        return None
    return 1 if lim.is_extended_positive else -1 if lim.is_extended_negative else None


@functools.lru_cache(maxsize=4096)
def _growth_cached(expr: sympy.Expr) -> Growth:
    # sympy limits cost ~0.1 s each; the registry and the auditor ask again for the same expressions
    return growth_of_plain(resolve_minmax(expr))
