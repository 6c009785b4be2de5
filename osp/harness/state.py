"""The state after the storing phase, read and changed through `state_tensors`.

Theorem 1's b_T is the state after the 2N storing tokens; Theorem 2 and the
quantized-state curve run the query phase on from that state (possibly
changed). `state_tensors` returns the tensors the state holds, so changing
them in place changes the state; `replace_real` checks that it did.
"""

from __future__ import annotations

import torch

from osp import mqar
from osp.runtime.contract import OSP, StateTensor


def storing_state(model: OSP, batch: mqar.MqarBatch):
    return model.prefill(batch.tokens[:, :batch.storing_length])


def require_batch_rows(model: OSP, state, batch_size: int, what: str) -> None:
    """Readers of single examples (the quantizer, Theorem 2's R and Lam) need every real tensor
    batch first; a per-row cache (HF RWKV decodes each row alone) would be read as one example."""
    for st in model.state_tensors(state):
        if is_real(st) and (st.tensor.dim() == 0 or st.tensor.shape[0] != batch_size):
            raise ValueError(f"{model.name}: {what} needs each real state tensor batch first; "
                             f"{st.name} has shape {tuple(st.tensor.shape)} for a batch of {batch_size}")


def per_example_bits(model: OSP, state, batch_size: int) -> int:
    """b_T of one example: the batch state's bits over the batch (every tensor is batch-major)."""
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


def flat_real(model: OSP, state) -> torch.Tensor:
    """(B, D) every real scalar of each example's state, complex as (re, im)."""
    parts = []
    for st in model.state_tensors(state):
        if not is_real(st):
            continue
        t = torch.view_as_real(st.tensor) if st.tensor.dtype.is_complex else st.tensor
        parts.append(t.reshape(t.shape[0], -1).double())
    if not parts:
        return torch.zeros(0, 0, dtype=torch.float64)
    return torch.cat(parts, dim=1)


def state_norms(model: OSP, state) -> torch.Tensor:
    """(B,) the l2 norm of each example's flattened real state."""
    flat = flat_real(model, state)
    return flat.norm(dim=1) if flat.numel() else torch.zeros(0, dtype=torch.float64)


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
    return mqar.query_value_logits(logits, batch, over_values=model.logits_over_values)
