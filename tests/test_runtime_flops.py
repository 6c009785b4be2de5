"""The FLOP counter catches what FlopCounterMode misses on CPU."""

import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from osp.runtime import zoo
from osp.runtime.hf_families import HF_FAMILIES
from osp.runtime.flops import DATA_MOVEMENT, count_ops, count_ops_detailed, measure_step_flops

torch.set_num_threads(1)


def test_cpu_sdpa_is_counted_with_torchs_formula():
    B, H, Lq, Lk, d = 2, 3, 1, 17, 8
    q, k, v = torch.randn(B, H, Lq, d), torch.randn(B, H, Lk, d), torch.randn(B, H, Lk, d)
    plain = FlopCounterMode(display=False)
    with plain:
        F.scaled_dot_product_attention(q, k, v)
    assert plain.get_total_flops() == 0  # the gap this module closes
    _, cost = count_ops(F.scaled_dot_product_attention, q, k, v)
    assert cost.sdpa_flops == 2 * (2 * B * H * Lq * Lk * d)  # q k^T and (scores) v
    assert cost.matmul_flops == 0


def test_elementwise_state_update_is_not_free():
    h, a, x = torch.randn(4, 16), torch.rand(4, 16), torch.randn(4, 16)

    def update(h, a, x):
        return a * h + x  # a recurrent update: 2 ops per element

    _, cost = count_ops(update, h, a, x)
    assert cost.elementwise_flops == 2 * 64
    assert cost.matmul_flops == 0

    def inplace(h, a, x):
        h = h.clone()  # data movement: not counted
        h.mul_(a).add_(x)
        return torch.cat([h, h])  # data movement: not counted

    assert count_ops(inplace, h, a, x)[1].elementwise_flops == 2 * 64

    def reduce(h):
        return h.softmax(-1).sum()

    assert count_ops(reduce, h)[1].elementwise_flops == 64 + 64


def test_grouped_mm_and_mv_are_counted():
    a, b = torch.randn(6, 8), torch.randn(2, 8, 4)
    offs = torch.tensor([3, 6], dtype=torch.int32)
    _, cost = count_ops(torch._grouped_mm, a, b, offs=offs)
    assert cost.matmul_flops == 2 * 6 * 8 * 4  # each of the 6 rows meets its group's 8x4 weight
    _, cost = count_ops(torch.mv, torch.randn(5, 7), torch.randn(7))
    assert cost.matmul_flops == 2 * 5 * 7


def test_fused_lstm_step_is_counted():
    osp = zoo.build("lstm")
    c = osp.config
    cost = measure_step_flops(osp, osp.init_state(1), torch.tensor([3]))
    gates = 4 * c.hidden
    layers = 2 * gates * (c.d_model + c.hidden) + (c.n_layers - 1) * 2 * gates * (2 * c.hidden)
    assert c.d_model == c.hidden  # the line above assumes it
    assert cost.matmul_flops == layers + 2 * c.hidden * c.vocab_size
    assert cost.elementwise_flops > 0


def test_recurrent_model_step_counts_elementwise_work():
    osp = zoo.build("mamba")
    cost = measure_step_flops(osp, osp.init_state(1), torch.tensor([5]))
    E, N = osp.config.expand * osp.config.d_model, osp.config.d_state
    # h = decay * h + drive alone is 2 E N per layer
    assert cost.elementwise_flops >= osp.config.n_layers * 2 * E * N
    assert cost.sdpa_flops == cost.word_ops == cost.tape_reads == 0  # no attention, no lookup table, no tape


def test_witness_reports_word_ops_in_the_same_struct():
    osp = zoo.build("key-table")
    cost = measure_step_flops(osp, osp.init_state(1), torch.tensor([osp.num_values + 1]))
    assert cost.word_ops > 0 and cost.matmul_flops == cost.sdpa_flops == cost.elementwise_flops == 0
    assert cost.tape_reads == 0  # a key table is a pure OSP: it reads no tape


def test_untagged_elementwise_and_selection_ops_are_counted():
    x = torch.randn(4, 8)
    assert count_ops(F.logsigmoid, x)[1].elementwise_flops == 32  # aten.log_sigmoid_forward, no pointwise tag
    assert count_ops(torch.topk, x, 2)[1].elementwise_flops == 32
    assert count_ops(torch.kthvalue, x, 2)[1].elementwise_flops == 32
    assert count_ops(torch.sort, x)[1].elementwise_flops == 32 * 3  # n ceil(log2 8) comparisons
    assert count_ops(torch.sort, x, dim=0)[1].elementwise_flops == 32 * 2  # along the size-4 dim


def _reference_osps():
    from osp.runtime.models.hybrid import RECURRENT
    from osp.runtime.models.linear_attention import FEATURE_MAPS

    for name, entry in zoo.MODELS.items():
        if entry.kind == "model":
            yield name, {}
    for fm in FEATURE_MAPS:
        yield "linear-attention", {"feature_map": fm}
    for rec in RECURRENT:
        yield "hybrid", {"recurrent": rec}


@pytest.mark.parametrize("name,overrides", list(_reference_osps()))
def test_every_op_of_a_reference_step_is_priced_or_data_movement(name, overrides):
    """Audit: each aten op a step runs is counted by FlopCounterMode (a formula),
    by the element-wise counter, or is on the explicit data-movement list, so a
    new uncounted op fails here instead of being silently free."""
    osp = zoo.build(name, overrides)
    tokens = osp.profile_input(1, 8, 0)
    state = osp.prefill(tokens[:, :8])
    _, cost, uncounted = count_ops_detailed(osp.step, state, tokens[:, 8])
    assert cost.total > 0
    gaps = sorted(op.__name__ for op in uncounted if op not in DATA_MOVEMENT)
    assert gaps == [], f"{name} {overrides}: ops neither counted nor data movement: {gaps}"


def test_the_audit_sees_a_gap():
    # an op no counter prices and the allow-list lacks must show up
    _, _, uncounted = count_ops_detailed(torch.histc, torch.randn(16), 4)
    assert any(op not in DATA_MOVEMENT for op in uncounted)
    # and the allow-list holds no arithmetic the counter prices
    from osp.runtime.flops import ElementwiseCounter

    ew = ElementwiseCounter()
    assert [op for op in DATA_MOVEMENT if ew._classify(op) not in ("none",)] == []


def test_moe_scatter_and_range_ops_are_counted():
    out, src = torch.zeros(6, 4), torch.randn(3, 4)
    idx = torch.tensor([0, 2, 5])
    assert count_ops(lambda o: o.index_add_(0, idx, src), out.clone())[1].elementwise_flops == 12
    assert count_ops(torch.aminmax, torch.randn(5, 3))[1].elementwise_flops == 15


@pytest.mark.parametrize("family", HF_FAMILIES)
def test_every_op_of_an_hf_step_is_priced_or_data_movement(family):
    pytest.importorskip("transformers")
    osp = zoo.build("hf:" + family)
    tokens = osp.profile_input(1, 8, 0)
    with torch.no_grad():
        state = osp.prefill(tokens[:, :8])
    _, _, uncounted = count_ops_detailed(osp.step, state, tokens[:, 8])
    gaps = sorted(op.__name__ for op in uncounted if op not in DATA_MOVEMENT)
    assert gaps == [], f"hf:{family}: ops neither counted nor data movement: {gaps}"
