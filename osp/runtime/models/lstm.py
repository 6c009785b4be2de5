"""An LSTM language model (torch.nn.LSTM).

State: per layer the hidden and cell vectors h, c (n_layers, B, hidden),
constant in t: E and C hold. `forward` uses torch.nn.LSTM over the whole
sequence (its fused kernel); `naive=True` writes the gate equations out
with the same weights:

    i, f, g, o = split(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
    c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g);   h_t = sigmoid(o) tanh(c_t)
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from osp.runtime.contract import OSP, StateTensor
from osp.runtime.models._lm import LMConfig, seeded


@dataclass(frozen=True)
class LSTMConfig(LMConfig):
    hidden: int = 32

    def __post_init__(self):
        super().__post_init__()
        if self.hidden < 1:
            raise ValueError(f"hidden must be >= 1, got {self.hidden}")
        if self.tie_embeddings:  # its head reads the hidden state, not the embedding space
            raise ValueError("lstm does not tie its head to the embeddings (tie_embeddings=true)")
        if self.positions:  # the recurrence orders the tokens itself; the setting would be ignored
            raise ValueError(f"lstm takes no position embeddings (positions={self.positions})")


class LSTMLM(nn.Module, OSP):
    def __init__(self, config: LSTMConfig):
        super().__init__()
        self.name = "lstm"
        self.config = config
        self.vocab_size = config.vocab_size
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.lstm = nn.LSTM(config.d_model, config.hidden, num_layers=config.n_layers, batch_first=True)
        self.head = nn.Linear(config.hidden, config.vocab_size, bias=False)

    def init_state(self, batch):
        w = self.head.weight
        zeros = torch.zeros(self.config.n_layers, batch, self.config.hidden, device=w.device, dtype=w.dtype)
        return {"h": zeros, "c": zeros.clone()}

    def step(self, state, tokens):
        y, (h, c) = self.lstm(self.embed(tokens)[:, None], (state["h"], state["c"]))  # y (B, 1, hidden)
        return {"h": h, "c": c}, self.head(y[:, 0])

    def _naive(self, x):  # x (B, T, D) -> outputs (B, T, hidden), final state
        hs, cs = [], []
        for layer in range(self.config.n_layers):
            W_ih, W_hh = getattr(self.lstm, f"weight_ih_l{layer}"), getattr(self.lstm, f"weight_hh_l{layer}")
            bias = getattr(self.lstm, f"bias_ih_l{layer}") + getattr(self.lstm, f"bias_hh_l{layer}")
            h = x.new_zeros(x.shape[0], self.config.hidden)
            c = torch.zeros_like(h)
            out = []
            for t in range(x.shape[1]):
                i, f, g, o = (x[:, t] @ W_ih.T + h @ W_hh.T + bias).chunk(4, dim=-1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
                out.append(h)
            x = torch.stack(out, dim=1)
            hs.append(h)
            cs.append(c)
        return x, {"h": torch.stack(hs), "c": torch.stack(cs)}

    def _run(self, tokens, naive):
        x = self.embed(tokens)  # (B, T, D)
        if naive:
            y, state = self._naive(x)
        else:
            y, (h, c) = self.lstm(x)
            state = {"h": h, "c": c}
        return self.head(y), state

    def forward(self, tokens, naive: bool = False):
        return self._run(tokens, naive)[0]

    def prefill(self, tokens):
        if tokens.shape[1] == 0:
            return self.init_state(tokens.shape[0])
        return self._run(tokens, False)[1]

    def state_tensors(self, state):
        # torch.nn.LSTM keeps (n_layers, B, hidden); listed batch-first (views, so changing them changes the
        # state) because the harness takes norms and quantizers per example along the first axis
        return [StateTensor("h", state["h"].transpose(0, 1)), StateTensor("c", state["c"].transpose(0, 1))]


def build(config: LSTMConfig = LSTMConfig()) -> LSTMLM:
    return seeded(config, lambda: LSTMLM(config))
