"""Helpers shared by subcommands: JSON output and number parsing."""

from __future__ import annotations

import json
import math
import sys

from osp.errors import OspInputError


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output (stable keys)")


def emit_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2, sort_keys=False, default=_default)
    sys.stdout.write("\n")


def _default(o):
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return str(o)


def positive_int(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise OspInputError(f"{name} must be an integer, got {text!r}") from None
    if value < 1:
        raise OspInputError(f"{name} must be >= 1, got {value}")
    return value
