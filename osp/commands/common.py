"""Helpers shared by subcommands: JSON output and number parsing."""

from __future__ import annotations

import json
import math
import sys
import textwrap
from pathlib import Path

from osp.errors import OspInputError


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output (stable keys)")


def emit_json(obj) -> None:
    json.dump(finite(obj), sys.stdout, indent=2, sort_keys=False, default=str, allow_nan=False)
    sys.stdout.write("\n")


def check_out_file(out: Path, flag: str = "--out") -> None:
    """A file a command will write: bad input (exit 2) if it names a folder or lies under a file,
    found before the command spends its time."""
    if out.is_dir():
        raise OspInputError(f"{flag} {out}: is a folder; name the file inside it")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OspInputError(f"{flag} {out}: {parent} is not a folder")
            break


def finite(o):
    """JSON has no Infinity or NaN: a non-finite float becomes null."""
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [finite(v) for v in o]
    return o


def integer_arg(text: str, name: str, minimum: int = 1) -> int:
    try:
        value = int(text)
    except ValueError:
        raise OspInputError(f"{name} must be an integer, got {text!r}") from None
    if value < minimum:
        raise OspInputError(f"{name} must be >= {minimum}, got {value}")
    return value


def print_rests_on(nodes: list[str]) -> None:
    """The proof-graph nodes a number rests on, wrapped for a terminal."""
    print(f"  rests on {len(nodes)} nodes:")
    print(textwrap.fill(", ".join(nodes), width=100, initial_indent="    ", subsequent_indent="    ",
                        break_on_hyphens=False))
