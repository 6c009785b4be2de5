"""The state after the storing phase, read and changed through `state_tensors`.

Theorem 1's b_T is the state after the 2N storing tokens; Theorem 2 and the
quantized-state curve run the query phase on from that state (possibly
changed). `state_tensors` returns the tensors the state holds, so changing
them in place changes the state; `replace_real` checks that it did.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from fractions import Fraction

import torch

from osp import mqar
from osp.decimals import float_down
from osp.runtime.contract import OSP, StateTensor

#: below this a norm bound is no longer certified by the relative error bound (underflow)
TINY_NORM = 2.0 ** -479


def storing_state(model: OSP, batch: mqar.MqarBatch):
    return model.prefill(batch.tokens[:, :batch.storing_length])


def readable(model: OSP, batches: Iterable[mqar.MqarBatch], device) -> Iterator[mqar.MqarBatch]:
    """The batches on `device` in pieces whose states per-example readers can read: each batch
    whole, or each example alone when the model keeps one cache per row (`rows_apart`)."""
    for whole in batches:
        whole = whole.to(device)
        yield from whole.rows() if model.rows_apart else (whole,)


def require_batch_rows(model: OSP, state, batch_size: int, what: str) -> None:
    """Readers of single examples (the quantizer, Theorem 2's R and Lam) need every real tensor
    batch first; a per-row cache read whole would be read as one example (`readable` splits it)."""
    try:
        for st in model.state_tensors(state):
            if is_real(st):
                batch_major(model, st, batch_size)
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None


def per_example_bits(model: OSP, state, batch_size: int) -> int:
    """b_T of one example: the batch state's bits over the batch (every tensor is batch-major)."""
    for st in model.state_tensors(state):
        if st.state_bits < 0:
            raise ValueError(f"{model.name}: state tensor {st.name!r} counts {st.state_bits} bits (< 0)")
    total = model.state_bits(state)
    if total % batch_size:
        raise ValueError(f"{model.name}: state bits {total} are not a multiple of the batch {batch_size}")
    return total // batch_size


def is_real(st: StateTensor) -> bool:
    return st.tensor.dtype.is_floating_point or st.tensor.dtype.is_complex


def real_scalars(model: OSP, state, batch_size: int) -> int:
    """D: real scalars per example (a complex one counts as two)."""
    n = sum(st.tensor.numel() * (2 if st.tensor.dtype.is_complex else 1)
            for st in model.state_tensors(state) if is_real(st))
    return n // batch_size


def batch_major(model: OSP, st: StateTensor, batch_size: int) -> torch.Tensor:
    """`st`'s tensor, checked to hold the batch on its first axis (complex as a trailing (re, im) axis).
    Per-example norms and quantizers are wrong otherwise, so this is an error, never a guess."""
    t = st.tensor
    if t.dim() == 0 or t.shape[0] != batch_size:
        raise ValueError(f"{model.name}: state tensor {st.name!r} has shape {tuple(t.shape)}; the harness needs "
                         f"the batch (B = {batch_size}) on its first axis")
    return torch.view_as_real(t) if t.dtype.is_complex else t


def flat_real(model: OSP, state, batch_size: int) -> torch.Tensor:
    """(B, D) every real scalar of each example's state, complex as (re, im)."""
    parts = []
    for st in model.state_tensors(state):
        if not is_real(st):
            continue
        t = batch_major(model, st, batch_size)
        parts.append(t.reshape(t.shape[0], -1).double())
    if not parts:
        return torch.zeros(0, 0, dtype=torch.float64)
    return torch.cat(parts, dim=1)


def state_norms(model: OSP, state, batch_size: int) -> torch.Tensor:
    """(B,) an upper bound on the l2 norm of each example's flattened real state, certified.

    The scalars are exact in float64 (every state dtype here widens exactly); the sum of D squares
    and the square root in float64 err by at most (D + 2) 2^-53 relative in any summation order,
    so the computed norm times 1 + (2D + 8) 2^-53 (with room for that product's own rounding) is
    >= the true norm. That relative bound fails where squares underflow (torch does not rescale:
    the norm of (1e-200, 1e-200) comes out 0). It still holds where the bound is >= TINY_NORM: the
    underflowed squares err by < D 2^-1074 in all, a relative D 2^-116 of a sum >= 2^-958, far
    inside the slack. Below TINY_NORM the true norm is < 2 TINY_NORM, which a nonzero state gets
    (an all-zero one keeps 0, exact). Overflow gives inf."""
    flat = flat_real(model, state, batch_size)
    if not flat.numel():
        return torch.zeros(batch_size, dtype=torch.float64)
    bound = flat.norm(dim=1) * (1 + (2 * flat.shape[1] + 8) * 2.0 ** -53)
    tiny = (bound < TINY_NORM) & (flat != 0).any(dim=1)
    return torch.where(tiny, torch.full_like(bound, 2 * TINY_NORM), bound)


def inside_ball(model: OSP, state, batch_size: int, radius: Fraction) -> torch.Tensor:
    """(B,) True where the example's state certainly lies in the closed l2 ball of radius R.

    state_norms gives certified upper bounds u >= ||s_T||, and float_down(R) <= R (capped at the
    largest finite float, as float_down gives inf past the float range), so
    u <= float_down(R) implies ||s_T|| <= u <= R; that comparison is of two floats, hence exact.
    A state too close to call (u > R >= ||s_T||) counts as outside, where it scores 1: that can
    only raise eps_plus, the side an upper bound may err on (NaN compares False: outside too)."""
    return state_norms(model, state, batch_size) <= min(float_down(radius), sys.float_info.max)  # not inf


def finite(model: OSP, value_logits: torch.Tensor) -> torch.Tensor:
    """The logits, checked: an argmax or a margin over NaN means nothing, so it is an error, never a score."""
    if not bool(torch.isfinite(value_logits).all()):
        raise ValueError(f"{model.name}: logits at the queries are not finite (NaN or inf; a diverged training?)")
    return value_logits


def run_queries(model: OSP, state, batch: mqar.MqarBatch) -> torch.Tensor:
    """(B, N, V) value logits at the queries, stepping on from `state` after the storing phase."""
    T0 = batch.storing_length
    last = int(batch.query_positions.max()) + 1
    outs = []
    for t in range(T0, last):
        state, logits = model.step(state, batch.tokens[:, t])
        outs.append(logits)
    logits = torch.stack(outs, dim=1)  # (B, last - T0, W)
    idx = (batch.query_positions - T0)[:, :, None].expand(-1, -1, logits.shape[-1])
    logits = logits.gather(1, idx)
    return finite(model, mqar.query_value_logits(logits, batch, over_values=model.logits_over_values))
