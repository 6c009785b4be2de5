"""Where a result came from: versions, commit, seed, config, device, threads, time."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path

import torch

import osp


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def git_commit() -> str | None:
    """The commit of the checkout osp runs from, or None when installed from a wheel."""
    root = Path(osp.__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def provenance(*, seed: int, config: dict, device: str, threads: int, wall_seconds: float) -> dict:
    return {"osp_version": osp.__version__, "git_commit": git_commit(), "python": platform.python_version(),
            "torch": torch.__version__, "transformers": _version("transformers"), "seed": seed,
            "config": config, "device": device, "threads": threads, "wall_seconds": round(wall_seconds, 3),
            "host_cpus": os.cpu_count()}
