"""Evidence for a cited lemma whose numeric validation lives outside
osp.infotheory (the covering samplers of osp.checks.covering).

Same contract as `evidence.Cited`: a reference, plus a fixed-seed validation;
a failed draw refutes, no draws (or no validation at all) is unknown, all draws passing is
"cited-validated" (sampling supports a citation, it proves nothing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from osp.proofs.evidence import Context, Evidence, Result


@dataclass(frozen=True)
class CitedNumeric(Evidence):
    reference: str
    #: each returns an object with name, passed, total, worst_slack, counterexample
    validations: tuple[Callable[[int, int], object], ...]
    checker = "cited+numeric"

    def run(self, ctx: Context) -> Result:
        t0 = time.perf_counter()
        if not self.validations:
            # a citation with nothing run against it is only a citation: never counted as validated
            return Result("unknown", self.checker, 0.0, {"reference": self.reference, "validations": [],
                                                          "reason": "no numeric validation attached"})
        runs, status = [], "cited-validated"
        for validate in self.validations:
            v = validate(min(ctx.draws, 60), ctx.seed)
            runs.append({"lemma": v.name, "passed": v.passed, "total": v.total, "worst_slack": v.worst_slack,
                         "counterexample": v.counterexample})
            if v.counterexample is not None or v.passed < v.total:
                status = "refuted"
            elif v.total == 0 and status != "refuted":
                status = "unknown"
        return Result(status, self.checker, time.perf_counter() - t0,
                      {"reference": self.reference, "validations": runs})
