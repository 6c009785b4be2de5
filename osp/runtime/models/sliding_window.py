"""Sliding-window causal attention: each query sees itself and the w - 1
tokens before it.

State after t tokens: only the last min(t, w - 1) keys and values per layer
(what the next query can still see), so state bits and per-step cost stop
growing once t >= w - 1: E and C hold, and recall of anything older than the
window is impossible. Everything else is full attention (attention.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from osp.runtime.models._lm import MixerLM, seeded
from osp.runtime.models.attention import AttentionConfig, CausalSelfAttention


@dataclass(frozen=True)
class SlidingWindowConfig(AttentionConfig):
    window: int = 16

    def __post_init__(self):
        super().__post_init__()
        if self.window < 1:
            raise ValueError(f"window must be >= 1, got {self.window}")


class SlidingWindowAttention(CausalSelfAttention):
    def __init__(self, d_model: int, n_heads: int, window: int):
        super().__init__(d_model, n_heads)
        self.window = window

    def visible(self, T, device):
        i = torch.arange(T, device=device)
        offset = i[:, None] - i[None, :]  # (T, T): how far back key j is from query i
        return (offset >= 0) & (offset < self.window)

    def keep(self, k):
        t = k.shape[2]
        return k[:, :, max(0, t - (self.window - 1)):]


def build(config: SlidingWindowConfig = SlidingWindowConfig()) -> MixerLM:
    return seeded(config, lambda: MixerLM("sliding-window", config, [
        SlidingWindowAttention(config.d_model, config.n_heads, config.window) for _ in range(config.n_layers)]))
