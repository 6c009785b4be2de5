"""`osp bound`: Theorem 1 (and, with --continuous/--compare, Theorem 2) at concrete inputs."""

from __future__ import annotations

from osp.bound import theorem1_bound
from osp.commands import bound_continuous
from osp.commands.common import add_json_flag, emit_json, print_rests_on
from osp.errors import EXIT_OK, OspInputError
from osp.numbers import exact, exact_integer
from osp.render import bound as render


#: flags that only Theorem 2 reads; given without --continuous/--compare they would be ignored
THEOREM2_FLAGS = ("dim", "radius", "lipschitz", "margin", "decay", "input_bound", "init_norm", "length")


def register(sub) -> None:
    p = sub.add_parser("bound", help="the largest number of recallable pairs a state can support")
    add_json_flag(p)
    p.add_argument("--state-bits", help="state bits b_T (or give --scalars and --bits-per-scalar)")
    p.add_argument("--scalars", help="number of scalars D in the state")
    p.add_argument("--bits-per-scalar", help="bits per scalar P")
    p.add_argument("--values", help="size V of the VALUE alphabet (not the vocabulary)")
    p.add_argument("--error", help="mean error eps, < 1 - 1/V")
    bound_continuous.add_arguments(p)
    p.set_defaults(func=run)


def _number(text, flag):
    """The flag's text, checked to be an exact number (a decimal, an integer or p/q)."""
    if text is None:
        raise OspInputError(f"{flag} is required")
    exact(text, flag)
    return text


def state_bits_from(args) -> str:
    if args.state_bits is not None:
        if args.scalars is not None or args.bits_per_scalar is not None:
            raise OspInputError("give either --state-bits or --scalars with --bits-per-scalar, not both")
        return _number(args.state_bits, "--state-bits")
    if args.scalars is None and args.bits_per_scalar is None:
        raise OspInputError("--state-bits (or --scalars and --bits-per-scalar) is required")
    for flag, text in (("--scalars", args.scalars), ("--bits-per-scalar", args.bits_per_scalar)):
        if text is None:
            raise OspInputError(f"{flag} is required with {'--bits-per-scalar' if flag == '--scalars' else '--scalars'}")
    return str(exact_integer(args.scalars, "--scalars") * exact_integer(args.bits_per_scalar, "--bits-per-scalar"))


def run(args) -> int:
    if args.continuous or args.compare:
        return bound_continuous.run(args)
    stray = [f"--{name.replace('_', '-')}" for name in THEOREM2_FLAGS if getattr(args, name) is not None]
    if stray:
        verb = "belongs" if len(stray) == 1 else "belong"
        raise OspInputError(f"{', '.join(stray)} {verb} to Theorem 2: add --continuous (or --compare)")
    bits = state_bits_from(args)
    result = theorem1_bound(bits, _number(args.values, "--values"), _number(args.error, "--error"))
    if args.scalars is not None:
        result.inputs.update({"scalars": int(args.scalars), "bits_per_scalar": int(args.bits_per_scalar)})
    if args.json:
        emit_json(render.to_json(result))
        return EXIT_OK
    print("\n".join(render.theorem1(result)))
    print_rests_on(result.rests_on)
    print("  (run `osp prove` to see each node's evidence)")
    return EXIT_OK
