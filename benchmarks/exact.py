"""Wall time of the certified arithmetic (target: < 50 ms per decision on the issue-8 inputs).

Run: .venv/bin/python benchmarks/exact.py
Prints one line per case: what was decided, the answer, and milliseconds
(median of 5 runs, first call included in the maximum).
"""

from __future__ import annotations

import statistics
import time
from fractions import Fraction as F

from osp import exact as ex

EDGE = F(999, 1000) - F(1, 10 ** 200)

CASES = [
    ("Dfn bounds, eps = 0.1, V = 4096", lambda: ex.decimal_down(ex.dfn_lower(F(1, 10), 4096), 12)),
    ("Dfn bounds, 1e-200 from the edge", lambda: ex.decimal_down(ex.dfn_lower(EDGE, 1000), 12)),
    ("floor 85137581 / log2 3", lambda: ex.floor_bound(85137581, F(0), 3)),
    ("floor 1000 / Dfn at the edge (~1e400)", lambda: ex.decimal_down(ex.floor_bound(1000, EDGE, 1000), 8)),
    ("N = 53715833 vs 85137581 bits (gap 5e-9)", lambda: ex.compare_recall(53715833, F(0), 3, 85137581,
                                                                            budget_s=10).status),
    ("N = 1024 vs b 9.5e-32 above N log2 3", lambda: ex.compare_recall(
        1024, F(0), 3, F("1623.0016007384639298086286786025642"), budget_s=10).status),
    ("exact tie 10 * Dfn(0, 8) = 30", lambda: ex.compare_recall(10, F(0), 8, 30, budget_s=10).status),
    ("Theorem 2 floor, D = 64, q = 49", lambda: ex.floor_bound(0, F(1, 10), 4096, logs=[(64, F(49))])),
]


def main() -> None:
    for name, fn in CASES:
        times, answer = [], None
        for _ in range(5):
            t0 = time.perf_counter()
            answer = fn()
            times.append(1000 * (time.perf_counter() - t0))
        print(f"{name:44s} {str(answer):>22s}  median {statistics.median(times):7.2f} ms  max {max(times):7.2f} ms")


if __name__ == "__main__":
    main()
