"""`osp sweep SPEC.toml`: many `osp measure` runs from one TOML spec (osp/sweep/).

Each run writes one `osp measure --json` result with provenance into --results,
keyed by a content hash, so an interrupted sweep resumes where it stopped.
Exit 0 every run's checks hold, 1 a violation or an inconclusive check,
2 bad input, 3 a run crashed (the others' results are kept).
"""

from __future__ import annotations

from pathlib import Path

from osp.commands.common import add_json_flag, emit_json, integer_arg

DEFAULT_RESULTS = "reports/data/measure"


def register(subparsers) -> None:
    p = subparsers.add_parser("sweep", help="run a sweep of measurements from a TOML spec, locally or on Ray")
    p.add_argument("spec", help="the sweep spec (TOML; see examples/sweeps/)")
    p.add_argument("--executor", default="local", choices=("local", "ray"), help="where runs execute (local)")
    p.add_argument("--address", default=None, help="Ray cluster address for ray.init (with --executor ray)")
    p.add_argument("--workers", default="1", help="local processes, one torch thread each (default 1: in-process)")
    p.add_argument("--threads", default="1", help="torch threads per run (default 1)")
    p.add_argument("--results", default=DEFAULT_RESULTS, help=f"folder for one result JSON per run ({DEFAULT_RESULTS})")
    p.add_argument("--summary", default=None, help="summary JSON path (default <results>/../sweep-<name>.json)")
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument("--no-run", action="store_true",
                   help="start no run: summarize the runs already finished (the summary says how many)")
    p.add_argument("--commit", default=None,
                   help="with --no-run: summarize the runs finished at this commit (full hash) with this code")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from osp.render.sweep import render_sweep
    from osp.sweep.runner import SweepOptions, run_sweep
    from osp.sweep.spec import read_spec

    spec = read_spec(args.spec)
    options = SweepOptions(results=Path(args.results), summary=Path(args.summary) if args.summary else None,
                           executor=args.executor, workers=integer_arg(args.workers, "--workers"),
                           address=args.address, device=args.device,
                           threads=integer_arg(args.threads, "--threads"), progress=not args.json,
                           run=not args.no_run, commit=args.commit)
    outcome = run_sweep(spec, options)
    if args.json:
        emit_json(outcome.summary)
    else:
        print(render_sweep(outcome))
    return outcome.exit_code
