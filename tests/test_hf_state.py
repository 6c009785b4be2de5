"""State bits read from HF caches equal hand counts; the cache walker refuses what it does not know."""

import pytest

pytest.importorskip("transformers")

import torch  # noqa: E402
from transformers import DynamicCache  # noqa: E402

from osp.runtime import hf  # noqa: E402
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402

from osp.runtime.flops import SDPA_PACKETS, measure_step_flops  # noqa: E402
from osp.runtime.hf_cache import UnknownCacheError, cache_state_tensors  # noqa: E402

torch.set_num_threads(1)
FP32_BITS = 32


def _run(osp, batch, length, seed=0):
    tokens = torch.randint(0, osp.vocab_size, (batch, length), generator=torch.Generator().manual_seed(seed))
    state, _ = osp.decode(tokens)
    return state


@pytest.mark.parametrize("overrides", [{}, {"hidden_size": "128", "num_key_value_heads": "4"}])
@pytest.mark.parametrize("t", [1, 5, 16])
def test_llama_kv_bits_hand_count(overrides, t):
    osp = hf.build_hf_osp("llama", overrides)
    c = osp.config
    head_dim = c.hidden_size // c.num_attention_heads
    # keys and values, every layer, every KV head, every cached token
    expected = 2 * c.num_hidden_layers * c.num_key_value_heads * head_dim * t * FP32_BITS
    assert osp.state_bits(_run(osp, 1, t)) == expected


def test_mistral_window_hand_count():
    osp = hf.build_hf_osp("mistral", {"sliding_window": "6"})
    c = osp.config
    head_dim = c.hidden_size // c.num_attention_heads
    per_token = 2 * c.num_hidden_layers * c.num_key_value_heads * head_dim * FP32_BITS
    for t in (3, 5, 6, 20):
        # transformers keeps window - 1 past tokens: the newest token is added at the next step
        assert osp.state_bits(_run(osp, 1, t)) == per_token * min(t, c.sliding_window - 1)


def test_mamba_bits_hand_count():
    osp = hf.build_hf_osp("mamba", {})
    c = osp.config
    # per layer: conv window (inner, kernel) + SSM state (inner, state_size)
    expected = c.num_hidden_layers * c.intermediate_size * (c.conv_kernel + c.state_size) * FP32_BITS
    assert c.intermediate_size == c.expand * c.hidden_size
    assert osp.state_bits(_run(osp, 1, 3)) == expected


def test_rwkv_bits_hand_count_per_row():
    osp = hf.build_hf_osp("rwkv", {})
    c = osp.config
    # 5 vectors of width hidden per layer (two token shifts, numerator, denominator, running max), per row
    assert osp.state_bits(_run(osp, 2, 4)) == 2 * 5 * c.hidden_size * c.num_hidden_layers * FP32_BITS


def test_xlstm_bits_hand_count():
    osp = hf.build_hf_osp("xlstm", {})
    c = osp.config
    qk = int(c.hidden_size * c.qk_dim_factor) // c.num_heads
    v = int(c.hidden_size * c.v_dim_factor) // c.num_heads
    # per layer and head: matrix memory C (qk, v), normaliser n (qk), stabiliser m (1)
    expected = c.num_hidden_layers * c.num_heads * (qk * v + qk + 1) * FP32_BITS
    assert osp.state_bits(osp.init_state(1)) == expected
    assert osp.state_bits(_run(osp, 1, 3)) == expected


def test_clone_state_replays_and_is_independent():
    osp = hf.build_hf_osp("bamba", {})
    tokens = torch.randint(0, osp.vocab_size, (1, 12), generator=torch.Generator().manual_seed(5))
    state = osp.init_state(1)
    for t in range(6):
        state, _ = osp.step(state, tokens[:, t])
    copy = osp.clone_state(state)
    bits_before = osp.state_bits(state)
    for t in range(6, 12):
        copy, from_copy = osp.step(copy, tokens[:, t])
    assert osp.state_bits(state) == bits_before  # stepping the copy left the original alone
    for t in range(6, 12):
        state, from_original = osp.step(state, tokens[:, t])
    assert torch.equal(from_copy, from_original)


def test_walker_refuses_unknown_cache_class():
    class StrangeCache:
        pass

    with pytest.raises(UnknownCacheError, match="StrangeCache"):
        cache_state_tensors(StrangeCache(), 0)


def test_walker_refuses_unknown_layer_class():
    from transformers import cache_utils

    class StrangeLayer(cache_utils.DynamicLayer):
        pass

    cache = DynamicCache()
    cache.layers.append(StrangeLayer())
    with pytest.raises(UnknownCacheError, match="StrangeLayer"):
        cache_state_tensors(cache, 0)


def test_walker_refuses_unaccounted_tensor():
    osp = hf.build_hf_osp("llama", {})
    state = _run(osp, 1, 3)
    state.cache.layers[0].extra_memory = torch.zeros(4)  # state a future version might add
    with pytest.raises(UnknownCacheError, match="extra_memory"):
        osp.state_tensors(state)


