"""Model names -> OSPs. The names are stable: users' scripts rely on them.

    build("mamba", {"d_model": "64"}) -> an OSP with weights from the config's seed
    build("hf:llama", {...})           -> delegated to osp.runtime.hf (optional extra)
    build("my/model.py:make", {...})   -> the user's own factory (osp.runtime.user_model),
    build("py:pkg.mod:make", {...})       from names a user typed, never from claim files

Overrides are strings (from `--set key=value`) parsed strictly against the
model's frozen config dataclass: an unknown key, a value of the wrong type,
one above its cap (`MAX_INT`, so a typo cannot hang or exhaust memory) or
one the config rejects is an OspInputError naming it. Caps on products:
a reference model's estimated parameter count is at most MAX_PARAMS, and
the decaying recurrence's table num_values * d at most MAX_TABLE_CELLS.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from dataclasses import dataclass

from osp.errors import OspInputError
from osp.runtime.contract import OSP
from osp.runtime.options import MAX_PARAMS, check_device, parse_scalar
from osp.runtime.user_model import SYNTAX as USER_SYNTAX
from osp.runtime.user_model import build_user_osp, is_user_spec


@dataclass(frozen=True)
class Entry:
    module: str  # exposes build(config) and the config class
    config: str
    kind: str  # "model" or "witness"
    summary: str


_M = "osp.runtime.models."
_W = "osp.runtime.witnesses."
#: every built-in model and witness, by the name `osp profile` takes
MODELS: dict[str, Entry] = {
    "attention": Entry(_M + "attention", "AttentionConfig", "model", "full causal attention, KV cache"),
    "sliding-window": Entry(_M + "sliding_window", "SlidingWindowConfig", "model", "attention over the last w tokens"),
    "linear-attention": Entry(_M + "linear_attention", "LinearAttentionConfig", "model",
                              "linear attention (elu+1 or Based-style Taylor feature map)"),
    "mamba": Entry(_M + "mamba", "MambaConfig", "model", "selective SSM, sequential and parallel scan"),
    "delta-net": Entry(_M + "delta_net", "DeltaNetConfig", "model", "gated delta rule"),
    "lstm": Entry(_M + "lstm", "LSTMConfig", "model", "torch.nn.LSTM"),
    "hybrid": Entry(_M + "hybrid", "HybridConfig", "model", "recurrent layers with a share of attention layers"),
    "conv-attention": Entry(_M + "conv_attention", "ConvAttentionConfig", "model",
                            "gated short convolution then attention per layer (zoology's MQAR model)"),
    "key-table": Entry(_W + "key_table", "KeyTableConfig", "witness", "W1' key-indexed table (keys [N])"),
    "rescan": Entry(_W + "rescan", "RescanConfig", "witness", "W2 rescan, a tape OSP with no carried state"),
    "direct-address": Entry(_W + "direct_address", "DirectAddressConfig", "witness", "W3 direct-address memory"),
    "window": Entry(_W + "window", "WindowConfig", "witness", "W4 fixed-precision window of p-bit codes"),
    "decaying-recurrence": Entry(_W + "decaying_recurrence", "DecayingRecurrenceConfig", "witness",
                                 "W4 fixed-precision decaying linear recurrence"),
}
HF_PREFIX = "hf:"

#: upper bound of every int config field (the configs check the lower ones)
MAX_INT = {
    "vocab_size": 65536, "d_model": 4096, "n_layers": 64, "mlp_mult": 16, "n_heads": 256, "d_key": 1024,
    "d_state": 1024, "d_conv": 64, "expand": 16, "hidden": 4096, "window": 65536, "num_values": 65536,
    "d": 4096, "precision_bits": 32, "decay_num": 65535, "decay_shift": 16, "seed": 2 ** 32 - 1,
    "positions": 65536,  # learned position embeddings: at most the longest profiled length
}
DEFAULT_MAX_INT = 65536  # a field added later without its own cap
MAX_TABLE_CELLS = 2 ** 24


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """['d_model=64', 'window=16'] -> {'d_model': '64', 'window': '16'}."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise OspInputError(f"--set expects key=value, got {item!r}")
        if key in out:
            raise OspInputError(f"--set {key} given twice")
        out[key] = value
    return out


def make_config(config_cls, overrides: dict[str, str], model: str):
    fields = {f.name: f for f in dataclasses.fields(config_cls)}
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise OspInputError(f"{model}: unknown config key {unknown[0]!r} (known: {', '.join(sorted(fields))})")
    values = {k: parse_scalar(v, str(fields[k].type), f"--set {k}") for k, v in overrides.items()}
    for key, value in values.items():
        cap = MAX_INT.get(key, DEFAULT_MAX_INT)
        if str(fields[key].type) == "int" and value > cap:
            raise OspInputError(f"--set {key}: at most {cap}, got {value}")
    try:
        config = config_cls(**values)
    except ValueError as exc:
        raise OspInputError(f"{model}: {exc}") from None
    _check_size(config, model)
    return config


def _check_size(config, model: str) -> None:
    """Caps on products of fields, checked before any tensor is allocated."""
    d = getattr(config, "d_model", None)
    if d is not None:
        # embedding + head, and per layer ~4 d^2 (mixer) + 2 mlp_mult d^2 (MLP)
        params = 2 * config.vocab_size * d + config.n_layers * d * d * (4 + 2 * config.mlp_mult)
        if params > MAX_PARAMS:
            raise OspInputError(f"{model}: about {params} parameters from vocab_size, d_model, n_layers, mlp_mult; "
                                f"at most {MAX_PARAMS}")
    if hasattr(config, "d") and hasattr(config, "num_values"):
        cells = config.num_values * config.d
        if cells > MAX_TABLE_CELLS:
            raise OspInputError(f"{model}: num_values * d = {cells} table cells, at most {MAX_TABLE_CELLS}")


def hf_families() -> list[str]:
    """HF family names, or [] when transformers (the osp[hf] extra) is not installed."""
    if importlib.util.find_spec("transformers") is None:
        return []
    from osp.runtime import hf
    return sorted(hf.HF_FAMILIES)


def names() -> list[str]:
    return list(MODELS) + [HF_PREFIX + f for f in hf_families()]


def build(name: str, overrides: dict[str, str] | None = None, device: str = "cpu") -> OSP:
    overrides = overrides or {}
    check_device(device)
    if name.startswith(HF_PREFIX):
        from osp.runtime import hf  # loads without transformers; building says how to install it
        return hf.build_hf_osp(name[len(HF_PREFIX):], overrides, device)
    if is_user_spec(name):
        return build_user_osp(name, overrides, device)
    entry = MODELS.get(name)
    if entry is None:
        raise OspInputError(f"unknown model {name!r} (see `osp profile --list`; your own model: {USER_SYNTAX})")
    module = importlib.import_module(entry.module)
    config = make_config(getattr(module, entry.config), overrides, name)
    try:
        osp = module.build(config)
    except ValueError as exc:  # a constraint the constructor checks (one line, exit 2)
        raise OspInputError(f"{name}: {exc}") from None
    if entry.kind == "model":
        osp = osp.to(device).eval()
    elif device != "cpu":
        raise OspInputError(f"{name} is a word-RAM witness and runs on the CPU only; drop --device {device}")
    return osp
