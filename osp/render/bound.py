"""Text views of Theorem 1 / Theorem 2 bounds (`osp bound`, `--continuous`, `--compare`).

Every printed number is true as printed: the headline is the exact floor of
the bound (the most pairs the state allows), decimals of the bound are
rounded down, bits per scalar (an upper bound on what Theorem 2 charges) up.
"""

from __future__ import annotations

from osp import exact as ex
from osp.bound import Bound
from osp.continuous import MARGINS_NOTE, Comparison

#: significant digits of the enclosure in JSON
JSON_DIGITS = 30


def headline(result: Bound, noun: str = "key-value pairs") -> str:
    """'at most 53715832 key-value pairs (N <= 53715832.99999999)': the floor, then the bound rounded down."""
    if result.pairs is None:
        return f"N <= {result.decimal} {noun} (the exact floor was not decided: {result.pairs_note})"
    return f"at most {result.pairs_decimal} {noun} (N <= {result.decimal})"


def theorem1(result: Bound) -> list[str]:
    i = result.inputs
    lines = [f"Theorem 1: {headline(result)}",
             f"  state bits b_T = {ex.exact_text(i['state_bits_exact'])}, values V = {i['values']}, "
             f"mean error eps = {ex.exact_text(i['error_exact'])}",
             f"  certified: {ex.decimal_down(result.lower, 20)} <= b_T / Dfn <= {ex.decimal_up(result.upper, 20)}"]
    if result.exact:
        lines.append(f"  exact: N <= {result.exact}")
    return lines


def theorem2(result: Bound, name: str, bits_hi) -> list[str]:
    return [f"{name}: {headline(result, 'delta-confident key-value pairs')}",
            f"  bits per scalar: log2(1 + 4 R Lam/delta) <= {ex.decimal_up(bits_hi, 8)}"]


def compare_line(label: str, result: Bound, bits: str) -> str:
    return f"  {label} N <= {result.decimal} (at most {result.pairs_decimal} pairs)   ({bits} bits per scalar)"


def to_json(b: Bound) -> dict:
    """The stable keys (bound, exact, inputs, rests_on) plus the certified ones beside them."""
    return {"bound": b.bound, "exact": b.exact, "inputs": b.inputs, "rests_on": b.rests_on,
            "decimal": b.decimal or None, "pairs": b.pairs,
            "pairs_decimal": b.pairs_decimal if b.pairs is not None else None,
            "bound_lower": ex.decimal_down(b.lower, JSON_DIGITS),
            "bound_upper": ex.decimal_up(b.upper, JSON_DIGITS),
            **({"pairs_note": b.pairs_note} if b.pairs_note else {})}


def comparison_json(c: Comparison) -> dict:
    return {"discrete": to_json(c.discrete), "continuous": to_json(c.continuous),
            "smaller": c.smaller, "bits_per_scalar": c.bits_per_scalar, "note": MARGINS_NOTE}
