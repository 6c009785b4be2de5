"""Run an obligation through z3 and the independent second method, and combine.

Combined verdict: proved only when both prove it; refuted when both refute
it; anything else is unknown. A disagreement (one proves, the other
refutes) is never resolved by vote: it is reported loudly with both answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from osp.checks import cvc5_backend, interval, z3_backend
from osp.checks.obligation import PROVED, REFUTED, UNKNOWN, Obligation, Verdict


@dataclass
class ObligationResult:
    id: str
    title: str
    z3: Verdict
    second: Verdict
    status: str
    disagreement: bool = False
    axioms: tuple = ()

    @property
    def counterexample(self) -> dict | None:
        return self.z3.counterexample or self.second.counterexample

    @property
    def reason(self) -> str | None:
        if self.disagreement:
            return (f"DISAGREEMENT on {self.id}: z3 says {self.z3.status}, "
                    f"{self.second.method} says {self.second.status}")
        return self.z3.reason or self.second.reason

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "status": self.status, "z3": self.z3.to_json(),
                "second": self.second.to_json(), "counterexample": self.counterexample,
                "reason": self.reason, "disagreement": self.disagreement,
                "axioms": [{"relation": str(a.relation), "justification": a.justification} for a in self.axioms]}


def second_check(ob: Obligation, timeout_ms: int, ranges: dict | None) -> Verdict:
    if ob.second == "interval":
        if ob.numeric is None or ranges is None:
            return Verdict(UNKNOWN, "interval", reason="interval check needs a numeric form and a box")
        form, box = ob.numeric(ranges)
        return interval.certify_positive(form, box, name=ob.id)
    return cvc5_backend.check(ob, timeout_ms)


def run(ob: Obligation, timeout_ms: int = 5000, ranges: dict | None = None) -> ObligationResult:
    if ranges:
        ob = ob.with_ranges(ranges)
    z = z3_backend.check(ob, timeout_ms)
    s = second_check(ob, timeout_ms, ranges)
    disagreement = {z.status, s.status} == {PROVED, REFUTED}
    if z.status == s.status and z.status in (PROVED, REFUTED):
        status = z.status
    else:
        status = UNKNOWN
    return ObligationResult(ob.id, ob.title, z, s, status, disagreement, tuple(ob.axioms))
