"""Theorem 1 evaluated at concrete inputs.

The formula is the proof graph's own (`osp.proofs.functions.theorem1_bound_expr`,
the statement of node thm1.step12); this module only validates inputs,
substitutes and reports which nodes the number rests on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy

from osp.errors import OspInputError
from osp.numbers import exact_rational
from osp.proofs import functions

#: the node whose statement is evaluated; its ancestors are what the bound rests on
THEOREM1_NODE = "thm1"


@dataclass(frozen=True)
class Bound:
    bound: float  # inf when the value exceeds the float range; `decimal` still holds it
    exact: str | None
    inputs: dict
    rests_on: list[str] = field(default_factory=list)
    decimal: str = ""

    def to_json(self) -> dict:
        return {"bound": self.bound, "exact": self.exact, "inputs": self.inputs, "rests_on": self.rests_on,
                "decimal": self.decimal or None}


def evaluate(expr) -> tuple[float, str, str | None]:
    """(float value, 8-digit decimal that never overflows, exact sympy text or None)."""
    big = sympy.N(expr, 30)
    try:
        value = float(big)
    except (OverflowError, TypeError):
        value = math.inf
    exact = None if expr.has(sympy.Float) else sympy.sstr(expr)
    return value, sympy.sstr(sympy.N(expr, 8)), exact


def _rational(x, name: str) -> sympy.Rational:
    return exact_rational(x, name)


def validate(state_bits, values, error) -> tuple[sympy.Rational, sympy.Rational, sympy.Rational]:
    b = _rational(state_bits, "state bits")
    V = _rational(values, "values (V)")
    e = _rational(error, "error (eps)")
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
        raise OspInputError(f"error ({name}) = {error} must be < 1 - 1/V = {float(1 - 1 / V):.6g}: {why}")


def theorem1_bound(state_bits, values, error, *, rests_on: bool = True) -> Bound:
    """Largest N with N * Dfn(eps, V) <= state_bits (Theorem 1, eps < 1 - 1/V)."""
    b, V, e = validate(state_bits, values, error)
    expr = functions.theorem1_bound_expr(b, e, V)
    value, decimal, exact = evaluate(expr)
    nodes: list[str] = []
    if rests_on:
        from osp.proofs.nodes import load_graph  # the graph is heavier than the formula
        nodes = load_graph().rests_on(THEOREM1_NODE)
    inputs = {"state_bits": int(b) if b.q == 1 else float(b), "values": int(V), "error": float(e)}
    return Bound(bound=value, exact=exact, inputs=inputs, rests_on=nodes, decimal=decimal)
