"""`--set KEY=VALUE` overrides are typed strictly against the family's tiny config."""

import pytest

from osp.runtime import zoo

pytest.importorskip("transformers")

import torch  # noqa: E402

from osp.errors import OspInputError  # noqa: E402
from osp.runtime import hf  # noqa: E402

torch.set_num_threads(1)


def test_int_override_reaches_the_model():
    osp = hf.build_hf_osp("llama", {"hidden_size": "128", "num_hidden_layers": "3"})
    assert osp.config.hidden_size == 128 and osp.config.num_hidden_layers == 3
    assert osp.model.model.embed_tokens.weight.shape[1] == 128


def test_float_and_bool_overrides_are_typed():
    parsed = hf.parse_overrides("llama", {"rms_norm_eps": "1e-5", "attention_bias": "TRUE"})
    assert parsed == {"rms_norm_eps": 1e-5, "attention_bias": True}
    assert type(parsed["rms_norm_eps"]) is float and type(parsed["attention_bias"]) is bool


def test_int_field_accepts_only_integers():
    assert hf.parse_overrides("mamba", {"state_size": "+4"}) == {"state_size": 4}
    for bad in ("4.0", "four", "1e2", ""):
        with pytest.raises(OspInputError, match="state_size"):
            hf.parse_overrides("mamba", {"state_size": bad})


@pytest.mark.parametrize(
    "family,overrides,match",
    [
        ("llama", {"hiden_size": "128"}, "unknown config field 'hiden_size'"),
        ("llama", {"_attn_implementation": "sdpa"}, "unknown config field"),
        ("llama", {"rms_norm_eps": "nan"}, "finite"),
        ("llama", {"rms_norm_eps": "small"}, "expected a number"),
        ("llama", {"attention_bias": "maybe"}, "boolean"),
        ("gemma3", {"layer_types": "full_attention"}, "layer_types.*only int, float and bool"),
        ("llama", {"rope_parameters": "{}"}, "rope_parameters.*only int, float and bool"),
        ("llama", {"pad_token_id": "0"}, "pad_token_id.*NoneType"),
    ],
)
def test_bad_override_names_the_field(family, overrides, match):
    with pytest.raises(OspInputError, match=match):
        hf.build_hf_osp(family, overrides)


@pytest.mark.parametrize(
    "family,key,value,match",
    [
        # issue 8: these built a model with no layers and 0 state bits, and `osp profile` exited 0
        ("llama", "num_hidden_layers", "0", r"num_hidden_layers=0: must lie in \[1, "),
        ("mamba2", "num_hidden_layers", "0", r"num_hidden_layers=0: must lie in \[1, "),
        ("llama", "num_key_value_heads", "0", "must lie in \\[1, "),
        ("mamba2", "state_size", "0", "must lie in \\[1, "),
        ("mistral", "sliding_window", "0", "must lie in \\[2, "),
        ("llama", "num_hidden_layers", "-2", "must lie in"),
        ("jamba", "attn_layer_offset", "-1", r"must lie in \[0, "),
        ("llama", "num_hidden_layers", "1048577", "must lie in"),
    ],
)
def test_size_fields_are_bounded(family, key, value, match):
    with pytest.raises(OspInputError, match=match):
        hf.build_hf_osp(family, {key: value})


def test_zero_is_allowed_where_the_tiny_config_has_zero():
    # an offset may be 0 (the attention layer first); jamba then still carries state
    osp = hf.build_hf_osp("jamba", {"attn_layer_offset": "0", "expert_layer_offset": "0"})
    assert osp.config.attn_layer_offset == 0


def test_model_size_is_capped_before_allocation():
    # 2^20 hidden would be ~10^12 parameters: refused from a meta-device count, nothing allocated
    with pytest.raises(OspInputError, match="parameters and buffers; at most"):
        hf.build_hf_osp("llama", {"hidden_size": "1048576", "intermediate_size": "1048576"})


def test_a_model_without_state_is_refused(monkeypatch):
    # no override the bounds allow leaves a family stateless today; a cache a future release leaves
    # empty must still not pass as a 0-bit model
    monkeypatch.setattr(hf.HFOSP, "state_tensors", lambda self, state: [])
    with pytest.raises(OspInputError, match="hf:llama: the overrides .* carries no state between tokens"):
        hf.build_hf_osp("llama", {"num_hidden_layers": "1"})


