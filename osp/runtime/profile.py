"""Measured classification of an OSP: state bits and per-step compute at
growing lengths, growth exponents, E and C verdicts, and Theorem 1's bound.

At each length L: the state after L tokens (`osp.prefill`, tested equal to
step-by-step decoding) gives `state_bits`; the cost of the next step (the
one at position L + 1, from that state) gives `flops_per_step`
(osp.runtime.flops units). Then for y in {state bits, cost}:

- growth exponent = least-squares slope of log y against log L. Bits and
  operation counts are integers, so a zero is raised to 1 (the smallest
  positive count) before the log; a series of zeros has exponent 0.
- verdict: E (resp. C) holds when the compute (resp. state) exponent is
  below THRESHOLD = 0.1, i.e. flat over the measured range. Counts of a
  dense model are exact, so a constant series fits exactly 0; anything that
  grows at least like L^0.1 (even log L over 64..1024 gives ~0.18) is not
  O(1). A constant part (projections, MLPs) dilutes the exponent of what
  grows (attention with d = 32 fits ~0.6 over 64..1024, not 1), but it
  cannot push a growing cost under the threshold unless the lengths are
  too short: choose lengths past any warm-up (a window w: lengths > w).
- bound: Theorem 1 at the measured b_T, through osp.bound.theorem1_bound
  (the proof graph's formula, no second one): at most that many MQAR pairs
  with mean error eps over V values. A tape OSP is not a pure OSP, so
  Theorem 1 says nothing about it: its bound is null, with the reason.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch

from osp.bound import theorem1_bound, validate
from osp.errors import OspInputError
from osp.runtime.contract import OSP
from osp.runtime.flops import StepCost, measure_step_flops

THRESHOLD = 0.1
DEFAULT_LENGTHS = (64, 256, 1024)
TAPE_NOTE = ("tape OSP: Theorem 1 bounds pure OSPs only (THEORY.md section 5, node tape.open); "
             "its measured state bits bound nothing")


def parse_lengths(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    try:
        lengths = [int(p) for p in parts]
    except ValueError:
        raise OspInputError(f"--lengths expects comma-separated integers, got {text!r}") from None
    if len(lengths) < 2:
        raise OspInputError(f"--lengths needs at least two lengths to fit a growth exponent, got {text!r}")
    if any(n < 1 for n in lengths):
        raise OspInputError(f"--lengths must be >= 1, got {text!r}")
    if sorted(set(lengths)) != lengths:
        raise OspInputError(f"--lengths must be strictly increasing, got {text!r}")
    return lengths


def growth_exponent(lengths, ys) -> float:
    """Least-squares slope of log y on log L (zeros raised to 1, see module doc)."""
    xs = [math.log(n) for n in lengths]
    base = math.log(max(1, ys[0]))
    ls = [math.log(max(1, y)) - base for y in ys]  # relative to the first: a constant series fits exactly 0
    mx, my = sum(xs) / len(xs), sum(ls) / len(ls)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ls)) / sxx


@dataclass
class Profile:
    model: str
    lengths: list[int]
    state_bits: list[int]
    costs: list[StepCost]
    wall_s: list[float]
    is_tape: bool
    values: int | None
    error: float
    bound_pairs: list[float] | None
    bound_note: str | None
    rests_on: list[str] = field(default_factory=list)
    recall: list[float] | None = None  # witnesses only: MQAR accuracy with N = L // 4 pairs

    @property
    def flops_per_step(self) -> list[int]:
        return [c.total for c in self.costs]

    @property
    def state_exponent(self) -> float:
        return growth_exponent(self.lengths, self.state_bits)

    @property
    def compute_exponent(self) -> float:
        return growth_exponent(self.lengths, self.flops_per_step)

    @property
    def efficient(self) -> bool:
        return self.compute_exponent < THRESHOLD

    @property
    def compact(self) -> bool:
        return self.state_exponent < THRESHOLD

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "lengths": self.lengths,
            "state_bits": self.state_bits,
            "flops_per_step": self.flops_per_step,
            "state_exponent": self.state_exponent,
            "compute_exponent": self.compute_exponent,
            "efficient": self.efficient,
            "compact": self.compact,
            "bound_pairs": self.bound_pairs,
            # beyond the stable keys: how the numbers were obtained
            "threshold": THRESHOLD,
            "is_tape": self.is_tape,
            "bound_note": self.bound_note,
            "values": self.values,
            "error": self.error,
            "rests_on": self.rests_on,
            "recall": self.recall,
            "step_cost": [c.to_json() for c in self.costs],
            "wall_s": self.wall_s,
        }


def _bounds(bits: list[int], values: int, error: float):
    """Theorem 1 at each measured b_T; the nodes it rests on are read once."""
    try:
        first = theorem1_bound(bits[0], values, error)
    except ModuleNotFoundError as exc:  # the proof graph not built yet: the number does not need it
        if not (exc.name or "").startswith("osp.proofs"):
            raise
        first = theorem1_bound(bits[0], values, error, rests_on=False)
    return [first] + [theorem1_bound(b, values, error, rests_on=False) for b in bits[1:]]


def profile(osp: OSP, model: str, lengths, *, values: int | None = None, error: float = 0.0,
            seed: int = 0, device: str = "cpu") -> Profile:
    lengths = list(lengths)
    values = values if values is not None else (osp.value_alphabet or max(2, osp.vocab_size // 2))
    if not osp.is_tape:  # validate V and eps before spending time on the model
        validate(0, values, error)
    bits, costs, walls = [], [], []
    for L in lengths:
        t0 = time.perf_counter()
        tokens = osp.profile_input(1, L, seed).to(device)  # (1, L + 1)
        with torch.no_grad():
            state = osp.prefill(tokens[:, :L])
            bits.append(int(osp.state_bits(state)))
            costs.append(measure_step_flops(osp, state, tokens[:, L]))
        walls.append(time.perf_counter() - t0)
    if osp.is_tape:
        bound_pairs, note, rests_on = None, TAPE_NOTE, []
    else:
        bounds = _bounds(bits, values, error)
        bound_pairs = [b.bound for b in bounds]
        note, rests_on = None, bounds[0].rests_on
    # a witness's recall is part of its measured triangle position; a neural
    # model here has random weights, so its recall would say nothing
    recall = [osp.measured_recall(L, seed) for L in lengths] if hasattr(osp, "measured_recall") else None
    return Profile(model=model, lengths=lengths, state_bits=bits, costs=costs, wall_s=walls, is_tape=osp.is_tape,
                   values=values, error=error, bound_pairs=bound_pairs, bound_note=note, rests_on=rests_on,
                   recall=recall)


def format_profile(p: Profile) -> str:
    lines = [f"model {p.model}" + ("  (tape OSP)" if p.is_tape else ""),
             f"{'L':>8} {'state bits':>14} {'ops/step':>12} {'matmul':>10} {'sdpa':>10} {'elementwise':>11} "
             f"{'word ops':>9} {'tape reads':>10} {'bound N':>12}" + (f" {'recall':>7}" if p.recall else "")]
    for i, L in enumerate(p.lengths):
        c = p.costs[i]
        bound = f"{p.bound_pairs[i]:.1f}" if p.bound_pairs is not None else "n/a"
        lines.append(f"{L:>8} {p.state_bits[i]:>14} {c.total:>12} {c.matmul_flops:>10} {c.sdpa_flops:>10} "
                     f"{c.elementwise_flops:>11} {c.word_ops:>9} {c.tape_reads:>10} {bound:>12}"
                     + (f" {p.recall[i]:>7.3f}" if p.recall else ""))
    lines.append(f"state exponent   {p.state_exponent:.3f} -> C {'yes' if p.compact else 'no'}  "
                 f"(C iff exponent < {THRESHOLD})")
    lines.append(f"compute exponent {p.compute_exponent:.3f} -> E {'yes' if p.efficient else 'no'}  "
                 f"(E iff exponent < {THRESHOLD})")
    if p.bound_pairs is None:
        lines.append(f"bound: none ({p.bound_note})")
    else:
        lines.append(f"bound N: Theorem 1 at V = {p.values}, eps = {p.error}: the measured state holds at most "
                     f"'bound N' MQAR pairs")
    if p.recall:
        lines.append("recall: measured MQAR accuracy with N = L // 4 pairs (chance 1/V)")
    return "\n".join(lines)
