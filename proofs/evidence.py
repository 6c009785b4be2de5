"""Evidence that discharges a node, and how each kind is run.

- Definition: nothing to check.
- Z3: algebraic obligations, each run by z3 and an independent second method.
- Sympy: an exact identity, checked by simplification to zero.
- Cited: a classical lemma with its textbook reference, backed by a fixed-seed
  numeric validation (osp.infotheory); a failed draw refutes it.
- Open: a statement nobody has proved; never counted as checked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from osp.checks import runner
from osp.infotheory import validate
from osp.settings import DEFAULTS
from osp.status import Status, worst


@dataclass
class Context:
    timeout_ms: int = DEFAULTS.timeout_ms
    draws: int = DEFAULTS.draws
    seed: int = DEFAULTS.seed
    ranges: dict | None = None
    #: obligation id -> ObligationResult, filled as nodes run
    obligations: dict = field(default_factory=dict)
    #: lemma name (or sampler) -> Validation: several steps cite the same lemma, one run serves them all
    validations: dict = field(default_factory=dict)


@dataclass
class Result:
    status: Status  # defined | proved | cited-validated | open | refuted | unknown
    checker: str
    seconds: float = 0.0
    detail: dict = field(default_factory=dict)


class Evidence:
    checker = "none"

    def run(self, ctx: Context) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Definition(Evidence):
    checker = "definition"

    def run(self, ctx: Context) -> Result:
        return Result(Status.DEFINED, self.checker)


@dataclass(frozen=True)
class Open(Evidence):
    reason: str
    checker = "open"

    def run(self, ctx: Context) -> Result:
        return Result(Status.OPEN, self.checker, detail={"reason": self.reason})


@dataclass(frozen=True)
class Z3(Evidence):
    """Obligations are given as zero-argument builders so the graph loads without solving."""

    builders: tuple[Callable, ...]

    def __post_init__(self):
        if not self.builders:
            raise ValueError("Z3 evidence needs at least one obligation")

    @property
    def checker(self) -> str:  # type: ignore[override]
        return "z3+" + "/".join(sorted({b().second for b in self.builders}))

    def run(self, ctx: Context) -> Result:
        t0 = time.perf_counter()
        results = []
        for build in self.builders:
            ob = build()
            if ob.id not in ctx.obligations:
                ctx.obligations[ob.id] = runner.run(ob, ctx.timeout_ms, ctx.ranges)
            results.append(ctx.obligations[ob.id])
        status = worst((r.status for r in results), default=Status.PROVED)
        return Result(status, self.checker, time.perf_counter() - t0,
                      {"obligations": [r.to_json() for r in results]})


@dataclass(frozen=True)
class Sympy(Evidence):
    """`check()` returns (holds, what was compared) for an exact identity; holds is
    True (reduced to zero), False (a point where the two sides differ) or None
    (sympy could not decide: unknown, never refuted or proved)."""

    check: Callable[[], tuple[bool, str]]
    checker = "sympy"

    def run(self, ctx: Context) -> Result:
        t0 = time.perf_counter()
        try:
            holds, what = self.check()
        except Exception as exc:  # noqa: BLE001 - a crash is not a proof
            return Result(Status.UNKNOWN, self.checker, time.perf_counter() - t0,
                          {"reason": f"{type(exc).__name__}: {exc}"})
        status = Status.PROVED if holds is True else Status.REFUTED if holds is False else Status.UNKNOWN
        return Result(status, self.checker, time.perf_counter() - t0, {"identity": what})


@dataclass(frozen=True)
class Cited(Evidence):
    """`lemmas` names validations in osp.infotheory.validate.LEMMAS, or is a callable
    `(draws, seed) -> Validation` for a sampler that lives elsewhere (the covering
    samplers of osp.checks.covering, which are costlier per draw: capped draws)."""

    reference: str
    lemmas: tuple
    checker = "cited+numeric"

    def __post_init__(self):
        if not self.reference.strip() or not self.lemmas:
            raise ValueError("cited evidence needs a reference and at least one numeric validation")

    def _validate(self, lemma, ctx: Context):
        key = lemma  # a name, or the sampler function itself
        if key not in ctx.validations:
            if isinstance(lemma, str):
                ctx.validations[key] = validate.validate_lemma(lemma, ctx.draws, ctx.seed)
            else:
                ctx.validations[key] = lemma(min(ctx.draws, DEFAULTS.sampler_draws), ctx.seed)
        return ctx.validations[key]

    def run(self, ctx: Context) -> Result:
        t0 = time.perf_counter()
        runs, statuses = [], []
        for lemma in self.lemmas:
            try:
                v = self._validate(lemma, ctx)
            except Exception as exc:  # noqa: BLE001 - a validation that cannot run validates nothing
                runs.append({"lemma": str(lemma), "reason": f"{type(exc).__name__}: {exc}"})
                statuses.append(Status.UNKNOWN)
                continue
            runs.append({"lemma": v.name, "passed": v.passed, "total": v.total, "worst_slack": v.worst_slack,
                         "counterexample": v.counterexample})
            if v.counterexample is not None or v.passed < v.total:
                statuses.append(Status.REFUTED)
            elif v.total == 0:
                statuses.append(Status.UNKNOWN)
        status = worst(statuses, default=Status.CITED_VALIDATED)
        return Result(status, self.checker, time.perf_counter() - t0,
                      {"reference": self.reference, "validations": runs})
