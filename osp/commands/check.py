"""`osp check --ranges FILE.toml`: every obligation over a parameter box, and
the bound's extremes over it (at corners, by the monotonicity nodes)."""

from __future__ import annotations

import time

from osp import ranges as box_ranges
from osp.commands.common import add_json_flag, emit_json, integer_arg
from osp.errors import OspInputError
from osp.settings import DEFAULTS


def register(sub) -> None:
    p = sub.add_parser("check", help="check every obligation over a parameter box")
    add_json_flag(p)
    p.add_argument("--ranges", required=True, help="TOML file with a [ranges] table")
    p.add_argument("--timeout-ms", default=str(DEFAULTS.timeout_ms),
                   help=f"per-obligation solver timeout (default {DEFAULTS.timeout_ms})")
    p.set_defaults(func=run)


def run(args) -> int:
    # the solvers and the graph load for this command only: every `osp` call registers it
    from osp.box import check_box
    from osp.render import check as render

    timeout_ms = integer_arg(args.timeout_ms, "--timeout-ms")
    r = box_ranges.load(args.ranges)
    t0 = time.perf_counter()
    try:
        out = check_box(r, timeout_ms)
    except OspInputError as exc:
        text = str(exc)
        raise OspInputError(text if text.startswith(args.ranges) else f"{args.ranges}: {text}") from None
    seconds = time.perf_counter() - t0
    if args.json:
        emit_json(render.to_json(out, r, seconds))
    else:
        print(render.text(out, r, seconds))
    return out.verdict.exit_code
