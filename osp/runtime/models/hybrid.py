"""A hybrid: recurrent layers with a share of full-attention layers.

`attention_share` of the `n_layers` layers (rounded, spread evenly, the last
layer first) are causal attention; the rest use the `recurrent` mixer. The
state is the union of the layers' states: a constant from the recurrent
layers plus a KV cache growing linearly in t from each attention layer, so
one attention layer already costs C (and E). Sweeping the share traces the
hybrid's path in the triangle picture (docs/theory.md section 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from osp.runtime.models._lm import LMConfig, MixerLM, seeded
from osp.runtime.models.attention import CausalSelfAttention
from osp.runtime.models.delta_net import GatedDeltaRule
from osp.runtime.models.linear_attention import LinearAttention
from osp.runtime.models.mamba import SelectiveSSM

RECURRENT = ("mamba", "delta-net", "linear-attention")


@dataclass(frozen=True)
class HybridConfig(LMConfig):
    n_layers: int = 4
    attention_share: float = 0.25
    recurrent: str = "mamba"
    n_heads: int = 4
    d_key: int = 8
    d_state: int = 8

    def __post_init__(self):
        super().__post_init__()
        if not 0.0 <= self.attention_share <= 1.0:
            raise ValueError(f"attention_share must lie in [0, 1], got {self.attention_share}")
        if self.recurrent not in RECURRENT:
            raise ValueError(f"recurrent must be one of {', '.join(RECURRENT)}, got {self.recurrent!r}")
        if self.n_heads < 1 or self.d_model % self.n_heads:
            raise ValueError(f"n_heads must divide d_model ({self.d_model}), got {self.n_heads}")
        for name in ("d_key", "d_state"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")

    def attention_layers(self) -> list[int]:
        n_attn = round(self.attention_share * self.n_layers)
        return sorted({self.n_layers - 1 - (j * self.n_layers) // n_attn for j in range(n_attn)}) if n_attn else []


def _recurrent(config: HybridConfig):
    if config.recurrent == "mamba":
        return SelectiveSSM(config.d_model, config.d_state, d_conv=4, expand=2)
    if config.recurrent == "delta-net":
        return GatedDeltaRule(config.d_model, config.n_heads, config.d_key, gate_bias=3.0)
    return LinearAttention(config.d_model, config.n_heads, config.d_key, "elu", 1e-6)


def build(config: HybridConfig = HybridConfig()) -> MixerLM:
    attn = set(config.attention_layers())
    return seeded(config, lambda: MixerLM("hybrid", config, [
        CausalSelfAttention(config.d_model, config.n_heads) if i in attn else _recurrent(config)
        for i in range(config.n_layers)]))
