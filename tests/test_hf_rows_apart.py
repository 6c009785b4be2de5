"""hf:rwkv keeps one cache per batch row: the per-example readers (the quantizer, Theorem 2's
norms) take its examples one at a time, and read exactly one example's state each time."""

from fractions import Fraction

import pytest

pytest.importorskip("transformers")

import torch  # noqa: E402

from osp.harness import quantize as quant  # noqa: E402
from osp.harness import theorem2 as thm2  # noqa: E402
from osp.harness.state import readable, storing_state  # noqa: E402
from osp.harness.train import TrainConfig, make_task  # noqa: E402
from osp.runtime import hf  # noqa: E402

torch.set_num_threads(1)
N, EXAMPLES = 2, 5


@pytest.fixture(scope="module")
def rwkv():
    osp = hf.build_hf_osp("rwkv", {})
    return osp, make_task(osp, (N,), 16), TrainConfig(pairs=(N,), length=16)


def _one_example_scalars(osp, task) -> int:
    one = next(task.examples("test", 0, N, 1))
    D = sum(st.tensor.numel() for st in osp.state_tensors(storing_state(osp, one)))
    # by hand: RWKV-4 keeps 5 vectors of hidden_size per layer (two shifts, num, den, max)
    assert D == 5 * osp.config.hidden_size * osp.config.num_hidden_layers
    return D


def test_rows_apart_batches_are_split_into_examples(rwkv):
    osp, task, _ = rwkv
    assert osp.rows_apart and not hf.build_hf_osp("llama", {}).rows_apart
    pieces = list(readable(osp, task.examples("test", 0, N, EXAMPLES), "cpu"))
    assert [p.tokens.shape[0] for p in pieces] == [1] * EXAMPLES
    whole = next(task.examples("test", 0, N, EXAMPLES))
    assert torch.equal(torch.cat([p.tokens for p in pieces]), whole.tokens)


def test_quantized_state_counts_one_example(rwkv):
    osp, task, tc = rwkv
    row = quant.measure_quantized(osp, task, tc, N, 8, EXAMPLES, Fraction(1, 20))
    D = _one_example_scalars(osp, task)
    # five float32 tensors, each with an offset and a scale: b_T(8) = 8 D + 5 * 64
    assert row.quantized.real_scalars == D and row.quantized.real_tensors == 5
    assert row.state_bits == 8 * D + 5 * 64


def test_theorem2_reads_one_example_per_norm(rwkv):
    osp, task, tc = rwkv
    rows = thm2.measure_theorem2(osp, task, tc, N, thm2.DELTA_GRID[:1], EXAMPLES, EXAMPLES, Fraction(1, 20))
    whole = next(task.examples("calibration", 0, N, EXAMPLES))
    norms = [float(thm2.state_norms(osp, storing_state(osp, one), 1)[0]) for one in whole.rows()]
    assert rows[0].real_scalars == _one_example_scalars(osp, task)
    # R is the largest of the examples' own norms, not a norm of several examples' states together
    assert rows[0].radius == Fraction(max(norms)) and min(norms) > 0
