"""`osp profile`: growth exponents, verdicts, the bound wiring, JSON keys, exit codes."""

import json

import pytest
import torch

from osp.bound import theorem1_bound
from osp.cli import main
from osp.errors import OspInputError
from osp.runtime import zoo
from osp.runtime.profile import THRESHOLD, growth_exponent, parse_lengths, profile

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


def test_parse_lengths():
    assert parse_lengths("8, 16,64") == [8, 16, 64]
    for bad in ("64", "a,b", "16,8", "0,4", "8,8"):
        with pytest.raises(OspInputError):
            parse_lengths(bad)


def test_attention_state_grows_linearly():
    p = profile(zoo.build("attention"), "attention", [16, 64, 256])
    assert p.state_exponent == pytest.approx(1.0, abs=1e-9)  # the KV cache, exactly
    assert not p.compact and not p.efficient


def test_attention_compute_exponent_approaches_one_when_attention_dominates():
    osp = zoo.build("attention", {"d_model": "8", "n_heads": "1", "n_layers": "1", "mlp_mult": "1",
                                  "vocab_size": "16"})
    p = profile(osp, "attention", [512, 2048, 8192])
    assert p.compute_exponent > 0.9


@pytest.mark.parametrize("name", ["linear-attention", "mamba", "delta-net", "lstm"])
def test_recurrent_models_are_flat(name):
    p = profile(zoo.build(name), name, [16, 64, 256])
    assert p.state_exponent == 0.0 and p.compute_exponent == 0.0
    assert p.compact and p.efficient


def test_sliding_window_flat_after_the_window_only():
    osp = zoo.build("sliding-window", {"window": "32"})
    after = profile(osp, "sliding-window", [64, 256, 1024])
    assert after.state_exponent == 0.0 and after.compute_exponent == 0.0
    before = profile(osp, "sliding-window", [2, 4, 8])
    assert before.state_exponent > 0.9  # the cache still fills up


def test_hybrid_is_not_compact():
    p = profile(zoo.build("hybrid"), "hybrid", [64, 256, 1024])
    assert p.state_exponent > THRESHOLD and p.compute_exponent > THRESHOLD


def test_bound_pairs_are_theorem1_at_the_measured_bits():
    p = profile(zoo.build("mamba"), "mamba", [8, 16], values=32, error=0.1)
    assert p.bound_pairs == [theorem1_bound(b, 32, 0.1, rests_on=False).bound for b in p.state_bits]


def _cli_json(capsys, *argv):
    assert main(["profile", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_keys(capsys):
    out = _cli_json(capsys, "mamba", "--lengths", "8,16", "--set", "d_model=16")
    assert STABLE_KEYS <= set(out)
    assert out["model"] == "mamba" and out["lengths"] == [8, 16]
    assert out["compact"] is True and len(out["bound_pairs"]) == 2
    assert out["recall"] is None  # random weights: no recall claim for neural models
    assert out["state_bits"][0] == 2 * (32 * 3 + 32 * 8) * 32  # d_model=16 reached the model


def test_cli_tape_osp_has_null_bound(capsys):
    out = _cli_json(capsys, "rescan", "--lengths", "16,64")
    assert out["bound_pairs"] is None and "tape" in out["bound_note"]
    assert out["state_bits"] == [0, 0]


def test_cli_list(capsys):
    assert main(["profile", "--list"]) == 0
    listed = capsys.readouterr().out
    for name in zoo.REGISTRY:
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

    for name, entry in zoo.REGISTRY.items():
        cfg = getattr(importlib.import_module(entry.module), entry.config)
        for f in dataclasses.fields(cfg):
            if str(f.type) == "int":
                yield name, f.name


@pytest.mark.parametrize("name,key", list(_int_fields()))
@pytest.mark.parametrize("value", ["0", "-1"])
def test_every_int_override_is_accepted_or_refused_in_one_line(name, key, value, capsys):
    code = main(["profile", name, "--lengths", "4,8", "--set", f"{key}={value}", "--json"])
    err = capsys.readouterr().err
    assert code in (0, 2), err  # never an internal error (3)
    if code == 2:
        assert err.startswith("osp: error:") and err.count("\n") == 1
