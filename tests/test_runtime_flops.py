"""The FLOP counter catches what FlopCounterMode misses on CPU."""

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from osp.runtime import zoo
from osp.runtime.flops import StepCost, count_ops, measure_step_flops

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
    assert cost.total == cost.matmul_flops + cost.sdpa_flops + cost.elementwise_flops


def test_witness_reports_word_ops_in_the_same_struct():
    osp = zoo.build("key-table")
    cost = measure_step_flops(osp, osp.init_state(1), torch.tensor([osp.num_values + 1]))
    assert isinstance(cost, StepCost)
    assert cost.word_ops > 0 and cost.matmul_flops == cost.elementwise_flops == 0
    assert cost.total == cost.word_ops + cost.tape_reads
