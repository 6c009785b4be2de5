"""Exact identities discharged by sympy (evidence kind `sympy`).

Each check returns (holds, what was compared). Identities are checked by
reducing lhs - rhs to zero after expanding the named functions into natural
logarithms; a check that cannot reduce to zero reports False, never True.
"""

from __future__ import annotations

import sympy

from osp.infotheory import factorial
from osp.proofs.functions import Dfn, h, log2

p, e, V, x = sympy.symbols("p eps V x", positive=True)
N = sympy.symbols("N", positive=True, integer=True)


def _zero(expr) -> bool:
    expr = expr.rewrite(sympy.log)
    expr = sympy.expand_log(expr, force=True)
    return sympy.simplify(expr) == 0


#: rational sample points inside every domain used here (0 < p, eps < 1; V > 1; x > 0)
_POINTS = ({p: sympy.Rational(1, 3), e: sympy.Rational(1, 7), V: 5, x: sympy.Rational(3, 2), N: 3},
           {p: sympy.Rational(5, 8), e: sympy.Rational(2, 3), V: 17, x: sympy.Rational(1, 5), N: 2})


def _identity(lhs, rhs) -> tuple[bool | None, str]:
    """True if lhs - rhs reduces to 0; False with a point where they differ; None if undecided."""
    what = f"{sympy.sstr(lhs)} == {sympy.sstr(rhs)}"
    diff = lhs - rhs
    if _zero(diff):
        return True, what
    for point in _POINTS:
        value = diff.subs(point).rewrite(sympy.log).evalf(50)
        if value.is_number and value.is_comparable and abs(value) > sympy.Float("1e-30"):
            shown = ", ".join(f"{k}={v}" for k, v in point.items() if k in diff.free_symbols)
            return False, f"{what}: differs by {sympy.N(value, 6)} at {shown}"
    return None, what + ": sympy could not reduce the difference to 0 (undecided)"


def _all(*results) -> bool | None:
    """False if any part is False, None if any is undecided, else True."""
    if any(r is False for r in results):
        return False
    if any(r is None for r in results):
        return None
    return True


def uniform_entropy() -> tuple[bool, str]:
    """Step 7: N values i.i.d. uniform on V letters carry N log2 V bits."""
    prob = V ** (-N)
    entropy = -(V**N) * prob * log2(prob)
    return _identity(entropy, N * log2(V))


def h_second_derivative() -> tuple[bool, str]:
    """Step 8: h''(p) = -1/(p(1-p) ln 2), and f'' = h'' for f(e) = h(e) + e log(V-1)."""
    h2 = sympy.diff(h(p).explicit(), p, 2)
    ok1, what = _identity(h2, -1 / (p * (1 - p) * sympy.log(2)))
    f2 = sympy.diff(h(p) + p * log2(V - 1), p, 2)
    ok2, _ = _identity(f2, h2)
    return _all(ok1, ok2), what + "; f'' == h''"


def dfn_derivative_eps() -> tuple[bool, str]:
    """Step 10: dDfn/de = -log2((1-e)(V-1)/e)."""
    return _identity(sympy.diff(Dfn(e, V), e), -log2((1 - e) * (V - 1) / e))


def dfn_zero_at_edge() -> tuple[bool, str]:
    """Step 10: Dfn(1 - 1/V, V) = 0 exactly."""
    return _identity(Dfn(1 - 1 / V, V), sympy.Integer(0))


def dfn_derivative_V() -> tuple[bool, str]:
    """dDfn/dV = ((V-1) - eV) / (V (V-1) ln 2)."""
    return _identity(sympy.diff(Dfn(e, V), V), ((V - 1) - e * V) / (V * (V - 1) * sympy.log(2)))


def ln_bounds() -> tuple[bool, str]:
    """g1 = ln x - 2(x-1)/(x+1) and g2 = ln x - (x^2-1)/(2x) vanish at 1 with
    g1' = (x-1)^2/(x(x+1)^2) >= 0 and g2' = -(x-1)^2/(2x^2) <= 0, so (mean
    value theorem) g1 >= 0 for x >= 1 and g2 >= 0 for 0 < x <= 1."""
    g1 = sympy.log(x) - 2 * (x - 1) / (x + 1)
    g2 = sympy.log(x) - (x**2 - 1) / (2 * x)
    d1_ok, _ = _identity(sympy.diff(g1, x), (x - 1) ** 2 / (x * (x + 1) ** 2))
    d2_ok, _ = _identity(sympy.diff(g2, x), -((x - 1) ** 2) / (2 * x**2))
    at_one = g1.subs(x, 1) == 0 and g2.subs(x, 1) == 0
    return _all(d1_ok, d2_ok, at_one), "g1' = (x-1)^2/(x(x+1)^2), g2' = -(x-1)^2/(2x^2), g1(1) = g2(1) = 0"


