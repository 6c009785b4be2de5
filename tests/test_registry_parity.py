"""Registry <-> runtime parity: an entry's state formula, evaluated at a model's
config, equals the state measured from that model's live tensors.

For every reference model and Hugging Face family that a registry entry
describes, the entry's `state_scalars` (with its constants replaced by the
model's config and L by the number of tokens seen) times the width of the
model's state elements must equal the state bits read from the state tensors
after L tokens, at several lengths (across a window's edge where there is
one). A mismatch is a bug in the entry or in the model, never a tolerance.
"""

from __future__ import annotations

import pytest
import sympy
import torch

from osp.registry import loader
from osp.runtime import zoo
from osp.runtime.contract import dtype_bits

torch.set_num_threads(1)
LENGTHS = (1, 3, 8, 13)
FP32_BITS = 32


def _reference(name, overrides, constants):
    return ("ref", name, overrides, constants)


def _hf(family, constants):
    return ("hf", family, {}, constants)


# entry file stem -> (how to build the model, the entry's constants read off the model's config)
CASES = {
    "transformer": _reference("attention", {}, lambda c: dict(d=c.d_model, layers=c.n_layers)),
    "mistral_7b": _reference("sliding-window", {"window": "5"},
                             lambda c: dict(d=c.d_model, w=c.window, h=c.n_heads, g=c.n_heads, layers=c.n_layers)),
    # the Linear Transformer's keys are d/h wide, as the reference model's are at its defaults
    "linear_transformer": _reference("linear-attention", {},
                                     lambda c: dict(d=c.d_model, h=c.n_heads, layers=c.n_layers)),
    "mamba": _reference("mamba", {}, lambda c: dict(d=c.d_model, n=c.d_state, k=c.d_conv, layers=c.n_layers)),
    "deltanet_parallelised": _reference("delta-net", {},
                                        lambda c: dict(d=c.d_model, h=c.n_heads, layers=c.n_layers)),
    "lstm": _reference("lstm", {}, lambda c: dict(d=c.hidden, layers=c.n_layers)),
    "zoology_baseconv_attention": _reference("conv-attention", {"d_conv": "4"},
                                             lambda c: dict(d=c.d_model, k=c.d_conv, layers=c.n_layers)),
    # Jamba's Mamba layers: expansion 2 and a conv window of 4 (its 6d = 2d * (4 - 1)), as the hybrid's are
    "jamba": _reference("hybrid", {"recurrent": "mamba"},
                        lambda c: dict(d=c.d_model, dkv=c.d_model, n=c.d_state, layers=c.n_layers,
                                       a=sympy.Rational(len(c.attention_layers()), c.n_layers))),
}

HF_CASES = {
    "llama_3": _hf("llama", lambda c: dict(d=c.hidden_size, h=c.num_attention_heads, g=c.num_key_value_heads,
                                           layers=c.num_hidden_layers)),
    "mistral_7b": _hf("mistral", lambda c: dict(d=c.hidden_size, w=c.sliding_window, h=c.num_attention_heads,
                                                g=c.num_key_value_heads, layers=c.num_hidden_layers)),
    "mamba": _hf("mamba", lambda c: dict(d=c.hidden_size, n=c.state_size, k=c.conv_kernel,
                                         layers=c.num_hidden_layers)),
    "mamba_2": _hf("mamba2", lambda c: dict(d=c.hidden_size, n=c.state_size, k=c.conv_kernel,
                                            layers=c.num_hidden_layers)),
    "rwkv_4": _hf("rwkv", lambda c: dict(d=c.hidden_size, layers=c.num_hidden_layers)),
    "xlstm_7b": _hf("xlstm", lambda c: dict(d=c.hidden_size, dk=int(c.hidden_size * c.qk_dim_factor),
                                            dv=int(c.hidden_size * c.v_dim_factor), h=c.num_heads,
                                            layers=c.num_hidden_layers)),
    "gemma_3": _hf("gemma3", lambda c: dict(d=c.hidden_size, dkv=c.num_key_value_heads * c.head_dim,
                                            w=c.sliding_window, a=sympy.Rational(1, 2), layers=c.num_hidden_layers)),
    "jamba": _hf("jamba", lambda c: dict(d=c.hidden_size, dkv=c.num_key_value_heads * (c.hidden_size //
                                                                                       c.num_attention_heads),
                                         n=c.mamba_d_state, a=sympy.Rational(1, 2), layers=c.num_hidden_layers)),
}


