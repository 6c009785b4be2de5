"""Mutation operators: the Mutant record and the edits that break an obligation.

Every edit raises KeyError when the hypothesis or axiom it names is absent,
so a mutant can never silently become the original obligation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from osp.checks.obligation import Axiom, Obligation
from osp.status import Status


@dataclass(frozen=True)
class Mutant:
    obligation: str
    name: str
    build: Callable[[], Obligation]
    #: box the mutant is checked over (for obligations with an interval form)
    ranges: dict | None = None
    #: "both": a wrong statement, every method must refute it; "z3": a broken
    #: solver encoding (a dropped axiom) that only the z3 route sees
    target: str = "both"
    #: "refuted", or "unknown" for a claim that fails only where a denominator is zero
    #: (the division is undefined there, so no honest counterexample exists)
    expect: Status = Status.REFUTED


def drop(ob: Obligation, rel) -> Obligation:
    kept = tuple(h for h in ob.hypotheses if h != rel)
    if len(kept) == len(ob.hypotheses):
        raise KeyError(f"{ob.id}: no hypothesis {rel}")
    return replace(ob, id=ob.id + "~", hypotheses=kept)


def swap(ob: Obligation, old, new) -> Obligation:
    if old not in ob.hypotheses:
        raise KeyError(f"{ob.id}: no hypothesis {old}")
    return replace(ob, id=ob.id + "~", hypotheses=tuple(new if h == old else h for h in ob.hypotheses))


def goal(ob: Obligation, new) -> Obligation:
    return replace(ob, id=ob.id + "~", goal=new)


def drop_axiom(ob: Obligation, rel) -> Obligation:
    kept = tuple(a for a in ob.axioms if a.relation != rel)
    if len(kept) == len(ob.axioms):
        raise KeyError(f"{ob.id}: no axiom {rel}")
    return replace(ob, id=ob.id + "~", axioms=kept)


def swap_axiom(ob: Obligation, old, new) -> Obligation:
    if old not in [a.relation for a in ob.axioms]:
        raise KeyError(f"{ob.id}: no axiom {old}")
    return replace(ob, id=ob.id + "~", axioms=tuple(Axiom(new, a.justification) if a.relation == old else a
                                                    for a in ob.axioms))


def drop_axioms(ob: Obligation, start: int, stop: int | None = None) -> Obligation:
    axioms = list(ob.axioms)
    del axioms[start:stop]
    return replace(ob, id=ob.id + "~", axioms=tuple(axioms))
