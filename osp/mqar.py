"""Multi-query associative recall (MQAR): the one generator, token layout and scorer.

Two layouts, both documented in docs/harness.md:

"paper" (docs/theory.md section 2, the distribution the theorems are about)
    tokens   0 filler | 1 .. V values (value j is token 1 + j) | V + 1 + i key i
    example  k v k v ... (N pairs, uniformly random storing order)
             k v k v ... (every key once, independent uniformly random order,
                          its true value teacher-forced after it)
             0 0 ...     (fillers up to the length L >= 4N)
    N distinct keys from [K], values i.i.d. uniform on [V].

"zoology" (zoology's `multiquery_ar`, arXiv 2312.04927)
    tokens   keys 1 .. vocab//2 - 1 (token 0 excluded) | values vocab//2 .. vocab - 1
    example  N pairs (distinct keys; values drawn WITHOUT replacement), then
             each key once at position 2N + 2g, the gaps g drawn without
             replacement with P(g) proportional to a g^(a - 1), a = 0.01
             (most queries land soon after the pairs); every other position
             is a uniform random token of the whole vocabulary (it may repeat
             a key: a distractor). No teacher forcing.
    Values without replacement cost Theorem 1 `delta_bits(N, V)`:
    N Dfn <= b_T + Delta.

A query is scored at the step that READS the queried key: the prediction
made there is the argmax of the logits over the value alphabet (V is the
value alphabet, never the vocabulary). Targets come twice, clearly named:
`target_tokens` (token ids) and `target_values` (value indices in [0, V)).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import torch

from osp import exact

LAYOUTS = ("paper", "zoology")
#: zoology's power-law exponent for query placement
ZOOLOGY_POWER_A = 0.01


@dataclass(frozen=True)
class MqarLayout:
    """Which token ids are keys, values and fillers."""

    name: str  # "paper" or "zoology"
    num_values: int  # V, the value alphabet
    num_keys: int  # K, the key alphabet
    vocab_size: int  # every token id the generator emits is below this
    value_offset: int  # value j is token value_offset + j
    key_offset: int  # key i is token key_offset + i

    def __post_init__(self):
        if self.name not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {self.name!r}")
        if self.num_values < 2:
            raise ValueError(f"the value alphabet needs V >= 2, got {self.num_values}")
        if self.num_keys < 1:
            raise ValueError(f"the key alphabet needs K >= 1, got {self.num_keys}")

    @property
    def value_tokens(self) -> torch.Tensor:
        """(V,) the token id of each value index."""
        return torch.arange(self.value_offset, self.value_offset + self.num_values)

    @property
    def values_without_replacement(self) -> bool:
        return self.name == "zoology"

    def max_pairs(self, length: int) -> int:
        """Largest N this layout can place in `length` tokens."""
        cap = min(length // 4, self.num_keys)
        return min(cap, self.num_values) if self.values_without_replacement else cap


def paper_layout(num_values: int, num_keys: int) -> MqarLayout:
    """The witnesses' layout: filler 0, values 1..V, keys V+1..V+K."""
    return MqarLayout("paper", num_values, num_keys, 1 + num_values + num_keys, 1, 1 + num_values)


def zoology_layout(vocab_size: int) -> MqarLayout:
    """zoology's: keys in the lower half without 0, values in the upper half."""
    if vocab_size < 6:
        raise ValueError(f"the zoology layout needs vocab_size >= 6, got {vocab_size}")
    half = vocab_size // 2
    return MqarLayout("zoology", vocab_size - half, half - 1, vocab_size, half, 1)


def layout_for(name: str, vocab_size: int, num_values: int | None = None) -> MqarLayout:
    """The layout a model with `vocab_size` input tokens is trained on.

    paper: V = `num_values` (default vocab_size // 2, the zoology convention),
    the remaining ids but the filler are keys. zoology: V is fixed by the vocabulary."""
    if name == "zoology":
        layout = zoology_layout(vocab_size)
        if num_values is not None and num_values != layout.num_values:
            raise ValueError(f"the zoology layout fixes V = vocab_size - vocab_size // 2 = {layout.num_values}, "
                             f"got {num_values}")
        return layout
    if name != "paper":
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {name!r}")
    V = vocab_size // 2 if num_values is None else num_values
    if V < 2 or vocab_size - 1 - V < 1:
        raise ValueError(f"the paper layout needs 2 <= V <= vocab_size - 2 (a filler and a key), "
                         f"got V = {V}, vocab_size = {vocab_size}")
    return paper_layout(V, vocab_size - 1 - V)


