"""Run an obligation through z3 and the independent second method, and combine.

Combined verdict: proved only when both prove it; refuted when both refute
it; anything else is unknown. A disagreement (one proves, the other
refutes) is never resolved by vote: it is reported loudly with both answers.
Before any solving, an obligation whose goal sympy folded to True, or whose
divisions are not guarded against a zero denominator, is unknown: a solver
would "prove" it without looking at the step.
"""

from __future__ import annotations

import concurrent.futures
import time
from dataclasses import dataclass, replace

import sympy

from osp.checks import cvc5_backend, divisions, interval, z3_backend
from osp.checks.obligation import INCONSISTENT, PROVED, REFUTED, UNKNOWN, Obligation, Verdict
from osp.settings import DEFAULTS
from osp.status import Status

_Z3_WORKER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="z3")


@dataclass
class ObligationResult:
    id: str
    title: str
    z3: Verdict
    second: Verdict
    status: Status
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


def guarded(check, ob: Obligation, timeout_ms: int, method: str) -> Verdict:
    """A backend that crashes (an untranslatable term, a solver error) answers unknown, with the reason."""
    t0 = time.perf_counter()
    try:
        return check(ob, timeout_ms)
    except Exception as exc:  # noqa: BLE001 - a crash is not a verdict
        return Verdict(UNKNOWN, method, time.perf_counter() - t0, reason=f"{type(exc).__name__}: {exc}")


def second_check(ob: Obligation, timeout_ms: int, ranges: dict | None) -> Verdict:
    if ob.second == "interval":
        if ob.numeric is None or ranges is None:
            return Verdict(UNKNOWN, "interval", reason="interval check needs a numeric form and a box")
        def run_interval(o, t):
            form, box = o.numeric(ranges)
            return interval.certify_positive(form, box, name=o.id)
        return guarded(run_interval, ob, timeout_ms, "interval")
    return guarded(cvc5_backend.check, ob, timeout_ms, "cvc5")


def _vacuous_on_box(v: Verdict, plain: Obligation, backend, timeout_ms: int) -> Verdict:
    """Inconsistent only because of the box: no point of the box meets the hypotheses,
    so the claim holds vacuously over it -- provided the hypotheses alone are satisfiable
    (that is checked again here, without the box)."""
    if v.status != UNKNOWN or v.reason != INCONSISTENT:
        return v
    probe = replace(plain, goal=sympy.false)  # satisfiable hypotheses make this refuted
    base = guarded(backend.check, probe, timeout_ms, v.method)
    if base.status == REFUTED:
        return Verdict(PROVED, v.method, v.seconds + base.seconds,
                       reason="vacuous on this box: no point of the box satisfies the hypotheses")
    return v


def _unguarded(ob: Obligation, problems: list[str], bases: list, timeout_ms: int,
               ranges: dict | None) -> ObligationResult:
    """A possibly-zero denominator can never support a proof. A refutation still counts
    when it survives the extra premise that every such denominator is non-zero."""
    nonzero = replace(ob, hypotheses=tuple(ob.hypotheses) + tuple(sympy.Ne(b, 0) for b in bases))
    z = guarded(z3_backend.check, nonzero, timeout_ms, "z3")
    s = second_check(nonzero, timeout_ms, ranges)
    reason = "; ".join(problems)
    if z.status == REFUTED and s.status == REFUTED:
        return ObligationResult(ob.id, ob.title, z, s, REFUTED, False, tuple(ob.axioms))
    z = Verdict(UNKNOWN, "z3", z.seconds, z.counterexample, reason)
    s = Verdict(UNKNOWN, s.method, s.seconds, s.counterexample, reason)
    return ObligationResult(ob.id, ob.title, z, s, UNKNOWN, False, tuple(ob.axioms))


def run(ob: Obligation, timeout_ms: int = DEFAULTS.timeout_ms, ranges: dict | None = None) -> ObligationResult:
    plain = ob
    if ranges:
        ob = ob.with_ranges(ranges)
    if ob.goal is sympy.true:
        v = Verdict(UNKNOWN, "precheck", reason="the goal folded to True before any solver saw it")
        return ObligationResult(ob.id, ob.title, v, v, UNKNOWN, False, tuple(ob.axioms))
    try:
        problems, bases = divisions.unguarded(ob)
    except Exception as exc:  # noqa: BLE001
        v = Verdict(UNKNOWN, "precheck", reason=f"division check failed: {type(exc).__name__}: {exc}")
        return ObligationResult(ob.id, ob.title, v, v, UNKNOWN, False, tuple(ob.axioms))
    if problems:
        return _unguarded(ob, problems, bases, timeout_ms, ranges)
    # z3 (ctypes, which releases the GIL) runs beside the second method; the two share
    # nothing, and z3 is never called from two threads at once (one worker, joined here)
    pending = _Z3_WORKER.submit(guarded, z3_backend.check, ob, timeout_ms, "z3")
    s = second_check(ob, timeout_ms, ranges)
    z = pending.result()
    if ranges:
        z = _vacuous_on_box(z, plain, z3_backend, timeout_ms)
        if s.method == "cvc5":
            s = _vacuous_on_box(s, plain, cvc5_backend, timeout_ms)
    disagreement = {z.status, s.status} == {PROVED, REFUTED}
    status = z.status if z.status == s.status and z.status in (PROVED, REFUTED) else UNKNOWN
    return ObligationResult(ob.id, ob.title, z, s, status, disagreement, tuple(ob.axioms))
