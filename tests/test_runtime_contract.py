"""The OSP contract: state bits come from the listed tensors, decode/prefill defaults."""

import pytest
import torch

from osp.runtime import zoo
from osp.runtime.contract import OSP, StateTensor, dtype_bits

torch.set_num_threads(1)


def test_dtype_bits():
    assert dtype_bits(torch.float32) == 32
    assert dtype_bits(torch.float16) == 16
    assert dtype_bits(torch.bfloat16) == 16
    assert dtype_bits(torch.int8) == 8
    assert dtype_bits(torch.int64) == 64
    assert dtype_bits(torch.bool) == 1
    assert dtype_bits(torch.complex64) == 64  # two float32 parts


def test_state_tensor_bits_use_numel_and_width():
    t = torch.zeros(3, 5, dtype=torch.float16)
    assert StateTensor("x", t).state_bits == 3 * 5 * 16
    assert StateTensor("x", t, bits_per_element=3).state_bits == 3 * 5 * 3
    assert StateTensor("empty", torch.zeros(2, 0)).state_bits == 0


class RunningSum(OSP):
    """A tiny OSP: the state is the running sum of token ids (one int32 per row)."""

    vocab_size = 4

    def init_state(self, batch):
        return torch.zeros(batch, dtype=torch.int32)

    def step(self, state, tokens):
        state = state + tokens.to(torch.int32)
        return state, torch.nn.functional.one_hot(state.long() % 4, 4).float()

    def forward(self, tokens):
        return torch.nn.functional.one_hot(tokens.cumsum(1) % 4, 4).float()

    def state_tensors(self, state):
        return [StateTensor("sum", state)]


def test_decode_prefill_and_state_bits():
    osp = RunningSum()
    tokens = torch.tensor([[1, 2, 3, 0], [3, 3, 3, 3]])
    state, logits = osp.decode(tokens)
    assert logits.shape == (2, 4, 4)
    assert torch.equal(logits, osp.forward(tokens))
    assert state.tolist() == [6, 12]
    assert torch.equal(osp.prefill(tokens), state)
    assert osp.prefill(tokens[:, :0]).tolist() == [0, 0]
    assert osp.state_bits(state) == 2 * 32


def test_default_profile_input_shape_and_range():
    x = RunningSum().profile_input(2, 10, seed=3)
    assert x.shape == (2, 11)
    assert int(x.min()) >= 0 and int(x.max()) < 4
    assert torch.equal(x, RunningSum().profile_input(2, 10, seed=3))


@pytest.mark.parametrize("name", [n for n in zoo.names() if not n.startswith(zoo.HF_PREFIX)])
def test_state_tensors_are_batch_first_views(name):
    # the quantizer and Theorem 2's R read one example per row: nn.LSTM's (layers, B, hidden)
    # once made `osp measure --quantize-bits` count a whole batch as one example's state
    model = zoo.build(name)
    B = 3
    with torch.no_grad():
        state = model.prefill(model.profile_input(B, 8, seed=0)[:, :8])
    for st in model.state_tensors(state):
        assert st.tensor.shape[0] == B, (name, st.name, tuple(st.tensor.shape))
    # views: what the harness writes into a listed tensor (a quantized copy) is the state's from then on
    for st in model.state_tensors(state):
        st.tensor.fill_(1)
    assert all(bool((st.tensor == 1).all()) for st in model.state_tensors(state)), name
