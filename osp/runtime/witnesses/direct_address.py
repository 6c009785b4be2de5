"""W3 direct-address memory (docs/theory.md section 6).

A table indexed by key with K(L) slots of ceil(log2 V) + 1 bits (the value
and a valid bit), plus the one-pair register of key_table.py. Any key
alphabet works, not only [N]: the price is K(L) slots whether or not a key
occurs, so the state grows with the key alphabet, which must grow with L for
Recall. O(1) word operations per step (no hashing: E holds in the worst
case, not only in expectation): E and R, not C.

Slots are allocated up to the largest key seen, so after a storing phase
with keys drawn from [K] the table holds about K slots.
"""

from __future__ import annotations

from dataclasses import dataclass

from osp.runtime.witnesses.key_table import KeyTable, KeyTableConfig


@dataclass(frozen=True)
class DirectAddressConfig(KeyTableConfig):
    pass


class DirectAddress(KeyTable):
    name = "direct-address"
    has_valid_bits = True

    def key_alphabet(self, num_pairs):
        return 2 * num_pairs  # K(L) = 2N: more keys than pairs, unknown in advance


def build(config: DirectAddressConfig = DirectAddressConfig()) -> DirectAddress:
    return DirectAddress(config)
