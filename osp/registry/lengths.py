"""Claims at every length L >= context: find a refuting length, or prove none exists.

At length L the claim is N = ceil(fraction * L) pairs, and b_T is the state
after T = 2N storing tokens, so the claim holds at L iff N Dfn <= b(2N).
A sufficient condition for every length is b(T) >= r T for every real
T >= T0 = 2 N(context), with r >= Dfn / 2 (N = T/2 then gives N Dfn <= b(T)).

Decided exactly when b is piecewise polynomial in T (polynomials, and
min/max of them, as in sliding-window and Gemma-style hybrids): the pieces
are split at the rational points where min/max arguments cross, and on each
piece p(T) = b(T) - r T >= 0 is decided by counting real roots of odd
multiplicity (sympy, exact). r is Dfn / 2 exactly when Dfn is rational, so
the boundary 2s = Dfn is consistent, not undecided; otherwise r is a
certified rational upper bound of Dfn / 2, tightened a few times. Root counts
run under the same time budget as every other sympy call on user input.

Refuting lengths are searched at context * 2^j, each decided exactly
(Corollary 1.2 says a sublinear state fails eventually).
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from osp import exact as ex
from osp.errors import OspInputError
from osp.registry import budget, growth
from osp.registry.claim import Claim
from osp.registry.growth import L
from osp.registry.verdict import Verdict, bound_at, check_length, proof_nodes
from osp.status import Status

#: an all-lengths claim is searched for a violating length up to context * 2^MAX_DOUBLINGS
MAX_DOUBLINGS = 200
#: lengths checked (context * 2^j) when the state is Omega(L) but no every-length proof was found
CHECKED_DOUBLINGS = 40
#: relative precisions (bits) of the rational r >= Dfn / 2 tried in the every-length proof
PROOF_REL_BITS = (64, 256, 1024)


def state_polynomial_pieces(bits: sympy.Expr, t0: int):
    """[(lo, hi, poly)] covering [t0, oo) (hi None = oo) with bits == poly on [lo, hi], or None when
    the state is not piecewise polynomial with rational breakpoints."""
    bits = growth.same_L(bits)
    minmax = [n for n in sympy.preorder_traversal(bits) if isinstance(n, (sympy.Min, sympy.Max))]
    cuts: set[Fraction] = set()
    for node in minmax:
        args = node.args
        for i in range(len(args)):
            for j in range(i + 1, len(args)):
                diff = sympy.expand(args[i] - args[j])
                if not diff.has(L):
                    continue
                if not diff.is_polynomial(L):
                    return None
                for root in sympy.Poly(diff, L).real_roots():
                    if not root.is_Rational:
                        return None
                    r = Fraction(int(root.p), int(root.q))
                    if r > t0:
                        cuts.add(r)
    points = [Fraction(t0), *sorted(cuts)]
    pieces = []
    for k, lo in enumerate(points):
        hi = points[k + 1] if k + 1 < len(points) else None
        probe = (lo + hi) / 2 if hi is not None else lo + 1
        piece = _resolve_at(bits, sympy.Rational(probe.numerator, probe.denominator))
        if piece is None or not piece.is_polynomial(L):
            return None
        pieces.append((lo, hi, sympy.Poly(sympy.expand(piece), L)))
    return pieces


def _resolve_at(expr: sympy.Expr, probe: sympy.Rational):
    """Replace each min/max by the argument that is extreme at L = probe (exact: constant on the piece)."""
    if not expr.args:
        return expr
    args = [_resolve_at(a, probe) for a in expr.args]
    if any(a is None for a in args):
        return None
    if not isinstance(expr, (sympy.Min, sympy.Max)):
        return expr.func(*args)
    values = [a.subs(L, probe) for a in args]
    if not all(v.is_Rational for v in values):
        return None
    pick = max if isinstance(expr, sympy.Max) else min
    return args[values.index(pick(values))]


def nonnegative_on(poly: sympy.Poly, lo: Fraction, hi: Fraction | None) -> bool:
    """poly(T) >= 0 for every real T in [lo, hi] (hi None: [lo, oo)), exactly."""
    if poly.is_zero:
        return True
    a = sympy.Rational(lo.numerator, lo.denominator)
    b = None if hi is None else sympy.Rational(hi.numerator, hi.denominator)
    if poly.eval(a) < 0 or (b is not None and poly.eval(b) < 0):
        return False
    if b is None and poly.LC() < 0:
        return False
    # the sign changes only at roots of odd multiplicity strictly inside (lo, hi)
    _, factors = poly.sqf_list()
    for f, mult in factors:
        if mult % 2 == 0 or f.degree() == 0:
            continue
        inside = f.count_roots(a, b) - (1 if f.eval(a) == 0 else 0) - (1 if b is not None and f.eval(b) == 0 else 0)
        if inside > 0:
            return False
    # constant sign inside: read it at an interior point that is not a root (a nonzero poly has at most
    # degree roots, so one of degree + 1 distinct points is not one; stopping earlier could read a root)
    for k in range(1, poly.degree() + 2):
        t = a + sympy.Rational(1, 2 ** k) if b is None else a + (b - a) / 2 ** k
        v = poly.eval(t)
        if v != 0:
            return bool(v > 0)
    raise AssertionError("a nonzero polynomial vanished at more points than its degree")


def negative_points(poly: sympy.Poly, lo: Fraction, hi: Fraction | None) -> list[Fraction]:
    """Rational points of [lo, hi] where poly < 0: one per sign gap between its real roots (exact)."""
    cuts = sorted({Fraction(int(x.p), int(x.q)) for iv, _ in poly.intervals() for x in iv})
    inside = [c for c in cuts if c > lo and (hi is None or c < hi)]
    probes = [lo, *inside, *([hi] if hi is not None else [])]
    probes += [(x + y) / 2 for x, y in zip(probes, probes[1:])]
    if hi is None:
        probes.append(probes[-1] * 2 + 1)
    return sorted(t for t in probes if poly.eval(sympy.Rational(t.numerator, t.denominator)) < 0)


def _bits_polynomial(claim: Claim) -> sympy.Expr:
    return claim.model.state_bits.xreplace(
        {s: claim.model.values[s.name] for s in claim.model.state_bits.free_symbols if s.name != "L"})


def candidate_lengths(claim: Claim, t0: int) -> list[int]:
    """Lengths L >= context whose storing phase T = 2 ceil(fraction L) falls where b(T) < T Dfn / 2 might hold
    (b piecewise polynomial, compared with a certified lower bound of Dfn / 2): each is then checked exactly."""
    bits = _bits_polynomial(claim)
    with budget.time_budget("search the every-length claim for a violating length", lambda: sympy.sstr(bits)):
        pieces = state_polynomial_pieces(bits, t0)
        if pieces is None:
            return []
        r = ex.dfn_bounds(claim.error, claim.values)[0] / 2
        rate = sympy.Rational(r.numerator, r.denominator)
        points = [t for lo, hi, poly in pieces for t in negative_points(poly - sympy.Poly(rate * L, L), lo, hi)]
    lengths = set()
    for t in points:
        for n_pairs in {max(int(t // 2), 1), int(t // 2) + 1}:
            base = int(n_pairs / claim.fraction)
            for length in range(max(base - 1, claim.context), base + 3):
                if claim.fraction * length <= n_pairs < claim.fraction * length + 1 and 3 * n_pairs <= length:
                    lengths.add(length)
    return sorted(lengths)[:64]


def holds_at_every_length(claim: Claim, t0: int) -> bool:
    """b(T) >= T Dfn / 2 for every real T >= t0, proved exactly (False: not proved)."""
    bits = _bits_polynomial(claim)
    with budget.time_budget("decide the every-length claim (root counts)", lambda: sympy.sstr(bits)):
        pieces = state_polynomial_pieces(bits, t0)
        if pieces is None:
            return False
        rational = ex.dfn_rational(claim.error, claim.values)
        slopes = [rational / 2] if rational is not None else \
            [ex.dfn_bounds(claim.error, claim.values, bits_)[1] / 2 for bits_ in PROOF_REL_BITS]
        for r in slopes:
            rate = sympy.Rational(r.numerator, r.denominator)
            if all(nonnegative_on(poly - sympy.Poly(rate * L, L), lo, hi) for lo, hi, poly in pieces):
                return True
    return False


def _two_slope_exceeds_dfn(claim: Claim, slope) -> bool | None:
    """2 * slope > Dfn, decided exactly (None when the slope is not a rational number or +oo)."""
    if slope == sympy.oo:
        return True
    if slope is None or not slope.is_Rational:
        return None
    s = Fraction(int(slope.p), int(slope.q))
    cmp = ex.compare_recall(1, claim.error, claim.values, 2 * s, budget_s=budget.SECONDS)
    return None if cmp.status is Status.UNDECIDED else cmp.status is Status.HOLDS and cmp.exact_tie is False


def audit_every_length(claim: Claim, at_context: Verdict, state_growth) -> Verdict:
    """A fraction claimed at every L >= context, after it held at L = context (`at_context`)."""
    t0 = 2 * claim.pairs
    if holds_at_every_length(claim, t0):
        return Verdict(Status.CONSISTENT, claim, f"state bits are piecewise polynomial with b(T) >= T * Dfn / 2 for "
                       f"every T >= {t0} (exact root counts), so N * Dfn <= b_(2N) at every length: Theorem 1 "
                       "does not exclude the claim", at_context.properties, at_context.region, [],
                       check=at_context.check, dfn=at_context.dfn, bound=at_context.bound,
                       bound_floor=at_context.bound_floor)
    slope = None
    doublings = MAX_DOUBLINGS
    if state_growth.at_least_linear:
        bits = growth.same_L(_bits_polynomial(claim))
        with budget.time_budget("take the slope of the state", lambda: sympy.sstr(bits)):
            try:
                slope = sympy.limit(growth.resolve_minmax(bits) / L, L, sympy.oo)
            except OspInputError:
                raise
            except Exception:  # noqa: BLE001 - Gruntz raises assorted types: search the long way
                slope = None
        if _two_slope_exceeds_dfn(claim, slope):
            doublings = CHECKED_DOUBLINGS
    explicit = candidate_lengths(claim, t0)
    doubled = [claim.context * 2 ** j for j in range(1, doublings + 1)]
    for length in [*explicit, *doubled]:
        check = check_length(claim, length)
        if check.comparison.status is Status.VIOLATED:
            bound, floor = bound_at(claim, check)
            where = "; there the state is below T * Dfn / 2 (exact search)" if length in explicit else ""
            why = f"{state_growth.label()} state bits; Corollary 1.2{where}"
            nodes = proof_nodes("thm1", "cor1.2")
            return Verdict(Status.REFUTED, claim, f"claimed recall of {ex.exact_text(claim.fraction)} * L at every "
                           f"length fails at L = {length}: N = {check.pairs} > bound {ex.bound_decimal(*bound, floor, 12)} "
                           f"(b_T after {2 * check.pairs} storing tokens; {why})", at_context.properties,
                           at_context.region, nodes, check=check, dfn=at_context.dfn, bound=bound, bound_floor=floor,
                           refuted_with_certificate=True)
        if check.comparison.status is Status.UNDECIDED:
            return _undecided(claim, at_context, f"N * Dfn against b_T at L = {length} not decided: "
                              f"{check.comparison.reason}")
    if doublings == CHECKED_DOUBLINGS:
        also = f" and at {len(explicit)} lengths where the state may dip" if explicit else ""
        return _undecided(claim, at_context, f"no violation at L = {claim.context} * 2^j, "
                          f"j = 1..{CHECKED_DOUBLINGS}{also}, and asymptotically 2 * slope > Dfn; lengths in between are not proved (the state is not "
                          "piecewise polynomial in L, or the polynomial proof failed)")
    return _undecided(claim, at_context, f"no violating length found at L = {claim.context} * 2^j up to "
                      f"{claim.context * 2 ** doublings}; the claim holds at L = {claim.context}")


def _undecided(claim: Claim, at_context: Verdict, reason: str) -> Verdict:
    return Verdict(Status.UNDECIDED, claim, reason, at_context.properties, at_context.region, [],
                   check=at_context.check, dfn=at_context.dfn, bound=at_context.bound,
                   bound_floor=at_context.bound_floor)
