"""Decimal text of exact numbers, rounded in a stated direction.

`decimal_down(x)` prints a value <= x, `decimal_up(x)` one >= x: an upper bound
is printed rounded up, a lower bound down, so every printed statement stays
true. Exponents are found with exact comparisons (a float only guesses).
"""

from __future__ import annotations

import math
from fractions import Fraction

from flint import arb


def to_fraction(x) -> Fraction:
    """An exact number (int, Fraction, exact arb) as a Fraction."""
    if isinstance(x, arb):
        if not x.is_exact():
            raise ValueError("only an exact arb converts to a Fraction")
        man, exp = x.man_exp()
        man, exp = int(man), int(exp)
        return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** -exp)
    if isinstance(x, float):
        raise TypeError("floats are not exact inputs; pass a Fraction or an int")
    return Fraction(x)


def _exponent10(y: Fraction) -> int:
    """floor(log10(y)) for y > 0, exactly (the float only guesses; exact comparisons settle it)."""
    e = math.floor((y.numerator.bit_length() - y.denominator.bit_length()) * 0.30102999566398120)
    while Fraction(10) ** e > y:
        e -= 1
    while Fraction(10) ** (e + 1) <= y:
        e += 1
    return e


def _decimal(x, digits: int, up: bool) -> str:
    x = to_fraction(x)
    if x == 0:
        return "0"
    if x < 0:
        return "-" + _decimal(-x, digits, not up)
    e = _exponent10(x)
    scaled = x * Fraction(10) ** (digits - 1 - e)
    m = math.ceil(scaled) if up else math.floor(scaled)
    if m == 10 ** digits:
        m, e = m // 10, e + 1
    shift = e - digits + 1  # value printed = m * 10^shift
    text = str(m)
    if -6 <= e < 16:
        if shift >= 0:
            out = text + "0" * shift
        else:
            pad = text.rjust(-shift + 1, "0")
            out = (pad[:shift] + "." + pad[shift:]).rstrip("0").rstrip(".")
    else:
        mant = (text[0] + "." + text[1:]).rstrip("0").rstrip(".")
        out = f"{mant}e{e:+d}"
    return out


def decimal_down(x, digits: int = 6) -> str:
    """x rounded toward -infinity to `digits` significant digits: the printed value is <= x."""
    return _decimal(x, digits, up=False)


def decimal_up(x, digits: int = 6) -> str:
    """x rounded toward +infinity to `digits` significant digits: the printed value is >= x."""
    return _decimal(x, digits, up=True)


def interval_decimal(lo, hi, max_digits: int = 60) -> str:
    """The shortest decimal pair [lo_down, hi_up] that shows the enclosure; one number when they agree."""
    lo, hi = to_fraction(lo), to_fraction(hi)
    for digits in (6, 12, 20, 30, max_digits):
        a, b = decimal_down(lo, digits), decimal_up(hi, digits)
        if a == b:
            return a
        if digits == max_digits:
            return f"[{a}, {b}]"
    raise AssertionError("unreachable")


def _float_toward(x, direction: int) -> float:
    """The float nearest x on one side of it: direction -1 gives one <= x, +1 one >= x (inf past the float
    range: print the decimal instead). float() rounds to nearest, so one step fixes the wrong side."""
    x = to_fraction(x)
    try:
        f = float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf
    return math.nextafter(f, direction * math.inf) if (Fraction(f) - x) * direction < 0 else f


def float_down(x) -> float:
    """The largest float <= x (inf past the float range: print the decimal instead)."""
    return _float_toward(x, -1)


def float_up(x) -> float:
    """The smallest float >= x (inf past the float range)."""
    return _float_toward(x, 1)


def exact_text(x, max_digits: int = 40) -> str:
    """An exact rational as text: its terminating decimal when it has one of at most max_digits, else p/q."""
    x = Fraction(x)
    d, twos, fives = x.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    places = max(twos, fives)
    if d != 1 or places > max_digits:
        return f"{x.numerator}/{x.denominator}"
    if places == 0:
        return str(x.numerator)
    scaled = abs(x.numerator) * 10 ** places // x.denominator
    text = str(scaled).rjust(places + 1, "0")
    return ("-" if x < 0 else "") + text[:-places] + "." + text[-places:]




#: most significant digits a bound is printed with before falling back to rounding up
MAX_BOUND_DIGITS = 30


def bound_decimal(lower, upper, floor: int | None = None, digits: int = 8) -> str:
    """A bound on an integer count N (lower <= bound <= upper, floor its exact floor) as text T with
    "N <= T" true. Rounded down (the project's rule for printed upper bounds) with as many digits as it
    takes to stay >= floor, so it never crosses an integer the bound does not cross; when that needs
    more than MAX_BOUND_DIGITS digits (or the floor is unknown), the upper end rounded up."""
    if floor is not None:
        for d in range(digits, MAX_BOUND_DIGITS + 1, 2):
            text = decimal_down(lower, d)
            if Fraction(text) >= floor:
                return text
    return decimal_up(upper, digits)


def count_decimal(count: int) -> str:
    """An integer count for an "at most" headline: exact when short, else rounded up (still true)."""
    return str(count) if count < 10 ** MAX_BOUND_DIGITS else decimal_up(count, 8)
