"""`osp profile`: growth exponents, verdicts, the bound wiring, JSON keys, exit codes."""

import json

import pytest
import torch

from osp.bound import theorem1_bound
from osp.cli import main
from osp.errors import OspInputError
from osp.runtime import zoo
from osp.runtime.profile import MAX_LENGTH, constant_from, growth_exponent, increment_exponent, parse_lengths, \
    profile

torch.set_num_threads(1)
STABLE_KEYS = {"model", "lengths", "state_bits", "flops_per_step", "state_exponent", "compute_exponent",
               "efficient", "compact", "bound_pairs"}


def test_growth_exponent_fits_power_laws_and_handles_zeros():
    Ls = [16, 64, 256]
    assert growth_exponent(Ls, [3 * n for n in Ls]) == pytest.approx(1.0)
    assert growth_exponent(Ls, [n ** 0.5 for n in Ls]) == pytest.approx(0.5)
    assert growth_exponent(Ls, [7, 7, 7]) == 0.0
    assert growth_exponent(Ls, [0, 0, 0]) == 0.0  # zeros are raised to 1
    assert growth_exponent(Ls, [0, 4, 16]) == pytest.approx(1.0)


def test_increment_exponent_reads_the_growing_part():
    Ls = [64, 256, 1024]
    big = 10 ** 9  # an L-independent part that swamps the total's slope
    assert increment_exponent(Ls, [big + 3 * n for n in Ls]) == pytest.approx(1.0, abs=1e-12)
    assert growth_exponent(Ls, [big + 3 * n for n in Ls]) < 1e-5  # the old, diluted number
    assert increment_exponent(Ls, [big + n * n for n in Ls]) == pytest.approx(2.0, abs=1e-12)
    assert 0.4 < increment_exponent(Ls, [big + n ** 0.5 for n in Ls]) < 0.6
    assert increment_exponent(Ls, [7, 7, 7]) == 0.0
    assert constant_from(Ls, [7, 7, 7]) == 64
    assert constant_from(Ls, [5, 7, 7]) == 256  # warm-up then constant
    assert constant_from(Ls, [7, 7, 8]) is None  # a last change is growth, not warm-up
    assert constant_from(Ls, [5, 6, 7]) is None


def test_parse_lengths():
    assert parse_lengths("8, 16,64") == [8, 16, 64]
    assert parse_lengths(f"2,3,{MAX_LENGTH}") == [2, 3, MAX_LENGTH]
    for bad in ("64", "8,16", "1,2", "1,2,4", "a,b,c", "16,8,32", "0,4,8", "8,8,16", "-5,4,8",
                f"2,4,{MAX_LENGTH + 1}", "1,100000000"):
        with pytest.raises(OspInputError, match="--lengths"):
            parse_lengths(bad)


def test_attention_state_grows_linearly():
    p = profile(zoo.build("attention"), "attention", [16, 64, 256])
    assert p.state_exponent == pytest.approx(1.0, abs=1e-9)  # the KV cache, exactly
    assert not p.compact and not p.efficient


def test_wide_attention_is_not_efficient():
    """The reviewer's case: the projections swamp the attention term (the total's
    log-log slope is ~0.07), yet the cost that changes with L grows linearly."""
    osp = zoo.build("attention", {"d_model": "1024", "n_heads": "8", "n_layers": "1"})
    p = profile(osp, "attention", [64, 256, 1024])
    assert not p.efficient and not p.compact
    assert p.compute_exponent == pytest.approx(1.0, abs=1e-6)
    assert p.state_exponent == pytest.approx(1.0, abs=1e-6)
    assert p.compute_exponent_total < 0.1  # what used to be called efficient
    assert p.compute_constant_from is None


@pytest.mark.parametrize("name", ["linear-attention", "mamba", "delta-net", "lstm"])
def test_recurrent_models_are_exactly_constant(name):
    p = profile(zoo.build(name), name, [16, 64, 256])
    assert len(set(p.state_bits)) == 1 and len(set(p.flops_per_step)) == 1
    assert p.state_exponent == 0.0 and p.compute_exponent == 0.0
    assert p.compact and p.efficient
    assert p.state_constant_from == p.compute_constant_from == 16


def test_sliding_window_constant_past_the_window_only():
    osp = zoo.build("sliding-window", {"window": "32"})
    after = profile(osp, "sliding-window", [64, 256, 1024])
    assert after.compact and after.efficient and after.state_exponent == 0.0 == after.compute_exponent
    before = profile(osp, "sliding-window", [2, 4, 8])  # the cache still fills up
    assert not before.compact and not before.efficient
    assert before.state_exponent == pytest.approx(1.0, abs=1e-9)
    across = profile(osp, "sliding-window", [16, 64, 256])  # one warm-up length
    assert across.compact and across.efficient and across.state_constant_from == 64
    assert across.state_bits[0] < across.state_bits[1]


def test_hybrid_is_neither_efficient_nor_compact():
    p = profile(zoo.build("hybrid"), "hybrid", [64, 256, 1024])
    assert not p.efficient and not p.compact
    assert p.state_exponent == pytest.approx(1.0, abs=1e-6)  # its one KV cache
    assert p.compute_exponent == pytest.approx(1.0, abs=1e-6)


def test_bound_pairs_are_theorem1_at_the_measured_bits():
    p = profile(zoo.build("mamba"), "mamba", [8, 16, 32], values=32, error=0.1)
    assert p.bound_pairs == [theorem1_bound(b, 32, 0.1, rests_on=False).bound for b in p.state_bits]


