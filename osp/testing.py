"""Measure a model inside a test: its recall capacity must stay below both bounds.

    from osp.testing import assert_bounds_hold

    def test_my_model_respects_the_bounds():
        result = assert_bounds_hold(build(), pairs=(4, 8), steps=300)
        assert result.capacity_pairs >= 4

`assert_bounds_hold(model, config=None, **fields)` runs the harness
(`osp.harness.measure.measure`, what `osp measure` runs; `fields` are
`MeasureConfig` fields, e.g. `declared_state_bits`) and raises `BoundFinding`,
an AssertionError, unless every check passes: a violated bound, a refuted
declared state size and an inconclusive check all fail the test, with the
findings in the message (inconclusive is never a pass). Vacuous checks hold.
`measure_model` measures without asserting. Under pytest, each measurement is
listed in the "osp measurements" section of the terminal summary
(osp/pytest_plugin.py, registered through the `pytest11` entry point, also
gives the fixture `osp_measure` and the marker `osp_slow`).
"""

from __future__ import annotations

import json
from typing import Any

from osp.harness.measure import MeasureConfig, MeasureResult, measure
from osp.pytest_plugin import record

__all__ = ["BoundFinding", "assert_bounds_hold", "measure_model"]


class BoundFinding(AssertionError):
    """A measurement that did not pass: a violated bound, a refuted declaration, or an inconclusive check."""

    def __init__(self, message: str, result: MeasureResult):
        super().__init__(message)
        self.result = result


def measure_model(model: Any, config: MeasureConfig | None = None, **fields: Any) -> MeasureResult:
    """Measure `model` (an OSP) with `config`, or a MeasureConfig built from `fields`; record it for the summary."""
    if config is not None and fields:
        raise TypeError("give a MeasureConfig or its fields, not both")
    result = measure(model, config if config is not None else MeasureConfig(**fields))
    record(_model_name(model, result), result.status, result.capacity_pairs, len(result.findings))
    return result


def assert_bounds_hold(model: Any, config: MeasureConfig | None = None, **fields: Any) -> MeasureResult:
    """`measure_model`, then raise BoundFinding with the findings unless the verdict passes."""
    result = measure_model(model, config, **fields)
    if not result.status.passes:
        raise BoundFinding(_message(_model_name(model, result), result), result)
    return result


def _model_name(model: Any, result: MeasureResult) -> str:
    name = result.to_json().get("model")
    return str(name) if name else str(getattr(model, "name", type(model).__name__))


def _message(name: str, result: MeasureResult) -> str:
    lines = [f"osp: {name}: {result.status}"]
    lines += [f"  - {_finding_text(f)}" for f in result.findings]
    if not result.findings:
        lines.append("  (no finding recorded; the verdict is the worst check's status)")
    return "\n".join(lines)


def _finding_text(finding: Any) -> str:
    if isinstance(finding, str):
        return finding
    if isinstance(finding, dict):
        for key in ("message", "reason", "detail"):
            if isinstance(finding.get(key), str):
                return finding[key]
        return json.dumps(finding, sort_keys=True, default=str)
    return str(finding)
