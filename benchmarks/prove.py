"""Wall time of `osp prove` (both checkers) and `osp check` on a wide box.

Targets on the 2-core reference machine: prove < 5 s, check < 10 s.
Each figure is the median of several in-process runs after one warm-up
import; a cold process adds the import time, printed separately.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from osp.cli import main

WIDE = "[ranges]\nB = [1, 1099511627776]\nV = [2, 1048576]\neps = [0, 0.45]\n"  # eps_max = 0.9 (1 - 1/V_min)


def timed(argv: list[str], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        code = main(argv + ["--json"])
        times.append(time.perf_counter() - t0)
        if code != 0:
            raise SystemExit(f"osp {' '.join(argv)} exited {code}")
    return statistics.median(times)


def main_bench() -> None:
    import contextlib
    import io

    with tempfile.TemporaryDirectory() as tmp:
        box = Path(tmp) / "wide.toml"
        box.write_text(WIDE)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import osp.cli; osp.cli.build_parser()"], check=True)
        cold = time.perf_counter() - t0
        with contextlib.redirect_stdout(io.StringIO()):
            prove = timed(["prove"])
            check = timed(["check", "--ranges", str(box)])
    print(f"cold import + parser build: {cold:.2f} s")
    print(f"osp prove (z3 + cvc5/interval + numeric validation): {prove:.2f} s   (target < 5 s)")
    print(f"osp check, wide box (V up to 2^20, eps up to 0.45, B up to 2^40): {check:.2f} s   (target < 10 s)")


if __name__ == "__main__":
    main_bench()
