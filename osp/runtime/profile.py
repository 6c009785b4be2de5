"""Measured classification of an OSP: state bits and per-step compute at
growing lengths, growth exponents, E and C verdicts, and Theorem 1's bound.

At each length L: the state after L tokens (`osp.prefill`, tested equal to
step-by-step decoding) gives `state_bits`; the cost of the next step (the
one at position L + 1, from that state) gives `flops_per_step`
(osp.runtime.flops units). Both are exact integers (bits of live tensors,
deterministic operation counts; a witness's cost is its exact worst case),
not timings, so the verdicts compare them exactly. For y in {state bits,
cost}:

- verdict: C (resp. E) holds iff the state bits (resp. the per-step cost)
  are identical at every measured length past any warm-up: the series is
  constant on a tail of at least two lengths ending at the longest one
  (`*_constant_from` is the first length of that tail; the shorter lengths
  are the warm-up, e.g. a window filling up). Anything that grows, however
  slowly (log L), is not constant at exact counts.
- `*_exponent`: the growth exponent of the part of y that changes with L,
  so a large L-independent part (projections, MLPs) cannot hide a growing
  term. 0 when the verdict holds; otherwise 1 + the least-squares slope of
  log(|y(L_i) - y(L_i-1)| / (L_i - L_i-1)) on log((L_i + L_i-1) / 2), i.e.
  the slope of the discrete derivative, so y = a + b L^k gives exactly k for
  k = 1 and 2 and about k otherwise (a zero difference is raised to 1, the
  smallest positive count). Full attention's cost and KV cache fit 1.
- `*_exponent_total`: the old number, the least-squares slope of log y on
  log L (zeros raised to 1), which a constant part dilutes (wide attention
  with one layer fits ~0.07 over 64..1024): reported, never used for a verdict.
- at least MIN_LENGTHS = 3 distinct lengths, each in [2, MAX_LENGTH].
- bound: Theorem 1 at the measured b_T, through osp.bound.theorem1_bound
  (the proof graph's formula, no second one): at most that many MQAR pairs
  with mean error eps over V values. A tape OSP is not a pure OSP, so
  Theorem 1 says nothing about it: its bound is null, with the reason. V
  defaults to the witness's value alphabet; for a neural model (random
  weights, no alphabet of its own) to vocab_size // 2, the zoology MQAR
  convention (keys and values from disjoint halves of the vocabulary).
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass

import torch

from osp.bound import Bound, theorem1_bound, validate
from osp.errors import OspInputError
from osp.runtime.contract import OSP
from osp.runtime.flops import StepCost, measure_step_flops
from osp.runtime.models.attention import CausalSelfAttention

DEFAULT_LENGTHS = (64, 256, 1024)
MIN_LENGTHS = 3
MIN_LENGTH = 2
#: a step at position L costs O(L) for attention and prefill O(L^2): past
#: this the run takes minutes to hours on a CPU
MAX_LENGTH = 65536
#: peak memory a profile may plan for; a longer prefill is refused (exit 2) rather than run out of memory
PREFILL_MEMORY_BUDGET_BYTES = 4 * 2 ** 30
#: bytes per L^2 that a dense-mask attention prefill peaks at (its (L, L) mask and SDPA's copy of it):
#: measured 5.4-7.2 at L = 4096-8192 (attention, one thread); 21 GB at L = 65536 in issue 8
DENSE_MASK_BYTES_PER_L2 = 8
#: bytes per L^2 per attention head of an eager Hugging Face attention prefill (scores and their softmax in
#: fp32), plus its additive fp32 mask: measured 26-37 bytes per L^2 for hf:llama (4 heads) at L = 2048-4096
HF_BYTES_PER_L2_PER_HEAD = 8
HF_MASK_BYTES_PER_L2 = 4
#: lengths from which each one is announced on stderr (a prefill there takes seconds to minutes)
PROGRESS_FROM_LENGTH = 4096
VERDICT_RULE = ("E (C) iff the per-step cost (state bits) is identical at every measured length past a "
                "warm-up: constant on a tail of >= 2 lengths ending at the longest")
TAPE_NOTE = ("tape OSP: Theorem 1 bounds pure OSPs only (docs/theory.md section 5, node tape.open); "
             "its measured state bits bound nothing")


def parse_lengths(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    try:
        lengths = [int(p) for p in parts]
    except ValueError:
        raise OspInputError(f"--lengths expects comma-separated integers, got {text!r}") from None
    for n in lengths:
        if not MIN_LENGTH <= n <= MAX_LENGTH:
            raise OspInputError(f"--lengths: each length must lie in [{MIN_LENGTH}, {MAX_LENGTH}], got {n}")
    if sorted(set(lengths)) != lengths:
        raise OspInputError(f"--lengths must be strictly increasing, got {text!r}")
    if len(lengths) < MIN_LENGTHS:
        raise OspInputError(f"--lengths needs at least {MIN_LENGTHS} distinct lengths for a verdict "
                            f"(growth is read from successive differences), got {text!r}")
    return lengths


def _slope(xs, ys) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx


def growth_exponent(lengths, ys) -> float:
    """Least-squares slope of log y on log L (zeros raised to 1): the total's
    exponent, diluted by any constant part (see the module doc)."""
    base = math.log(max(1, ys[0]))
    # relative to the first: a constant series fits exactly 0
    return _slope([math.log(n) for n in lengths], [math.log(max(1, y)) - base for y in ys])


def constant_from(lengths, ys) -> int | None:
    """First length of the constant tail of ys (>= 2 lengths, ending at the
    longest), or None: the exact verdict rule of the module doc."""
    i = len(ys) - 1
    while i > 0 and ys[i - 1] == ys[-1]:
        i -= 1
    return lengths[i] if len(ys) - i >= 2 else None


def increment_exponent(lengths, ys) -> float:
    """Growth exponent of the part of ys that changes with L (module doc):
    0 when ys is constant past a warm-up, else 1 + the slope of the log
    discrete derivative on the log midpoints."""
    if len(lengths) < MIN_LENGTHS:
        raise ValueError(f"need at least {MIN_LENGTHS} lengths, got {len(lengths)}")
    if constant_from(lengths, ys) is not None:
        return 0.0
    pairs = list(zip(lengths, ys))
    xs = [math.log((a + b) / 2) for (a, _), (b, _) in zip(pairs, pairs[1:])]
    rs = [math.log(max(1, abs(yb - ya)) / (b - a)) for (a, ya), (b, yb) in zip(pairs, pairs[1:])]
    return 1.0 + _slope(xs, rs)


@dataclass
class Profile:
    model: str
    lengths: list[int]
    state_bits: list[int]
    costs: list[StepCost]
    wall_s: list[float]
    is_tape: bool
    values: int | None
    values_source: str
    error: float
    bounds: list[Bound] | None  # Theorem 1 at each length's state bits; None for a tape OSP
    bound_note: str | None
    recall: list[float] | None = None  # witnesses only: MQAR accuracy with N = L // 4 pairs

    @property
    def bound_pairs(self) -> list[float] | None:
        return None if self.bounds is None else [b.bound for b in self.bounds]

    @property
    def bound_decimals(self) -> list[str] | None:
        """The bound's exact decimal rounded down, as `osp bound` prints it ("102.4", where the float gives 102.39999)."""
        return None if self.bounds is None else [b.decimal for b in self.bounds]

    @property
    def rests_on(self) -> list[str]:
        """The proof nodes Theorem 1 rests on (read with the first bound only)."""
        return [] if self.bounds is None else self.bounds[0].rests_on

    @property
    def flops_per_step(self) -> list[int]:
        return [c.total for c in self.costs]

    @property
    def state_exponent(self) -> float:
        return increment_exponent(self.lengths, self.state_bits)

    @property
    def compute_exponent(self) -> float:
        return increment_exponent(self.lengths, self.flops_per_step)

    @property
    def state_exponent_total(self) -> float:
        return growth_exponent(self.lengths, self.state_bits)

    @property
    def compute_exponent_total(self) -> float:
        return growth_exponent(self.lengths, self.flops_per_step)

    @property
    def state_constant_from(self) -> int | None:
        return constant_from(self.lengths, self.state_bits)

    @property
    def compute_constant_from(self) -> int | None:
        return constant_from(self.lengths, self.flops_per_step)

    @property
    def efficient(self) -> bool:
        return self.compute_constant_from is not None

    @property
    def compact(self) -> bool:
        return self.state_constant_from is not None


