"""The pytest plugin osp registers (`pytest11` entry point): a fixture, a marker and a summary.

- fixture `osp_measure`: `osp_measure(model, **MeasureConfig fields)` measures
  the model (osp.testing.assert_bounds_hold) and fails the test with the
  finding when a bound is violated, a declared state size is refuted, or a
  check is inconclusive;
- marker `osp_slow`: a measurement that trains; `--osp-skip-slow` skips them
  (or deselect with `-m "not osp_slow"`);
- a section "osp measurements" in the terminal summary: every model measured
  in the session, its verdict and capacity.

This module is imported into every pytest session of an environment where osp
is installed, so it stays light: the harness (torch, training) is imported by
the fixture on first use, not here.
"""

from __future__ import annotations

import pytest

from osp.testing_records import _ACTIVE, _RECORDS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("osp", "osp measurements (osp.testing)")
    group.addoption("--osp-skip-slow", action="store_true", default=False,
                    help="skip tests marked osp_slow (measurements that train a model)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "osp_slow: an osp measurement that trains a model (skip with --osp-skip-slow)"
    )
    config.stash[_RECORDS] = []
    _ACTIVE.append(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _ACTIVE:
        _ACTIVE.remove(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--osp-skip-slow"):
        return
    skip = pytest.mark.skip(reason="osp_slow measurement skipped (--osp-skip-slow)")
    for item in items:
        if item.get_closest_marker("osp_slow") is not None:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    records = config.stash.get(_RECORDS, [])
    if not records:
        return
    terminalreporter.section("osp measurements")
    for r in records:
        capacity = "-" if r.capacity_pairs is None else str(r.capacity_pairs)
        line = f"{r.status.upper():<13} {r.model}  capacity {capacity} pairs, {r.findings} finding(s)  ({r.test})"
        terminalreporter.write_line(line, red=not r.passes, green=r.passes)
    failed = sum(not r.passes for r in records)
    terminalreporter.write_line(f"{len(records)} model(s) measured, {failed} not passing")


@pytest.fixture
def osp_measure():
    """`osp_measure(model, **fields)`: measure `model` and fail the test unless every check holds."""
    # imported here, not at the top: torch and the harness load only in sessions that measure
    from osp import testing

    return testing.assert_bounds_hold