@dataclass(frozen=True)
class MqarBatch:
    """B examples with N pairs each. Queries are listed in the order they are read."""

    layout: MqarLayout
    num_pairs: int  # N
    tokens: torch.Tensor  # (B, L) token ids
    query_positions: torch.Tensor  # (B, N) the step reading the i-th queried key
    target_tokens: torch.Tensor  # (B, N) token id of the value expected there
    target_values: torch.Tensor  # (B, N) the same value as an index in [0, V)

    @property
    def storing_length(self) -> int:
        """The 2N tokens after which Theorem 1's b_T is read."""
        return 2 * self.num_pairs

    @property
    def is_query(self) -> torch.Tensor:
        """(B, L) True at scored steps."""
        mask = torch.zeros_like(self.tokens, dtype=torch.bool)
        return mask.scatter_(1, self.query_positions, True)

    def rows(self) -> list["MqarBatch"]:
        """Each example as a batch of one."""
        return [MqarBatch(self.layout, self.num_pairs, *(t[i:i + 1] for t in (
            self.tokens, self.query_positions, self.target_tokens, self.target_values)))
            for i in range(self.tokens.shape[0])]

    def to(self, device) -> "MqarBatch":
        return MqarBatch(self.layout, self.num_pairs, self.tokens.to(device), self.query_positions.to(device),
                         self.target_tokens.to(device), self.target_values.to(device))


def _distinct(batch: int, pool: int, count: int, g: torch.Generator) -> torch.Tensor:
    """(B, count) distinct draws from [pool], in uniformly random order."""
    return torch.rand(batch, pool, generator=g).argsort(dim=1)[:, :count]


def generate(layout: MqarLayout, num_pairs: int, batch: int, seed: int, length: int | None = None) -> MqarBatch:
    """B MQAR examples of `length` tokens (default 4N) with N pairs, from `seed` alone."""
    N = num_pairs
    L = 4 * N if length is None else length
    if N < 1:
        raise ValueError(f"need at least one pair, got {N}")
    if L < 4 * N:
        raise ValueError(f"length {L} < 4 * pairs = {4 * N}")
    if N > layout.num_keys:
        raise ValueError(f"{N} pairs need {N} distinct keys; the key alphabet has {layout.num_keys}")
    if layout.values_without_replacement and N > layout.num_values:
        raise ValueError(f"{N} pairs drawn without replacement need V >= N, got V = {layout.num_values}")
    g = torch.Generator().manual_seed(seed)
    gen = _zoology if layout.name == "zoology" else _paper
    return gen(layout, N, batch, L, g)


def _paper(layout: MqarLayout, N: int, B: int, L: int, g: torch.Generator) -> MqarBatch:
    keys = _distinct(B, layout.num_keys, N, g)  # (B, N), random storing order
    values = torch.randint(0, layout.num_values, (B, N), generator=g)  # i.i.d. uniform
    order = torch.rand(B, N, generator=g).argsort(dim=1)  # independent query order
    key_tok, val_tok = layout.key_offset + keys, layout.value_offset + values
    tokens = torch.zeros(B, L, dtype=torch.long)  # fillers
    tokens[:, 0:2 * N:2], tokens[:, 1:2 * N:2] = key_tok, val_tok
    q_vals = values.gather(1, order)
    tokens[:, 2 * N:4 * N:2] = key_tok.gather(1, order)
    tokens[:, 2 * N + 1:4 * N:2] = layout.value_offset + q_vals  # teacher forcing after the prediction
    positions = (2 * N + 2 * torch.arange(N)).expand(B, N).clone()
    return MqarBatch(layout, N, tokens, positions, layout.value_offset + q_vals, q_vals)


