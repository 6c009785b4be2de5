"""`osp train MODEL`: train a model on MQAR and report accuracy and speed (osp/harness/train.py)."""

from __future__ import annotations

from osp.commands.harness_args import add_train_args, emit_result, train_config
from osp.errors import OspInputError


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="train a model on MQAR (value-only loss at the queries)")
    add_train_args(p)
    p.add_argument("--save", default=None, metavar="FILE", help="save a checkpoint after training")
    p.set_defaults(func=run)


def run(args) -> int:
    import time

    from osp.harness import store
    from osp.harness.provenance import provenance
    from osp.harness.train import train
    from osp.render.train import render_train
    from osp.runtime import zoo

    config = train_config(args)
    start = time.perf_counter()
    model = zoo.build(args.model, zoo.parse_sets(args.set), args.device)
    if args.load is not None:
        store.load_checkpoint(model, args.load)
    try:
        result = train(model, config, progress=not args.json)
    except ValueError as exc:
        raise OspInputError(f"train: {exc}") from None
    if args.save is not None:
        if not result.trained:
            raise OspInputError(f"--save: {args.model} has no trainable parameters")
        store.save_checkpoint(model, args.save, {"overrides": zoo.parse_sets(args.set), "train": config.to_json()})
    prov = provenance(seed=config.seed, config={"model": args.model, "set": args.set, **config.to_json()},
                      device=config.device, threads=config.threads, wall_seconds=time.perf_counter() - start)
    emit_result(args, {**result.to_json(), "provenance": prov}, render_train(result))
    return 0
