"""Walk a transformers cache object and list every tensor it carries between steps.

The walk is strict: a cache or layer class it does not know, or a tensor
attribute it did not expect on a known class, raises `UnknownCacheError`
instead of being counted as zero bits. A transformers upgrade that adds state
therefore fails loudly here.

Not counted, on purpose (docs/theory.md section 1: the clock is free):
- plain-int position counters (`cumulative_length` of sliding-window layers);
- token counters held in tensors (`cumulative_length_linear`, which transformers
  5.25 added to linear-attention layers, and xLSTM's `seqlen_offset`), but only
  after checking that each is one: a one-element integer tensor whose value is
  the number of tokens read (or 0 on a layer that holds no state). Any other
  value, shape or dtype means it may carry input information, and the walk raises;
- a sliding-window layer's `_sliding_window_tensor`, the window size itself (a
  constant of the processor, not of the input).
"""

from __future__ import annotations

from typing import Any

import torch

from osp.runtime.contract import StateTensor

# Tensor attributes that are constants or the step clock, never input-dependent state.
_NOT_STATE = {"_sliding_window_tensor"}
# Token counters: the clock, accepted only once `_check_clock` has seen the step count in them.
_CLOCKS = ("cumulative_length_linear", "seqlen_offset")


class UnknownCacheError(RuntimeError):
    """The cache holds something this walker does not know how to count."""


