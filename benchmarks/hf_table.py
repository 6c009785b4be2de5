"""Measure every HF family as an OSP and print the docs/hf.md table (Markdown).

    .venv/bin/python benchmarks/hf_table.py            # all families
    .venv/bin/python benchmarks/hf_table.py llama rwkv # some

Per family: max |logit diff| between step decoding and the parallel forward
(batch 1, T = 64), the same without `position_ids` (families that take them),
state bits at t = 16 and 64, the growth read off those bits, per-step FLOPs
(matmul + SDPA + element-wise, osp.runtime.flops) at t = 16 and 64, and the
wall time of the whole measurement. Single-threaded torch, random weights.
"""

from __future__ import annotations

import sys
import time

import torch

from osp.runtime import hf
from osp.runtime.flops import measure_step_flops
from osp.runtime.hf_families import FAMILY_BY_NAME

LENGTH = 64


def _growth(bits: list[int]) -> str:
    """Read the growth off the state bits after each token, bits[t - 1] at t = 1..LENGTH."""
    last = bits[-1]
    settled = next(t for t in range(len(bits), 0, -1) if t == 1 or bits[t - 2] != last)
    if settled == 1:
        return "flat"
    if settled <= len(bits) // 2:
        return f"capped from t={settled}"
    steps = {b - a for a, b in zip(bits[len(bits) // 4 :], bits[len(bits) // 4 + 1 :])}
    if len(steps) == 1:
        return f"linear, {steps.pop():,} bits/token"
    return "other"


def measure(name: str) -> dict:
    start = time.perf_counter()
    osp = hf.build_hf_osp(name, {})
    tokens = torch.randint(0, osp.vocab_size, (1, LENGTH), generator=torch.Generator().manual_seed(0))
    full = osp.forward(tokens)  # (1, T, V)
    state, bits, flops, logits = osp.init_state(1), [], {}, []
    for t in range(LENGTH):
        if t + 1 in (16, 64):  # the cost of producing token t + 1's logits
            flops[t + 1] = measure_step_flops(osp, osp.clone_state(state), tokens[:, t]).total
        state, step_logits = osp.step(state, tokens[:, t])
        logits.append(step_logits)
        bits.append(osp.state_bits(state))
    diff = (full - torch.stack(logits, dim=1)).abs().max().item()
    no_pos = None
    if osp.takes_position_ids:
        osp.takes_position_ids = False
        _, unpositioned = osp.decode(tokens)
        no_pos = (full - unpositioned).abs().max().item()
        osp.takes_position_ids = True
    return dict(name=name, cls=FAMILY_BY_NAME[name].model_class, kind=FAMILY_BY_NAME[name].cache_kind, diff=diff,
                no_pos=no_pos, bits={16: bits[15], 64: bits[63]}, growth=_growth(bits), flops=flops,
                wall=time.perf_counter() - start)


def main(names: list[str]) -> None:
    torch.set_num_threads(1)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
    except ImportError:
        sys.exit("benchmarks/hf_table.py needs the transformers extra: pip install 'osp[hf]'")
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, 1 thread, T = {LENGTH}\n")
    print("| family | transformers class | cache | max abs logit diff | without position_ids "
          "| state bits t=16 | t=64 | growth | FLOPs/step t=16 | t=64 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    total = 0.0
    for name in names:
        r = measure(name)
        total += r["wall"]
        no_pos = "n/a (positionless)" if r["no_pos"] is None else f"{r['no_pos']:.1e}"
        print(f"| `hf:{r['name']}` | {r['cls']} | {r['kind']} | {r['diff']:.1e} | {no_pos} "
              f"| {r['bits'][16]:,} | {r['bits'][64]:,} | {r['growth']} | {r['flops'][16]:,} | {r['flops'][64]:,} |",
              flush=True)
    print(f"\n{len(names)} families measured in {total:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:] or list(hf.HF_FAMILIES))
