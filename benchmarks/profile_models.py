"""Wall time of `osp profile` per model at lengths up to 1024, one torch thread.

Target (issue 4): all reference models and 8 HF families under 2 minutes in
total on the 2-core CPU machine. Prints one line per model and the totals;
HF families are included when osp.runtime.hf and transformers import.

    .venv/bin/python benchmarks/profile.py [--lengths 64,256,1024] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import time

import torch

from osp.errors import OspInputError
from osp.runtime import zoo
from osp.runtime.profile import parse_lengths, profile


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", default="64,256,1024")
    ap.add_argument("--only", nargs="*", default=None, help="model names (default: every name in the zoo)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    lengths = parse_lengths(args.lengths)
    names = args.only or zoo.names()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, lengths {lengths}")
    # exponents of the part that changes with L; "total" is the diluted log-log slope of the whole cost
    print(f"{'model':<24} {'wall s':>8} {'state exp':>9} {'compute exp':>11} {'total':>6} {'E':>3} {'C':>3}")
    totals = {"reference": 0.0, "hf": 0.0}
    failures = 0
    for name in names:
        t0 = time.perf_counter()
        try:
            p = profile(zoo.build(name), name, lengths)
        except (OspInputError, RuntimeError, ValueError) as exc:  # report, keep going
            wall = time.perf_counter() - t0
            print(f"{name:<24} {wall:>8.2f} failed: {type(exc).__name__}: {exc}"[:200])
            failures += 1
            continue
        wall = time.perf_counter() - t0
        totals["hf" if name.startswith(zoo.HF_PREFIX) else "reference"] += wall
        print(f"{name:<24} {wall:>8.2f} {p.state_exponent:>9.3f} {p.compute_exponent:>11.3f} "
              f"{p.compute_exponent_total:>6.3f} "
              f"{'y' if p.efficient else 'n':>3} {'y' if p.compact else 'n':>3}")
    n_hf = sum(1 for n in names if n.startswith(zoo.HF_PREFIX))
    print(f"total: reference models and witnesses {totals['reference']:.1f} s; "
          f"{n_hf} HF families {totals['hf']:.1f} s; all {sum(totals.values()):.1f} s (target: < 120 s "
          f"for the reference models and 8 HF families)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
