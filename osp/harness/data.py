"""The four disjoint data splits and the seeds that draw them.

Every batch is drawn from its own seed, built so that no two splits (and no
two batches of one split) can share one:

    seed_of(run_seed, split, index) = (run_seed << 36) | (split_id << 32) | index

train (model fitting), validation (early stopping, model and learning-rate
choice), calibration (Theorem 2's radius R) and test (every reported number).
Training data are always fresh: a new batch every step.
"""

from __future__ import annotations

from dataclasses import dataclass

from osp import mqar

SPLITS = {"train": 0, "validation": 1, "calibration": 2, "test": 3}
MAX_RUN_SEED = 2 ** 27 - 1  # seed_of stays below 2^63
MAX_INDEX = 2 ** 32 - 1


def seed_of(run_seed: int, split: str, index: int) -> int:
    if not 0 <= run_seed <= MAX_RUN_SEED:
        raise ValueError(f"seed must lie in [0, {MAX_RUN_SEED}], got {run_seed}")
    if not 0 <= index <= MAX_INDEX:
        raise ValueError(f"batch index must lie in [0, {MAX_INDEX}], got {index}")
    return (run_seed << 36) | (SPLITS[split] << 32) | index


@dataclass(frozen=True)
class Task:
    """What a run trains and scores on: one length, several pair counts, the
    layout of each (one for a neural model; a witness's key alphabet grows with N)."""

    layouts: tuple[tuple[int, mqar.MqarLayout], ...]  # (N, layout), N increasing
    pairs: tuple[int, ...]
    length: int

    def __post_init__(self):
        if not self.pairs or any(n < 1 for n in self.pairs):
            raise ValueError(f"pair counts must be >= 1, got {list(self.pairs)}")
        if len({lay.num_values for _, lay in self.layouts}) != 1:
            raise ValueError("every pair count of a run must share one value alphabet")
        for n, lay in self.layouts:
            if lay.name == "zoology" and lay.vocab_size <= self.length:
                raise ValueError(f"zoology's generator needs vocab_size > length, got {lay.vocab_size} <= {self.length}")
            cap = lay.max_pairs(self.length)
            if n > cap:
                raise ValueError(f"{n} pairs do not fit: length {self.length} and the {lay.name} layout "
                                 f"(V = {lay.num_values}, K = {lay.num_keys}) allow at most {cap} (N <= L/4)")

    def layout(self, pairs: int) -> mqar.MqarLayout:
        return dict(self.layouts)[pairs]

    @property
    def num_values(self) -> int:
        return self.layouts[0][1].num_values

    def batch(self, split: str, run_seed: int, index: int, pairs: int, size: int) -> mqar.MqarBatch:
        return mqar.generate(self.layout(pairs), pairs, size, seed_of(run_seed, split, index), self.length)

    def examples(self, split: str, run_seed: int, pairs: int, count: int, chunk: int = 256):
        """`count` examples of one split with `pairs` pairs, in batches of at most `chunk`.
        Batch indices are offset by the pair count, so each N has its own examples."""
        done, i = 0, 0
        while done < count:
            size = min(chunk, count - done)
            yield self.batch(split, run_seed, pairs * 4096 + i, pairs, size)
            done, i = done + size, i + 1


def default_length(pairs) -> int:
    """One length for every pair count of a run: max(64, 4 max N)."""
    return max(64, 4 * max(pairs))
