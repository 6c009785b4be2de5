"""`osp profile MODEL`: measured state bits and per-step compute, E and C
verdicts and Theorem 1's bound (see osp/runtime/profile.py)."""

from __future__ import annotations

import re

from osp.commands.common import add_json_flag, emit_json, integer_arg
from osp.errors import OspInputError
from osp.numbers import exact


def register(subparsers) -> None:
    p = subparsers.add_parser("profile", help="measure a model's state bits and per-step compute as L grows")
    # read "--lengths -5,4" as a (bad) value for our own message, not as an
    # unknown option; `--lengths=-5,4` works with any argparse
    if hasattr(p, "_negative_number_matcher"):
        p._negative_number_matcher = re.compile(r"^-\d[\d,\s-]*$|^-\d*\.\d+$")
    p.add_argument("model", nargs="?", help="a reference model, a witness, hf:<family> (see --list), or your own "
                   "path/to/file.py:FACTORY or py:package.module:FACTORY (docs/user_models.md)")
    p.add_argument("--list", action="store_true", help="list model names and exit")
    p.add_argument("--lengths", default="64,256,1024",
                   help="at least 3 comma-separated increasing lengths in [2, 65536] (default 64,256,1024)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override (repeatable)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda"), help="torch device (default cpu)")
    p.add_argument("--values", default=None, help="value alphabet size V for the bound (default: a witness's "
                   "alphabet; for a neural model vocab_size // 2, the zoology convention)")
    p.add_argument("--error", default="0", help="mean error eps for the bound (default 0)")
    p.add_argument("--seed", default="0", help="seed of the profiling input (default 0)")
    add_json_flag(p)
    p.set_defaults(func=run)


def _float(text: str, name: str) -> float:
    value = float(exact(text, name))  # the number reader of every command (accepts 1/10)
    if not 0.0 <= value <= 1.0:
        raise OspInputError(f"{name} must lie in [0, 1], got {text}")
    return value


def run(args) -> int:
    # torch loads for this command only: `osp prove` and the others start without it
    from osp.render import profile as render
    from osp.runtime import profile as runtime_profile
    from osp.runtime import zoo

    if args.list:
        if args.json:
            emit_json({"models": zoo.names()})
        else:
            print(render.model_list(zoo.MODELS, zoo.hf_families()))
        return 0
    if not args.model:
        raise OspInputError("profile: give a MODEL or --list")
    lengths = runtime_profile.parse_lengths(args.lengths)
    values = None if args.values is None else integer_arg(args.values, "--values", 2)
    error = _float(args.error, "--error")
    seed = integer_arg(args.seed, "--seed", 0)
    overrides = zoo.parse_sets(args.set)
    osp = zoo.build(args.model, overrides, args.device)
    result = runtime_profile.profile(osp, args.model, lengths, values=values, error=error, seed=seed,
                                     device=args.device)
    if args.json:
        emit_json(render.to_json(result))
    else:
        print(render.text(result))
    return 0
