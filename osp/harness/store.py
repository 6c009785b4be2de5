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


def _replace_atomically(path: str | Path, write) -> None:
    """`write(tmp)` fills a temporary file in `path`'s folder, then a rename makes it `path`,
    so a reader never sees half a file (and a failed write leaves no temporary behind)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=writable_folder(path))
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, text: str) -> None:
    _replace_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_json(path: str | Path, obj: dict) -> None:
    write_atomic(path, json.dumps(obj, indent=2, allow_nan=False, default=str) + "\n")


def save_checkpoint(model: torch.nn.Module, path: str | Path, meta: dict) -> None:
    _replace_atomically(path, lambda tmp: torch.save(
        {"format": CHECKPOINT_FORMAT, "model": getattr(model, "name", "?"), "meta": meta,
         "config": _config_fields(model), "state_dict": model.state_dict()}, tmp))


_UNCOMPARABLE = object()  # a config value a checkpoint cannot hold as plain data (a function, an enum)


def _plain(value):
    """`value` as plain data a weights-only load reads back (dataclasses as dicts, tuples as lists,
    dtypes as text), or _UNCOMPARABLE: a user's config may hold anything, and pickling that
    would make the checkpoint unloadable."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, torch.dtype):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        out = {k: _plain(v) for k, v in value.items()}
        plain = all(isinstance(k, (bool, int, float, str)) for k in out)
        return out if plain and _UNCOMPARABLE not in out.values() else _UNCOMPARABLE
    if isinstance(value, (list, tuple)):
        out = [_plain(v) for v in value]
        return _UNCOMPARABLE if any(v is _UNCOMPARABLE for v in out) else out
    return _UNCOMPARABLE


def _config_fields(model) -> dict | None:
    """A model's resolved config (a dataclass) without its seed, which only draws the weights a
    checkpoint replaces, and without values that are not plain data (they cannot be compared);
    None for models whose config is not a dataclass."""
    config = getattr(model, "config", None)
    if not dataclasses.is_dataclass(config) or isinstance(config, type):
        return None
    fields = {f.name: _plain(getattr(config, f.name)) for f in dataclasses.fields(config) if f.name != "seed"}
    return {k: v for k, v in fields.items() if v is not _UNCOMPARABLE}


def _defaults(config) -> dict:
    """The config's field defaults as plain data: what a checkpoint written before a field existed ran with."""
    out = {}
    for f in dataclasses.fields(config) if dataclasses.is_dataclass(config) else ():
        if f.default is not dataclasses.MISSING:
            out[f.name] = _plain(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = _plain(f.default_factory())
    return out


def _check_config(saved: dict | None, model, path) -> None:
    """Weights of the same shapes can belong to another model (a window of 16 against one of 8):
    that would measure a model other than the one trained, so it is an error, never a load."""
    now = _config_fields(model)
    if not isinstance(saved, dict) or now is None:
        return
    defaults = _defaults(model.config)
    for key in sorted(now):
        # a key the checkpoint lacks was added since: it was trained with that key's default
        was = saved[key] if key in saved else defaults.get(key, _UNCOMPARABLE)
        if was is not _UNCOMPARABLE and was != now[key]:
            raise OspInputError(f"--load: {path} was trained with {key}={was}, this run's model has "
                                f"{key}={now[key]} (pass the training run's --set)")
    extra = sorted(set(saved) - set(now))
    if extra:
        raise OspInputError(f"--load: {path} was trained with {extra[0]}={saved[extra[0]]}, a setting this "
                            "run's model does not have")


def _check_tied(model, state_dict: dict, path) -> None:
    """A model that ties weights (tie_embeddings) loads each tied group from one tensor: a checkpoint
    that holds them apart (an untied model's) would be loaded as whichever comes last, silently."""
    groups: dict[int, list[str]] = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        groups.setdefault(id(p), []).append(name)
    for names in groups.values():
        held = [n for n in names if isinstance(state_dict.get(n), torch.Tensor)]
        first = state_dict[held[0]] if held else None
        for n in held[1:]:
            if state_dict[n].shape != first.shape or not torch.equal(state_dict[n], first):
                raise OspInputError(f"--load: {path} holds {held[0]} and {n} apart, this run's model ties them "
                                    "(was it trained with tie_embeddings=true?)")


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
    _check_config(ckpt.get("config"), model, path)
    if isinstance(ckpt.get("state_dict"), dict):
        _check_tied(model, ckpt["state_dict"], path)
    try:
        model.load_state_dict(ckpt["state_dict"])
    except RuntimeError as exc:
        # torch's first line is only "Error(s) in loading state_dict for X:"; the first reason follows
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = lines[1] if len(lines) > 1 else (lines[0] if lines else type(exc).__name__)
        raise OspInputError(f"--load: {path} does not fit this {model.name} config: {reason}") from None
    return ckpt.get("meta", {})
