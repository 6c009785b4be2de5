"""The `--device cuda` path: same models, same measurements, on a GPU.
Skipped without one."""

import pytest
import torch

from osp.cli import main
from osp.runtime import zoo
from osp.runtime.profile import profile

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
MODELS = [n for n, e in zoo.MODELS.items() if e.kind == "model"]


@pytest.fixture(autouse=True)
def _exact_matmuls():
    old = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = old


@pytest.mark.parametrize("name", MODELS)
def test_step_equals_parallel_on_cuda(name):
    osp = zoo.build(name, device="cuda")
    tokens = torch.randint(0, osp.vocab_size, (2, 23), device="cuda")
    with torch.no_grad():
        fast = osp(tokens)
        _, stepped = osp.decode(tokens)
    assert fast.is_cuda
    assert (stepped - fast).abs().max().item() < 1e-4


@pytest.mark.parametrize("name", MODELS)
def test_cuda_measures_what_cpu_measures(name):
    on_gpu = profile(zoo.build(name, device="cuda"), name, [16, 32, 64], device="cuda")
    on_cpu = profile(zoo.build(name), name, [16, 32, 64])
    assert on_gpu.state_bits == on_cpu.state_bits
    assert [c.matmul_flops + c.sdpa_flops for c in on_gpu.costs] == [c.matmul_flops + c.sdpa_flops
                                                                     for c in on_cpu.costs]
    assert on_gpu.efficient == on_cpu.efficient and on_gpu.compact == on_cpu.compact


def test_cli_cuda(capsys):
    assert main(["profile", "mamba", "--device", "cuda", "--lengths", "8,16,32"]) == 0
    assert "compute exponent" in capsys.readouterr().out
