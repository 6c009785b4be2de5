"""Expand a sweep spec into runs; key each run by a content hash; skip finished ones.

A run's key is sha256 over (its measure config, the model and its overrides,
the osp version, the git commit). Its result file is
`<results>/<model>-<width>-lr<lr>-s<seed>-<key[:16]>.json`; a file there that
parses and carries the same full key means the run is finished, so a sweep
restarted with the same spec and code skips it and resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import osp
from osp.harness.measure import MeasureConfig
from osp.harness.provenance import git_commit
from osp.harness.train import TrainConfig
from osp.sweep.spec import ModelSpec, SweepSpec, config_fields


@dataclass(frozen=True)
class Run:
    model: str
    width: int | None
    lr: float | None  # None: nothing to train
    seed: int
    config: MeasureConfig
    key: str  # sha256 hex of the content
    group: str  # model and width: the learning rate is chosen within a group

    @property
    def filename(self) -> str:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.model).strip("-")
        width = f"-w{self.width}" if self.width is not None else ""
        lr = f"-lr{self.lr:g}" if self.lr is not None else ""
        return f"{slug}{width}{lr}-s{self.seed}-{self.key[:16]}.json"

    def describe(self) -> dict:
        return {"model": self.model, "width": self.width, "learning_rate": self.lr, "seed": self.seed,
                "group": self.group, "key": self.key}


def run_key(model: str, config: MeasureConfig, version: str, commit: str | None) -> str:
    content = {"model": model, "config": config.to_json(), "osp_version": version, "git_commit": commit}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _model_seed_key(m: ModelSpec) -> bool:
    """Reference models draw their weights from a config `seed`; a sweep seed sets it too."""
    fields = config_fields(m.name)
    return fields is not None and "seed" in fields and "seed" not in dict(m.overrides)


def _config(spec: SweepSpec, m: ModelSpec, width: int | None, lr: float | None, seed: int, device: str,
            threads: int, seeds_model: bool) -> MeasureConfig:
    overrides = dict(m.overrides)
    if width is not None:
        overrides[m.width_key] = str(width)
    if seeds_model:
        overrides["seed"] = str(seed)
    train = TrainConfig(pairs=spec.pairs, length=spec.length, layout=spec.layout, num_values=m.num_values,
                        batch_size=spec.batch_size, steps=spec.steps or 0, tokens=m.tokens or spec.tokens,
                        lr=lr if lr is not None else TrainConfig.lr, warmup_steps=spec.warmup_steps,
                        target_accuracy=spec.target_accuracy, eval_every=spec.eval_every,
                        validation_examples=spec.validation_examples, seed=seed, threads=threads, device=device)
    return MeasureConfig(train=train, model_overrides=tuple(sorted(overrides.items())), error=spec.error,
                         confidence=spec.confidence, test_examples=spec.test_examples,
                         calibration_examples=spec.calibration_examples, quantize_bits=spec.quantize_bits,
                         theorem2=spec.theorem2)


def expand(spec: SweepSpec, *, device: str = "cpu", threads: int = 1, commit: str | None = None) -> list[Run]:
    """Every run of the spec, in spec order (model, width, learning rate, seed)."""
    commit = git_commit() if commit is None else commit
    runs = []
    for m in spec.models:
        seeds_model = _model_seed_key(m)  # reads the model's config class: once per model, not per run
        for width in m.widths or (None,):
            group = m.name + "".join(f" {k}={v}" for k, v in m.overrides) + (
                f" {m.width_key}={width}" if width is not None else "")
            for lr in m.learning_rates:
                for seed in spec.seeds:
                    cfg = _config(spec, m, width, lr, seed, device, threads, seeds_model)
                    runs.append(Run(m.name, width, lr, seed, cfg, run_key(m.name, cfg, osp.__version__, commit),
                                    group))
    return runs


def finished(run: Run, results: Path) -> dict | None:
    """The run's result if its file is there, whole, and carries its key; else None."""
    path = results / run.filename
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or (data.get("sweep") or {}).get("key") != run.key:
        return None
    return data
