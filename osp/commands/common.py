"""Helpers shared by subcommands: JSON output and number parsing."""

from __future__ import annotations

import json
import math
import sys
import textwrap

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


def print_rests_on(nodes: list[str]) -> None:
    """The proof-graph nodes a number rests on, wrapped for a terminal."""
    print(f"  rests on {len(nodes)} nodes:")
    print(textwrap.fill(", ".join(nodes), width=100, initial_indent="    ", subsequent_indent="    ",
                        break_on_hyphens=False))
