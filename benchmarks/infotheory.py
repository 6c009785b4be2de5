"""Wall time of the cited-lemma validations at the default draw count (target: < 0.3 s each).

Run: .venv/bin/python benchmarks/infotheory.py
Prints one line per lemma (passed/total, worst slack, seconds), its broken
twin's result, and the log-factorial range check. The toy-processors line is
cold (first call in the process: its exhaustive DP tables are built there).
"""

from __future__ import annotations

import time

from osp.infotheory import validate
from osp.settings import DEFAULTS


def main() -> None:
    start = time.perf_counter()
    print(f"{'lemma':16s} {'passed/total':>13s} {'worst slack':>12s} {'s':>7s}   broken twin")
    for name in validate.LEMMAS:
        v = validate.validate_lemma(name, DEFAULTS.draws, DEFAULTS.seed)
        b = validate.validate_broken(name, DEFAULTS.draws, DEFAULTS.seed)
        caught = "caught" if b.counterexample else "NOT CAUGHT"
        print(f"{name:16s} {v.passed:>6d}/{v.total:<6d} {v.worst_slack:12.3g} {v.seconds:7.3f}   "
              f"{caught} ({b.total - b.passed}/{b.total} draws refute it, worst {b.worst_slack:.3g})")
    f = validate.validate_log_factorial()
    print(f"{'log-factorial':16s} {f.passed:>6d}/{f.total:<6d} {f.worst_slack:12.3g} {f.seconds:7.3f}   "
          "(N = 1..1e5 in arb balls + sympy all-N proof)")
    print(f"total {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
