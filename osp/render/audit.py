"""Text and JSON views of an audit verdict, and its certificate.

Every number printed is true as printed: enclosures are rounded outward and
a certificate prints as many digits as it takes for the comparison it shows
to be visibly true. Formulas are echoed in the claim grammar (^, min, max,
log base 2), so they can be pasted back into a claim file.
"""

from __future__ import annotations

from fractions import Fraction

import sympy
from sympy.printing.str import StrPrinter

from osp import exact as ex
from osp.registry.verdict import Verdict


class _Log2(sympy.Function):
    """log base 2, printed as the claim grammar's log(...)."""


class _ClaimPrinter(StrPrinter):
    def _print_Pow(self, expr, rational=False):
        if expr.exp == sympy.Rational(1, 2):
            return f"sqrt({self._print(expr.base)})"
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Min(self, expr):
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr):
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print__Log2(self, expr):
        return f"log({self._print(expr.args[0])})"


def _region_words(region: str) -> str:
    """"region E+C"; the empty region ("none" in JSON) in words, as "region none" read like a missing value."""
    return "in none of the regions E, C, R" if region == "none" else f"region {region}"


def claim_grammar(expr: sympy.Expr) -> str:
    """`expr` as claim text: log(x)/log(2) becomes log(x), ** becomes ^, Min/Max become min/max."""
    logs = {node: _Log2(node.args[0]) * sympy.log(2) for node in sympy.preorder_traversal(expr)
            if isinstance(node, sympy.log) and node.args[0] != 2}
    return _ClaimPrinter().doprint(expr.xreplace(logs)).replace("**", "^")


def _number(x: Fraction):
    """An exact number for JSON: an int when whole, else a float only when it is exactly that float."""
    if x.denominator == 1:
        return int(x)
    f = float(x)
    return f if Fraction(f) == x else ex.exact_text(x)


def _ordered(small_hi: Fraction, large_lo: Fraction, small_exact: bool = False,
             large_exact: bool = False) -> tuple[str, str]:
    """Decimals (small rounded up, large rounded down; an exact side printed exactly when short)
    with enough digits that small < large is visibly true."""
    for digits in (6, 10, 16, 24, 40, 60, 100, 200, 400):
        a = _exact_or(small_hi, small_exact, ex.decimal_up(small_hi, digits))
        b = _exact_or(large_lo, large_exact, ex.decimal_down(large_lo, digits))
        if Fraction(a) < Fraction(b):
            return a, b
    return ex.decimal_up(small_hi, 400), ex.decimal_down(large_lo, 400)


def _exact_or(x: Fraction, exact: bool, fallback: str) -> str:
    text = ex.exact_text(x) if exact else ""
    return text if text and "/" not in text and len(text) <= 40 else fallback


def upper_text(bound: tuple[Fraction, Fraction], floor: int | None) -> str:
    """'N <= x' with x the bound rounded down to 12 digits or more, never below the floor: true as printed."""
    return ex.bound_decimal(*bound, floor, 12)


