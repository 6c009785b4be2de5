"""Causal linear attention: softmax(q k^T) replaced by phi(q) phi(k)^T.

    S_t = S_{t-1} + phi(k_t) v_t^T      (B, H, F, dh)
    z_t = z_{t-1} + phi(k_t)            (B, H, F)
    y_t = phi(q_t)^T S_t / (phi(q_t)^T z_t + eps)

Feature maps: `elu` (phi(x) = elu(x) + 1, F = d_key) or `taylor`, the
Based-style second-order Taylor map of exp(q.k) (phi(x) = [1, x/r, x x^T /
(sqrt(2) r^2)] with r = d_key^(1/4), F = 1 + d_key + d_key^2). State is
constant in t: E and C hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from osp.runtime.models._lm import LMConfig, MixerLM, seeded

FEATURE_MAPS = ("elu", "taylor")


@dataclass(frozen=True)
class LinearAttentionConfig(LMConfig):
    n_heads: int = 4
    d_key: int = 8
    feature_map: str = "elu"
    eps: float = 1e-6

    def __post_init__(self):
        super().__post_init__()
        if self.n_heads < 1 or self.d_model % self.n_heads:
            raise ValueError(f"n_heads must divide d_model ({self.d_model}), got {self.n_heads}")
        if self.feature_map not in FEATURE_MAPS:
            raise ValueError(f"feature_map must be one of {', '.join(FEATURE_MAPS)}, got {self.feature_map!r}")
        if self.d_key < 1:
            raise ValueError(f"d_key must be >= 1, got {self.d_key}")


class LinearAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, d_key: int, feature_map: str, eps: float):
        super().__init__()
        self.n_heads, self.d_key, self.d_head = n_heads, d_key, d_model // n_heads
        self.feature_map, self.eps = feature_map, eps
        self.qk = nn.Linear(d_model, 2 * n_heads * d_key)
        self.v = nn.Linear(d_model, d_model)
        self.proj = nn.Linear(d_model, d_model)

    @property
    def d_feature(self) -> int:
        return self.d_key if self.feature_map == "elu" else 1 + self.d_key + self.d_key ** 2

    def phi(self, x):  # (..., d_key) -> (..., F)
        if self.feature_map == "elu":
            return F.elu(x) + 1
        r = self.d_key ** 0.25
        x = x / r
        second = (x[..., :, None] * x[..., None, :]).flatten(-2) / 2 ** 0.5
        return torch.cat([torch.ones_like(x[..., :1]), x, second], dim=-1)

    def _project(self, x):  # (B, T, D) -> phi(q), phi(k): (B, H, T, F); v: (B, H, T, dh)
        B, T, _ = x.shape
        q, k = self.qk(x).view(B, T, 2, self.n_heads, self.d_key).permute(2, 0, 3, 1, 4)
        v = self.v(x).view(B, T, self.n_heads, self.d_head).transpose(1, 2)
        return self.phi(q), self.phi(k), v

    def init_state(self, batch, device, dtype):
        return {"S": torch.zeros(batch, self.n_heads, self.d_feature, self.d_head, device=device, dtype=dtype),
                "z": torch.zeros(batch, self.n_heads, self.d_feature, device=device, dtype=dtype)}

    def forward(self, x, naive: bool = False, return_state: bool = False):
        B, T, D = x.shape
        q, k, v = self._project(x)
        if naive:
            y = torch.empty_like(v)
            for t in range(T):  # y_t = sum_{i<=t} (q_t . k_i) v_i / sum_{i<=t} q_t . k_i, recomputed from scratch
                w = (q[:, :, t:t + 1] * k[:, :, :t + 1]).sum(-1)  # (B, H, t+1)
                y[:, :, t] = (w[..., None] * v[:, :, :t + 1]).sum(2) / (w.sum(-1, keepdim=True) + self.eps)
        else:
            a = (q @ k.transpose(-1, -2)).tril()  # (B, H, T, T)
            y = (a @ v) / (a.sum(-1, keepdim=True) + self.eps)
        out = self.proj(y.transpose(1, 2).reshape(B, T, D))
        if return_state:
            return out, {"S": k.transpose(-1, -2) @ v, "z": k.sum(2)}
        return out

    def step(self, state, x):
        B, D = x.shape
        q, k, v = (t[:, :, 0] for t in self._project(x[:, None]))  # (B, H, F) and (B, H, dh)
        S = state["S"] + k[..., :, None] * v[..., None, :]
        z = state["z"] + k
        y = (q[..., None, :] @ S)[..., 0, :] / ((q * z).sum(-1, keepdim=True) + self.eps)  # (B, H, dh)
        return self.proj(y.reshape(B, D)), {"S": S, "z": z}


def build(config: LinearAttentionConfig = LinearAttentionConfig()) -> MixerLM:
    return seeded(config, lambda: MixerLM("linear-attention", config, [
        LinearAttention(config.d_model, config.n_heads, config.d_key, config.feature_map, config.eps)
        for _ in range(config.n_layers)]))
