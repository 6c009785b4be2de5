"""Run every broken variant: algebraic mutants through z3 and the second
method, and each cited lemma's broken twin through its numeric validation.

A mutant is killed when it is refuted with a counterexample; unknown is not a
kill but not a survival either; proved by either method is a survival and
fails the run.
"""

from __future__ import annotations

from osp.checks import covering, runner, theorem1_mutants, theorem2_mutants, z3_backend
from osp.checks.obligation import PROVED, REFUTED
from osp.infotheory import validate
from osp.settings import DEFAULTS

#: every algebraic mutant, Theorem 1's then Theorem 2's
MUTANTS = theorem1_mutants.MUTANTS + theorem2_mutants.MUTANTS


def run_algebraic(timeout_ms: int) -> list[dict]:
    rows = []
    for mu in MUTANTS:
        res = run_mutant(mu, timeout_ms)
        rows.append({"obligation": mu.obligation, "name": mu.name, "verdict": res["verdict"],
                     "expected": mu.expect, "z3": res["z3"].status, "second": res["second"],
                     "counterexample": res["counterexample"]})
    return rows


def run_mutant(mu, timeout_ms: int = DEFAULTS.timeout_ms) -> dict:
    """Killed = refuted by every method the mutant targets; proved by any = survived."""
    ob = mu.build()
    if mu.target == "z3":
        z = runner.guarded(z3_backend.check, ob.with_ranges(mu.ranges) if mu.ranges else ob, timeout_ms, "z3")
        verdict = "survived" if z.status == PROVED else z.status
        return {"verdict": verdict, "z3": z, "second": "not targeted", "counterexample": z.counterexample}
    res = runner.run(ob, timeout_ms, mu.ranges)
    survived = PROVED in (res.z3.status, res.second.status)
    return {"verdict": "survived" if survived else res.status, "z3": res.z3,
            "second": f"{res.second.method}:{res.second.status}", "counterexample": res.counterexample}


def _broken_twins(draws: int, seed: int):
    for name in validate.LEMMAS:
        yield name, lambda name=name: validate.validate_broken(name, draws, seed)
    sampler_draws = min(draws, DEFAULTS.sampler_draws)
    yield "volume-scaling", lambda: covering.volume_scaling(sampler_draws, seed, exponent_shift=1)
    yield "covering-count", lambda: covering.covering_count(sampler_draws, seed, factor=1.0)


def run_cited(draws: int, seed: int) -> list[dict]:
    rows = []
    for name, run_twin in _broken_twins(draws, seed):
        v = run_twin()
        killed = v.counterexample is not None
        rows.append({"obligation": f"lemma:{name}", "name": "broken twin (numeric)",
                     "verdict": REFUTED if killed else "survived", "expected": REFUTED, "z3": None,
                     "second": "numeric", "counterexample": v.counterexample})
    return rows


def run_all(timeout_ms: int = DEFAULTS.timeout_ms, draws: int = DEFAULTS.draws, seed: int = DEFAULTS.seed) -> dict:
    rows = run_algebraic(timeout_ms) + run_cited(draws, seed)
    killed = sum(r["verdict"] == REFUTED for r in rows)
    survived = sum(r["verdict"] == "survived" for r in rows)
    unexpected = sum(r["verdict"] != r["expected"] for r in rows)
    total = len(rows)
    return {"mutants": rows, "total": total, "killed": killed, "survived": survived,
            "unknown": total - killed - survived, "unexpected": unexpected,
            "kill_rate": killed / total if total else 0.0}
