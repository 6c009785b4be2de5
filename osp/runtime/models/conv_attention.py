"""zoology's reference MQAR model: in every layer a gated short convolution
(zoology's BaseConv) and then causal attention.

    c = causal depthwise conv_k(u)       (B, T, D), kernel d_conv
    h = c * proj(u) + u                  the gate and BaseConv's own residual
    y = attention(h)                     attention.py

The convolution shows each token the d_conv - 1 tokens before it, which is
how a query's key finds the value stored right after that key; attention
alone has no order but its causal mask (and learned positions, if given).

State per layer: the convolution's last d_conv - 1 inputs (B, d_conv - 1, D),
constant in t, plus the attention's KV cache, 2 t D floats, growing in t: E
and C fail as they do for attention. `naive=True` runs the convolution as an
explicit sum over its taps and attention one query at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from osp.runtime.models._lm import MixerLM, seeded
from osp.runtime.models.attention import AttentionConfig, CausalSelfAttention


@dataclass(frozen=True)
class ConvAttentionConfig(AttentionConfig):
    d_conv: int = 3  # zoology's BaseConv kernel

    def __post_init__(self):
        super().__post_init__()
        if self.d_conv < 1:
            raise ValueError(f"d_conv must be >= 1, got {self.d_conv}")


class GatedShortConv(nn.Module):
    """zoology's BaseConv with a short kernel: u -> conv(u) * proj(u) + u."""

    def __init__(self, d_model: int, d_conv: int):
        super().__init__()
        self.d_conv = d_conv
        self.conv_weight = nn.Parameter(torch.randn(d_model, d_conv) / d_conv ** 0.5)  # depthwise, oldest tap first
        self.conv_bias = nn.Parameter(torch.zeros(d_model))
        self.proj = nn.Linear(d_model, d_model)

    def init_state(self, batch, device, dtype):
        return {"conv": torch.zeros(batch, self.d_conv - 1, self.conv_bias.shape[0], device=device, dtype=dtype)}

    def forward(self, u, naive: bool = False, return_state: bool = False):
        B, T, D = u.shape
        padded = F.pad(u, (0, 0, self.d_conv - 1, 0))  # (B, d_conv - 1 + T, D), zeros before the first token
        if naive:
            c = self.conv_bias + sum(padded[:, j:j + T] * self.conv_weight[:, j] for j in range(self.d_conv))
        else:
            c = F.conv1d(padded.transpose(1, 2), self.conv_weight[:, None], self.conv_bias,
                         groups=D).transpose(1, 2)  # (B, T, D)
        out = c * self.proj(u) + u
        if return_state:
            return out, {"conv": padded[:, T:]}  # the last d_conv - 1 inputs
        return out

    def step(self, state, u):
        window = torch.cat([state["conv"], u[:, None]], dim=1)  # (B, d_conv, D)
        c = (window * self.conv_weight.T).sum(1) + self.conv_bias  # (B, D)
        return c * self.proj(u) + u, {"conv": window[:, 1:]}


class ConvThenAttention(nn.Module):
    """One layer's mixer: the gated convolution, then attention; their states side by side."""

    def __init__(self, d_model: int, n_heads: int, d_conv: int):
        super().__init__()
        self.conv = GatedShortConv(d_model, d_conv)
        self.attention = CausalSelfAttention(d_model, n_heads)

    def init_state(self, batch, device, dtype):
        return {**self.conv.init_state(batch, device, dtype), **self.attention.init_state(batch, device, dtype)}

    def forward(self, x, naive: bool = False, return_state: bool = False):
        if not return_state:
            return self.attention(self.conv(x, naive), naive)
        h, conv_state = self.conv(x, naive, True)
        y, attention_state = self.attention(h, naive, True)
        return y, {**conv_state, **attention_state}

    def step(self, state, x):
        h, conv_state = self.conv.step({"conv": state["conv"]}, x)
        y, attention_state = self.attention.step({"k": state["k"], "v": state["v"]}, h)
        return y, {**conv_state, **attention_state}


def build(config: ConvAttentionConfig = ConvAttentionConfig()) -> MixerLM:
    return seeded(config, lambda: MixerLM("conv-attention", config, [
        ConvThenAttention(config.d_model, config.n_heads, config.d_conv) for _ in range(config.n_layers)]))
