"""Where runs execute: in this process, in a pool of processes, or as Ray tasks.

Each run is one call of `execute(run)`, which measures the model and returns
its result (the `osp measure --json` object plus a "sweep" block) or an
error record; the driver writes files, so a Ray worker on another machine
needs no access to the results folder. Every worker runs torch with the run's
thread count (one by default), so a fixed seed and thread count give the same
numbers on every executor.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from typing import Callable, Iterable

import torch

from osp.errors import OspInputError
from osp.harness.measure import measure
from osp.sweep.plan import Run

EXECUTORS = ("local", "ray")
LR_CHOICE = ("the learning rate is chosen per model and width by validation accuracy (the validation split, "
             "never the test split); see the sweep summary's `learning_rate_selection`")

Done = Callable[[Run, dict], None]


def execute(run: Run) -> dict:
    """Measure one run; never raises (a failure comes back as {"error": ..., "error_kind": ...})."""
    torch.set_num_threads(run.config.train.threads)
    try:
        result = measure(run.model, run.config).to_json()
    except OspInputError as exc:
        return {"error": str(exc), "error_kind": "input"}
    except Exception as exc:  # noqa: BLE001 - one run's crash must not lose the others' results
        return {"error": f"{type(exc).__name__}: {exc}", "error_kind": "internal"}
    budget = run.config.train.tokens
    result["sweep"] = {**run.describe(), "learning_rate_choice": LR_CHOICE,
                       "budget": (f"capacities at this budget: {budget} training tokens per run" if budget else
                                  f"capacities at this budget: {run.config.train.steps} steps per run")}
    return result


def _init_worker(threads: int) -> None:
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)


def run_local(runs: list[Run], workers: int, done: Done) -> None:
    if workers <= 1:
        for run in runs:
            done(run, execute(run))
        return
    threads = max((r.config.train.threads for r in runs), default=1)
    ctx = multiprocessing.get_context("spawn")  # a forked torch can deadlock on its thread pools
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                initargs=(threads,)) as pool:
        futures = {pool.submit(execute, run): run for run in runs}
        for fut in cf.as_completed(futures):
            done(futures[fut], fut.result())


def ray_module():
    try:
        import ray  # the osp[ray] extra
    except ImportError:
        raise OspInputError("--executor ray needs Ray: pip install 'osp[ray]'") from None
    return ray


def run_ray(runs: list[Run], address: str | None, done: Done) -> None:
    """One Ray task per run with num_cpus = its torch threads and num_gpus = 1 on CUDA.
    Joins the cluster at `address` (or an already initialised Ray, or a new local one)."""
    ray = ray_module()
    if not ray.is_initialized():
        try:
            ray.init(address=address, log_to_driver=False, include_dashboard=False)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise OspInputError(f"--address {address}: cannot join a Ray cluster ({exc})") from None
    pending = {}
    for run in runs:
        tc = run.config.train
        task = ray.remote(num_cpus=tc.threads, num_gpus=1 if tc.device.startswith("cuda") else 0,
                          max_retries=0)(execute)
        pending[task.remote(run)] = run
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        for ref in ready:
            done(pending.pop(ref), ray.get(ref))


def run_all(runs: Iterable[Run], executor: str, workers: int, address: str | None, done: Done) -> None:
    runs = list(runs)
    if executor == "ray":
        run_ray(runs, address, done)
    else:
        run_local(runs, workers, done)
