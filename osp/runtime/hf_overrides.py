"""`--set KEY=VALUE` for `hf:<family>`: typed, bounded and checked as strictly as the reference configs.

Each key must be a field of the family's config whose tiny-config value is an
int, float or bool; the text is parsed strictly as that type. Ints are never
negative, at most `MAX_INT`, and at least 1 for the fields that size the
model (layers, heads, widths, windows, kernels: `_POSITIVE`), whenever the
tiny config has them at 1 or more; attention windows at least 2. A model's parameters and buffers are
counted on the meta device before any memory is allocated (at most
`MAX_PARAMS`, the reference models' cap), and a built model must carry state
from one token to the next (`osp.runtime.hf` checks that after one step).
"""

from __future__ import annotations

import re
from typing import Any

import torch

from osp.errors import OspInputError
from osp.runtime.hf_families import HFFamily, family, import_transformers
from osp.runtime.options import MAX_PARAMS, parse_scalar

#: upper bound of every int override (a typo cannot hang the run or exhaust memory)
MAX_INT = 2 ** 20
# Fields that size the model: 0 would remove layers, heads or state, and transformers accepts it.
_POSITIVE = re.compile(
    r"(layers|heads|head_dim|headdim|d_head|_size|d_state|d_ssm|width|window|kernel|kernel_dim|d_conv|"
    r"L_cache|expand|groups?|_dim|_rank|per_tok|per_token|period|context_length|max_position_embeddings)$"
)
# Measured (transformers 5.23 and 5.25; Mistral, Gemma3, RecurrentGemma): a window of 1 keeps every
# token in the cache and step decoding differs from the forward by 0.5-1.5 in the logits.
_WINDOW = re.compile(r"window(_size)?$")
# Per-layer lists in the tiny configs; a new `num_hidden_layers` repeats their pattern.
_LAYER_PATTERNS = ("layer_types", "layers_block_type", "block_types", "mlp_layer_types")


def _parse_value(fam: HFFamily, key: str, text: str, current: Any) -> int | float | bool:
    where = f"hf:{fam.name} --set {key}={text}"
    kind = "bool" if isinstance(current, bool) else type(current).__name__  # bool before int: a subclass
    if kind not in ("bool", "int", "float"):  # strings, lists, dicts would reshape the model unchecked
        raise OspInputError(f"{where}: field {key!r} is a {kind}; only int, float and bool fields can be set")
    value = parse_scalar(text, kind, where)
    if kind == "int":
        low = 1 if _POSITIVE.search(key) and current >= 1 else 0
        why = ""
        if _WINDOW.search(key) and current >= 2:
            low, why = 2, " (transformers mishandles a window of 1: it caches every token)"
        if not low <= value <= MAX_INT:
            raise OspInputError(f"{where}: must lie in [{low}, {MAX_INT}]{why}")
    return value


def parse_overrides(name: str, overrides: dict[str, str]) -> dict[str, int | float | bool]:
    """Type each override against the family's tiny config; unknown key or bad value -> OspInputError."""
    fam = family(name)
    transformers = import_transformers()
    default = getattr(transformers, fam.config_class)(**fam.tiny)
    known = default.to_dict()
    parsed: dict[str, int | float | bool] = {}
    for key, text in overrides.items():
        if key.startswith("_") or key not in known:
            raise OspInputError(f"hf:{name}: unknown config field {key!r} for {fam.config_class}")
        parsed[key] = _parse_value(fam, key, str(text), getattr(default, key))
    return parsed


def with_layer_pattern(tiny: dict[str, Any], parsed: dict[str, Any]) -> dict[str, Any]:
    """The config kwargs: tiny config + overrides, per-layer lists tiled to `num_hidden_layers`."""
    kwargs = {**tiny, **parsed}
    layers = parsed.get("num_hidden_layers")
    if not isinstance(layers, int) or layers < 1:
        return kwargs  # nothing to tile
    for key in _LAYER_PATTERNS:
        pattern = tiny.get(key)
        if pattern:
            kwargs[key] = [pattern[i % len(pattern)] for i in range(layers)]
    if "attn_layer_indices" in tiny:  # Bamba names its attention layers by index
        period = tiny.get("num_hidden_layers", layers)
        kwargs["attn_layer_indices"] = [i for i in range(layers) if i % period in tiny["attn_layer_indices"]]
    if "hybrid_layer_ids" in tiny:  # Zamba2 lists its hybrid layers twice
        kwargs["hybrid_layer_ids"] = [i for i, kind in enumerate(kwargs["layers_block_type"]) if kind == "hybrid"]
    return kwargs


def check_family_rules(fam: HFFamily, config: Any) -> None:
    """Family constraints that transformers only reports deep inside a forward."""
    if fam.name == "xlstm":
        # Measured: widths that are not multiples of 64 build, then fail in the forward ("matC_old has wrong shape").
        for factor in ("qk_dim_factor", "v_dim_factor"):
            width = config.hidden_size * getattr(config, factor)
            if width % 64 != 0:
                raise OspInputError(
                    f"hf:xlstm: hidden_size * {factor} = {width:g} must be a multiple of 64 "
                    "(the mLSTM kernels' block size)"
                )


def check_size(fam: HFFamily, model_class: type, config: Any, parsed: dict) -> None:
    """Parameters + buffers of the model the overrides give, counted without allocating them."""
    with torch.device("meta"):
        model = model_class(config)
    elements = sum(t.numel() for t in model.parameters()) + sum(t.numel() for t in model.buffers())
    if elements > MAX_PARAMS:
        raise OspInputError(
            f"hf:{fam.name}: the overrides {parsed} give about {elements} parameters and buffers; at most {MAX_PARAMS}"
        )