def _tensors_in(value: Any) -> list[torch.Tensor]:
    """Tensors directly inside an attribute value (a tensor, or a list/tuple/dict of them)."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors_in(v)]
    return []


def _audit(obj: Any, counted: list[StateTensor], where: str, clocks: tuple[str, ...] = ()) -> None:
    """Raise if `obj` holds a tensor that is neither counted nor known not to be state."""
    seen = {id(st.tensor) for st in counted}
    for attr, value in vars(obj).items():
        if attr in _NOT_STATE or attr in clocks or attr == "layers":
            continue
        for t in _tensors_in(value):
            if id(t) not in seen:
                raise UnknownCacheError(
                    f"{where}.{attr} ({type(obj).__name__}) holds a tensor of shape {tuple(t.shape)} "
                    "that the state walker does not account for"
                )


def _check_clock(layer: Any, attr: str, where: str, steps: int, holds_state: bool) -> None:
    """`layer.attr` must be a one-element integer tensor equal to the tokens read; else it is unaccounted state."""
    t = getattr(layer, attr)
    if not isinstance(t, torch.Tensor) or t.numel() != 1 or t.dtype.is_floating_point or t.dtype.is_complex:
        kind = tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__
        raise UnknownCacheError(f"{where}.{attr} ({kind}) is not a scalar integer token counter")
    value = int(t.item())
    # A layer whose states live elsewhere (RecurrentGemma's modules) never advances its counter.
    allowed = {steps} if holds_state else {0, steps}
    if value not in allowed:
        raise UnknownCacheError(
            f"{where}.{attr} = {value} after {steps} tokens: not the step count, so it may carry "
            "input information the state walker does not account for"
        )


def _checked_clocks(obj: Any, where: str, steps: int, holds_state: bool) -> tuple[str, ...]:
    """The token counters `obj` has, each checked to be the clock (for `_audit` to pass over)."""
    clocks = tuple(attr for attr in _CLOCKS if hasattr(obj, attr))
    for attr in clocks:
        _check_clock(obj, attr, where, steps, holds_state)
    return clocks


def _layer_tensors(layer: Any, where: str, steps: int) -> list[StateTensor]:
    from transformers import cache_utils as cu

    known = (
        cu.DummyLayer,
        cu.DynamicLayer,
        cu.DynamicSlidingWindowLayer,
        cu.LinearAttentionLayer,
        cu.LinearAttentionAndFullAttentionLayer,
        cu.LinearAttentionAndSlidingWindowAttentionLayer,
    )
    if type(layer) not in known:
        raise UnknownCacheError(f"{where}: cache layer class {type(layer).__name__} is not known to the state walker")
    out: list[StateTensor] = []
    linear_held = False  # whether the layer's own conv/recurrent states exist (its counter then advances)
    if isinstance(layer, cu.DynamicLayer):
        # KV part: (B, kv_heads, cached_len, head_dim) each; cached_len <= window - 1 when sliding.
        for attr in ("keys", "values"):
            t = getattr(layer, attr)
            if t is not None and t.numel() > 0:
                out.append(StateTensor(f"{where}.{attr}", t))
    if isinstance(layer, cu.LinearAttentionLayer):
        # Recurrent part: conv window (B, channels, kernel) and recurrent state (B, heads, ..., ...).
        for attr in ("conv_states", "recurrent_states"):
            for idx, t in getattr(layer, attr).items():
                if t is not None:
                    out.append(StateTensor(f"{where}.{attr}[{idx}]", t))
                    linear_held = True
    _audit(layer, out, where, _checked_clocks(layer, where, steps, holds_state=linear_held))
    return out


def _dynamic_cache_tensors(cache: Any, steps: int) -> list[StateTensor]:
    out: list[StateTensor] = []
    for i, layer in enumerate(cache.layers):
        out.extend(_layer_tensors(layer, f"layers.{i}", steps))
    return out


def _minimax_tensors(cache: Any, steps: int) -> list[StateTensor]:
    # MiniMax keeps its lightning-attention states beside the KV layers; `[]` marks a layer without one.
    out = _dynamic_cache_tensors(cache, steps)
    for i, t in enumerate(cache.linear_cache):
        if isinstance(t, torch.Tensor):
            out.append(StateTensor(f"linear_cache.{i}", t))
        elif not (isinstance(t, list) and not t):
            raise UnknownCacheError(f"linear_cache.{i}: unexpected {type(t).__name__}")
    _audit(cache, out, "MiniMaxCache")
    return out


def _xlstm_tensors(cache: Any, steps: int) -> list[StateTensor]:
    # Per layer: C (B, heads, qk_head_dim, v_head_dim), n (B, heads, qk_head_dim), m (B, heads, 1).
    out: list[StateTensor] = []
    for layer, triple in cache.rnn_state.items():
        for name, t in zip(("C", "n", "m"), triple, strict=True):
            out.append(StateTensor(f"rnn_state.{layer}.{name}", t))
    # allocated up front, so the counter advances from the first token
    _audit(cache, out, "xLSTMCache", _checked_clocks(cache, "xLSTMCache", steps, holds_state=True))
    return out


def _rwkv_tensors(state: list) -> list[StateTensor]:
    # RWKV-4: 5 tensors (B, hidden, layers): ffn shift, attn shift, num, den, max.
    out = []
    for i, t in enumerate(state):
        if not isinstance(t, torch.Tensor):
            raise UnknownCacheError(f"RWKV state[{i}] is a {type(t).__name__}, not a tensor")
        out.append(StateTensor(f"state[{i}]", t))
    return out


def cache_state_tensors(cache: Any, steps: int) -> list[StateTensor]:
    """Every tensor a transformers cache carries to the next step (None: nothing yet).

    `steps` is the number of tokens the cache has read: a token counter in the
    cache is the clock only if it holds exactly that.
    """
    if cache is None:
        return []
    if isinstance(cache, list):
        return _rwkv_tensors(cache)
    kind = type(cache).__name__
    if kind == "DynamicCache":
        from transformers import cache_utils as cu

        if type(cache) is cu.DynamicCache:
            out = _dynamic_cache_tensors(cache, steps)
            _audit(cache, out, "DynamicCache")
            return out
    if kind == "MiniMaxCache":
        return _minimax_tensors(cache, steps)
    if kind == "xLSTMCache":
        return _xlstm_tensors(cache, steps)
    raise UnknownCacheError(f"cache class {type(cache).__module__}.{kind} is not known to the state walker")