def _zoology(layout: MqarLayout, N: int, B: int, L: int, g: torch.Generator) -> MqarBatch:
    if layout.vocab_size <= L:
        raise ValueError(f"zoology's generator needs vocab_size > length, got {layout.vocab_size} <= {L}")
    keys = _distinct(B, layout.num_keys, N, g)
    values = _distinct(B, layout.num_values, N, g)  # without replacement
    space = (L - 2 * N) // 2
    gaps = torch.arange(1, space + 1, dtype=torch.float64)
    p = ZOOLOGY_POWER_A * gaps ** (ZOOLOGY_POWER_A - 1)
    gap = torch.multinomial((p / p.sum()).expand(B, space), N, replacement=False, generator=g)  # (B, N)
    tokens = torch.randint(0, layout.vocab_size, (B, L), generator=g)  # filler from the whole vocabulary
    key_tok, val_tok = layout.key_offset + keys, layout.value_offset + values
    tokens[:, 0:2 * N:2], tokens[:, 1:2 * N:2] = key_tok, val_tok
    pos = 2 * N + 2 * gap
    tokens.scatter_(1, pos, key_tok)
    pos, order = pos.sort(dim=1)  # queries in reading order
    q_vals = values.gather(1, order)
    return MqarBatch(layout, N, tokens, pos, layout.value_offset + q_vals, q_vals)


# -- scoring -------------------------------------------------------------------
def query_value_logits(logits: torch.Tensor, batch: MqarBatch, over_values: bool = False) -> torch.Tensor:
    """Logits at the query steps over the value alphabet: (B, N, V).

    `logits` is (B, L, W) at every step, or already (B, N, W) at the queries;
    W is the vocabulary, or V when `over_values` (a witness answers in values)."""
    if logits.shape[1] == batch.tokens.shape[1]:  # every step (L >= 4N, so never N)
        idx = batch.query_positions[:, :, None].expand(-1, -1, logits.shape[-1])
        logits = logits.gather(1, idx)  # (B, N, W)
    if over_values:
        return logits
    lo = batch.layout.value_offset
    return logits[..., lo:lo + batch.layout.num_values]


def error_fractions(value_logits: torch.Tensor, batch: MqarBatch) -> torch.Tensor:
    """(B,) each example's fraction of wrong answers (argmax over the value alphabet).

    The example, not the query, is the independent unit: queries of one
    example share its state and are correlated."""
    wrong = value_logits.argmax(-1) != batch.target_values  # (B, N)
    return wrong.double().mean(dim=1)


def value_loss(value_logits: torch.Tensor, batch: MqarBatch) -> torch.Tensor:
    """Mean cross-entropy of the value at every query, over the value alphabet only."""
    return torch.nn.functional.cross_entropy(value_logits.flatten(0, 1).float(), batch.target_values.flatten())


# -- the without-replacement correction -------------------------------------------
@dataclass(frozen=True)
class DeltaBits:
    """Delta = N log2 V - sum_{j<N} log2(V - j) = log2(`ratio`), ratio = V^N (V - N)! / V!,
    exact; [lower, upper] is a certified enclosure (Delta is irrational unless ratio is a power of 2)."""

    pairs: int
    values: int
    ratio: Fraction
    lower: Fraction
    upper: Fraction

    @property
    def logs(self) -> tuple[tuple[int, Fraction], ...]:
        """Delta as osp.exact's sum of logs: 1 * log2(ratio)."""
        return ((1, self.ratio),)

    def to_json(self) -> dict:
        return {"pairs": self.pairs, "values": self.values, "lower": float(self.lower), "upper": float(self.upper),
                "exact": f"log2({self.values}^{self.pairs} * ({self.values}-{self.pairs})! / {self.values}!)"}


def delta_bits(num_pairs: int, num_values: int) -> DeltaBits:
    """zoology's values are drawn without replacement, so H(Z | K) is
    log2(V!/(V-N)!) instead of N log2 V (docs/theory.md section 2)."""
    N, V = int(num_pairs), int(num_values)
    if N < 0 or V < 2 or N > V:
        raise ValueError(f"Delta needs 0 <= N <= V and V >= 2, got N = {N}, V = {V}")
    falling = 1
    for j in range(N):
        falling *= V - j
    ratio = Fraction(V ** N, falling)
    lo, hi = exact.log2_interval(ratio)
    return DeltaBits(N, V, ratio, lo, hi)
