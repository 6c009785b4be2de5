"""Arguments `osp train` and `osp measure` share: the model, the data, the optimiser."""

from __future__ import annotations

from pathlib import Path

from osp.commands.common import add_json_flag, check_out_file, emit_json, finite, integer_arg
from osp.errors import OspInputError
from osp.numbers import exact


def add_train_args(p) -> None:
    p.add_argument("model", help="a reference model, a witness or hf:<family> (see `osp profile --list`)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override (repeatable)")
    p.add_argument("--pairs", default="4", help="comma-separated pair counts N, one model for all (default 4)")
    p.add_argument("--length", default=None, help="sequence length L for every N (default max(64, 4 max N))")
    p.add_argument("--layout", default="paper", choices=("paper", "zoology"), help="MQAR layout (default paper)")
    p.add_argument("--values", default=None, help="value alphabet V, paper layout (default vocab_size // 2)")
    p.add_argument("--steps", default=None, help="most optimiser steps (default 2000)")
    p.add_argument("--tokens", default=None, help="a training-token budget instead of --steps")
    p.add_argument("--batch-size", default="64", help="examples per step (default 64)")
    p.add_argument("--lr", default="3e-3", help="peak learning rate (default 3e-3)")
    p.add_argument("--target-accuracy", default=None, help="stop when validation accuracy reaches it")
    p.add_argument("--eval-every", default="50", help="steps between validation checks (default 50)")
    p.add_argument("--seed", default="0", help="run seed; every split draws from its own seeds (default 0)")
    p.add_argument("--threads", default="1", help="torch threads (default 1)")
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument("--load", default=None, metavar="FILE", help="load a checkpoint instead of training")
    p.add_argument("--out", default=None, metavar="FILE.json", help="also write the JSON result here (atomically)")
    add_json_flag(p)


def check_outputs(args) -> None:
    """Fail on an unwritable --out (or --save) before training, not after it."""
    for flag in ("--out", "--save"):
        path = getattr(args, flag[2:], None)
        if path is not None:
            check_out_file(Path(path), flag)
            if not Path(path).parent.is_dir():
                raise OspInputError(f"{flag} {path}: folder {Path(path).parent} does not exist")


def emit_result(args, obj: dict, text: str) -> None:
    """--out FILE.json (atomically), then JSON or the text view on stdout."""
    from osp.harness import store

    if args.out is not None:
        store.write_json(args.out, finite(obj))  # as on stdout: a non-finite float (a diverged loss) is null
    if args.json:
        emit_json(obj)
    else:
        print(text)


def int_list(text: str, name: str) -> tuple[int, ...]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise OspInputError(f"{name} needs at least one integer")
    values = tuple(integer_arg(t, name, 1) for t in items)
    if len(set(values)) != len(values):
        raise OspInputError(f"{name} repeats a value: {text}")
    return tuple(sorted(values))


def fraction_arg(text: str, name: str, lo=0, hi=1):
    q = exact(text, name)
    if not lo <= q <= hi:
        raise OspInputError(f"{name} must lie in [{lo}, {hi}], got {text}")
    return q


def train_config(args):
    from osp.harness.train import TrainConfig  # torch loads only for the commands that need it

    check_outputs(args)
    if args.tokens is not None and args.steps is not None:
        raise OspInputError("give either --steps or --tokens, not both")
    tokens = None if args.tokens is None else integer_arg(args.tokens, "--tokens", 1)
    steps = {} if args.steps is None else {"steps": integer_arg(args.steps, "--steps", 0)}
    target = None if args.target_accuracy is None else float(fraction_arg(args.target_accuracy, "--target-accuracy"))
    try:
        return TrainConfig(
            pairs=int_list(args.pairs, "--pairs"),
            length=None if args.length is None else integer_arg(args.length, "--length", 4),
            layout=args.layout, num_values=None if args.values is None else integer_arg(args.values, "--values", 2),
            batch_size=integer_arg(args.batch_size, "--batch-size", 1), **steps,
            tokens=tokens, lr=float(fraction_arg(args.lr, "--lr", 0, 10)), target_accuracy=target,
            eval_every=integer_arg(args.eval_every, "--eval-every", 1), seed=integer_arg(args.seed, "--seed", 0),
            threads=integer_arg(args.threads, "--threads", 1), device=args.device)
    except ValueError as exc:
        raise OspInputError(str(exc)) from None
