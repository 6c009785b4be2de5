"""`osp measure MODEL`: train (or load), then assert measured recall below Theorem 1 and 2
(osp/harness/measure.py). Exit 0 every check holds, 1 a violation or an inconclusive check."""

from __future__ import annotations

from osp.commands.common import integer_arg
from osp.commands.harness_args import (add_train_args, emit_result, fraction_arg, int_list,
                                       train_config)
from osp.errors import OspInputError
from osp.numbers import exact


def register(subparsers) -> None:
    p = subparsers.add_parser("measure", help="measure recall capacity and assert it below the bounds")
    add_train_args(p)
    p.add_argument("--error", default="0.05", help="capacity_pairs: largest N with error_upper <= this (0.05)")
    p.add_argument("--confidence", default="0.95", help="one level for every check, Bonferroni-split (0.95)")
    p.add_argument("--test-examples", default="1000", help="test examples per pair count (default 1000)")
    p.add_argument("--calibration-examples", default="256", help="calibration examples per N (Theorem 2's R)")
    p.add_argument("--declared-state-bits", default=None, help="a claimed state size to refute or not")
    p.add_argument("--quantize-bits", default=None, help="comma-separated bits per scalar, e.g. 1,2,4,8")
    p.add_argument("--theorem2", action="store_true", help="also assert Theorem 2 (probed Lam, delta grid)")
    p.set_defaults(func=run)


def run(args) -> int:
    from osp.harness.measure import MeasureConfig, measure
    from osp.render.measure import render_measure
    from osp.runtime import zoo

    declared = None
    if args.declared_state_bits is not None:
        declared = exact(args.declared_state_bits, "--declared-state-bits")
        if declared < 0:
            raise OspInputError(f"--declared-state-bits must be >= 0, got {args.declared_state_bits}")
    try:
        config = MeasureConfig(
            train=train_config(args), model_overrides=tuple(sorted(zoo.parse_sets(args.set).items())),
            error=fraction_arg(args.error, "--error"), confidence=fraction_arg(args.confidence, "--confidence"),
            test_examples=integer_arg(args.test_examples, "--test-examples", 2),
            calibration_examples=integer_arg(args.calibration_examples, "--calibration-examples", 1),
            declared_state_bits=declared, theorem2=args.theorem2, load=args.load,
            quantize_bits=() if args.quantize_bits is None else int_list(args.quantize_bits, "--quantize-bits"))
        result = measure(args.model, config, progress=not args.json)
    except ValueError as exc:
        raise OspInputError(f"measure: {exc}") from None
    emit_result(args, result.to_json(), render_measure(result))
    return result.exit_code
