"""What the witnesses share: the MQAR token layout, an MQAR generator, and a
word-RAM base class that counts its own operations.

Token layout (one token = one word):
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
from dataclasses import dataclass

import torch

from osp.runtime.contract import OSP
from osp.runtime.flops import StepCost


def bits_for(n_symbols: int) -> int:
    """Bits to store one of n_symbols distinct symbols (0 for a single symbol)."""
    return max(0, math.ceil(math.log2(n_symbols))) if n_symbols > 1 else 0


@dataclass(frozen=True)
class Mqar:
    """An MQAR batch (docs/theory.md section 2) in the witness token layout.

    tokens (B, L); `is_query` (B, L) marks the steps that read a queried key
    (those are scored); `target` (B, L) holds the value index expected there.
    """

    tokens: torch.Tensor
    is_query: torch.Tensor
    target: torch.Tensor


def make_mqar(batch: int, num_pairs: int, num_values: int, num_keys: int, seed: int, length: int | None = None) -> Mqar:
    """N pairs with distinct keys from [num_keys] and i.i.d. uniform values;
    storing phase `k v` in random order, then every key queried once in an
    independent random order with its true value teacher-forced after it;
    then fillers up to `length`."""
    if num_keys < num_pairs:
        raise ValueError(f"need num_keys >= num_pairs, got {num_keys} < {num_pairs}")
    g = torch.Generator().manual_seed(seed)
    L = 4 * num_pairs if length is None else length
    if L < 4 * num_pairs:
        raise ValueError(f"length {L} < 4 * num_pairs = {4 * num_pairs}")
    tokens = torch.zeros(batch, L, dtype=torch.long)
    is_query = torch.zeros(batch, L, dtype=torch.bool)
    target = torch.full((batch, L), -1, dtype=torch.long)
    for row in range(batch):
        keys = torch.randperm(num_keys, generator=g)[:num_pairs]
        values = torch.randint(0, num_values, (num_pairs,), generator=g)
        key_tok, val_tok = num_values + 1 + keys, 1 + values
        tokens[row, 0:2 * num_pairs:2] = key_tok
        tokens[row, 1:2 * num_pairs:2] = val_tok
        order = torch.randperm(num_pairs, generator=g)
        q0 = 2 * num_pairs
        tokens[row, q0:4 * num_pairs:2] = key_tok[order]
        tokens[row, q0 + 1:4 * num_pairs:2] = val_tok[order]
        is_query[row, q0:4 * num_pairs:2] = True
        target[row, q0:4 * num_pairs:2] = values[order]
    return Mqar(tokens, is_query, target)


def recall_accuracy(osp: OSP, mqar: Mqar) -> float:
    """Fraction of queries whose argmax prediction is the stored value."""
    _, logits = osp.decode(mqar.tokens)
    pred = logits.argmax(-1)
    return (pred[mqar.is_query] == mqar.target[mqar.is_query]).float().mean().item()


class WordRamWitness(OSP):
    """A non-neural OSP that counts its word operations (and tape reads)."""

    counts_own_ops = True
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

    def measured_recall(self, length: int, seed: int, batch: int = 4) -> float:
        """MQAR recall accuracy with N = length // 4 pairs (storing + queries = length)."""
        n = max(1, length // 4)
        return recall_accuracy(self, make_mqar(batch, n, self.num_values, self.key_alphabet(n), seed))

    def profile_input(self, batch, length, seed):
        """MQAR with N = length // 4 pairs, padded with fillers to `length`,
        then a query for the key stored last (the longest front-to-back scan
        among stored keys, so a rescan's step is at its worst)."""
        n = max(1, length // 4)
        mq = make_mqar(batch, n, self.num_values, self.key_alphabet(n), seed, length=max(length, 4 * n))
        tokens = mq.tokens[:, :length]
        last_key = mq.tokens[:, 2 * n - 2:2 * n - 1]
        return torch.cat([tokens, last_key], dim=1)
