"""The quantized-state curve (`--quantize-bits 1,2,4,8`).

After the storing phase every real scalar of s_T is mapped to one of 2^p
levels of a uniform quantizer spanning its tensor's range in that example
(levels lo + k (hi - lo) / (2^p - 1)); then the queries run on. The offset lo
and the scale each tensor needs are stored too, as two numbers of that
tensor's dtype (the quantizer computes in it), so

    b_T(p) = D p + sum over real tensors of 2 * dtype bits (64 for float32)
             + (bits of integer tensors, unchanged)

Integer tensors (step counters that only count tokens, a witness's tables)
stay as they are and are listed. Accuracy, b_T(p) and Theorem 1's check at
each p show how much of its state a network uses as precision falls.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import torch

from osp import mqar
from osp.decimals import decimal_down
from osp.harness.checks import Check, compare
from osp.harness.confidence import ErrorBound, error_upper
from osp.harness.data import Task
from osp.harness.state import batch_major, flat_real, is_real, readable, run_queries, storing_state
from osp.runtime.contract import OSP, dtype_bits

@dataclass(frozen=True)
class Quantized:
    real_scalars: int  # D per example
    real_tensors: int
    integer_bits: int  # per example, left as they are
    untouched: tuple[str, ...]  # names of the integer tensors
    scale_bits: int  # per example: an offset and a scale per real tensor, each of that tensor's dtype

    def state_bits(self, p: int) -> int:
        return self.real_scalars * p + self.scale_bits + self.integer_bits


def quantize_state(model: OSP, state, p: int, batch_size: int) -> Quantized:
    """Quantize every real state tensor in place, per example; check that the state changed."""
    levels = 2 ** p - 1
    D = tensors = integer_bits = scale_bits = 0
    untouched, expected = [], []
    B = batch_size
    for st in model.state_tensors(state):
        if not is_real(st):
            untouched.append(st.name)
            integer_bits += st.state_bits // B
            continue
        t = batch_major(model, st, B)
        flat = t.reshape(B, -1)
        if not flat.shape[1]:  # an empty tensor (a width-1 convolution's window): no scalars, no scale
            continue
        lo, hi = flat.min(dim=1, keepdim=True).values, flat.max(dim=1, keepdim=True).values
        scale = (hi - lo) / levels
        k = torch.where(scale > 0, ((flat - lo) / torch.where(scale > 0, scale, 1)).round(), 0)
        q = lo + k * scale
        with torch.no_grad():
            t.copy_(q.view_as(t))
        expected.append(q.double())
        D, tensors = D + flat.shape[1], tensors + 1
        scale_bits += 2 * dtype_bits(flat.dtype)  # lo and scale are numbers of the tensor's own dtype
    if expected and not torch.equal(flat_real(model, state, B), torch.cat(expected, dim=1)):
        raise ValueError(f"{model.name}: state_tensors returned copies; the state cannot be quantized in place")
    return Quantized(D, tensors, integer_bits, tuple(untouched), scale_bits)


@dataclass(frozen=True)
class QuantRow:
    pairs: int
    bits_per_scalar: int
    accuracy: float
    error: ErrorBound
    quantized: Quantized
    check: Check

    @property
    def state_bits(self) -> int:
        return self.quantized.state_bits(self.bits_per_scalar)

    def to_json(self) -> dict:
        q = self.quantized
        return {"pairs": self.pairs, "bits_per_scalar": self.bits_per_scalar, "accuracy": self.accuracy,
                "error_upper": float(self.error.upper), "state_bits": self.state_bits,
                "real_scalars": q.real_scalars, "scale_bits": q.scale_bits,
                "integer_bits": q.integer_bits, "untouched_integer_tensors": list(q.untouched),
                "recall_bits": float(decimal_down(self.check.recall_bits, 6)), "status": str(self.check.status),
                "holds": self.check.status.passes, "reason": self.check.reason}

    def findings(self, model: str) -> list[str]:
        if self.check.status.passes:
            return []
        return [f"{model}: quantized to {self.bits_per_scalar} bits per scalar, Theorem 1 {self.check.status} at "
                f"N = {self.pairs}: recall_bits >= {decimal_down(self.check.recall_bits)} vs b_T = {self.state_bits}"]


def measure_quantized(model: OSP, task: Task, tc, n: int, p: int, examples: int, alpha: Fraction) -> QuantRow:
    fractions: list[Fraction] = []
    info = None
    for b in readable(model, task.examples("test", tc.seed, n, examples), tc.device):
        state = storing_state(model, b)
        info = quantize_state(model, state, p, b.tokens.shape[0])
        wrong = (run_queries(model, state, b).argmax(-1) != b.target_values).sum(dim=1)
        fractions += [Fraction(int(w), n) for w in wrong.tolist()]
    eb = error_upper(fractions, alpha)
    bits = Fraction(info.state_bits(p))
    delta = mqar.delta_bits(n, task.num_values) if task.layout(n).values_without_replacement else None
    check = compare(n, eb.upper, task.num_values, bits, delta.logs if delta else ())
    return QuantRow(n, p, 1 - float(eb.mean), eb, info, check)