@pytest.mark.parametrize("family,key", [("mistral", "sliding_window"), ("gemma3", "sliding_window"),
                                        ("recurrent-gemma", "attention_window_size")])
def test_a_window_of_one_is_refused(family, key):
    # measured: transformers caches every token with window 1 and decodes unlike its forward
    with pytest.raises(OspInputError, match=r"must lie in \[2, .*caches every token"):
        hf.build_hf_osp(family, {key: "1"})
    osp = hf.build_hf_osp(family, {key: "2"})  # window 2: one past token, decoding matches the forward
    tokens = torch.randint(0, 512, (1, 6), generator=torch.Generator().manual_seed(0))
    state, stepped = osp.decode(tokens)
    with torch.no_grad():
        assert (osp.forward(tokens) - stepped).abs().max().item() < 1e-5


@pytest.mark.parametrize("model", ["hf:llama", "hf:mamba2"])
def test_cli_zero_layers_exits_2_with_one_line(model, capsys):
    from osp.cli import main

    assert main(["profile", model, "--set", "num_hidden_layers=0", "--lengths", "4,8,16"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "num_hidden_layers=0" in err


def test_override_that_breaks_the_model_is_an_input_error():
    # 5 heads do not divide hidden 64: transformers' own error, reported as bad input
    with pytest.raises(OspInputError, match="hf:llama.*num_attention_heads"):
        hf.build_hf_osp("llama", {"num_attention_heads": "5"})
    # builds, but cannot run: 3 groups do not divide 8 heads
    with pytest.raises(OspInputError, match="hf:mamba2.*does not run"):
        hf.build_hf_osp("mamba2", {"n_groups": "3"})


def test_xlstm_block_rule_is_checked_up_front():
    with pytest.raises(OspInputError, match="qk_dim_factor = 32 must be a multiple of 64"):
        hf.build_hf_osp("xlstm", {"qk_dim_factor": "0.5"})
    with pytest.raises(OspInputError, match="v_dim_factor = 32 must be a multiple of 64"):
        hf.build_hf_osp("xlstm", {"v_dim_factor": "0.5"})
    assert hf.build_hf_osp("xlstm", {"hidden_size": "128", "qk_dim_factor": "0.5"}).config.hidden_size == 128


def test_family_name_is_case_insensitive():
    assert hf.build_hf_osp("LLaMA", {}).name == "hf:llama"


def test_parse_set_args():
    assert zoo.parse_sets(["hidden_size=128", " num_hidden_layers = 3 "]) == {
        "hidden_size": "128",
        "num_hidden_layers": "3",
    }
    for bad in (["hidden_size"], ["=3"], ["hidden_size="]):
        with pytest.raises(OspInputError, match="key=value"):
            zoo.parse_sets(bad)
    with pytest.raises(OspInputError, match="twice"):
        zoo.parse_sets(["a=1", "a=2"])


def test_bad_device_is_an_input_error():
    with pytest.raises(OspInputError, match="expected cpu, cuda"):
        hf.build_hf_osp("llama", {}, device="gpu0")


def test_no_cuda_is_an_input_error():
    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present")
    with pytest.raises(OspInputError, match="CUDA"):
        hf.build_hf_osp("llama", {}, device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_step_matches_forward():
    osp = hf.build_hf_osp("llama", {}, device="cuda")
    tokens = torch.randint(0, osp.vocab_size, (1, 8))
    _, stepped = osp.decode(tokens)
    assert (osp.forward(tokens) - stepped).abs().max().item() < 1e-4


@pytest.mark.parametrize("family", ["qwen3-next", "zamba2", "bamba", "recurrent-gemma"])
def test_more_layers_repeat_the_layer_pattern(family):
    # The tiny configs list their layer kinds; a new num_hidden_layers tiles that list, so
    # doubling the layers doubles the state exactly and decoding still matches the forward.
    tokens = torch.randint(0, 512, (1, 10), generator=torch.Generator().manual_seed(8))
    small, big = hf.build_hf_osp(family, {}), hf.build_hf_osp(family, {"num_hidden_layers": "4"})
    small_state, _ = small.decode(tokens)
    big_state, stepped = big.decode(tokens)
    assert big.state_bits(big_state) == 2 * small.state_bits(small_state)
    assert (big.forward(tokens) - stepped).abs().max().item() < 1e-5
