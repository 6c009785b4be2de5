"""hf: families train through the harness like any torch OSP (their parameters are the model's)."""

import pytest

pytest.importorskip("transformers")

import torch  # noqa: E402

from osp.harness.train import TrainConfig, train, trainable_parameters  # noqa: E402
from osp.runtime import hf  # noqa: E402

torch.set_num_threads(1)


@pytest.mark.parametrize("family", ["llama", "mamba2", "rwkv"])
def test_training_updates_the_transformers_weights(family):
    osp = hf.build_hf_osp(family, {})
    params = trainable_parameters(osp)
    assert params and len(params) == len(list(osp.model.parameters()))
    before = [p.detach().clone() for p in params]
    result = train(osp, TrainConfig(pairs=(2,), length=16, batch_size=4, steps=3, eval_every=3,
                                    validation_examples=4, warmup_steps=0), progress=False)
    assert result.trained and result.steps == 3
    assert any(not torch.equal(b, p) for b, p in zip(before, params))
    assert not osp.training and not osp.model.training  # back in eval mode for measuring


def test_forward_keeps_gradients_only_when_enabled():
    osp = hf.build_hf_osp("llama", {})
    tokens = torch.zeros((1, 3), dtype=torch.long)
    assert osp.forward(tokens).requires_grad
    with torch.no_grad():
        assert not osp.forward(tokens).requires_grad
