"""W4 fixed-precision window (docs/theory.md section 6).

The state is the last w tokens, each reduced to a p-bit code (not the raw
token, whose width grows with the key alphabet):
    filler -> 0, value j -> 1 + j, key i -> V + 1 + (i mod (2^p - V - 1)).
At a key step the witness looks back through the window for the newest
occurrence of the key's code followed by a value code and answers that
value. State w * p bits and O(w) word operations per step, constants in L:
E and C. Recall collapses: only pairs inside the last w tokens can be
answered (and distinct keys sharing a code collide), as Theorem 1 demands
of any processor with constant state.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from osp.runtime.contract import StateTensor
from osp.runtime.witnesses._base import WordRamWitness


@dataclass(frozen=True)
class WindowConfig:
    num_values: int = 16
    window: int = 8
    precision_bits: int = 8

    def __post_init__(self):
        if self.window < 2:
            raise ValueError(f"window must be >= 2 (a key and its value), got {self.window}")
        if 2 ** self.precision_bits < self.num_values + 2:
            raise ValueError(f"precision_bits must give at least num_values + 2 = {self.num_values + 2} codes, "
                             f"got 2^{self.precision_bits}")


class Window(WordRamWitness):
    name = "window"

    def __init__(self, config: WindowConfig = WindowConfig()):
        super().__init__(config.num_values)
        self.config = config
        self.key_codes = 2 ** config.precision_bits - config.num_values - 1

    def code(self, tok: int) -> int:
        self.op()
        if self.is_key(tok):
            return self.num_values + 1 + self.key_index(tok) % self.key_codes
        return tok  # filler 0 or value 1 .. V

    def init_state(self, batch):
        return {"codes": torch.zeros(batch, self.config.window, dtype=torch.long)}  # oldest first

    def step(self, state, tokens):
        answers = []
        w = self.config.window
        for row, tok in enumerate(tokens.tolist()):
            answer = None
            self.op()  # classify the token
            c = self.code(tok)
            codes = state["codes"][row]
            if self.is_key(tok):
                # a fixed-time scan of every pair slot (no early exit), so the
                # measured cost is the worst case at every step; the newest match wins
                for i in range(w - 1):
                    self.op(2)  # compare the code, check the next one is a value
                    nxt = int(codes[i + 1])
                    if int(codes[i]) == c and 1 <= nxt <= self.num_values:
                        answer = nxt - 1
                self.op()  # emit
            self.op(w)  # shift the window by one
            state["codes"][row] = torch.cat([codes[1:], torch.tensor([c])])
            answers.append(answer)
        return state, self.answer_logits(answers)

    def state_tensors(self, state):
        # each code is one of 2^p symbols by construction (see `code`)
        return [StateTensor("codes", state["codes"], bits_per_element=self.config.precision_bits)]


def build(config: WindowConfig = WindowConfig()) -> Window:
    return Window(config)
