"""An algebraic obligation: hypotheses and axioms imply a goal.

Statements are sympy relations over real symbols. Transcendental terms
(log V, h(eps), ...) never reach a solver: they enter as opaque real
symbols, and every property a step needs of them is an `Axiom` that names
its justification (a node id or a classical fact).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import sympy

from osp.status import Status


@dataclass(frozen=True)
class Axiom:
    relation: sympy.Basic
    #: the node ids that justify it, joined by " + " (or " and "), then optional words in parentheses
    #: or after " at " (e.g. "thm1.step10.sign at the mean-value point c")
    justification: str

    def node_ids(self) -> list[str]:
        text = self.justification.split("(")[0].split(" at ")[0].replace(" and ", " + ")
        return [part.strip() for part in text.split("+") if part.strip()]


@dataclass(frozen=True)
class Obligation:
    id: str
    title: str
    hypotheses: tuple[sympy.Basic, ...]
    goal: sympy.Basic
    axioms: tuple[Axiom, ...] = ()
    #: symbols standing for transcendental atoms, with what each stands for
    atoms: dict = field(default_factory=dict)
    #: box parameters this obligation ranges over: box name -> sympy symbol
    parameters: dict = field(default_factory=dict)
    #: the independent second method: "cvc5" (default) or "interval"
    second: str = "cvc5"
    #: for second == "interval": builds the numeric check (see checks.interval)
    numeric: Callable | None = None
    #: hypotheses about atoms that are premises of the node's own statement (e.g.
    #: "log V >= 2/(1-eps)" in Corollary 1.1), not facts imported from elsewhere
    atom_premises: tuple = ()

    def with_ranges(self, ranges: dict) -> "Obligation":
        """Add `lo <= x <= hi` hypotheses for each box parameter this obligation uses."""
        extra = []
        for name, sym in self.parameters.items():
            if name in ranges:
                lo, hi = ranges[name]
                extra += [sympy.Le(lo, sym, evaluate=False), sympy.Le(sym, hi, evaluate=False)]
        return replace(self, hypotheses=tuple(self.hypotheses) + tuple(extra))


def obligation(oid, title, hyps, goal, axioms=(), atoms=None, parameters=None, atom_premises=()) -> Obligation:
    """An Obligation from lists (the form the theorem modules write them in)."""
    return Obligation(oid, title, tuple(hyps), goal, tuple(axioms), atoms or {}, parameters or {},
                      atom_premises=tuple(atom_premises))


PROVED, REFUTED, UNKNOWN = Status.PROVED, Status.REFUTED, Status.UNKNOWN
#: the reason both backends give when hypotheses and axioms admit no model
INCONSISTENT = "hypotheses and axioms are inconsistent: the goal would hold vacuously"


@dataclass
class Verdict:
    status: Status  # proved | refuted | unknown
    method: str
    seconds: float = 0.0
    counterexample: dict | None = None
    reason: str | None = None

    def to_json(self) -> dict:
        return {"method": self.method, "verdict": self.status, "seconds": round(self.seconds, 6),
                "counterexample": self.counterexample, "reason": self.reason}
