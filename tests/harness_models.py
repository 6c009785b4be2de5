"""Tiny OSPs with known answers for the harness tests (no training)."""

import math

import torch

from osp.runtime.contract import OSP, StateTensor
from osp.runtime.witnesses.key_table import KeyTable

V = 4


class _ValueOSP(OSP):
    """Answers in values (B, V); reads the paper layout with keys [N]."""

    logits_over_values = True
    value_alphabet = V
    vocab_size = V

    def key_alphabet(self, num_pairs):
        return num_pairs

    def forward(self, tokens):
        return self.decode(tokens)[1]

    @staticmethod
    def is_value(tok):
        return (tok >= 1) & (tok <= V)


class LinearReadout(_ValueOSP):
    """s_T = A[v] in R^2 for the one stored value v; logits at a query = W s.
    R = max ||A[v]|| = 3 and Lam = ||W||_2 = 2 sqrt(2) exactly."""

    name = "linear-readout"
    W = 2.0 * torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])  # (V, 2)
    A = 3.0 * torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])  # (V, 2)
    LAM = 2.0 * math.sqrt(2.0)
    R = 3.0

    def init_state(self, batch):
        return {"s": torch.zeros(batch, 2)}

    def step(self, state, tokens):
        s = state["s"]
        logits = s @ self.W.T  # (B, V)
        stored = self.A[(tokens - 1).clamp(0, V - 1)]
        s = torch.where(self.is_value(tokens)[:, None], stored, s)
        return {"s": s}, logits

    def state_tensors(self, state):
        return [StateTensor("s", state["s"])]


class KnownBit(_ValueOSP):
    """State [0, 1, v / (V - 1)]: quantized to p bits per scalar (range [0, 1]) the
    stored value survives at p = 2 and loses its low bit at p = 1 (accuracy 1/2)."""

    name = "known-bit"

    def init_state(self, batch):
        s = torch.zeros(batch, 3)
        s[:, 1] = 1.0
        return {"s": s}

    def step(self, state, tokens):
        s = state["s"]
        x = s[:, 2:3] * (V - 1)  # (B, 1)
        logits = -(x - torch.arange(V, dtype=s.dtype)) ** 2  # nearest value wins
        new = s.clone()
        new[:, 2] = torch.where(self.is_value(tokens), (tokens - 1).to(s.dtype) / (V - 1), s[:, 2])
        return {"s": new}, logits

    def state_tensors(self, state):
        return [StateTensor("s", state["s"])]


class UnderDeclaredTable(KeyTable):
    """A key-table that recalls exactly but lists only its one-pair register as state."""

    name = "under-declared-table"

    def state_tensors(self, state):
        return [t for t in super().state_tensors(state) if t.name == "pending"]
