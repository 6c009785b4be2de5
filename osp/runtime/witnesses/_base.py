"""What the witnesses share: a word-RAM base class that counts its own operations.

Witnesses read MQAR in the "paper" token layout of osp.mqar (one token = one word):
    0            filler
    1 .. V       value j is token 1 + j       (value alphabet of size V)
    V + 1 + i    key i, for any i >= 0       (the key alphabet is open-ended,
                                             so it can grow with L)
A witness answers at the step that reads a key: its logits (B, V) are one-hot
on the value it recalls, all zero when it has no answer (argmax then guesses
value 0). Witnesses are CPU, batch rows run one after another.

Cost unit (osp.runtime.flops): one word operation (a compare, an add, a
table read or write of one word, emitting the answer) = 1 unit; one tape
read = 1 unit. Each witness counts them explicitly where it does them.
Allocating zeroed table slots counts 1 per step (the word RAM's O(1)
zero-initialised allocation; the sparse-array initialisation trick makes
this worst-case O(1) with 3x the space).
"""

from __future__ import annotations

import math

import torch

from osp import mqar
from osp.runtime.contract import OSP
from osp.runtime.flops import StepCost


def bits_for(n_symbols: int) -> int:
    """Bits to store one of n_symbols distinct symbols (0 for a single symbol)."""
    return max(0, math.ceil(math.log2(n_symbols))) if n_symbols > 1 else 0


class WordRamWitness(OSP):
    """A non-neural OSP that counts its word operations (and tape reads)."""

    counts_own_ops = True
    logits_over_values = True
    mutates_state = True  # a word RAM updates its table in place

    def __init__(self, num_values: int):
        if num_values < 2:
            raise ValueError(f"num_values must be >= 2, got {num_values}")
        self.num_values = num_values
        self.value_alphabet = num_values
        self.vocab_size = num_values  # outputs are values
        self.word_ops = 0
        self.tape_reads = 0

    # token classes, 1 word op each where the witness does it
    def is_key(self, tok: int) -> bool:
        return tok > self.num_values

    def key_index(self, tok: int) -> int:
        return tok - self.num_values - 1

    def is_value(self, tok: int) -> bool:
        return 1 <= tok <= self.num_values

    def op(self, n: int = 1) -> None:
        self.word_ops += n

    def answer_logits(self, answers: list[int | None]) -> torch.Tensor:
        logits = torch.zeros(len(answers), self.num_values)
        for row, a in enumerate(answers):
            if a is not None:
                logits[row, a] = 1.0
        return logits

    def forward(self, tokens):
        """No parallel form: a witness's forward is its step-by-step run."""
        return self.decode(tokens)[1]

    def measure_step(self, state, tokens) -> StepCost:
        self.word_ops = self.tape_reads = 0
        self.step(state, tokens)
        return StepCost(word_ops=self.word_ops, tape_reads=self.tape_reads)

    def key_alphabet(self, num_pairs: int) -> int:
        """Key alphabet size K(N) >= N used for profiling input."""
        return 2 * num_pairs

    def mqar_batch(self, num_pairs: int, batch: int, seed: int, length: int | None = None) -> mqar.MqarBatch:
        """MQAR in the paper layout over this witness's key alphabet K(N)."""
        layout = mqar.paper_layout(self.num_values, self.key_alphabet(num_pairs))
        return mqar.generate(layout, num_pairs, batch, seed, length)

    def recall_accuracy(self, batch: mqar.MqarBatch) -> float:
        """Fraction of queries answered with the stored value (argmax over the values)."""
        _, logits = self.decode(batch.tokens)
        errors = mqar.error_fractions(mqar.query_value_logits(logits, batch, over_values=True), batch)
        return 1.0 - float(errors.mean())

    def measured_recall(self, length: int, seed: int, batch: int = 4) -> float:
        """MQAR recall accuracy with N = length // 4 pairs (storing + queries = length)."""
        n = max(1, length // 4)
        return self.recall_accuracy(self.mqar_batch(n, batch, seed))

    def profile_input(self, batch, length, seed):
        """MQAR with N = length // 4 pairs, padded with fillers to `length`,
        then a query for the key stored last (the longest front-to-back scan
        among stored keys, so a rescan's step is at its worst)."""
        n = max(1, length // 4)
        mq = self.mqar_batch(n, batch, seed, length=max(length, 4 * n))
        tokens = mq.tokens[:, :length]
        last_key = mq.tokens[:, 2 * n - 2:2 * n - 1]
        return torch.cat([tokens, last_key], dim=1)
