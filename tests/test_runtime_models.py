"""Every reference model: step decoding equals the parallel forward, the naive
reference equals the fast path, prefill's state equals decoding's, the step
does not mutate its input state, and state bits equal a hand count."""

import dataclasses

import pytest
import torch

from osp.runtime import zoo
from osp.runtime.models import attention, conv_attention, delta_net, hybrid, linear_attention, lstm, mamba
from osp.runtime.models import sliding_window

torch.set_num_threads(1)

TOL = 1e-5
VARIANTS = {  # test id -> (zoo name, overrides)
    "attention": ("attention", {}),
    "sliding-window": ("sliding-window", {}),
    "sliding-window-1": ("sliding-window", {"window": "1"}),
    "linear-attention": ("linear-attention", {}),
    "linear-attention-taylor": ("linear-attention", {"feature_map": "taylor"}),
    "mamba": ("mamba", {}),
    "delta-net": ("delta-net", {}),
    "lstm": ("lstm", {}),
    "hybrid": ("hybrid", {}),
    "hybrid-delta-net": ("hybrid", {"recurrent": "delta-net", "attention_share": "0.5"}),
    "hybrid-linear": ("hybrid", {"recurrent": "linear-attention"}),
    "conv-attention": ("conv-attention", {}),
    "conv-attention-1": ("conv-attention", {"d_conv": "1", "n_heads": "1"}),
    "conv-attention-tied": ("conv-attention", {"tie_embeddings": "true", "positions": "40"}),
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def model(request):
    name, overrides = VARIANTS[request.param]
    return zoo.build(name, overrides)


@pytest.mark.parametrize("T", [1, 6, 29])
def test_step_equals_parallel_and_naive(model, T):
    g = torch.Generator().manual_seed(T)
    tokens = torch.randint(0, model.vocab_size, (2, T), generator=g)
    with torch.no_grad():
        fast = model(tokens)
        naive = model(tokens, naive=True)
        state, stepped = model.decode(tokens)
        prefilled = model.prefill(tokens)
    assert fast.shape == (2, T, model.vocab_size)
    assert (stepped - fast).abs().max().item() < TOL
    assert (naive - fast).abs().max().item() < TOL
    pairs = list(zip(model.state_tensors(state), model.state_tensors(prefilled)))
    assert pairs and all(a.name == b.name and a.tensor.shape == b.tensor.shape for a, b in pairs)
    for a, b in pairs:
        if a.tensor.numel():
            scale = max(1.0, a.tensor.abs().max().item())  # sums over t grow with t
            assert (a.tensor - b.tensor).abs().max().item() < TOL * scale, a.name


def test_step_does_not_mutate_its_input(model):
    assert not model.mutates_state
    with torch.no_grad():
        state = model.prefill(torch.randint(0, model.vocab_size, (1, 5)))
        before = [t.tensor.clone() for t in model.state_tensors(state)]
        model.step(state, torch.tensor([1]))
    assert all(torch.equal(a, b.tensor) for a, b in zip(before, model.state_tensors(state)))


def test_configs_are_frozen():
    cfg = attention.AttentionConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.d_model = 3


def _bits_after(osp, T, batch=1):
    with torch.no_grad():
        return osp.state_bits(osp.prefill(torch.randint(0, osp.vocab_size, (batch, T))))


# hand counts: float32 = 32 bits per element
def test_state_bits_attention():
    c = attention.AttentionConfig(d_model=32, n_layers=2, n_heads=4)
    assert _bits_after(attention.build(c), 10) == c.n_layers * 2 * 10 * 32 * 32  # K and V, 10 tokens


def test_state_bits_sliding_window():
    c = sliding_window.SlidingWindowConfig(window=4)
    assert _bits_after(sliding_window.build(c), 10) == 2 * 2 * 3 * 32 * 32  # the last w - 1 = 3 tokens
    assert _bits_after(sliding_window.build(c), 2) == 2 * 2 * 2 * 32 * 32


def test_state_bits_linear_attention():
    assert _bits_after(linear_attention.build(), 7) == 2 * (4 * 8 * 8 + 4 * 8) * 32  # S (H, F, dh) + z (H, F)
    taylor = linear_attention.build(linear_attention.LinearAttentionConfig(feature_map="taylor"))
    F = 1 + 8 + 64
    assert _bits_after(taylor, 7) == 2 * (4 * F * 8 + 4 * F) * 32


def test_state_bits_mamba():
    # E = 2 * 32 = 64 channels: conv (E, d_conv - 1 = 3) + h (E, d_state = 8)
    assert _bits_after(mamba.build(), 7, batch=2) == 2 * 2 * (64 * 3 + 64 * 8) * 32


def test_state_bits_delta_net():
    assert _bits_after(delta_net.build(), 7) == 2 * (4 * 8 * 8) * 32  # S (H, dv, dk)


def test_state_bits_lstm():
    assert _bits_after(lstm.build(), 7) == 2 * 2 * 32 * 32  # h and c, 2 layers, hidden 32


def test_state_bits_hybrid():
    c = hybrid.HybridConfig()
    assert c.attention_layers() == [3]
    mamba_layer = (64 * 3 + 64 * 8) * 32
    assert _bits_after(hybrid.build(c), 9) == 3 * mamba_layer + 2 * 9 * 32 * 32


def test_state_bits_conv_attention():
    c = conv_attention.ConvAttentionConfig(d_model=32, n_layers=2, d_conv=3)
    conv_layer = 2 * 32 * 32  # the last d_conv - 1 = 2 inputs, zeros before the first token
    assert _bits_after(conv_attention.build(c), 10) == 2 * (conv_layer + 2 * 10 * 32 * 32)
    assert _bits_after(conv_attention.build(c), 1) == 2 * (conv_layer + 2 * 1 * 32 * 32)


def test_the_convolution_sees_exactly_the_last_d_conv_tokens():
    """Output at t changes with input t - d_conv + 1 and not with input t - d_conv."""
    conv = conv_attention.GatedShortConv(4, 3)
    u = torch.randn(1, 8, 4, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        base = conv(u)
        for j, seen in ((5, True), (4, False)):
            v = u.clone()
            v[0, j] += 1.0
            assert bool((conv(v)[0, 7] - base[0, 7]).abs().max() > 0) == seen, j


def test_tied_head_is_the_embedding_and_leaves_other_weights_as_drawn():
    tied = attention.build(attention.AttentionConfig(tie_embeddings=True))
    untied = attention.build(attention.AttentionConfig())
    assert tied.head.weight is tied.embed.weight
    params = dict(untied.named_parameters())
    shared = dict(tied.named_parameters())
    assert "head.weight" not in shared and set(shared) == set(params) - {"head.weight"}
    assert all(torch.equal(t, params[n]) for n, t in shared.items())


def test_hybrid_share_places_attention_layers():
    assert hybrid.HybridConfig(n_layers=4, attention_share=0.5).attention_layers() == [1, 3]
    assert hybrid.HybridConfig(n_layers=4, attention_share=0.0).attention_layers() == []
    assert hybrid.HybridConfig(n_layers=4, attention_share=1.0).attention_layers() == [0, 1, 2, 3]


def test_parallel_scan_matches_sequential_scan():
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(2, 37, 3, generator=g), torch.randn(2, 37, 3, generator=g)
    assert (mamba.parallel_scan(a, b) - mamba.sequential_scan(a, b)).abs().max().item() < 1e-5


@pytest.mark.parametrize("name", ["delta-net", "mamba"])
def test_parallel_forms_stay_exact_on_a_long_sequence(name):
    osp = zoo.build(name)
    tokens = torch.randint(0, osp.vocab_size, (1, 200), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert (osp.decode(tokens)[1] - osp(tokens)).abs().max().item() < TOL


def test_a_layer_without_the_mixer_protocol_is_refused():
    from torch import nn

    from osp.runtime.models._lm import LMConfig, Mixer, MixerLM
    from osp.runtime.models.mamba import SelectiveSSM

    assert isinstance(SelectiveSSM(8, 4, d_conv=4, expand=2), Mixer)
    with pytest.raises(TypeError, match="not a Mixer"):
        MixerLM("broken", LMConfig(d_model=8), [nn.Linear(8, 8)])
