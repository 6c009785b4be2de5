"""A capacity search: attention, d_model 64, L = 64, N in 4..16 (target: under 10 minutes on 2 cores).

One model is trained on the mixture of pair counts, then `osp measure`'s
domain call reports, per N, accuracy, error_upper, b_T and Theorem 1's check,
and capacity_pairs (largest N with error_upper <= 0.05).

    .venv/bin/python benchmarks/capacity_search.py [--model attention] [--steps 1500] [--pairs 4,8,12,16]
"""

from __future__ import annotations

import argparse
import time

import torch

from osp.harness.measure import MeasureConfig, measure
from osp.harness.train import TrainConfig
from osp.render.measure import render_measure


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="attention")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--pairs", default="4,8,12,16")
    ap.add_argument("--vocab", default="128", help="vocabulary (paper layout: V = vocab // 2, K = vocab - 1 - V)")
    ap.add_argument("--test-examples", type=int, default=1000)
    args = ap.parse_args()
    torch.set_num_threads(1)
    pairs = tuple(int(p) for p in args.pairs.split(","))
    config = MeasureConfig(
        train=TrainConfig(pairs=pairs, length=64, steps=args.steps, target_accuracy=0.99, eval_every=100, threads=1),
        # learned positions for the attention models; lstm orders tokens itself and takes none
        model_overrides=(("d_model", "64"), ("vocab_size", args.vocab)) + (() if args.model == "lstm" else
                                                                          (("positions", "64"),)),
        test_examples=args.test_examples)
    start = time.perf_counter()
    r = measure(args.model, config, progress=False)
    print(render_measure(r))
    print(f"wall time {time.perf_counter() - start:.1f} s (target < 600 s); capacity_pairs = {r.capacity_pairs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
