"""`osp bound --continuous` (Theorem 2, Corollary 2.1) and `osp bound --compare`.

Called by osp/commands/bound.py, which owns --values, --error, --scalars,
--bits-per-scalar, --state-bits and --json; this module adds the Theorem 2
flags and runs when --continuous or --compare is given.
"""

from __future__ import annotations

from osp import continuous
from osp import exact as ex
from osp.commands.common import emit_json, print_rests_on
from osp.errors import EXIT_OK, OspInputError
from osp.render import bound as render


def add_arguments(p) -> None:
    g = p.add_argument_group("continuous states (Theorem 2: delta-confident recall, margins not decay)")
    g.add_argument("--continuous", action="store_true", help="Theorem 2: D real scalars, radius, Lipschitz, margin")
    g.add_argument("--dim", help="real dimension D of the state (a complex scalar counts twice)")
    g.add_argument("--radius", help="R with ||s_T|| <= R (or derive it with --decay and --input-bound)")
    g.add_argument("--lipschitz", help="Lam: Lipschitz constant of s_T -> logits at every query")
    g.add_argument("--margin", help="delta > 0: an answer counts only if its top logit leads by more than delta")
    g.add_argument("--decay", help="lam in [0, 1]: ||F(s) - F(s')|| <= lam ||s - s'|| (S1); 1 needs --length")
    g.add_argument("--input-bound", help="beta >= 0: ||F(0, x, u)|| <= beta")
    g.add_argument("--init-norm", help="||s0|| (default 0)")
    g.add_argument("--length", help="sequence length L (only with --decay 1: Corollary 2.1)")
    g.add_argument("--compare", action="store_true",
                   help="Theorem 1 on --scalars x --bits-per-scalar bits against Theorem 2 on the same state")


def _required(args, names: tuple[str, ...]) -> None:
    for name in names:
        if getattr(args, name) is None:
            raise OspInputError(f"--{name.replace('_', '-')} is required")


def _radius(args):
    """Keyword arguments for the radius: given, or derived from decay."""
    return {"radius": args.radius, "decay": args.decay, "input_bound": args.input_bound,
            "init_norm": args.init_norm, "length": args.length}


def run(args) -> int:
    if getattr(args, "state_bits", None) is not None:
        raise OspInputError("--state-bits is for Theorem 1; with --continuous give --dim, --radius, --lipschitz, "
                            "--margin (with --compare give --scalars and --bits-per-scalar)")
    if args.compare:
        return _run_compare(args)
    if args.scalars is not None or args.bits_per_scalar is not None:
        raise OspInputError("--scalars/--bits-per-scalar go with --compare; Theorem 2 takes --dim")
    _required(args, ("dim", "lipschitz", "margin", "values", "error"))
    result = continuous.continuous_bound(args.dim, args.lipschitz, args.margin, args.values, args.error,
                                         **_radius(args))
    i = result.inputs
    # from the exact inputs: the report's floats may have rounded a tiny margin to 0
    radius = args.radius if args.radius is not None else continuous.derived_radius(
        args.decay, args.input_bound, args.init_norm, args.length).radius
    bps = continuous.bits_per_scalar(radius, args.lipschitz, args.margin)
    bps_lo, bps_hi = continuous.bits_per_scalar_interval(radius, args.lipschitz, args.margin)
    if args.json:
        emit_json({**render.to_json(result), "bits_per_scalar": bps,
                   "bits_per_scalar_interval": [ex.decimal_down(bps_lo, 30), ex.decimal_up(bps_hi, 30)],
                   "note": continuous.MARGINS_NOTE})
        return EXIT_OK
    name = continuous.NO_DECAY_LABEL if "length" in i else "Theorem 2"
    head, bits_line = render.theorem2(result, name, bps_hi)
    print(head)
    print(f"  {continuous.MARGINS_NOTE}")
    if "length" in i:
        print(f"  {continuous.NO_DECAY_ASYMPTOTICS}")
    print(f"  D = {i['dim']}, R = {i['radius']}, Lam = {args.lipschitz}, delta = {args.margin}, "
          f"V = {i['values']}, eps_delta = {i['error']}")
    if "radius_from" in i:
        how = "||s0|| + L beta" if "length" in i else "max(||s0||, beta/(1-lam))"
        print(f"  R = {how} from decay {i['decay']}, input bound {i['input_bound']}, ||s0|| = {i['init_norm']}"
              f" ({i['radius_from']})")
    print(bits_line)
    if result.exact:
        print(f"  exact: N <= {result.exact}")
    print_rests_on(result.rests_on)
    return EXIT_OK


def _run_compare(args) -> int:
    _required(args, ("scalars", "bits_per_scalar", "lipschitz", "margin", "values", "error"))
    if args.dim is not None and args.dim != args.scalars:
        raise OspInputError("--dim and --scalars disagree; with --compare give --scalars only")
    if args.radius is None:
        if args.decay is None:
            raise OspInputError("--compare needs the measured radius --radius (or --decay with --input-bound)")
        derived = continuous.derived_radius(args.decay, args.input_bound, args.init_norm, args.length)
        radius, radius_node = derived.radius, derived.node      # exact Rational, and its certificate
    else:
        if any(x is not None for x in (args.decay, args.input_bound, args.init_norm, args.length)):
            raise OspInputError("give the radius R or derive it from decay/input bound/init norm/length, not both")
        radius, radius_node = args.radius, None
    cmp = continuous.compare(args.scalars, args.bits_per_scalar, radius, args.lipschitz, args.margin,
                             args.values, args.error, radius_node=radius_node)
    if args.json:
        emit_json(render.comparison_json(cmp))
        return EXIT_OK
    d, c = cmp.discrete, cmp.continuous
    print(f"state: {c.inputs['dim']} scalars at {cmp.bits_per_scalar['discrete']} bits; "
          f"R = {c.inputs['radius']}, Lam = {c.inputs['lipschitz']}, delta = {c.inputs['margin']}, "
          f"V = {c.inputs['values']}, eps_delta = {c.inputs['error']}")
    print(render.compare_line(f"discrete   (Theorem 1, {d.inputs['state_bits']} bits):", d,
                              str(cmp.bits_per_scalar['discrete'])))
    print(render.compare_line("continuous (Theorem 2, delta-confident):", c,
                              "<= " + ex.decimal_up(continuous.bits_per_scalar_interval(
                                  radius, args.lipschitz, args.margin)[1], 8)))
    print(f"  smaller: {cmp.smaller}")
    print(f"  {continuous.MARGINS_NOTE}")
    return EXIT_OK
