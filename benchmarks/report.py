"""Regeneration time of the HTML proof report, as `make run` pays it: one cold
`osp report` process, imports included, with its parts as the command reports
them. Target: < 20 s on the 2-core reference machine.

Recomputed on every run: the proof graph, the mutants, the registry and the
reference-model profiles; the Hugging Face profiles and measurement results
are read from the JSON the repository ships. (The report runs in a child
process: this folder's profile.py would shadow the standard library's
`profile`, which torch imports lazily.)
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "osp.cli", "report", "--json", "--out",
                               str(Path(tmp) / "index.html")], capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        print(proc.stderr.strip(), file=sys.stderr)
        return proc.returncode
    info = json.loads(proc.stdout)
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in info["parts_seconds"].items())
    print(f"osp report: {wall:.2f} s wall in a cold process (target < 20 s); command's own time {info['seconds']:.2f} s "
          f"({parts}); {info['bytes'] / 1e6:.2f} MB, {info['contains']['nodes']['total']} nodes, "
          f"{info['contains']['architectures']} architectures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
