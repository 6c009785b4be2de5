"""Full causal softmax attention with a KV cache.

State after t tokens: per layer the keys and values of all t tokens,
2 * n_layers * B * t * d_model floats, so state bits grow linearly in t and the
step at position t costs O(t d) for the attention itself: E and C both fail.
No positional encoding (the causal mask alone orders the tokens); that keeps
the step function free of a position counter and changes nothing measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from osp.runtime.models._lm import LMConfig, MixerLM, seeded


@dataclass(frozen=True)
class AttentionConfig(LMConfig):
    n_heads: int = 4

    def __post_init__(self):
        super().__post_init__()
        if self.n_heads < 1 or self.d_model % self.n_heads:
            raise ValueError(f"n_heads must divide d_model ({self.d_model}), got {self.n_heads}")


class CausalSelfAttention(nn.Module):
    """Multi-head causal attention; subclasses restrict which keys a query sees."""

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    # -- what a subclass changes ------------------------------------------
    def visible(self, T: int, device) -> torch.Tensor:
        """(T, T) bool: query i may attend to key j."""
        return torch.ones(T, T, dtype=torch.bool, device=device).tril()

    def keep(self, k: torch.Tensor) -> torch.Tensor:
        """Which cached entries (B, H, t, dh) the next step still needs: all of them."""
        return k

    # ------------------------------------------------------------------------
    def _heads(self, x):  # (B, T, D) -> 3 x (B, H, T, dh)
        B, T, _ = x.shape
        q, k, v = self.qkv(x).split(self.n_heads * self.d_head, dim=-1)
        return [t.view(B, T, self.n_heads, self.d_head).transpose(1, 2) for t in (q, k, v)]

    def init_state(self, batch, device, dtype):
        empty = torch.zeros(batch, self.n_heads, 0, self.d_head, device=device, dtype=dtype)
        return {"k": empty, "v": empty.clone()}

    def forward(self, x, naive: bool = False, return_state: bool = False):
        B, T, D = x.shape
        q, k, v = self._heads(x)  # (B, H, T, dh)
        mask = self.visible(T, x.device)  # (T, T)
        if naive:
            y = torch.empty_like(q)
            for i in range(T):  # one query at a time, softmax over its visible keys
                idx = mask[i].nonzero().squeeze(-1)
                scores = (q[:, :, i:i + 1] @ k[:, :, idx].transpose(-1, -2)) / math.sqrt(self.d_head)
                y[:, :, i:i + 1] = scores.softmax(-1) @ v[:, :, idx]
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        out = self.proj(y.transpose(1, 2).reshape(B, T, D))
        if return_state:
            return out, {"k": self.keep(k), "v": self.keep(v)}
        return out

    def step(self, state, x):
        B, D = x.shape
        q, k, v = self._heads(x[:, None])  # (B, H, 1, dh)
        k = torch.cat([state["k"], k], dim=2)  # (B, H, t, dh)
        v = torch.cat([state["v"], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v)  # the new query sees every kept key
        return self.proj(y.transpose(1, 2).reshape(B, D)), {"k": self.keep(k), "v": self.keep(v)}


def build(config: AttentionConfig = AttentionConfig()) -> MixerLM:
    return seeded(config, lambda: MixerLM("attention", config, [
        CausalSelfAttention(config.d_model, config.n_heads) for _ in range(config.n_layers)]))
