"""W1' key-indexed table (docs/theory.md section 6): keys known to be [N].

State: slot i holds the value of key i in ceil(log2 V) bits, no valid bit
(every key of [N] is stored before it is queried, so an unwritten slot is
never read for an answer that counts), plus a one-pair register: the key
just read, awaiting its value (1 + index, 0 = none), in
ceil(log2(slots + 1)) bits. After the storing phase the state is
N ceil(log2 V) + ceil(log2(N + 1)) bits: Theorem 1 at eps = 0 says
N log2 V <= b_T, so the table is tight up to rounding log2 V up and the
O(log N) register. O(1) word operations per step: E and R, not C.

Slots are allocated up to the largest key seen (keys are [N], so N slots
after the storing phase); `bits_per_element` is the packed width, the int64
storage is an implementation convenience.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from osp.runtime.contract import StateTensor
from osp.runtime.witnesses._base import WordRamWitness, bits_for


@dataclass(frozen=True)
class KeyTableConfig:
    num_values: int = 16

    def __post_init__(self):
        if self.num_values < 2:
            raise ValueError(f"num_values must be >= 2, got {self.num_values}")


class KeyTable(WordRamWitness):
    name = "key-table"
    has_valid_bits = False

    def __init__(self, config: KeyTableConfig = KeyTableConfig()):
        super().__init__(config.num_values)
        self.config = config

    def key_alphabet(self, num_pairs):
        return num_pairs  # W1': the keys are exactly [N]

    def init_state(self, batch):
        state = {"table": torch.zeros(batch, 0, dtype=torch.long), "pending": torch.zeros(batch, dtype=torch.long)}
        if self.has_valid_bits:
            state["valid"] = torch.zeros(batch, 0, dtype=torch.bool)
        return state

    def _grow(self, state, slots):
        if slots > state["table"].shape[1]:
            self.op()  # zero-initialised allocation (see _base)
            extra = slots - state["table"].shape[1]
            B = state["table"].shape[0]
            state["table"] = torch.cat([state["table"], torch.zeros(B, extra, dtype=torch.long)], dim=1)
            if self.has_valid_bits:
                state["valid"] = torch.cat([state["valid"], torch.zeros(B, extra, dtype=torch.bool)], dim=1)

    def step(self, state, tokens):
        answers = []
        for row, tok in enumerate(tokens.tolist()):
            answer = None
            self.op()  # classify the token
            if self.is_key(tok):
                i = self.key_index(tok)
                self._grow(state, i + 1)
                self.op(2)  # read slot (and its valid bit), set the register
                if not self.has_valid_bits or state["valid"][row, i]:
                    answer = int(state["table"][row, i])
                    self.op()  # emit
                state["pending"][row] = i + 1
            elif self.is_value(tok) and state["pending"][row] > 0:
                i = int(state["pending"][row]) - 1
                self.op(3)  # write slot, set valid, clear the register
                state["table"][row, i] = tok - 1
                if self.has_valid_bits:
                    state["valid"][row, i] = True
                state["pending"][row] = 0
            else:
                self.op()  # clear the register
                state["pending"][row] = 0
            answers.append(answer)
        return state, self.answer_logits(answers)

    def state_tensors(self, state):
        slots = state["table"].shape[1]
        tensors = [
            # a value index in [0, V): ceil(log2 V) bits
            StateTensor("table", state["table"], bits_per_element=bits_for(self.num_values)),
            # 0 (none) or 1 + a slot index: slots + 1 symbols
            StateTensor("pending", state["pending"], bits_per_element=bits_for(slots + 1)),
        ]
        if self.has_valid_bits:
            tensors.append(StateTensor("valid", state["valid"]))  # bool: 1 bit each
        return tensors


def build(config: KeyTableConfig = KeyTableConfig()) -> KeyTable:
    return KeyTable(config)
