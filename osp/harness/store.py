"""Files a run writes: JSON results (atomically) and model checkpoints."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path

import torch

from osp.errors import OspInputError

CHECKPOINT_FORMAT = "osp-checkpoint-1"


def writable_folder(path: str | Path) -> Path:
    """The folder `path` will be written in; checked before a run, so a long training
    is not lost to a typo in --out or --save."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OspInputError(f"cannot write {path}: it is a directory")
    if not folder.is_dir():
        raise OspInputError(f"cannot write {path}: folder {folder} does not exist")
    return folder


def write_atomic(path: str | Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename,
    so a reader never sees half a file."""
    path = Path(path)
    folder = writable_folder(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: str | Path, obj: dict) -> None:
    write_atomic(path, json.dumps(obj, indent=2, allow_nan=False, default=str) + "\n")


def save_checkpoint(model: torch.nn.Module, path: str | Path, meta: dict) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=writable_folder(path))
    os.close(fd)
    try:
        torch.save({"format": CHECKPOINT_FORMAT, "model": getattr(model, "name", "?"), "meta": meta,
                    "config": _config_fields(model), "state_dict": model.state_dict()}, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _config_fields(model) -> dict | None:
    """A reference model's resolved config (a dataclass) without its seed, which only draws the
    weights a checkpoint replaces; None for models whose config is not a dataclass."""
    config = getattr(model, "config", None)
    if not dataclasses.is_dataclass(config) or isinstance(config, type):
        return None
    return {k: v for k, v in dataclasses.asdict(config).items() if k != "seed"}


def _check_config(saved: dict | None, now: dict | None, path) -> None:
    """Weights of the same shapes can belong to another model (a window of 16 against one of 8):
    that would measure a model other than the one trained, so it is an error, never a load."""
    if saved is None or now is None:
        return
    for key in sorted(set(saved) | set(now)):
        if saved.get(key) != now.get(key):
            raise OspInputError(f"--load: {path} was trained with {key}={saved.get(key)}, this run's model has "
                                f"{key}={now.get(key)} (pass the training run's --set)")


def load_checkpoint(model, path: str | Path) -> dict:
    """Load weights saved by `save_checkpoint` into `model` (same name, same shapes)."""
    if not isinstance(model, torch.nn.Module):
        raise OspInputError(f"--load: {getattr(model, 'name', 'this model')} has no weights to load")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise OspInputError(f"--load: no such file {path}") from None
    except Exception as exc:  # noqa: BLE001 - a corrupt or foreign file is bad input
        raise OspInputError(f"--load: {path} is not an osp checkpoint ({type(exc).__name__})") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != CHECKPOINT_FORMAT:
        raise OspInputError(f"--load: {path} is not an osp checkpoint")
    if ckpt["model"] != model.name:
        raise OspInputError(f"--load: {path} holds a {ckpt['model']} model, not {model.name}")
    _check_config(ckpt.get("config"), _config_fields(model), path)
    try:
        model.load_state_dict(ckpt["state_dict"])
    except RuntimeError as exc:
        # torch's first line is only "Error(s) in loading state_dict for X:"; the first reason follows
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = lines[1] if len(lines) > 1 else (lines[0] if lines else type(exc).__name__)
        raise OspInputError(f"--load: {path} does not fit this {model.name} config: {reason}") from None
    return ckpt.get("meta", {})
