"""Profiles for the report: the reference models and witnesses are measured
afresh (a few seconds); the Hugging Face families are read from the JSON the
repository ships under reports/data/profiles/ (about a minute to measure,
and transformers may be absent), regenerated on request (`--refresh`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from osp.errors import OspInputError
from osp.report.files import read_json_files
from osp.runtime import profile as runtime_profile
from osp.runtime import zoo

HF_FILE_PREFIX = "hf-"


@dataclass(frozen=True)
class ProfileView:
    model: str
    source: str                  # "measured now" or the JSON file it was read from
    lengths: tuple[int, ...]
    state_bits: tuple[int, ...]
    ops_per_step: tuple[int, ...]
    efficient: bool
    compact: bool
    is_tape: bool
    bound_pairs: tuple[float, ...] | None
    recall: tuple[float, ...] | None
    values: int | None


def _view(data: dict, source: str) -> ProfileView:
    where = f"profile {source}"
    try:
        lengths = tuple(int(x) for x in data["lengths"])
        bits = tuple(int(x) for x in data["state_bits"])
        ops = tuple(int(x) for x in data["flops_per_step"])
        if not (len(lengths) == len(bits) == len(ops) >= 2):
            raise ValueError("lengths, state_bits and flops_per_step differ in length")
        bound = data.get("bound_pairs")
        recall = data.get("recall")
        return ProfileView(str(data["model"]), source, lengths, bits, ops, bool(data["efficient"]),
                           bool(data["compact"]), bool(data.get("is_tape", False)),
                           None if bound is None else tuple(float(b) for b in bound),
                           None if recall is None else tuple(float(r) for r in recall),
                           data.get("values"))
    except (KeyError, TypeError, ValueError) as exc:
        raise OspInputError(f"{where}: malformed ({type(exc).__name__}: {exc})") from None


def reference_profiles(lengths=runtime_profile.DEFAULT_LENGTHS) -> list[ProfileView]:
    out = []
    for name in zoo.MODELS:
        p = runtime_profile.profile(zoo.build(name), name, lengths)
        out.append(ProfileView(p.model, "measured now", tuple(p.lengths), tuple(p.state_bits),
                               tuple(p.flops_per_step), p.efficient, p.compact, p.is_tape,
                               None if p.bound_pairs is None else tuple(float(b) for b in p.bound_pairs),
                               None if p.recall is None else tuple(float(r) for r in p.recall), p.values))
    return out


def read_hf_profiles(directory: Path) -> list[ProfileView]:
    out = []
    for path, data in read_json_files(directory, HF_FILE_PREFIX + "*.json"):
        if not isinstance(data, dict):
            raise OspInputError(f"{path}: expected a JSON object")
        out.append(_view(data, path.name))
    return out


def measure_hf_profiles(lengths=runtime_profile.DEFAULT_LENGTHS):
    """Measure every HF family again: yields (the JSON file it belongs in, its Profile)."""
    families = zoo.hf_families()
    if not families:
        raise OspInputError("--refresh: the Hugging Face families need the extra: pip install 'osp[hf]'")
    torch.set_num_threads(1)   # two threads on shared cores were 10-40x slower than one
    for fam in families:
        name = zoo.HF_PREFIX + fam
        yield f"{HF_FILE_PREFIX}{fam}.json", runtime_profile.profile(zoo.build(name), name, lengths)
