"""The JSON files the report reads (measure results, sweep summaries, HF profiles): read one way."""

from __future__ import annotations

import json
from pathlib import Path

from osp.errors import OspInputError


def read_json_files(directory: Path, pattern: str) -> list[tuple[Path, object]]:
    """(path, parsed JSON) for every file matching `pattern` in `directory`, in name order; none when
    the folder is missing. An unreadable file is bad input naming the file."""
    out = []
    for path in sorted(directory.glob(pattern)) if directory.is_dir() else []:
        try:
            out.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OspInputError(f"{path}: not a readable JSON file ({exc})") from None
    return out