def certificate(v: Verdict) -> dict:
    """Refutation certificate: N Dfn > b_T at one length, with the arithmetic visibly true."""
    c, claim = v.check, v.claim
    cmp = c.comparison
    dfn_lo, dfn_hi = v.dfn
    b_text, ndfn_text = _ordered(c.state.hi, cmp.lhs_lo, small_exact=c.state.exact is not None)
    bound_hi, claimed = _ordered(v.bound[1], Fraction(c.pairs), large_exact=True)
    eps = ex.exact_text(claim.error)
    model = claim.model
    expression = f"({claim_grammar(model.state)}) * {model.bits_per_scalar} at L = {2 * c.pairs}"
    return {
        "length": c.length,
        "storing_tokens": 2 * c.pairs,
        "state_bits": _number(c.state.lo) if c.state.exact is not None else ex.interval_decimal(c.state.lo, c.state.hi),
        "b_T": f"state bits after the 2N = {2 * c.pairs} storing tokens",
        "state_bits_expression": expression,
        "dfn": float(dfn_lo),
        "dfn_interval": [ex.decimal_down(dfn_lo, 30), ex.decimal_up(dfn_hi, 30)],
        "bound": ex.float_down(v.bound[0]),
        "bound_interval": [ex.decimal_down(v.bound[0], 30), ex.decimal_up(v.bound[1], 30)],
        "claimed": float(c.pairs),
        "arithmetic": (f"b_T = {b_text} bits (state bits after the 2N = {2 * c.pairs} storing tokens"
                       f"{'' if c.state.exact is not None else ', rounded up'}); "
                       f"Dfn({eps}, {claim.values}) = log(V) - h(eps) - eps*log(V - 1) "
                       f"in [{ex.decimal_down(dfn_lo, 12)}, {ex.decimal_up(dfn_hi, 12)}] bits; "
                       f"N * Dfn >= {c.pairs} * Dfn >= {ndfn_text} > b_T = {b_text}, so "
                       f"N <= b_T / Dfn <= {bound_hi} < claimed {claimed}"),
        "fails": "Recall: N pairs at mean error eps need N * Dfn(eps, V) <= b_T (Theorem 1)",
    }


def to_json(v: Verdict) -> dict:
    claim, c = v.claim, v.check
    bound_float = None
    if v.bound is not None:
        bound_float = ex.float_down(v.bound[0])
        if v.bound_floor is not None:
            bound_float = max(bound_float, ex.float_down(Fraction(v.bound_floor)))
    out = {"verdict": v.verdict, "bound": bound_float, "claimed": float(c.pairs), "properties": v.properties,
           "rests_on": v.rests_on, "reason": v.reason}
    if v.refuted_with_certificate:
        out["certificate"] = certificate(v)
    out.update({
        "architecture": claim.model.name, "region": v.region,
        "state_bits": _number(c.state.lo) if c.state.exact is not None else ex.float_down(c.state.lo),
        "storing_tokens": 2 * c.pairs, "context": claim.context, "length": c.length, "values": claim.values,
        "error": float(claim.error), "error_exact": ex.exact_text(claim.error), "claimed_pairs": c.pairs,
        "bound_pairs": v.bound_floor,
        "bound_interval": None if v.bound is None else [ex.decimal_down(v.bound[0], 30),
                                                         ex.decimal_up(v.bound[1], 30)],
        "state_bits_interval": [ex.decimal_down(c.state.lo, 30), ex.decimal_up(c.state.hi, 30)],
    })
    return out


def text(v: Verdict) -> str:
    claim, c = v.claim, v.check
    yes = {True: "yes", False: "no"}
    p = v.properties
    every = f" (claimed at every L >= {claim.context})" if c.length != claim.context else ""
    if v.bound is None:
        bound = "none"
    else:
        floor = "" if v.bound_floor is None else f"at most {v.bound_floor} pairs, "
        bound = f"{floor}N <= {upper_text(v.bound, v.bound_floor)} (Theorem 1)"
    lines = [
        f"verdict:    {v.verdict}",
        f"model:      {claim.model.name} ({_region_words(v.region)}: efficient {yes[p['efficient']]}, "
        f"compact {yes[p['compact']]}, recall possible {yes[p['recall_possible']]})",
        f"claimed:    N = {c.pairs} pairs at error {ex.exact_text(claim.error)}, V = {claim.values}, "
        f"L = {c.length}{every}",
        f"bound:      {bound}",
        f"reason:     {v.reason}",
    ]
    if v.refuted_with_certificate:
        cert = certificate(v)
        state = cert["state_bits"] if isinstance(cert["state_bits"], str) else ex.exact_text(c.state.lo)
        lines += [f"certificate at L = {cert['length']}:",
                  f"  state bits = {cert['state_bits_expression']} = {state}",
                  f"  {cert['arithmetic']}",
                  f"  fails: {cert['fails']}"]
    if v.rests_on:
        lines.append(f"rests on:   {', '.join(v.rests_on)}")
    return "\n".join(lines)
