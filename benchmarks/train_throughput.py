"""Training tokens/s of osp's trainer per reference model, one torch thread.

MQAR paper layout, L = 64, 4 pairs, vocab 256, d_model 64, batch 32, a fixed
number of steps (no early stop); prints one line per model.

    .venv/bin/python benchmarks/train_throughput.py [--steps 30] [--only attention ...]
"""

from __future__ import annotations

import argparse

import torch

from osp.harness.train import TrainConfig, train
from osp.runtime import zoo

MODELS = tuple(name for name, entry in zoo.MODELS.items() if entry.kind == "model")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    config = TrainConfig(pairs=(4,), length=64, batch_size=32, steps=args.steps, eval_every=10 ** 6,
                         validation_examples=32, threads=1)
    for name in args.only or MODELS:
        overrides = {"vocab_size": "256", "d_model": "64"}
        if name == "lstm":
            overrides["hidden"] = "64"
        r = train(zoo.build(name, overrides), config, progress=False)
        print(f"{name:<18} {r.train_tokens_per_second:>10,.0f} train tokens/s  ({r.steps} steps, 1 thread)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
