"""W4 decaying linear recurrence at fixed precision (docs/theory.md section 6).

State: a matrix M (V, d) of p-bit fixed-point integers in
[-2^(p-1), 2^(p-1) - 1], a key code register c (d signs, 1 bit each) and a
1-bit flag saying the register is armed. Each key i has a fixed pseudo-random
code c(i) in {-1, +1}^d (a hash of i and the seed: private randomness chosen
once, independent of the input). Each step

    M <- M * decay rounded toward 0            (decay = decay_num / 2^decay_shift)
    on a value j right after a key i:  M[j] <- clip(M[j] + amplitude * c(i))
    on a key i: answer argmax_j M[j] . c(i)

State V d p + d + 1 bits and O(V d) word operations per step, constants in
L: E and C. Old pairs decay to zero after about p / log2(1/decay) steps, so
recall collapses as the number of pairs grows (Theorem 1; Theorem 2 for
margins).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from osp.runtime.contract import StateTensor
from osp.runtime.witnesses._base import WordRamWitness

_MASK64 = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64 finaliser: a fixed hash of one word."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


@dataclass(frozen=True)
class DecayingRecurrenceConfig:
    num_values: int = 16
    d: int = 16
    precision_bits: int = 8
    decay_num: int = 7
    decay_shift: int = 3
    seed: int = 0

    def __post_init__(self):
        if self.d < 1:
            raise ValueError(f"d must be >= 1, got {self.d}")
        if self.precision_bits < 3:
            raise ValueError(f"precision_bits must be >= 3, got {self.precision_bits}")
        if not 0 < self.decay_num < 2 ** self.decay_shift:
            raise ValueError("decay = decay_num / 2^decay_shift must lie in (0, 1)")


class DecayingRecurrence(WordRamWitness):
    name = "decaying-recurrence"

    def __init__(self, config: DecayingRecurrenceConfig = DecayingRecurrenceConfig()):
        super().__init__(config.num_values)
        self.config = config
        self.lo, self.hi = -2 ** (config.precision_bits - 1), 2 ** (config.precision_bits - 1) - 1
        self.amplitude = 2 ** (config.precision_bits - 2)

    def key_code(self, i: int) -> torch.Tensor:
        d = self.config.d
        self.op(d)
        h = [_mix((self.config.seed << 40) ^ (i * d + j)) & 1 for j in range(d)]
        return torch.tensor(h, dtype=torch.long) * 2 - 1  # (d,) in {-1, +1}

    def init_state(self, batch):
        V, d = self.num_values, self.config.d
        return {"M": torch.zeros(batch, V, d, dtype=torch.long),
                "code": torch.ones(batch, d, dtype=torch.long),  # any code: unused until armed
                "armed": torch.zeros(batch, dtype=torch.bool)}

    def step(self, state, tokens):
        V, d, cfg = self.num_values, self.config.d, self.config
        answers = []
        for row, tok in enumerate(tokens.tolist()):
            answer = None
            self.op()  # classify the token
            self.op(V * d)  # decay every entry (multiply and shift)
            M = state["M"][row]
            M = M.sign() * ((M.abs() * cfg.decay_num) >> cfg.decay_shift)  # rounds toward 0: old entries die
            if self.is_key(tok):
                c = self.key_code(self.key_index(tok))
                self.op(2 * V * d + V)  # V dot products and an argmax
                answer = int((M @ c).argmax())
                state["code"][row] = c
                state["armed"][row] = True
            else:
                if self.is_value(tok) and state["armed"][row]:
                    self.op(2 * d)  # add and clip one row
                    j = tok - 1
                    M[j] = (M[j] + self.amplitude * state["code"][row]).clamp(self.lo, self.hi)
                self.op()
                state["armed"][row] = False
            state["M"][row] = M
            answers.append(answer)
        return state, self.answer_logits(answers)

    def state_tensors(self, state):
        return [
            # clipped to [-2^(p-1), 2^(p-1) - 1]: p bits each
            StateTensor("M", state["M"], bits_per_element=self.config.precision_bits),
            # entries in {-1, +1}: 1 bit each
            StateTensor("code", state["code"], bits_per_element=1),
            StateTensor("armed", state["armed"]),  # bool
        ]


def build(config: DecayingRecurrenceConfig = DecayingRecurrenceConfig()) -> DecayingRecurrence:
    return DecayingRecurrence(config)
