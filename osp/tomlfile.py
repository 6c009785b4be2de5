"""Reading a user's TOML file: every failure is one line naming the file, exit 2."""

from __future__ import annotations

import tomllib
from pathlib import Path

from osp.errors import OspInputError


def read_toml(path, what: str = "file") -> dict:
    """Parse `path` as UTF-8 TOML; `what` names the file's role in messages (e.g. "claim file")."""
    if str(path) == "":  # Path("") is ".", which would be reported as a directory
        raise OspInputError(f"an empty name is not a {what}")
    path = Path(path)
    try:
        raw = path.read_bytes()
        return tomllib.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))  # editors may add a BOM
    except tomllib.TOMLDecodeError as exc:
        raise OspInputError(f"{path}: malformed TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise OspInputError(f"{path}: not UTF-8 text (byte {exc.start}); a {what} must be UTF-8 TOML") from None
    except ValueError as exc:  # tomllib: an integer past Python's 4300-digit conversion limit
        raise OspInputError(f"{path}: unreadable number in TOML: {exc}") from None
    except IsADirectoryError:
        raise OspInputError(f"{path}: is a directory, not a {what}") from None
    except FileNotFoundError:
        stdin = " (standard input is not read: name a file)" if str(path) == "-" else ""
        raise OspInputError(f"{path}: no such file{stdin}") from None
    except OSError as exc:
        raise OspInputError(f"{path}: cannot read {what} ({exc.strerror})") from None