def prefill_memory_bytes(osp: OSP, length: int) -> int | None:
    """Estimated peak bytes of `osp.prefill` at `length` (None: no quadratic term known)."""
    if isinstance(osp, torch.nn.Module) and any(isinstance(m, CausalSelfAttention) for m in osp.modules()):
        return DENSE_MASK_BYTES_PER_L2 * length * length
    hf_model = getattr(osp, "model", None)
    if isinstance(hf_model, torch.nn.Module) and any("Attention" in type(m).__name__ for m in hf_model.modules()):
        heads = getattr(getattr(hf_model, "config", None), "num_attention_heads", None) or 1
        return (HF_BYTES_PER_L2_PER_HEAD * heads + HF_MASK_BYTES_PER_L2) * length * length
    return None


def check_memory(osp: OSP, lengths, budget_bytes: int = PREFILL_MEMORY_BUDGET_BYTES) -> None:
    """Refuse (exit 2) before running a prefill whose estimated peak exceeds the budget."""
    for L in lengths:
        need = prefill_memory_bytes(osp, L)
        if need is not None and need > budget_bytes:
            raise OspInputError(f"--lengths: the prefill at L = {L} needs about {need / 2 ** 30:.1f} GiB (a dense "
                                f"L x L attention mask and scores), over the {budget_bytes / 2 ** 30:g} GiB budget: "
                                f"use shorter lengths for this model")


