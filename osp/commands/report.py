"""`osp report`: regenerate the HTML proof report (one offline file)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from osp.commands.common import add_json_flag, emit_json
from osp.errors import EXIT_FAILED, EXIT_OK
from osp.render import html
from osp.render import profile as render_profile
from osp.report import build, profiles


def register(sub) -> None:
    p = sub.add_parser("report", help="write the HTML proof report (one self-contained file, no network)")
    add_json_flag(p)
    p.add_argument("--out", default=str(build.DEFAULT_OUT), help=f"where to write it (default {build.DEFAULT_OUT})")
    p.add_argument("--results", default=None,
                   help="folder of `osp measure` JSON results (default: the results the repository ships, "
                   "reports/data/measure/)")
    p.add_argument("--refresh", action="store_true",
                   help="re-measure the Hugging Face profiles (reports/data/profiles/) instead of reading them")
    p.set_defaults(func=run)


def run(args) -> int:
    t0 = time.perf_counter()
    results = Path(args.results) if args.results is not None else build.DEFAULT_RESULTS
    if args.refresh:
        for name, prof in profiles.measure_hf_profiles():
            data = render_profile.to_json(prof)
            build.write_atomic(build.PROFILES_DIR / name, json.dumps(data, indent=2, default=str, allow_nan=False) + "\n")
    report = build.build(results)
    out = Path(args.out)
    page = html.render(report)
    build.write_atomic(out, page)
    seconds = time.perf_counter() - t0
    if args.json:
        p = report.proof
        emit_json({
            "path": str(out.resolve()), "bytes": len(page.encode("utf-8")), "seconds": round(seconds, 3),
            "status": str(p.status), "failed": report.failed,
            "contains": {
                "nodes": p.summary, "mutants": None if p.mutants is None else
                {k: p.mutants[k] for k in ("total", "killed", "survived", "unknown", "unexpected", "kill_rate")},
                "architectures": len(report.triangle.placements), "regions": report.triangle.regions,
                "trajectories": len(report.triangle.trajectories),
                "reference_profiles": [v.model for v in report.reference_profiles],
                "hf_profiles": [v.model for v in report.hf_profiles],
                "measure_results": [m.model for m in report.measured], "results_dir": report.results_dir,
                "theory_sections": len(p.sections),
            },
            "parts_seconds": {k: round(v, 3) for k, v in report.seconds.items()},
            "provenance": report.provenance,
        })
    else:
        print(out.resolve())
        counts = ", ".join(f"{v} {k}" for k, v in report.proof.summary.items() if k != "total")
        print(f"{report.proof.summary['total']} nodes: {counts}; {len(report.triangle.placements)} architectures, "
              f"{len(report.reference_profiles) + len(report.hf_profiles)} profiles, "
              f"{len(report.measured)} measurement files ({seconds:.1f} s)")
    return EXIT_FAILED if report.failed else EXIT_OK
