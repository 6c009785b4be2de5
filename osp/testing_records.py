"""The measurements a pytest session made, for the plugin's terminal summary.

Kept apart from osp.testing (the user API, which records) and osp.pytest_plugin
(which owns the session and prints the summary) so neither imports the other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

_RECORDS = pytest.StashKey[list]()
# The sessions running now, innermost last (pytester runs a session inside a session).
_ACTIVE: list[pytest.Config] = []


@dataclass(frozen=True)
class Record:
    """One measurement, as the terminal summary lists it."""

    test: str
    model: str
    status: str
    passes: bool
    capacity_pairs: int | None
    findings: int


def record(model: str, status, capacity_pairs: int | None, findings: int) -> None:
    """Note a measurement for the summary of the innermost running session (none: nothing to do)."""
    if not _ACTIVE:
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    entry = Record(test, model, str(status), bool(status.passes), capacity_pairs, findings)
    _ACTIVE[-1].stash[_RECORDS].append(entry)
