"""A selective state-space layer in the Mamba (S6) style.

    x, z = in_proj(u)                                   (B, T, E) each, E = expand * D
    x = silu(causal depthwise conv(x))                  kernel d_conv
    dt = softplus(dt_proj(.)), B_t, C_t = x_proj(x)      input-dependent ("selective")
    h_t = exp(dt_t A) * h_{t-1} + dt_t B_t x_t          (B, E, N) per step
    y_t = C_t . h_t + D x_t;   out = out_proj(y * silu(z))

State: the conv's last d_conv - 1 inputs (B, E, d_conv - 1) and h (B, E, N),
constant in t. `forward` runs the recurrence as a parallel (Hillis-Steele)
associative scan over (decay, input) pairs; `naive=True` runs it one step at
a time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from osp.runtime.models._lm import LMConfig, MixerLM, seeded


@dataclass(frozen=True)
class MambaConfig(LMConfig):
    d_state: int = 8
    d_conv: int = 4
    expand: int = 2

    def __post_init__(self):
        super().__post_init__()
        for name in ("d_state", "d_conv", "expand"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")


def parallel_scan(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """h_t = a_t * h_{t-1} + b_t with h_0 = 0, along dim 1, in log2(T) rounds.

    Combining (a1, b1) then (a2, b2) gives (a1 a2, a2 b1 + b2); after the round
    with offset o, position t holds the combination of the 2o inputs ending at t.
    """
    T = a.shape[1]
    offset = 1
    while offset < T:
        b = torch.cat([b[:, :offset], a[:, offset:] * b[:, :-offset] + b[:, offset:]], dim=1)
        a = torch.cat([a[:, :offset], a[:, offset:] * a[:, :-offset]], dim=1)
        offset *= 2
    return b


def sequential_scan(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    h = torch.zeros_like(b[:, 0])
    out = []
    for t in range(a.shape[1]):
        h = a[:, t] * h + b[:, t]
        out.append(h)
    return torch.stack(out, dim=1)


class SelectiveSSM(nn.Module):
    def __init__(self, d_model: int, d_state: int, d_conv: int, expand: int):
        super().__init__()
        E = expand * d_model
        self.d_inner, self.d_state, self.d_conv = E, d_state, d_conv
        self.dt_rank = max(1, math.ceil(d_model / 16))
        self.in_proj = nn.Linear(d_model, 2 * E)
        self.conv_weight = nn.Parameter(torch.randn(E, d_conv) / math.sqrt(d_conv))  # depthwise
        self.conv_bias = nn.Parameter(torch.zeros(E))
        self.x_proj = nn.Linear(E, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, E)
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32)).repeat(E, 1))
        self.D = nn.Parameter(torch.ones(E))
        self.out_proj = nn.Linear(E, d_model)

    def _select(self, x):  # x (..., E) -> decay, input scale (..., E, N) and C (..., N)
        dt, Bm, Cm = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        dt = F.softplus(self.dt_proj(dt))  # (..., E)
        A = -torch.exp(self.A_log)  # (E, N), negative: the state decays
        decay = torch.exp(dt[..., None] * A)
        drive = (dt * x)[..., None] * Bm[..., None, :]
        return decay, drive, Cm

    def init_state(self, batch, device, dtype):
        return {"conv": torch.zeros(batch, self.d_inner, self.d_conv - 1, device=device, dtype=dtype),
                "h": torch.zeros(batch, self.d_inner, self.d_state, device=device, dtype=dtype)}

    def forward(self, u, naive: bool = False, return_state: bool = False):
        B, T, _ = u.shape
        x, z = self.in_proj(u).chunk(2, dim=-1)  # (B, T, E)
        xc = F.conv1d(F.pad(x.transpose(1, 2), (self.d_conv - 1, 0)), self.conv_weight[:, None], self.conv_bias,
                      groups=self.d_inner).transpose(1, 2)
        xc = F.silu(xc)
        decay, drive, Cm = self._select(xc)  # (B, T, E, N)
        h = (sequential_scan if naive else parallel_scan)(decay, drive)  # (B, T, E, N)
        y = (h * Cm[:, :, None, :]).sum(-1) + self.D * xc  # (B, T, E)
        out = self.out_proj(y * F.silu(z))
        if return_state:
            tail = F.pad(x.transpose(1, 2), (self.d_conv - 1, 0))[:, :, T:]  # last d_conv - 1 conv inputs
            return out, {"conv": tail, "h": h[:, -1]}
        return out

    def step(self, state, u):
        x, z = self.in_proj(u).chunk(2, dim=-1)  # (B, E)
        window = torch.cat([state["conv"], x[:, :, None]], dim=2)  # (B, E, d_conv)
        xc = F.silu((window * self.conv_weight).sum(-1) + self.conv_bias)
        decay, drive, Cm = self._select(xc)  # (B, E, N)
        h = decay * state["h"] + drive
        y = (h * Cm[:, None, :]).sum(-1) + self.D * xc
        return self.out_proj(y * F.silu(z)), {"conv": window[:, :, 1:], "h": h}


def build(config: MambaConfig = MambaConfig()) -> MixerLM:
    return seeded(config, lambda: MixerLM("mamba", config, [
        SelectiveSSM(config.d_model, config.d_state, config.d_conv, config.expand) for _ in range(config.n_layers)]))
