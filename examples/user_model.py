"""A user's own model as an Online Sequence Processor: a tiny gated recurrent network.

    osp profile examples/user_model.py:build --set d_model=16 --lengths 8,16,32
    osp measure examples/user_model.py:build --pairs 4 --steps 200

The OSP contract (osp/runtime/contract.py) asks for four methods. Everything the
model carries from one token to the next must be listed by `state_tensors`:
osp reads the state bits from those live tensors, never from a declaration.
Here that is one vector h of d_model float32 scalars per sequence, so the state
is d_model * 32 bits at every length (C holds), and Theorem 1 bounds what it
can recall: N * Dfn(eps, V) <= d_model * 32.

    z_t = sigmoid(W_z [e(x_t); h_{t-1}])          update gate
    c_t = tanh(W_c [e(x_t); h_{t-1}])             candidate
    h_t = (1 - z_t) h_{t-1} + z_t c_t             the state
    logits_t = W_o h_t
"""

from __future__ import annotations

import torch
from torch import nn

from osp.runtime.contract import OSP, StateTensor


class TinyGatedRNN(nn.Module, OSP):
    def __init__(self, vocab_size: int, d_model: int):
        super().__init__()
        self.name = "tiny-gated-rnn"
        self.vocab_size = vocab_size
        self.d_model = d_model
        self.embed = nn.Embedding(vocab_size, d_model)
        self.gate = nn.Linear(2 * d_model, d_model)
        self.candidate = nn.Linear(2 * d_model, d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def init_state(self, batch: int) -> torch.Tensor:
        return torch.zeros(batch, self.d_model, device=self.head.weight.device)  # (B, D)

    def step(self, state: torch.Tensor, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.cat([self.embed(tokens), state], dim=-1)  # (B, 2D)
        z = torch.sigmoid(self.gate(x))
        h = (1 - z) * state + z * torch.tanh(self.candidate(x))  # (B, D)
        return h, self.head(h)  # logits (B, V)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.decode(tokens)[1]  # (B, T, V): a recurrence has no cheaper parallel form here

    def state_tensors(self, state: torch.Tensor) -> list[StateTensor]:
        return [StateTensor("h", state)]


def build(vocab_size: int = 64, d_model: int = 32, seed: int = 0) -> TinyGatedRNN:
    """The factory osp calls; `--set d_model=16` becomes build(d_model=16)."""
    if vocab_size < 2 or d_model < 1:
        raise ValueError(f"need vocab_size >= 2 and d_model >= 1, got {vocab_size} and {d_model}")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return TinyGatedRNN(vocab_size, d_model)
