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
    #: learned absolute position embeddings for the first `positions` steps
    #: (0, the default: none). Full attention has no other way to tell which
    #: token came right before which, which MQAR needs.
    positions: int = 0
    #: the head reuses the token embeddings (zoology ties them): a value's
    #: logit is then the match of the hidden state with that value's own
    #: embedding, so one copying circuit serves every value, where an untied
    #: head must learn each value's row from the few queries that name it.
    tie_embeddings: bool = False

    def __post_init__(self):
        for name in ("vocab_size", "d_model", "n_layers", "mlp_mult"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.positions < 0:
            raise ValueError(f"positions must be >= 0, got {self.positions}")


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
        if config.tie_embeddings:  # the untied weight is still drawn, so the others stay as they were
            self.head.weight = self.embed.weight
        # created last, so the other weights drawn from the seed are the same with or without it
        self.pos = nn.Embedding(config.positions, config.d_model) if config.positions else None

    def _param(self):
        return self.head.weight

    def init_state(self, batch: int):
        p = self._param()
        state = [blk.mixer.init_state(batch, p.device, p.dtype) for blk in self.blocks]
        if self.pos is not None:  # the clock: a step index, free in the OSP model (it counts tokens only)
            state.append({"clock": torch.zeros(batch, dtype=torch.long, device=p.device)})
        return state

    def _embed(self, tokens, start: int | torch.Tensor = 0):
        x = self.embed(tokens)
        if self.pos is None:
            return x
        T = tokens.shape[1] if tokens.dim() == 2 else 1
        end = int(torch.as_tensor(start).max()) + T  # one read of the clock (a device sync per step)
        if end > self.config.positions:
            raise ValueError(f"{self.name}: position embeddings cover {self.config.positions} steps, got {end}")
        if tokens.dim() == 2:
            return x + self.pos(torch.arange(T, device=tokens.device))  # (B, T, D)
        return x + self.pos(start)  # (B, D)

    def step(self, state, tokens):
        mixers = state[:len(self.blocks)]
        x = self._embed(tokens, state[-1]["clock"] if self.pos is not None else 0)  # (B, D)
        new_state = []
        for blk, s in zip(self.blocks, mixers):
            x, s = blk.wire(x, lambda h: blk.mixer.step(s, h))  # noqa: B023 - called at once
            new_state.append(s)
        if self.pos is not None:
            new_state.append({"clock": state[-1]["clock"] + 1})
        return new_state, self.head(self.norm_f(x))  # (B, V)

    def _run(self, tokens, naive: bool, return_state: bool):
        """(final normalised hidden states (B, T, D), per-layer states)."""
        x = self._embed(tokens)  # (B, T, D)
        states = []
        for blk in self.blocks:
            def mix(h, blk=blk):
                out = blk.mixer(h, naive=naive, return_state=return_state)
                return out if return_state else (out, None)
            x, s = blk.wire(x, mix)
            states.append(s)
        if return_state and self.pos is not None:
            states.append({"clock": torch.full((tokens.shape[0],), tokens.shape[1], device=tokens.device)})
        return self.norm_f(x), states  # (B, T, D)

    def forward(self, tokens, naive: bool = False):
        return self.head(self._run(tokens, naive, False)[0])  # (B, T, V)

    def query_logits(self, tokens, positions, columns=None):
        """The head applied at `positions` (B, N) alone, on its `columns` rows alone."""
        h = self._run(tokens, False, False)[0]  # (B, T, D)
        h = h.gather(1, positions[:, :, None].expand(-1, -1, h.shape[-1]))  # (B, N, D)
        weight = self.head.weight if columns is None else self.head.weight[columns]  # (W, D)
        return nn.functional.linear(h, weight)  # (B, N, W)

    def prefill(self, tokens):
        if tokens.shape[1] == 0:
            return self.init_state(tokens.shape[0])
        return self._run(tokens, False, True)[1]

    def state_tensors(self, state):
        out = [StateTensor(f"layer{i}.{name}", t) for i, s in enumerate(state[:len(self.blocks)])
               for name, t in s.items()]
        if self.pos is not None:  # the clock is free (docs/theory.md section 1): listed, 0 bits
            out.append(StateTensor("clock", state[-1]["clock"], bits_per_element=0))
        return out


def seeded(config: LMConfig, build):
    """Build a module with weights drawn from `config.seed`, leaving the global RNG as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        return build()