def _bounds(bits: list[int], values: int, error: float):
    """Theorem 1 at each measured b_T; the nodes it rests on are read once."""
    first = theorem1_bound(bits[0], values, error)
    return [first] + [theorem1_bound(b, values, error, rests_on=False) for b in bits[1:]]


def profile(osp: OSP, model: str, lengths, *, values: int | None = None, error: float = 0.0,
            seed: int = 0, device: str = "cpu") -> Profile:
    lengths = list(lengths)
    if values is not None:
        values_source = "--values"
    elif osp.value_alphabet:
        values, values_source = osp.value_alphabet, "the witness's value alphabet"
    else:
        values = max(2, osp.vocab_size // 2)
        floor = "" if osp.vocab_size // 2 >= 2 else ", raised to the smallest alphabet, 2"
        values_source = (f"assumed: vocab_size // 2 = {osp.vocab_size} // 2 = {osp.vocab_size // 2}{floor}, "
                         f"the zoology MQAR convention (override with --values)")
    if not osp.is_tape:  # validate V and eps before spending time on the model
        validate(0, values, error)
    check_memory(osp, lengths)
    bits, costs, walls = [], [], []
    for i, L in enumerate(lengths):
        if L >= PROGRESS_FROM_LENGTH:
            print(f"profile {model}: L = {L} ({i + 1}/{len(lengths)})", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        tokens = osp.profile_input(1, L, seed).to(device)  # (1, L + 1)
        with torch.no_grad():
            state = osp.prefill(tokens[:, :L])
            bits.append(int(osp.state_bits(state)))
            costs.append(measure_step_flops(osp, state, tokens[:, L]))
        walls.append(time.perf_counter() - t0)
    bounds, note = (None, TAPE_NOTE) if osp.is_tape else (_bounds(bits, values, error), None)
    # a witness's recall is part of its measured triangle position; a neural
    # model here has random weights, so its recall would say nothing
    recall = [osp.measured_recall(L, seed) for L in lengths] if hasattr(osp, "measured_recall") else None
    return Profile(model=model, lengths=lengths, state_bits=bits, costs=costs, wall_s=walls, is_tape=osp.is_tape,
                   values=values, values_source=values_source, error=error, bounds=bounds,
                   bound_note=note, recall=recall)

