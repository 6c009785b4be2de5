"""Per-step compute of an OSP, in one unit for neural models and witnesses.

Unit convention (one `StepCost` unit = one operation):
- neural models: one floating-point operation, as `FlopCounterMode` counts
  them (a multiply-add is 2, so an (m,k) x (k,n) matmul is 2mkn);
- element-wise work: one unit per output element of a pointwise op and per
  input element of a reduction or normalisation (an exp counts 1, like an
  add). A lower bound on arithmetic whose job is to make recurrent state
  updates non-free, not a hardware model. Data movement (copy, cat, index,
  embedding lookup, views) is not counted;
- witnesses (word RAM, docs/theory.md section 1): one word operation = 1 unit and
  one tape read = 1 unit, reported in `word_ops` and `tape_reads`.
The classification only uses growth in L, so the constant exchange rate
between a FLOP and a word operation never matters.

What `torch.utils.flop_counter.FlopCounterMode` misses on CPU (NOTES.md), and
is added here: the CPU scaled-dot-product-attention kernels (given torch's
own SDPA formula), grouped/MoE matmuls (`_grouped_mm`), matrix-vector and
dot products, triangular solves, the fused RNN kernels (`mkldnn_rnn_layer`,
the CPU nn.LSTM/GRU path, and `_cudnn_rnn`), and every element-wise op (an
extra `TorchDispatchMode`, `ElementwiseCounter`), including those without
the pointwise tag (log_sigmoid_forward), selections and sorts (topk,
kthvalue, sort: n ceil(log2 m)) and combining scatters (index_add_). What
stays uncounted: the softmax inside a fused SDPA kernel (torch's SDPA formula
is its two matmuls), and the ops on the explicit `DATA_MOVEMENT` list; the
tests fail on any other op a reference model's step runs unpriced.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
from torch.utils import flop_counter
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


@dataclass(frozen=True)
class StepCost:
    """Operations of one step (see the module docstring for the units)."""

    matmul_flops: int = 0
    sdpa_flops: int = 0
    elementwise_flops: int = 0
    word_ops: int = 0
    tape_reads: int = 0

    @property
    def total(self) -> int:
        return self.matmul_flops + self.sdpa_flops + self.elementwise_flops + self.word_ops + self.tape_reads

    def to_json(self) -> dict:
        return {**asdict(self), "total": self.total}


# ---- formulas FlopCounterMode lacks (shapes in, FLOPs out) -----------------

def _sdpa_cpu_flop(query_shape, key_shape, value_shape, *args, out_shape=None, **kwargs) -> int:
    # torch's own formula (the two batched matmuls, causal masking ignored)
    return flop_counter.sdpa_flop_count(query_shape, key_shape, value_shape)


def _grouped_mm_flop(a_shape, b_shape, *args, out_shape=None, **kwargs) -> int:
    if len(a_shape) == 2 and len(b_shape) == 2:
        # groups split the shared K dimension: out (G, M, N), K summed once in total
        return 2 * a_shape[0] * a_shape[1] * b_shape[1]
    # every output element is one length-K dot product of its group
    out_numel = 1
    for s in out_shape:
        out_numel *= s
    return 2 * out_numel * a_shape[-1]


def _mv_flop(a_shape, b_shape, *args, out_shape=None, **kwargs) -> int:
    return 2 * a_shape[0] * a_shape[1]


def _addmv_flop(self_shape, a_shape, b_shape, *args, out_shape=None, **kwargs) -> int:
    return 2 * a_shape[0] * a_shape[1]


def _dot_flop(a_shape, b_shape, *args, out_shape=None, **kwargs) -> int:
    return 2 * a_shape[0]


def _addbmm_flop(self_shape, a_shape, b_shape, *args, out_shape=None, **kwargs) -> int:
    b, m, k = a_shape
    return 2 * b * m * k * b_shape[-1]


def _solve_triangular_flop(a_shape, b_shape, *args, out_shape=None, **kwargs) -> int:
    # substitution: n^2/2 multiply-adds (n^2 FLOPs) per right-hand side;
    # numel(B) / n right-hand sides, so n * numel(B) in total
    n = a_shape[-1]
    b_numel = 1
    for s in b_shape:
        b_numel *= s
    return n * b_numel


def _rnn_rows(input_shape) -> int:
    # (T, B, D) or (B, T, D): every (t, b) row runs the cell once
    return input_shape[0] * input_shape[1] if len(input_shape) == 3 else input_shape[0]


def _mkldnn_rnn_layer_flop(input_shape, w_ih_shape, w_hh_shape, *args, out_shape=None, **kwargs) -> int:
    # the fused CPU LSTM/GRU layer: gates = W_ih x + W_hh h for every row
    return 2 * _rnn_rows(input_shape) * w_ih_shape[0] * (w_ih_shape[1] + w_hh_shape[1])


def _cudnn_rnn_flop(input_shape, weight_shapes, *args, out_shape=None, **kwargs) -> int:
    matrices = [w for w in weight_shapes if len(w) == 2]
    return 2 * _rnn_rows(input_shape) * sum(w[0] * w[1] for w in matrices)


def rnn_cell_elementwise(rows: int, gates: int, hidden: int) -> int:
    """Element-wise work of a fused LSTM/GRU cell per the unit convention: two
    bias adds and one activation per gate unit, five ops per hidden unit for
    the cell/hidden update."""
    return rows * (3 * gates + 5 * hidden)


#: SDPA variants counted into `sdpa_flops` (torch's CUDA ones plus the CPU ones)
SDPA_PACKETS = frozenset({
    aten._scaled_dot_product_flash_attention_for_cpu,
    aten._scaled_dot_product_flash_attention_for_cpu_backward,
    aten._scaled_dot_product_fused_attention_overrideable,
    aten._scaled_dot_product_efficient_attention,
    aten._scaled_dot_product_efficient_attention_backward,
    aten._scaled_dot_product_flash_attention,
    aten._scaled_dot_product_flash_attention_backward,
    aten._scaled_dot_product_cudnn_attention,
    aten._scaled_dot_product_cudnn_attention_backward,
    aten._flash_attention_forward,
    aten._flash_attention_backward,
    aten._efficient_attention_forward,
    aten._efficient_attention_backward,
})

EXTRA_FORMULAS = {
    aten._scaled_dot_product_flash_attention_for_cpu: _sdpa_cpu_flop,
    aten._scaled_dot_product_fused_attention_overrideable: _sdpa_cpu_flop,
    aten._grouped_mm: _grouped_mm_flop,
    aten.mv: _mv_flop,
    aten.addmv: _addmv_flop,
    aten.dot: _dot_flop,
    aten.vdot: _dot_flop,
    aten.addbmm: _addbmm_flop,
    aten.linalg_solve_triangular: _solve_triangular_flop,
    aten.mkldnn_rnn_layer: _mkldnn_rnn_layer_flop,
    aten._cudnn_rnn: _cudnn_rnn_flop,
}


# ---- element-wise counter ---------------------------------------------------

#: reductions and normalisations: one unit per input element
_REDUCTIONS = frozenset({
    aten.sum, aten.mean, aten.amax, aten.amin, aten.max, aten.min, aten.prod, aten.cumsum, aten.cumprod,
    aten.logsumexp, aten._softmax, aten._log_softmax, aten.var, aten.std, aten.var_mean, aten.std_mean,
    aten.norm, aten.linalg_vector_norm, aten.native_layer_norm, aten._fused_rms_norm, aten.native_group_norm,
    aten.argmax, aten.argmin, aten.logcumsumexp, aten._logcumsumexp, aten.any, aten.all,
    aten.native_batch_norm, aten._native_batch_norm_legit_no_training, aten.aminmax,
})
#: element-wise arithmetic without the pointwise tag: one unit per element
#: of the (first) output. log_sigmoid_forward is F.logsigmoid (delta-net's
#: gate, the HF gated-delta families)
_UNTAGGED_POINTWISE = frozenset({aten.log_sigmoid_forward, aten.log_sigmoid})
#: selections: one unit per input element (linear-time selection), except a
#: full sort, n ceil(log2 m) for n elements sorted along a dimension of size m
_SELECTIONS = frozenset({aten.topk, aten.kthvalue, aten.median, aten.nanmedian, aten.mode, aten.cummax,
                         aten.cummin})
_SORTS = frozenset({aten.sort, aten.msort, aten.argsort})
#: scatters that combine (MoE expert outputs summed back by index_add_):
#: one unit per source element
_SCATTER_ARITH = frozenset({aten.index_add, aten.index_add_, aten.scatter_add, aten.scatter_add_,
                            aten.scatter_reduce, aten.scatter_reduce_, aten.index_reduce, aten.index_reduce_})
#: tagged pointwise but pure data movement
_MOVEMENT = frozenset({aten.clone, aten.copy_, aten.copy, aten._to_copy, aten.fill_, aten.fill, aten.zero_,
                       aten.lift_fresh, aten.lift_fresh_copy})
#: ops a step may run that are data movement, shape or allocation only, so
#: they cost 0 by the unit convention. Audited against every reference
#: model's step (tests/test_runtime_flops.py): an op that is neither counted
#: nor listed here fails that test, so new arithmetic cannot slip by as free.
DATA_MOVEMENT = frozenset({
    # views and shape
    aten.view, aten._unsafe_view, aten.reshape, aten.expand, aten.permute, aten.transpose, aten.t,
    aten.unsqueeze, aten.squeeze, aten.slice, aten.select, aten.split, aten.split_with_sizes, aten.unbind,
    aten.chunk, aten.narrow, aten.as_strided, aten.alias, aten.detach, aten.flatten, aten.unflatten,
    aten.contiguous, aten.diagonal, aten.movedim, aten.unfold, aten.view_as_real, aten.view_as_complex,
    # copies, gathers, scatters of stored values (no arithmetic on them)
    *_MOVEMENT, aten.cat, aten.stack, aten.index, aten.index_select,
    aten.gather, aten.embedding, aten.index_put_, aten.index_put, aten.scatter, aten.scatter_, aten.slice_scatter,
    aten.select_scatter, aten.masked_select, aten.repeat, aten.roll, aten.flip, aten.constant_pad_nd, aten.pad,
    aten.new_zeros, aten.new_empty,
    aten.new_ones, aten.new_full, aten.resize_, aten.set_,
    # allocation and constants
    aten.empty, aten.empty_like, aten.empty_strided, aten.zeros, aten.zeros_like, aten.ones, aten.ones_like,
    aten.full, aten.full_like, aten.arange, aten.scalar_tensor, aten._local_scalar_dense, aten.tril, aten.triu,
    aten.randn, aten.rand, aten.randint, aten.normal_, aten.uniform_, aten.item, aten.sym_size, aten.sym_numel,
    aten.sym_stride, aten.nonzero,
})


def _mkldnn_rnn_elementwise(args, kwargs) -> int:
    x, w_ih, w_hh = args[0], args[1], args[2]
    return rnn_cell_elementwise(_rnn_rows(x.shape), w_ih.shape[0], w_hh.shape[1])


def _cudnn_rnn_elementwise(args, kwargs) -> int:
    x, weights, hx = args[0], args[1], args[4]
    matrices = [w for w in weights if w.dim() == 2]
    layers, hidden = hx.shape[0], hx.shape[-1]
    gates = matrices[0].shape[0] if matrices else 0
    return layers * rnn_cell_elementwise(_rnn_rows(x.shape), gates, hidden)


def _fused_cell_elementwise(args, kwargs) -> int:
    input_gates, hx_or_cx = args[0], args[2]
    return rnn_cell_elementwise(input_gates.shape[0], input_gates.shape[1], hx_or_cx.shape[-1])


#: fused kernels whose element-wise part no pointwise op exposes
_FUSED_ELEMENTWISE = {
    aten.mkldnn_rnn_layer: _mkldnn_rnn_elementwise,
    aten._cudnn_rnn: _cudnn_rnn_elementwise,
    aten._thnn_fused_lstm_cell: _fused_cell_elementwise,
    aten._thnn_fused_gru_cell: _fused_cell_elementwise,
}


def _is_pointwise(packet) -> bool:
    name = packet.__name__
    if packet in _MOVEMENT:
        return False
    if _any_tag(packet, torch.Tag.pointwise):
        return True
    # in-place variants (add_, mul_) carry no pointwise tag: ask the functional op
    if name.endswith("_") and not name.startswith("_"):
        functional = getattr(aten, name[:-1], None)
        return functional is not None and functional not in _MOVEMENT and _any_tag(functional, torch.Tag.pointwise)
    return False


def _any_tag(packet, tag) -> bool:
    return any(tag in getattr(packet, ov).tags for ov in packet.overloads())


def _numel_of(tree) -> int:
    flat, _ = torch.utils._pytree.tree_flatten(tree)
    return sum(int(t.numel()) for t in flat if isinstance(t, torch.Tensor))


def _sort_ops(args, kwargs) -> int:
    # comparisons of a comparison sort: n ceil(log2 m) along a dimension of size m
    x = args[0]
    if x.dim() == 0:
        return 0
    dim = kwargs.get("dim", args[1] if len(args) > 1 and isinstance(args[1], int) else -1)
    m = int(x.shape[dim])
    return int(x.numel()) * max(1, math.ceil(math.log2(m))) if m > 1 else int(x.numel())


def _max_input_numel(args, kwargs) -> int:
    flat, _ = torch.utils._pytree.tree_flatten((args, kwargs))
    return max((int(t.numel()) for t in flat if isinstance(t, torch.Tensor)), default=0)


class ElementwiseCounter(TorchDispatchMode):
    """Counts element-wise arithmetic that FlopCounterMode ignores.

    Ops in `skip` (the matmul/attention formulas) are left to FlopCounterMode.
    Enter it *inside* FlopCounterMode so each op reaches it before any
    decomposition (the decomposed pieces are then not counted twice).
    """

    def __init__(self, skip=frozenset()):
        super().__init__()
        self.skip = frozenset(skip)
        self.count = 0
        self.by_op: dict[str, int] = {}
        #: ops that reached dispatch and were not counted here (nor decomposed):
        #: left to FlopCounterMode when in `skip`, else data movement or a gap
        self.uncounted: dict = {}
        self._kind: dict = {}

    def _classify(self, packet) -> str:
        kind = self._kind.get(packet)
        if kind is None:
            if packet in _FUSED_ELEMENTWISE:
                kind = "fused"
            elif packet in self.skip:
                kind = "skip"
            elif packet in _REDUCTIONS:
                kind = "reduction"
            elif _is_pointwise(packet) or packet in _UNTAGGED_POINTWISE:
                kind = "pointwise"
            elif packet in _SELECTIONS:
                kind = "reduction"
            elif packet in _SORTS:
                kind = "sort"
            elif packet in _SCATTER_ARITH:
                kind = "scatter"
            else:
                kind = "none"
            self._kind[packet] = kind
        return kind

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        kind = self._classify(func._overloadpacket)
        if kind == "none":
            # a composite op (aten.lstm, ...) reaching dispatch whole: count its
            # pieces, as FlopCounterMode does, or its gate arithmetic goes unseen
            with self:
                out = func.decompose(*args, **kwargs)
            if out is not NotImplemented:
                return out
        out = func(*args, **kwargs)
        if kind == "pointwise":
            # tuple outputs (log_sigmoid_forward's buffer): the result is the first
            n = _numel_of(out[0] if isinstance(out, (tuple, list)) else out)
        elif kind == "reduction":
            n = _max_input_numel(args, kwargs)
        elif kind == "sort":
            n = _sort_ops(args, kwargs)
        elif kind == "scatter":
            src = kwargs.get("source", kwargs.get("src", args[3] if len(args) > 3 else None))
            n = int(src.numel()) if isinstance(src, torch.Tensor) else 0
        elif kind == "fused":
            n = _FUSED_ELEMENTWISE[func._overloadpacket](args, kwargs)
        else:
            if kind == "none":
                packet = func._overloadpacket
                self.uncounted[packet] = self.uncounted.get(packet, 0) + 1
            return out
        self.count += n
        name = func._overloadpacket.__name__
        self.by_op[name] = self.by_op.get(name, 0) + n
        return out


def count_ops(fn, *args, **kwargs):
    """Run fn(*args, **kwargs) under the counters; returns (result, StepCost)."""
    result, cost, _ = count_ops_detailed(fn, *args, **kwargs)
    return result, cost


def count_ops_detailed(fn, *args, **kwargs):
    """count_ops plus the ops no counter priced: {op packet: calls}, excluding
    those FlopCounterMode has a formula for (the audit in the tests reads it)."""
    flop_mode = flop_counter.FlopCounterMode(display=False, custom_mapping=EXTRA_FORMULAS)
    with torch.no_grad(), flop_mode:
        with ElementwiseCounter(skip=flop_mode.flop_registry.keys()) as ew:
            result = fn(*args, **kwargs)
    counts = flop_mode.get_flop_counts().get("Global", {})
    sdpa = sum(v for k, v in counts.items() if k in SDPA_PACKETS)
    matmul = sum(v for k, v in counts.items() if k not in SDPA_PACKETS)
    cost = StepCost(matmul_flops=int(matmul), sdpa_flops=int(sdpa), elementwise_flops=int(ew.count))
    return result, cost, dict(ew.uncounted)


def measure_step_flops(osp, state, tokens: torch.Tensor) -> StepCost:
    """Cost of one `osp.step(state, tokens)`, tokens (B,).

    Model-agnostic: any OSP whose step runs torch ops is measured by dispatch
    counters; witnesses (`counts_own_ops`) report their own word operations.
    A state that the step mutates (`mutates_state`) is consumed.
    """
    if getattr(osp, "counts_own_ops", False):
        return osp.measure_step(state, tokens)
    _, cost = count_ops(osp.step, state, tokens)
    return cost
