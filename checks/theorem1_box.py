"""Obligations that only make sense over a parameter box (`osp check`)."""

from __future__ import annotations

import sympy

from osp.checks import dfn_positive, theorem1
from osp.checks.obligation import Obligation

e, V = sympy.symbols("eps V", real=True)


def box_valid() -> Obligation:
    """Every point of the box is in the valid region eps < 1 - 1/V (i.e. eps V < V - 1)."""
    return Obligation("box.valid", "the whole box lies in the valid region eps < 1 - 1/V",
                      (sympy.Ge(V, 2), sympy.Ge(e, 0)), sympy.Lt(e * V, V - 1),
                      parameters={"eps": e, "V": V})


def theorem1_obligations() -> list[Obligation]:
    return [box_valid(), dfn_positive.obligation("box.dfn-positive", strict_valid=False),
            *theorem1.all_obligations()]
