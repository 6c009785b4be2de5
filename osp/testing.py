"""Measure a model inside a test: its recall capacity must stay below both bounds.

    from osp.testing import assert_bounds_hold

    def test_my_model_respects_the_bounds():
        result = assert_bounds_hold(build(), pairs=(4, 8), steps=300)
        print(result.capacity_pairs)  # None when no N reached error_upper <= error

`assert_bounds_hold(model, config=None, **fields)` runs the harness
(`osp.harness.measure.measure`, what `osp measure` runs; `fields` are the
fields of its MeasureConfig and TrainConfig, flat: `pairs`, `steps`, `seed`,
`test_examples`, `declared_state_bits`, ...) and raises `BoundFinding`,
an AssertionError, unless every check passes: a violated bound, a refuted
declared state size and an inconclusive check all fail the test, with the
findings in the message (inconclusive is never a pass). Vacuous checks hold.
`measure_model` measures without asserting. Under pytest, each measurement is
listed in the "osp measurements" section of the terminal summary
(osp/pytest_plugin.py, registered through the `pytest11` entry point, also
gives the fixture `osp_measure` and the marker `osp_slow`).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

from osp.harness.measure import MeasureConfig, MeasureResult, measure
from osp.harness.train import TrainConfig
from osp.testing_records import record

__all__ = ["BoundFinding", "assert_bounds_hold", "make_config", "measure_model"]

_TRAIN_FIELDS = {f.name for f in dataclasses.fields(TrainConfig)}
_MEASURE_FIELDS = {f.name for f in dataclasses.fields(MeasureConfig)} - {"train"}
# Compared exactly by the harness: a float given here is read as the decimal it prints as (0.05 -> 1/20).
_EXACT_FIELDS = {"error", "confidence", "declared_state_bits"}
_TUPLE_FIELDS = {"pairs", "quantize_bits", "deltas"}


class BoundFinding(AssertionError):
    """A measurement that did not pass: a violated bound, a refuted declaration, or an inconclusive check."""

    def __init__(self, message: str, result: MeasureResult):
        super().__init__(message)
        self.result = result


def _exact(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, Fraction):
        return value
    if isinstance(value, (int, float, str)):
        return Fraction(repr(value) if isinstance(value, float) else value)
    return value


def make_config(**fields: Any) -> MeasureConfig:
    """A MeasureConfig from flat fields: TrainConfig's (`pairs`, `steps`, `seed`, ...) and its own
    (`declared_state_bits`, `test_examples`, `error`, ...). Numbers the harness compares exactly
    become Fractions; a float is read as the decimal it prints as (0.05 is 1/20)."""
    unknown = sorted(set(fields) - _TRAIN_FIELDS - _MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measurement field(s) {unknown}; known: {sorted(_TRAIN_FIELDS | _MEASURE_FIELDS)}")
    fields = {k: tuple(v) if k in _TUPLE_FIELDS else v for k, v in fields.items()}
    if "deltas" in fields:
        fields["deltas"] = tuple(_exact(d) for d in fields["deltas"])
    if "model_overrides" in fields and isinstance(fields["model_overrides"], dict):
        fields["model_overrides"] = tuple((str(k), str(v)) for k, v in fields["model_overrides"].items())
    train = TrainConfig(**{k: v for k, v in fields.items() if k in _TRAIN_FIELDS})
    own = {k: _exact(v) if k in _EXACT_FIELDS else v for k, v in fields.items() if k in _MEASURE_FIELDS}
    return MeasureConfig(train=train, **own)


def measure_model(model: Any, config: MeasureConfig | None = None, **fields: Any) -> MeasureResult:
    """Measure `model` (an OSP, or a name `osp measure` takes) with `config`, or with `make_config(**fields)`;
    record it for pytest's summary."""
    if config is not None and fields:
        raise TypeError("give a MeasureConfig or its fields, not both")
    result = measure(model, config if config is not None else make_config(**fields))
    record(_model_name(model, result), result.status, result.capacity_pairs, len(result.findings))
    return result


def assert_bounds_hold(model: Any, config: MeasureConfig | None = None, **fields: Any) -> MeasureResult:
    """`measure_model`, then raise BoundFinding with the findings unless the verdict passes."""
    result = measure_model(model, config, **fields)
    if not result.status.passes:
        raise BoundFinding(_message(_model_name(model, result), result), result)
    return result


def _model_name(model: Any, result: MeasureResult) -> str:
    return str(result.model) if result.model else str(getattr(model, "name", type(model).__name__))


def _message(name: str, result: MeasureResult) -> str:
    lines = [f"osp: {name}: {result.status}"]
    lines += [f"  - {f}" for f in result.findings]  # findings are text (osp.harness.measure)
    if not result.findings:
        lines.append("  (no finding recorded; the verdict is the worst check's status)")
    return "\n".join(lines)