def ln2_bracket() -> tuple[bool, str]:
    """69/100 < ln 2 < 7/10 (sympy decides these numeric relations rigorously)."""
    lo = sympy.Lt(sympy.Rational(69, 100), sympy.log(2))
    hi = sympy.Lt(sympy.log(2), sympy.Rational(7, 10))
    return bool(lo) and bool(hi), "69/100 < ln 2 < 7/10"


def log_monotone() -> tuple[bool, str]:
    """log2 is strictly increasing on (0, oo) and log2(1) = 0."""
    deriv = sympy.diff(log2(x), x)
    return bool(deriv.is_positive) and log2(sympy.Integer(1)) == 0, "d/dx log2 x = 1/(x ln 2) > 0; log2 1 = 0"


def h_range() -> tuple[bool, str]:
    """h(0) = h(1) = 0, h(1/2) = 1 and h'(1/2) = 0: with concavity (step 8), 0 <= h <= 1 on [0, 1]."""
    half = sympy.Rational(1, 2)
    ok = _all(h(sympy.Integer(0)) == 0 and h(sympy.Integer(1)) == 0,
              _identity(h(half), sympy.Integer(1))[0],
              _identity(sympy.diff(h(p).explicit(), p).subs(p, half), sympy.Integer(0))[0])
    return ok, "h(0) = h(1) = 0, h(1/2) = 1, h'(1/2) = 0"


def log_tangent() -> tuple[bool | None, str]:
    """ln x <= ln k + x/k - 1 for x, k > 0: g = ln k + x/k - 1 - ln x has g(k) = 0,
    g'(k) = 0 and g'' = 1/x^2 > 0, so g is convex with its minimum 0 at x = k."""
    k = sympy.Symbol("k", positive=True)
    g = sympy.log(k) + x / k - 1 - sympy.log(x)
    return (_all(_identity(g.subs(x, k), sympy.Integer(0))[0],
                 _identity(sympy.diff(g, x).subs(x, k), sympy.Integer(0))[0],
                 _identity(sympy.diff(g, x, 2), 1 / x**2)[0],
                 bool((1 / x**2).is_positive)),
            "g(x) = ln k + x/k - 1 - ln x: g(k) = 0, g'(k) = 0, g'' = 1/x^2 > 0")


def log_factorial() -> tuple[bool | None, str]:
    """ln N! >= N ln N - N + 1 > N ln(N/e) for every integer N >= 1, by induction:
    F(N) = ln N! - (N ln N - N + 1) has F(1) = 0 and F(n+1) - F(n) = ln(n+1) -
    integral_n^{n+1} ln x dx = 1 - n ln(1 + 1/n) >= 0, since ln(1 + u) <= u
    (lemma.log-tangent at k = 1). The integral and step bounds are also checked by
    osp.infotheory.factorial."""
    n = sympy.Symbol("n", integer=True, positive=True)
    closed = lambda m: m * sympy.log(m) - m + 1  # noqa: E731 - integral_1^m ln x dx
    base = _identity(sympy.log(sympy.factorial(1)), closed(sympy.Integer(1)))[0]
    increment = sympy.expand_log(sympy.combsimp(sympy.expand_func(
        sympy.log(sympy.factorial(n + 1)) - sympy.log(sympy.factorial(n)))), force=True)
    inc = _identity(increment, sympy.log(n + 1))[0]
    step = _identity(closed(n + 1) - closed(n), sympy.integrate(sympy.log(x), (x, n, n + 1)))[0]
    return (_all(base, inc, step, factorial.integral_identity_holds(), factorial.step_bound_holds()),
            "F(1) = 0; F(n+1) - F(n) = ln(n+1) - integral_n^{n+1} ln x = 1 - n ln(1 + 1/n) >= 0; ln(1+u) <= u")
