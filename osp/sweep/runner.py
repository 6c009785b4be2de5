"""Run a sweep: plan, skip what is finished, execute the rest, write results and the summary."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from osp.errors import OspInputError
from osp.harness.store import write_json
from osp.runtime.options import check_device
from osp.status import Status
from osp.sweep import executors, plan
from osp.sweep.spec import SweepSpec
from osp.sweep.summary import summarize


@dataclass(frozen=True)
class SweepOptions:
    results: Path
    summary: Path | None = None  # default: <results>/../sweep-<name>.json
    executor: str = "local"
    workers: int = 1
    address: str | None = None
    device: str = "cpu"
    threads: int = 1
    progress: bool = True
    run: bool = True  # False: summarize the finished runs, start none
    commit: str | None = None  # with run=False: the commit whose runs to summarize (default: this checkout's)


@dataclass(frozen=True)
class SweepOutcome:
    summary: dict
    skipped: int  # runs finished before this call
    ran: int
    summary_path: Path

    @property
    def exit_code(self) -> int:
        if self.summary["failed"]:
            return 2 if all(f["error_kind"] == "input" for f in self.summary["failed"]) else 3
        complete = self.summary["finished"] == self.summary["runs"]  # an unfinished sweep has not passed
        return 0 if complete and Status(self.summary["verdict"]).passes else 1


def _check(spec: SweepSpec, options: SweepOptions) -> None:
    if options.executor not in executors.EXECUTORS:
        raise OspInputError(f"--executor must be one of {', '.join(executors.EXECUTORS)}, got {options.executor!r}")
    if not 1 <= options.workers <= 256:
        raise OspInputError(f"--workers must lie in [1, 256], got {options.workers}")
    if options.address is not None and options.executor != "ray":
        raise OspInputError("--address needs --executor ray")
    if options.executor == "ray" and options.workers != 1:
        raise OspInputError("--workers is for the local executor; Ray schedules one task per run")
    check_device(options.device)
    if options.commit is not None and (options.run or not re.fullmatch(r"[0-9a-f]{40}", options.commit)):
        raise OspInputError("--commit takes a full 40-digit commit and needs --no-run (a run is always keyed by "
                            "the code that runs it)")
    if options.results.exists() and not options.results.is_dir():
        raise OspInputError(f"--results {options.results}: not a folder")


def _mark_selected(runs, results: dict, summary: dict, folder: Path) -> None:
    """Record in each result file whether its learning rate was the one chosen (on validation)."""
    chosen = {g["group"]: g["chosen"] for g in summary["learning_rate_selection"]["groups"]}
    for run in runs:
        result = results.get(run.key)
        if result is None:
            continue
        selected = run.lr == chosen.get(run.group)
        if result["sweep"].get("selected") != selected:
            result["sweep"]["selected"] = selected
            write_json(folder / run.filename, result)


def run_sweep(spec: SweepSpec, options: SweepOptions) -> SweepOutcome:
    _check(spec, options)
    options.results.mkdir(parents=True, exist_ok=True)
    runs = plan.expand(spec, device=options.device, threads=options.threads, commit=options.commit)
    results: dict[str, dict] = {}
    for run in runs:
        done = plan.finished(run, options.results)
        if done is not None:
            results[run.key] = done
    todo = [r for r in runs if r.key not in results] if options.run else []
    skipped = len(results)
    failures: list[dict] = []
    bar = tqdm(total=len(runs), initial=skipped, file=sys.stderr, disable=not options.progress,
               unit="run", dynamic_ncols=True, desc=f"sweep {spec.name}")

    def done(run: plan.Run, result: dict) -> None:
        if "error" in result:
            failures.append({**run.describe(), "error": result["error"], "error_kind": result["error_kind"]})
            bar.write(f"osp sweep: {run.filename}: {result['error']}", file=sys.stderr)
        else:
            write_json(options.results / run.filename, result)
            results[run.key] = result
        bar.set_postfix_str(run.group[:40])
        bar.update(1)

    try:
        executors.run_all(todo, options.executor, options.workers, options.address, done)
    finally:
        bar.close()
    summary = summarize(spec, runs, results, failures, options.commit)
    _mark_selected(runs, results, summary, options.results)
    path = options.summary or options.results.parent / f"sweep-{spec.name}.json"
    write_json(path, summary)
    return SweepOutcome(summary, skipped, len(todo), path)
