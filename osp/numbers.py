"""Exact numbers from user text: decimals and fractions become exact rationals.

Sizes are capped before any arithmetic: `1e-10000000` would otherwise build a
ten-million-digit integer, and printing one past 4300 digits raises in Python.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy

from osp.errors import OspInputError

#: largest decimal exponent, and most digits, accepted in one number
MAX_EXPONENT = 1000
MAX_DIGITS = 1000

_EXP = re.compile(r"[eE]([+-]?\d+)\s*$")


def exact(x, name: str) -> Fraction:
    """A finite int, float, Fraction, sympy Rational or numeric string, as an exact Fraction."""
    if isinstance(x, bool):
        raise OspInputError(f"{name} must be a number, got {x!r}")
    if isinstance(x, sympy.Rational):
        q = Fraction(int(x.p), int(x.q))
    else:
        if isinstance(x, str):
            text = x.strip()
            m = _EXP.search(text)
            if (m and abs(int(m.group(1))) > MAX_EXPONENT) or len(text) > MAX_DIGITS:
                raise OspInputError(f"{name} is too large or too precise (at most {MAX_DIGITS} digits and "
                                    f"exponents within +-{MAX_EXPONENT}), got {text[:40]!r}")
        elif isinstance(x, float) and not math.isfinite(x):
            raise OspInputError(f"{name} must be a finite number, got {x!r}")
        try:
            q = Fraction(text) if isinstance(x, str) else Fraction(str(x)) if isinstance(x, float) else Fraction(x)
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            raise OspInputError(f"{name} must be a finite number, got {x!r}") from None
    limit = MAX_DIGITS * 10 // 3  # bits
    if q.numerator.bit_length() > limit or q.denominator.bit_length() > limit:
        raise OspInputError(f"{name} is too large or too precise (at most about {MAX_DIGITS} digits)")
    return q


def exact_rational(x, name: str) -> sympy.Rational:
    q = exact(x, name)
    return sympy.Rational(q.numerator, q.denominator)


def exact_integer(x, name: str, minimum: int = 1) -> int:
    """An exact number that is a whole number >= minimum ("4" and "4.0" alike)."""
    q = exact(x, name)
    if q.denominator != 1:
        raise OspInputError(f"{name} must be an integer, got {x!r}")
    if q < minimum:
        raise OspInputError(f"{name} must be >= {minimum}, got {x}")
    return int(q)