#: transformers' Mamba caches keep the whole convolution window, k columns per layer, where the
#: architecture (and the reference model) keeps the k - 1 a step reads: the oldest column is rolled
#: out before the convolution runs. The runtime's HF adapter (osp/runtime/hf_cache.py) counts it.
HF_KNOWN_MISMATCH = {"mamba", "mamba_2", "jamba"}


def _entry(stem: str) -> loader.Architecture:
    return loader.load_file(loader.data_dir() / f"{stem}.toml")


def _formula_scalars(entry: loader.Architecture, constants: dict, length: int) -> sympy.Rational:
    values = {**{k: sympy.nsimplify(v) for k, v in constants.items()}, "L": length}
    missing = {s.name for s in entry.state.free_symbols} - set(values)
    assert not missing, f"{entry.name}: the case gives no value for {sorted(missing)}"
    out = entry.state.subs({s: values[s.name] for s in entry.state.free_symbols})
    assert out.is_Rational, f"{entry.name}: {entry.state_scalars} -> {out}"
    return out


def _measured(osp, length: int) -> tuple[int, int]:
    """(state bits, bits per element) after `length` tokens."""
    tokens = torch.randint(0, osp.vocab_size, (1, length), generator=torch.Generator().manual_seed(0))
    state, _ = osp.decode(tokens)
    tensors = osp.state_tensors(state)
    widths = {st.bits_per_element if st.bits_per_element is not None else dtype_bits(st.tensor.dtype)
              for st in tensors}
    assert len(widths) == 1, f"state elements of several widths: {widths}"
    return sum(st.state_bits for st in tensors), widths.pop()


def _check(stem: str, case, build) -> None:
    kind, name, overrides, constants = case
    osp = build(name, overrides)
    entry = _entry(stem)
    for length in LENGTHS:
        bits, width = _measured(osp, length)
        expected = _formula_scalars(entry, constants(osp.config), length) * width
        assert bits == expected, (f"{stem} vs {name} at L = {length}: registry {entry.state_scalars} gives "
                                  f"{expected} bits, the live state holds {bits}")


@pytest.mark.parametrize("stem", sorted(CASES))
def test_reference_model_state_matches_its_registry_entry(stem):
    _check(stem, CASES[stem], lambda name, overrides: zoo.build(name, overrides))


@pytest.mark.parametrize("stem", sorted(set(HF_CASES) - HF_KNOWN_MISMATCH))
def test_hf_family_state_matches_its_registry_entry(stem):
    pytest.importorskip("transformers")
    from osp.runtime import hf
    _check(stem, HF_CASES[stem], lambda name, overrides: hf.build_hf_osp(name, overrides))


def test_every_reference_model_is_compared():
    models = {name for name, entry in zoo.MODELS.items() if entry.kind == "model"}
    compared = {case[1] for case in CASES.values()}
    assert models == compared


@pytest.mark.parametrize("stem", sorted(HF_KNOWN_MISMATCH))
def test_hf_mamba_mismatch_is_exactly_one_dead_conv_column(stem):
    """transformers' layout, measured: live state = registry formula + exactly one (dead) conv column per
    conv tensor, nothing else. Counting the stored column over-counts b_T, which keeps Theorem 1 sound."""
    pytest.importorskip("transformers")
    from osp.runtime import hf
    _, family, overrides, constants = HF_CASES[stem]
    osp = hf.build_hf_osp(family, overrides)
    entry = _entry(stem)
    for length in LENGTHS:
        tokens = torch.randint(0, osp.vocab_size, (1, length), generator=torch.Generator().manual_seed(0))
        tensors = osp.state_tensors(osp.decode(tokens)[0])
        conv = [st for st in tensors if "conv_states" in st.name]
        assert conv and all(st.tensor.shape[-1] == 4 for st in conv)  # the families' conv_kernel is 4
        dead_bits = sum(st.state_bits // st.tensor.shape[-1] for st in conv)
        expected = _formula_scalars(entry, constants(osp.config), length) * FP32_BITS
        assert sum(st.state_bits for st in tensors) - expected == dead_bits, (stem, length)
