"""`osp report`'s domain: gather everything the HTML report shows, and write
the page atomically. Rendering lives in osp.render.html.

What is recomputed on every build: the proof graph, the mutants, the
registry and the reference-model profiles. What is read from the JSON the
repository ships: Hugging Face profiles (reports/data/profiles/, rewritten by
`refresh`) and `osp measure` results (reports/data/measure/ or --results).
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from osp.report import measured, profiles, proof, provenance, sweeps, triangle
from osp.status import Status

REPO_ROOT = provenance.REPO_ROOT
DEFAULT_OUT = Path("reports/index.html")
DEFAULT_RESULTS = REPO_ROOT / "reports" / "data" / "measure"
PROFILES_DIR = REPO_ROOT / "reports" / "data" / "profiles"


@dataclass(frozen=True)
class Report:
    proof: proof.ProofPart
    triangle: triangle.TrianglePart
    reference_profiles: tuple[profiles.ProfileView, ...]
    hf_profiles: tuple[profiles.ProfileView, ...]
    measured: tuple[measured.MeasureResult, ...]
    results_dir: str
    provenance: dict
    seconds: dict = field(default_factory=dict)   # part -> seconds spent building it
    #: `osp sweep` summaries beside the results folder (its parent's sweep-*.json)
    sweep_summaries: tuple[sweeps.SweepView, ...] = ()

    @property
    def failed(self) -> bool:
        """As `osp prove`: something refuted or unknown, or a mutant not as expected (open is not a failure)."""
        m = self.proof.mutants
        return self.proof.status.rank >= Status.UNKNOWN.rank or bool(m and m["unexpected"])


def build(results_dir: Path = DEFAULT_RESULTS, *, with_mutants: bool = True) -> Report:
    torch.set_num_threads(1)   # deliberate: two threads on shared cores were far slower than one
    seconds = {}
    results = tuple(measured.load_dir(results_dir))   # bad input fails before the slow parts
    summaries = tuple(sweeps.load_summaries(results_dir.parent))
    t = time.perf_counter()
    proof_part = proof.collect(with_mutants=with_mutants)
    seconds["proof"] = time.perf_counter() - t
    t = time.perf_counter()
    tri = triangle.collect()
    seconds["triangle"] = time.perf_counter() - t
    t = time.perf_counter()
    ref = tuple(profiles.reference_profiles())
    hf = tuple(profiles.read_hf_profiles(PROFILES_DIR))
    seconds["profiles"] = time.perf_counter() - t
    return Report(proof_part, tri, ref, hf, results, str(results_dir), provenance.collect(), seconds, summaries)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so a reader never sees half a page: a temp file, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)   # mkstemp makes it private; a report is for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
