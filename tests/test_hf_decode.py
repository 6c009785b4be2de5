"""Every HF family as an OSP: step decoding equals the parallel forward, and state grows as its kind says.

Random weights from tiny configs (osp/runtime/hf_families.py); docs/hf.md records the
measured differences (benchmarks/hf_table.py prints them).
"""

import pytest

pytest.importorskip("transformers")

import torch  # noqa: E402

from osp.runtime import hf  # noqa: E402
from osp.runtime.hf_families import FAMILY_BY_NAME  # noqa: E402

torch.set_num_threads(1)

#: max |logit difference| every family must meet, float32. All measured <= 2.3e-6 (docs/hf.md);
#: with position_ids passed on every step no family needs an exception.
TOL = 1e-5

_MODELS: dict[str, hf.HFOSP] = {}


def _model(family: str) -> hf.HFOSP:
    if family not in _MODELS:
        _MODELS[family] = hf.build_hf_osp(family, {})
    return _MODELS[family]


def _tokens(osp, batch, length, seed):
    return torch.randint(0, osp.vocab_size, (batch, length), generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("batch,length,seed", [(1, 16, 1), (2, 8, 2)])
@pytest.mark.parametrize("family", hf.HF_FAMILIES)
def test_step_decoding_matches_forward(family, batch, length, seed):
    osp = _model(family)
    tokens = _tokens(osp, batch, length, seed)
    full = osp.forward(tokens)  # (B, T, V)
    state, stepped = osp.decode(tokens)
    assert stepped.shape == full.shape == (batch, length, osp.vocab_size)
    assert state.position == length
    diff = (full - stepped).abs().max().item()
    assert diff < TOL, f"{family}: max |logit diff| {diff:.3e}"


@pytest.mark.parametrize("family", hf.HF_FAMILIES)
def test_state_growth_matches_kind(family):
    osp = _model(family)
    tokens = _tokens(osp, 1, 48, 3)
    state, bits = osp.init_state(1), {}
    for t in range(48):
        state, _ = osp.step(state, tokens[:, t])
        if t + 1 in (4, 16, 32, 48):
            bits[t + 1] = osp.state_bits(state)
    growth = FAMILY_BY_NAME[family].growth
    # Windows are 8 tokens, so from t = 16 on every sliding layer is full.
    if growth == "linear":  # a constant plus the same number of bits per token
        assert bits[48] - bits[32] == bits[32] - bits[16] > 0, bits
    elif growth == "flat":
        assert bits[4] == bits[16] == bits[32] == bits[48] > 0, bits
    elif growth == "capped":  # grows until the window is full, then stays
        assert 0 < bits[4] < bits[16] == bits[32] == bits[48], bits
    else:
        pytest.fail(f"unknown growth kind {growth!r}")


@pytest.mark.parametrize("family", hf.HF_FAMILIES)
def test_state_tensor_names_unique_and_batch_linear(family):
    osp = _model(family)
    one, _ = osp.decode(_tokens(osp, 1, 5, 4))
    two, _ = osp.decode(_tokens(osp, 2, 5, 4))
    names = [st.name for st in osp.state_tensors(two)]
    assert len(names) == len(set(names))
    assert osp.state_bits(two) == 2 * osp.state_bits(one) > 0
