"""Theorem 1 evaluated at concrete inputs, with certified numbers.

The formula is the proof graph's own (`osp.proofs.functions.theorem1_bound_expr`,
the statement of node thm1.step12); this module validates inputs, encloses the
value with `osp.exact` (no float and no cancellation decides anything), takes
the exact floor (the most pairs the state allows) and reports which nodes the
number rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from osp import exact as ex
from osp.errors import OspInputError
from osp.numbers import exact_rational
from osp.proofs import functions

#: the node whose statement is evaluated; its ancestors are what the bound rests on
THEOREM1_NODE = "thm1"
#: significant digits of the headline decimal (more when it takes more not to cross an integer)
HEADLINE_DIGITS = 8


@dataclass(frozen=True)
class Bound:
    """N <= value, with value enclosed in [lower, upper] and `pairs` its exact floor."""
    bound: float  # a float <= the bound (inf when past the float range; `decimal` still holds it)
    exact: str | None
    inputs: dict
    rests_on: list[str] = field(default_factory=list)
    decimal: str = ""  # the bound rounded down, never below pairs
    lower: Fraction = Fraction(0)
    upper: Fraction = Fraction(0)
    pairs: int | None = None  # floor of the bound; None when the budget ran out before it was certain
    pairs_note: str = ""

    @property
    def pairs_decimal(self) -> str:
        """The floor for an "at most" headline: all digits when short, else rounded up (still true)."""
        if self.pairs is None:
            return f"at most {self.decimal}"
        return ex.count_decimal(self.pairs)


def certified(state_bits: Fraction, eps: Fraction, V: int, *, exact: str | None, inputs: dict,
              rests_on: list[str], logs=()) -> Bound:
    """The bound (state_bits + sum coef log2 q) / Dfn(eps, V), enclosed and floored by osp.exact."""
    pairs, lower, upper = ex.floored_interval(state_bits, eps, V, logs=logs)
    note = "" if pairs is not None else "the exact floor was not decided within the time budget"
    # rounded down, with the digits it takes to stay >= pairs: "N <= decimal" stays true for integer N
    digits = min(max(HEADLINE_DIGITS, len(str(pairs or 0)) + 4), ex.MAX_BOUND_DIGITS)
    return Bound(bound=ex.float_down(lower), exact=exact, inputs=inputs, rests_on=rests_on,
                 decimal=ex.bound_decimal(lower, upper, pairs, digits), lower=lower, upper=upper, pairs=pairs,
                 pairs_note=note)


def symbolic(expr) -> str | None:
    """The exact sympy text of a formula (None if it holds a float)."""
    return None if expr.has(sympy.Float) else sympy.sstr(expr)


def validate(state_bits, values, error) -> tuple[sympy.Rational, sympy.Rational, sympy.Rational]:
    b = exact_rational(state_bits, "state bits")
    V = exact_rational(values, "values (V)")
    e = exact_rational(error, "error (eps)")
    if b < 0:
        raise OspInputError(f"state bits must be >= 0, got {state_bits}")
    check_values_and_error(V, e, values, error, "eps", "at or above it Dfn <= 0 and Theorem 1 bounds nothing")
    return b, V, e


def check_values_and_error(V, e, values, error, name: str, why: str) -> None:
    """V an integer >= 2 and 0 <= e < 1 - 1/V, the premise every bound here needs."""
    if V.q != 1:
        raise OspInputError(f"values (V) is an alphabet size and must be an integer, got {values}")
    if V < 2:
        raise OspInputError(f"values (V) must be >= 2, got {values}")
    if e < 0 or e > 1:
        raise OspInputError(f"error ({name}) must lie in [0, 1], got {error}")
    if e >= 1 - 1 / V:
        raise OspInputError(f"error ({name}) = {error} must be < 1 - 1/V = {V - 1}/{V}: {why}")


def number_json(q: sympy.Rational):
    """An exact input for JSON: an int when whole, else its decimal text (exact) when short, else p/q."""
    if q.q == 1:
        return int(q)
    return float(q) if Fraction(repr(float(q))) == ex.to_fraction(q) else str(q)


def theorem1_bound(state_bits, values, error, *, rests_on: bool = True) -> Bound:
    """Largest N with N * Dfn(eps, V) <= state_bits (Theorem 1, eps < 1 - 1/V)."""
    b, V, e = validate(state_bits, values, error)
    nodes: list[str] = []
    if rests_on:
        from osp.proofs.nodes import load_graph  # the graph is heavier than the formula
        nodes = load_graph().rests_on(THEOREM1_NODE)
    inputs = {"state_bits": number_json(b), "values": int(V), "error": float(e),
              "state_bits_exact": str(b), "error_exact": str(e)}
    return certified(ex.to_fraction(b), ex.to_fraction(e), int(V), exact=symbolic(functions.theorem1_bound_expr(b, e, V)),
                     inputs=inputs, rests_on=nodes)