def test_mamba2_bits_hand_count():
    osp = hf.build_hf_osp("mamba2", {})
    c = osp.config
    conv_channels = c.expand * c.hidden_size + 2 * c.n_groups * c.state_size
    # per layer: conv window (conv_channels, kernel) + SSM state (heads, head_dim, state_size); no token counter
    expected = c.num_hidden_layers * (conv_channels * c.conv_kernel + c.num_heads * c.head_dim * c.state_size)
    state = _run(osp, 1, 5)
    assert osp.state_bits(state) == expected * FP32_BITS
    assert not any("cumulative_length" in st.name for st in osp.state_tensors(state))


def _linear_layer(osp, state):
    from transformers import cache_utils

    return next(layer for layer in state.cache.layers if isinstance(layer, cache_utils.LinearAttentionLayer))


@pytest.mark.parametrize("family", ["mamba2", "qwen3-next"])
def test_token_counter_is_the_clock_only_when_it_counts_tokens(family):
    # transformers 5.25 adds a 0-d `cumulative_length_linear` to linear-attention layers. Set here
    # by hand so the check runs on every release: the step count is free, anything else is state.
    osp = hf.build_hf_osp(family, {})
    state = _run(osp, 1, 6)
    bits = osp.state_bits(state)
    layer = _linear_layer(osp, state)
    layer.cumulative_length_linear = torch.tensor(6)
    assert osp.state_bits(state) == bits
    for bad, match in [
        (torch.tensor(7), "cumulative_length_linear = 7 after 6 tokens"),
        (torch.tensor(6.0), "not a scalar integer token counter"),
        (torch.tensor([6, 6]), "not a scalar integer token counter"),
        (6, "not a scalar integer token counter"),
    ]:
        layer.cumulative_length_linear = bad
        with pytest.raises(UnknownCacheError, match=match):
            osp.state_tensors(state)


def test_xlstm_step_counter_is_checked_too():
    osp = hf.build_hf_osp("xlstm", {})
    state = _run(osp, 1, 4)
    assert state.cache.seqlen_offset.tolist() == [4]  # the clock: counted as nothing
    bits = osp.state_bits(state)
    state.cache.seqlen_offset = torch.tensor([9])
    with pytest.raises(UnknownCacheError, match="seqlen_offset = 9 after 4 tokens"):
        osp.state_tensors(state)
    state.cache.seqlen_offset = torch.tensor([4, 4])
    with pytest.raises(UnknownCacheError, match="not a scalar integer token counter"):
        osp.state_tensors(state)
    state.cache.seqlen_offset = torch.tensor([4])
    assert osp.state_bits(state) == bits


def test_new_state_in_a_linear_layer_is_refused():
    # what a past-recording cache keeps (5.25's recurrent_states_history) is state the walker does not count
    osp = hf.build_hf_osp("mamba2", {})
    state = _run(osp, 1, 3)
    _linear_layer(osp, state).recurrent_states_history = {0: [torch.zeros(2, 2)]}
    with pytest.raises(UnknownCacheError, match="recurrent_states_history"):
        osp.state_tensors(state)


@pytest.mark.parametrize("family,grows", [("llama", True), ("mamba", False)])
def test_attention_flops_are_counted(family, grows):
    # Eager attention is plain matmuls, so FlopCounterMode sees the per-step cost grow with t.
    osp = hf.build_hf_osp(family, {})
    tokens = torch.randint(0, osp.vocab_size, (1, 40), generator=torch.Generator().manual_seed(6))
    state, costs = osp.init_state(1), {}
    for t in range(40):
        if t in (8, 39):
            costs[t] = measure_step_flops(osp, osp.clone_state(state), tokens[:, t]).matmul_flops
        state, _ = osp.step(state, tokens[:, t])
    if grows:
        c = osp.config
        head_dim = c.hidden_size // c.num_attention_heads
        # q.k^T and attn.v: 2 matmuls x 2 FLOPs per multiply-add, per layer, head and cached token
        per_token = 2 * 2 * c.num_hidden_layers * c.num_attention_heads * head_dim
        assert costs[39] - costs[8] == per_token * 31
    else:
        assert costs[39] == costs[8] > 0


class _OpRecorder(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops: set = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.add(func._overloadpacket)
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("family", ["llama", "gemma3", "qwen3-next", "jamba", "kimi-linear", "minimax", "zamba2"])
def test_eager_kernels_only(family):
    # Attention and MoE experts run eager, so every matmul is one FlopCounterMode counts natively.
    osp = hf.build_hf_osp(family, {})
    assert osp.model.config._attn_implementation == "eager"
    assert osp.model.config._experts_implementation == "eager"
    state, _ = osp.decode(torch.randint(0, osp.vocab_size, (1, 3), generator=torch.Generator().manual_seed(7)))
    with _OpRecorder() as rec:
        osp.step(state, torch.tensor([1]))
    fused = {torch.ops.aten._grouped_mm, *SDPA_PACKETS} & rec.ops
    assert not fused, fused


def test_step_leaves_parameters_trainable():
    # a step freezes the parameters while it runs (see hf._parameters_frozen); a trainer needs them back
    osp = hf.build_hf_osp("mamba2", {})
    osp.model.lm_head.weight.requires_grad_(False)  # one the caller froze on purpose stays frozen
    osp.decode(torch.zeros((1, 3), dtype=torch.long))
    flags = {name: p.requires_grad for name, p in osp.model.named_parameters()}
    assert flags.pop("lm_head.weight") is False  # tiny mamba2 does not tie its head: the name is listed
    assert flags and all(flags.values())
