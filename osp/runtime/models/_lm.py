"""The shared scaffold of the reference models: a pre-norm residual stack.

    tokens (B, T) -> embed -> [x + mixer(norm(x)); x + mlp(norm(x))] * n_layers -> norm -> head -> logits (B, T, V)

Only the mixer carries state between steps (the MLP and norms are per-token),
so a model's state is the list of its mixers' states. Each mixer keeps its
state as a dict of named tensors, so `state_tensors` lists them without any
per-model bookkeeping that could forget one. What a mixer must provide is
the `Mixer` protocol below; `MixerLM` refuses a layer that lacks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, runtime_checkable

import torch
from torch import nn

from osp.runtime.contract import OSP, StateTensor


@dataclass(frozen=True)
class LMConfig:
    vocab_size: int = 128
    d_model: int = 32
    n_layers: int = 2
    mlp_mult: int = 2
    seed: int = 0

    def __post_init__(self):
        for name in ("vocab_size", "d_model", "n_layers", "mlp_mult"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")


MixerState = dict[str, torch.Tensor]


@runtime_checkable
class Mixer(Protocol):
    """The sequence mixer of one layer: the only part of a block that carries state."""

    def init_state(self, batch: int, device: torch.device, dtype: torch.dtype) -> MixerState:
        """The state before any token: a dict of named tensors, each (B, ...)."""

    def step(self, state: MixerState, x: torch.Tensor) -> tuple[torch.Tensor, MixerState]:
        """One token: x (B, D) -> y (B, D) and the next state; must not mutate `state`."""

    def forward(self, x: torch.Tensor, naive: bool = False, return_state: bool = False):
        """A whole sequence: x (B, T, D) -> y (B, T, D), and the state after it when `return_state`.
        `naive=True` runs the slow, obvious reference the fast path is tested against."""


class RMSNorm(nn.Module):
    def __init__(self, d: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class MLP(nn.Module):
    def __init__(self, d: int, mult: int):
        super().__init__()
        self.up = nn.Linear(d, mult * d)
        self.down = nn.Linear(mult * d, d)

    def forward(self, x):
        return self.down(nn.functional.gelu(self.up(x)))


class Block(nn.Module):
    def __init__(self, d: int, mlp_mult: int, mixer: nn.Module):
        super().__init__()
        self.norm1 = RMSNorm(d)
        self.mixer = mixer
        self.norm2 = RMSNorm(d)
        self.mlp = MLP(d, mlp_mult)

    def wire(self, x, mix: Callable[[torch.Tensor], tuple]):
        """The residual wiring, for a step (x (B, D)) and a sequence (x (B, T, D)) alike:
        x + mixer(norm(x)), then x + mlp(norm(x)). `mix` runs the mixer and returns (y, state)."""
        y, state = mix(self.norm1(x))
        x = x + y
        return x + self.mlp(self.norm2(x)), state


class MixerLM(nn.Module, OSP):
    """A token model whose layers are `mixers` (one per layer)."""

    def __init__(self, name: str, config: LMConfig, mixers: list[nn.Module]):
        super().__init__()
        for i, m in enumerate(mixers):
            if not isinstance(m, Mixer):
                raise TypeError(f"{name}: layer {i}'s {type(m).__name__} is not a Mixer (init_state, step, forward)")
        self.name = name
        self.config = config
        self.vocab_size = config.vocab_size
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.blocks = nn.ModuleList(Block(config.d_model, config.mlp_mult, m) for m in mixers)
        self.norm_f = RMSNorm(config.d_model)
        self.head = nn.Linear(config.d_model, config.vocab_size, bias=False)

    def _param(self):
        return self.head.weight

    def init_state(self, batch: int):
        p = self._param()
        return [blk.mixer.init_state(batch, p.device, p.dtype) for blk in self.blocks]

    def step(self, state, tokens):
        x = self.embed(tokens)  # (B, D)
        new_state = []
        for blk, s in zip(self.blocks, state):
            x, s = blk.wire(x, lambda h: blk.mixer.step(s, h))  # noqa: B023 - called at once
            new_state.append(s)
        return new_state, self.head(self.norm_f(x))  # (B, V)

    def _run(self, tokens, naive: bool, return_state: bool):
        x = self.embed(tokens)  # (B, T, D)
        states = []
        for blk in self.blocks:
            def mix(h, blk=blk):
                out = blk.mixer(h, naive=naive, return_state=return_state)
                return out if return_state else (out, None)
            x, s = blk.wire(x, mix)
            states.append(s)
        return self.head(self.norm_f(x)), states  # (B, T, V)

    def forward(self, tokens, naive: bool = False):
        return self._run(tokens, naive, False)[0]

    def prefill(self, tokens):
        if tokens.shape[1] == 0:
            return self.init_state(tokens.shape[0])
        return self._run(tokens, False, True)[1]

    def state_tensors(self, state):
        return [StateTensor(f"layer{i}.{name}", t) for i, s in enumerate(state) for name, t in s.items()]


def seeded(config: LMConfig, build):
    """Build a module with weights drawn from `config.seed`, leaving the global RNG as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        return build()