def _cli_json(capsys, *argv):
    assert main(["profile", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_keys(capsys):
    out = _cli_json(capsys, "mamba", "--lengths", "8,16,32", "--set", "d_model=16")
    assert STABLE_KEYS <= set(out)
    assert out["model"] == "mamba" and out["lengths"] == [8, 16, 32]
    assert out["compact"] is True and len(out["bound_pairs"]) == 3
    # the value alphabet is an assumption for a neural model: visible in the inputs
    assert out["inputs"]["values"] == out["values"] == 128 // 2 and out["inputs"]["error"] == 0.0
    assert "vocab_size // 2" in out["inputs"]["values_source"]
    assert out["recall"] is None  # random weights: no recall claim for neural models
    assert out["state_bits"][0] == 2 * (32 * 3 + 32 * 8) * 32  # d_model=16 reached the model


def test_cli_tape_osp_has_null_bound(capsys):
    out = _cli_json(capsys, "rescan", "--lengths", "16,64,256")
    assert out["bound_pairs"] is None and "tape" in out["bound_note"]
    assert out["state_bits"] == [0, 0, 0]


def test_cli_reviewer_attention_case(capsys):
    out = _cli_json(capsys, "attention", "--set", "d_model=1024", "--set", "n_heads=8", "--set", "n_layers=1")
    assert out["efficient"] is False and out["compute_exponent"] == pytest.approx(1.0, abs=1e-6)
    assert out["compute_exponent_total"] < 0.1


def test_cli_human_output_states_the_value_assumption(capsys):
    assert main(["profile", "lstm", "--lengths", "4,8,16"]) == 0
    out = capsys.readouterr().out
    assert "vocab_size // 2" in out and "E yes" in out and "C yes" in out
    assert main(["profile", "lstm", "--lengths", "4,8,16", "--values", "7"]) == 0
    assert "V = 7: --values" in capsys.readouterr().out


@pytest.mark.parametrize("argv,needle", [
    (["--lengths", "1,2"], "--lengths"),
    (["--lengths", "2,4"], "--lengths"),
    (["--lengths", "-5,4"], "-5"),
    (["--lengths=-5,4"], "-5"),
    (["--lengths", "1,100000000"], "--lengths"),
    (["--lengths", "2,4,100000000"], "100000000"),
])
def test_cli_lengths_errors_name_the_flag_or_value(argv, needle, capsys):
    assert main(["profile", "mamba", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and "--lengths" in err and err.count("\n") == 1


def test_cli_list(capsys):
    assert main(["profile", "--list"]) == 0
    listed = capsys.readouterr().out
    for name in zoo.MODELS:
        assert name in listed


@pytest.mark.parametrize("argv", [
    ["nope"],
    ["hf:no-such-family"],
    ["mamba", "--set", "no_such_key=1"],
    ["mamba", "--set", "d_model=big"],
    ["mamba", "--set", "d_model"],
    ["mamba", "--set", "d_model=0"],
    ["hybrid", "--set", "recurrent=lstm"],
    ["mamba", "--lengths", "64"],
    ["mamba", "--lengths", "64,x"],
    ["mamba", "--lengths", "64,128"],
    ["decaying-recurrence", "--set", "d=100000000"],
    ["decaying-recurrence", "--set", "d=4096", "--set", "num_values=65536"],
    ["attention", "--set", "d_model=4096", "--set", "n_layers=64"],
    ["mamba", "--values", "1"],
    ["mamba", "--values", "4", "--error", "0.9"],
    ["mamba", "--device", "tpu"],
    [],
])
def test_cli_bad_input_exits_2(argv, capsys):
    assert main(["profile", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("osp: error:") and err.count("\n") == 1


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_cli_cuda_without_gpu_is_a_clear_error(capsys):
    assert main(["profile", "mamba", "--device", "cuda"]) == 2
    assert "CUDA" in capsys.readouterr().err


def test_hf_needs_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "transformers", None)  # as if not installed
    with pytest.raises(OspInputError, match="osp\\[hf\\]"):
        zoo.build("hf:llama")


def _int_fields():
    import dataclasses
    import importlib

    for name, entry in zoo.MODELS.items():
        cfg = getattr(importlib.import_module(entry.module), entry.config)
        for f in dataclasses.fields(cfg):
            if str(f.type) == "int":
                yield name, f.name


@pytest.mark.parametrize("name,key", list(_int_fields()))
@pytest.mark.parametrize("value", ["0", "-1"])
def test_every_int_override_is_accepted_or_refused_in_one_line(name, key, value, capsys):
    code = main(["profile", name, "--lengths", "2,4,8", "--set", f"{key}={value}", "--json"])
    err = capsys.readouterr().err
    assert code in (0, 2), err  # never an internal error (3)
    if code == 2:
        assert err.startswith("osp: error:") and err.count("\n") == 1


@pytest.mark.parametrize("name,key", list(_int_fields()))
def test_every_int_override_has_a_cap(name, key, capsys):
    cap = zoo.MAX_INT.get(key, zoo.DEFAULT_MAX_INT)
    assert key in zoo.MAX_INT  # every field has its own documented cap
    assert main(["profile", name, "--set", f"{key}={cap + 1}"]) == 2
    err = capsys.readouterr().err
    assert f"--set {key}" in err and str(cap + 1) in err
