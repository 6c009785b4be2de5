"""Every model's state tensors put the example first: the harness's per-example state
norms, quantizer scales and Theorem 2 scores read dim 0 as the example. (The LSTM's
torch layout (n_layers, B, hidden) once made the quantizer count B x hidden scalars per
"example" and Theorem 2 score 2 rows per batch: found by the paper sweep.)"""

import pytest
import torch

from osp.harness.state import flat_real
from osp.runtime import zoo

MODELS = [name for name, e in zoo.MODELS.items() if e.kind == "model"]


@pytest.mark.parametrize("name", MODELS)
def test_state_tensors_are_batch_first(name):
    model = zoo.build(name, {"vocab_size": "32", "d_model": "16"})
    tokens = torch.randint(0, 32, (3, 10))
    with torch.no_grad():
        state = model.prefill(tokens)
    for st in model.state_tensors(state):
        assert st.tensor.shape[0] == 3, f"{name}.{st.name}: {tuple(st.tensor.shape)}"
    flat = flat_real(model, state, 3)
    assert flat.shape[0] == 3
    # one example's state does not depend on another example's tokens
    other = tokens.clone()
    other[1:] = torch.randint(0, 32, (2, 10))
    with torch.no_grad():
        assert torch.equal(flat_real(model, model.prefill(other), 3)[0], flat[0])
