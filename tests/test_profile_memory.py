"""`osp profile attention` refuses, before running anything, a length whose dense mask would not fit."""

from osp.cli import main
from osp.runtime import profile, zoo


def test_long_attention_profile_is_refused_with_exit_2(capsys):
    assert main(["profile", "attention", "--lengths", "1024,8192,65536"]) == 2
    err = capsys.readouterr().err
    assert "L = 65536" in err and "GiB" in err and len(err.strip().splitlines()) == 1


def test_memory_estimate_only_for_dense_attention():
    attention = zoo.build("attention", {}, "cpu")
    assert profile.prefill_memory_bytes(attention, 8192) == profile.DENSE_MASK_BYTES_PER_L2 * 8192 ** 2
    profile.check_memory(attention, [1024, 8192])  # within the budget: no error
    assert profile.prefill_memory_bytes(zoo.build("lstm", {}, "cpu"), 65536) is None


def test_hf_attention_is_estimated_and_ssm_is_not():
    llama = zoo.build("hf:llama", {}, "cpu")
    assert profile.prefill_memory_bytes(llama, 65536) > profile.PREFILL_MEMORY_BUDGET_BYTES
    assert profile.prefill_memory_bytes(zoo.build("hf:mamba", {}, "cpu"), 65536) is None
