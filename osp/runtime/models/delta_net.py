"""The gated delta rule (Gated DeltaNet style), a fast-weight recurrence.

    S_t = a_t S_{t-1} (I - b_t k_t k_t^T) + b_t v_t k_t^T     (B, H, dv, dk)
    y_t = S_t q_t

with q, k L2-normalised, write strength b_t = sigmoid(.) in (0, 1) and decay
a_t = sigmoid(.) in (0, 1). The state is constant in t: E and C hold.

Parallel form (`forward`). With u_t = b_t (v_t - a_t S_{t-1} k_t) the update is
S_t = a_t S_{t-1} + u_t k_t^T, so S_t = sum_{i<=t} g(t, i) u_i k_i^T with
g(t, i) = a_{i+1} ... a_t. Substituting gives a unit lower-triangular system

    u_t + b_t sum_{i<t} g(t, i) (k_t . k_i) u_i = b_t v_t

solved at once (torch.linalg.solve_triangular), then
y_t = sum_{i<=t} g(t, i) (q_t . k_i) u_i. `naive=True` runs the recurrence.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from osp.runtime.models._lm import LMConfig, MixerLM, seeded


@dataclass(frozen=True)
class DeltaNetConfig(LMConfig):
    n_heads: int = 4
    d_key: int = 8
    gate_bias: float = 3.0  # initial decay sigmoid(3) ~ 0.95: memories last ~20 steps

    def __post_init__(self):
        super().__post_init__()
        if self.n_heads < 1 or self.d_model % self.n_heads:
            raise ValueError(f"n_heads must divide d_model ({self.d_model}), got {self.n_heads}")
        if self.d_key < 1:
            raise ValueError(f"d_key must be >= 1, got {self.d_key}")


class GatedDeltaRule(nn.Module):
    def __init__(self, d_model: int, n_heads: int, d_key: int, gate_bias: float):
        super().__init__()
        self.n_heads, self.d_key, self.d_head = n_heads, d_key, d_model // n_heads
        self.qk = nn.Linear(d_model, 2 * n_heads * d_key)
        self.v = nn.Linear(d_model, d_model)
        self.gates = nn.Linear(d_model, 2 * n_heads)  # write strength b, decay a
        with torch.no_grad():
            self.gates.bias[n_heads:].fill_(gate_bias)
        self.proj = nn.Linear(d_model, d_model)

    def _project(self, x):
        """x (B, T, D) -> q, k (B, H, T, dk), v (B, H, T, dv), b and log a (B, H, T)."""
        B, T, _ = x.shape
        q, k = self.qk(x).view(B, T, 2, self.n_heads, self.d_key).permute(2, 0, 3, 1, 4)
        q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)
        v = self.v(x).view(B, T, self.n_heads, self.d_head).transpose(1, 2)
        b, a = self.gates(x).transpose(1, 2).chunk(2, dim=1)  # (B, H, T)
        return q, k, v, torch.sigmoid(b), F.logsigmoid(a)

    def init_state(self, batch, device, dtype):
        return {"S": torch.zeros(batch, self.n_heads, self.d_head, self.d_key, device=device, dtype=dtype)}

    @staticmethod
    def _update(S, q, k, v, b, log_a):
        """One step of the rule: S (B, H, dv, dk); q, k (B, H, dk); v (B, H, dv); b, log_a (B, H)."""
        a = log_a.exp()[..., None, None]
        Sk = S @ k[..., None]  # (B, H, dv, 1)
        S = a * S - b[..., None, None] * (a * Sk) @ k[..., None, :] + b[..., None, None] * v[..., None] @ k[..., None, :]
        return S, (S @ q[..., None])[..., 0]

    def forward(self, x, naive: bool = False, return_state: bool = False):
        B, T, D = x.shape
        q, k, v, b, log_a = self._project(x)
        if naive:
            S = self.init_state(B, x.device, x.dtype)["S"]
            ys = []
            for t in range(T):
                S, y = self._update(S, q[:, :, t], k[:, :, t], v[:, :, t], b[:, :, t], log_a[:, :, t])
                ys.append(y)
            y = torch.stack(ys, dim=2)  # (B, H, T, dv)
        else:
            cum = log_a.cumsum(-1)  # (B, H, T)
            diff = cum[..., :, None] - cum[..., None, :]  # log g(t, i) for i <= t
            causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            g = diff.masked_fill(~causal, float("-inf")).exp()  # (B, H, T, T), zero above the diagonal
            system = torch.eye(T, device=x.device) + (b[..., None] * g * (k @ k.transpose(-1, -2))).tril(-1)
            u = torch.linalg.solve_triangular(system, b[..., None] * v, upper=False, unitriangular=True)
            y = (g * (q @ k.transpose(-1, -2))) @ u  # (B, H, T, dv)
            S = (g[..., -1, :, None] * u).transpose(-1, -2) @ k  # sum_i g(T, i) u_i k_i^T
        out = self.proj(y.transpose(1, 2).reshape(B, T, D))
        if return_state:
            return out, {"S": S}
        return out

    def step(self, state, x):
        B, D = x.shape
        q, k, v, b, log_a = (t[:, :, 0] for t in self._project(x[:, None]))
        S, y = self._update(state["S"], q, k, v, b, log_a)
        return self.proj(y.reshape(B, D)), {"S": S}


def build(config: DeltaNetConfig = DeltaNetConfig()) -> MixerLM:
    return seeded(config, lambda: MixerLM("delta-net", config, [
        GatedDeltaRule(config.d_model, config.n_heads, config.d_key, config.gate_bias)
        for _ in range(config.n_layers)]))
