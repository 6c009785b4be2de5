"""The Online Sequence Processor contract (docs/theory.md section 1).

Everything a model carries from one step to the next must be listed by
`state_tensors`; `state_bits` is derived from that list, never typed in.
A recurrent state update is real work: per-step compute is measured by
`osp.runtime.flops`, not declared here.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any

import torch

State = Any


@dataclass(frozen=True)
class StateTensor:
    """One tensor carried between steps, with the bits each element costs.

    `bits_per_element` defaults to the dtype's width. Non-neural witnesses
    that pack fields narrower than their storage dtype (a value of
    ceil(log2 V) bits in an int64 slot) say so here; the packing is theirs
    to justify in their docstring.
    """

    name: str
    tensor: torch.Tensor
    bits_per_element: int | None = None

    @property
    def state_bits(self) -> int:
        per = self.bits_per_element if self.bits_per_element is not None else dtype_bits(self.tensor.dtype)
        return int(self.tensor.numel()) * int(per)


def dtype_bits(dtype: torch.dtype) -> int:
    """Storage width of one element, in bits (complex counts both parts)."""
    if dtype == torch.bool:
        return 1
    if dtype.is_floating_point or dtype.is_complex:
        return torch.finfo(dtype).bits * (2 if dtype.is_complex else 1)
    return torch.iinfo(dtype).bits


class OSP(abc.ABC):
    """A model run as an Online Sequence Processor.

    Shapes: B batch, T length, V output vocabulary.
    - `init_state(batch)` -> state before the first token
    - `step(state, tokens (B,))` -> (state, logits (B, V))
    - `forward(tokens (B, T))` -> logits (B, T, V), the parallel form
    - `state_tensors(state)` -> every tensor carried between steps, batch first
      (B, ...), as views of the state (the harness quantizes them in place)
    `step` must not mutate the state it is given in a way that changes a
    caller's copy unless `mutates_state` is True (KV caches often do).
    """

    name: str = "osp"
    vocab_size: int
    #: size of the value alphabet V that Theorem 1 is evaluated with when the
    #: caller gives none (witnesses know theirs; None: the caller decides)
    value_alphabet: int | None = None
    #: True when the processor counts its own word-RAM operations (the
    #: non-neural witnesses): `osp.runtime.flops.measure_step_flops` then asks
    #: `measure_step` instead of running torch dispatch counters
    counts_own_ops: bool = False
    #: True when the processor may read its raw input prefix (a tape OSP,
    #: docs/theory.md section 1): Corollary 1.2 does not apply to it.
    is_tape: bool = False
    #: True when `step`/`forward` logits range over the value alphabet (B, V)
    #: instead of the token vocabulary (the witnesses answer in values)
    logits_over_values: bool = False
    mutates_state: bool = False
    #: True when the state holds one cache per batch row, each (1, ...), not
    #: batch-first tensors (HF RWKV decodes each row alone): readers of single
    #: examples (the quantizer, Theorem 2's norms) then take one example at a time
    rows_apart: bool = False

    @abc.abstractmethod
    def init_state(self, batch: int) -> State: ...

    @abc.abstractmethod
    def step(self, state: State, tokens: torch.Tensor) -> tuple[State, torch.Tensor]: ...

    @abc.abstractmethod
    def forward(self, tokens: torch.Tensor) -> torch.Tensor: ...

    @abc.abstractmethod
    def state_tensors(self, state: State) -> list[StateTensor]: ...

    def state_bits(self, state: State) -> int:
        return sum(st.state_bits for st in self.state_tensors(state))

    def decode(self, tokens: torch.Tensor) -> tuple[State, torch.Tensor]:
        """Run `step` over tokens (B, T); returns the final state and logits (B, T, V)."""
        state = self.init_state(tokens.shape[0])
        outs = []
        for t in range(tokens.shape[1]):
            state, logits = self.step(state, tokens[:, t])
            outs.append(logits)
        return state, torch.stack(outs, dim=1)

    def query_logits(self, tokens: torch.Tensor, positions: torch.Tensor,
                     columns: torch.Tensor | None = None) -> torch.Tensor:
        """Logits (B, N, W) at the steps `positions` (B, N) only, restricted to
        the output `columns` (W of them; all when None). The training harness
        scores only MQAR queries over the value alphabet: models with a
        parallel form override this to apply their head there alone. The
        default runs `forward` and selects, so the numbers are the same."""
        logits = self.forward(tokens)  # (B, T, W_all)
        out = logits.gather(1, positions[:, :, None].expand(-1, -1, logits.shape[-1]))
        return out if columns is None else out[..., columns]

    def prefill(self, tokens: torch.Tensor) -> State:
        """State after reading tokens (B, T). Models with a parallel form
        override this (and test it against `decode`); the default steps."""
        if tokens.shape[1] == 0:
            return self.init_state(tokens.shape[0])
        return self.decode(tokens)[0]

    def profile_input(self, batch: int, length: int, seed: int) -> torch.Tensor:
        """Tokens (B, length + 1) for profiling: a prefix of `length` tokens
        and the token stepped at position length + 1. Uniform random by
        default (a dense model's cost does not depend on the input); witnesses
        return structured MQAR input whose last token is a costly query."""
        g = torch.Generator().manual_seed(seed)
        return torch.randint(0, self.vocab_size, (batch, length + 1), generator=g)
