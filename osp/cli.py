"""The `osp` command line. Each subcommand lives in osp/commands/<name>.py
and exposes `register(subparsers)`, setting `func(args) -> exit code`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from osp.errors import EXIT_BAD_INPUT, OspInputError

#: subcommand modules, in the order `osp --help` lists them
COMMANDS = ("prove", "bound", "check", "profile", "registry", "audit", "report", "train", "measure", "sweep")
EXIT_INTERNAL = 3
#: a reader that closed the pipe (`osp audit claim.toml | head`) saw no verdict:
#: exit as a process killed by SIGPIPE would (128 + 13), never 0
EXIT_BROKEN_PIPE = 141


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, instead of usage + message
        sub = self.prog.removeprefix("osp").strip()  # main() already prints "osp: error:"
        raise OspInputError(f"{sub}: {message}" if sub else message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="osp", description="Machine-checked bounds for the impossibility triangle "
                     "of long-context modeling (exit 0 ok, 1 refuted/unknown, 2 bad input).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"osp.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except OspInputError as exc:
        print(f"osp: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("osp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""  # one line, as promised
        print(f"osp: internal error: {type(exc).__name__}: {first}", file=sys.stderr)
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout already closed or not a real file
        pass


if __name__ == "__main__":
    sys.exit(main())
