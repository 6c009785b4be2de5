"""Every tensor reachable from an HF state is counted, or is a checked clock or a constant.

The walker (osp/runtime/hf_cache.py) reads known attributes one level deep; this
test walks the whole state object graph instead, so a release that tucks state
into a nested object fails here on whichever pinned release it comes with.
"""

import pytest

pytest.importorskip("transformers")

import torch  # noqa: E402

from osp.runtime import hf  # noqa: E402

torch.set_num_threads(1)
STEPS = 5
CONSTANTS = ("_sliding_window_tensor",)  # the window size of a sliding layer
CLOCKS = ("cumulative_length_linear", "seqlen_offset")  # token counters: must read STEPS (or 0, unused)


def _reachable(obj, path, out, seen):
    """Every tensor under `obj`, by path, through containers and transformers/osp objects."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, torch.Tensor):
        out.append((path, obj))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _reachable(v, f"{path}[{k}]", out, seen)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            _reachable(v, f"{path}[{i}]", out, seen)
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith(("transformers", "osp")):
        for k, v in vars(obj).items():
            _reachable(v, f"{path}.{k}", out, seen)


@pytest.mark.parametrize("family", hf.HF_FAMILIES)
def test_every_reachable_tensor_is_accounted_for(family):
    osp = hf.build_hf_osp(family, {})
    tokens = torch.randint(0, osp.vocab_size, (1, STEPS), generator=torch.Generator().manual_seed(3))
    state, _ = osp.decode(tokens)
    counted = {id(st.tensor) for st in osp.state_tensors(state)}
    found = []
    _reachable(state, "state", found, set())
    assert counted <= {id(t) for _, t in found}  # nothing counted that the state does not hold
    for path, t in found:
        if id(t) in counted:
            continue
        attr = path.rsplit(".", 1)[-1]
        assert attr in CONSTANTS + CLOCKS, f"hf:{family}: {path} {tuple(t.shape)} is neither counted nor known"
        if attr in CLOCKS:
            assert t.numel() == 1 and t.item() in (STEPS, 0), f"{path} = {t.tolist()} is not the step count"
