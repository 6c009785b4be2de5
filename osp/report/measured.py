"""Measured results the report shows: `osp measure` result files, read and
validated (a malformed file is bad input, exit 2, naming the file and field).

Only the keys the report draws are required (`model`, `per_pairs` rows with
`pairs`, `accuracy`, `state_bits`, `bound_pairs`); `theorem2` and `quantized`
(lists of rows, as `osp measure --json` writes them), `findings`,
`confidence`, `provenance` and the rest are optional and shown when present.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from osp.errors import OspInputError
from osp.report.files import read_json_files

ROW_REQUIRED = ("pairs", "accuracy", "state_bits", "bound_pairs")
ROW_OPTIONAL = ("error_upper", "recall_bits", "holds", "status")


@dataclass(frozen=True)
class PairsRow:
    pairs: int
    accuracy: float
    state_bits: float
    bound_pairs: float | None     # None: the bound is vacuous at this error (reported as such)
    error_upper: float | None
    recall_bits: float | None
    holds: bool | None
    status: str | None = None     # "holds", "vacuous", "violated", "inconclusive" (osp measure's word)

    @property
    def bound_note(self) -> str:
        """What a missing bound_pairs means: vacuous at this error, a floor osp could not decide, or,
        in a file that gives no status, nothing said (never read as vacuous, which holds)."""
        if self.status is None:
            return "not stated"
        return "vacuous" if self.status == "vacuous" else "not decided"


@dataclass(frozen=True)
class MeasureResult:
    path: str
    model: str
    capacity_pairs: float | None
    rows: tuple[PairsRow, ...]
    verdict: str | None
    findings: tuple[str, ...]
    confidence: object
    theorem2: tuple[dict, ...]
    quantized: tuple[dict, ...]
    provenance: dict | None


def _number(value, where: str, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise OspInputError(f"{where}: expected a finite number, got {json.dumps(value)[:40]}")
    return value


def _row(raw, where: str) -> PairsRow:
    if not isinstance(raw, dict):
        raise OspInputError(f"{where}: expected an object")
    for key in ROW_REQUIRED:
        if key not in raw:
            raise OspInputError(f"{where}: missing key {key!r}")
    pairs = _number(raw["pairs"], f"{where}.pairs")
    if pairs != int(pairs) or pairs < 1:
        raise OspInputError(f"{where}.pairs: expected a positive integer, got {raw['pairs']!r}")
    acc = _number(raw["accuracy"], f"{where}.accuracy")
    if not 0 <= acc <= 1:
        raise OspInputError(f"{where}.accuracy: {acc} is not in [0, 1]")
    holds = raw.get("holds")
    if holds is not None and not isinstance(holds, bool):
        raise OspInputError(f"{where}.holds: expected true, false or null")
    status = raw.get("status")
    if status is not None and not isinstance(status, str):
        raise OspInputError(f"{where}.status: expected a string or null")
    return PairsRow(int(pairs), acc, _number(raw["state_bits"], f"{where}.state_bits"),
                    _number(raw["bound_pairs"], f"{where}.bound_pairs", allow_none=True),
                    _number(raw.get("error_upper"), f"{where}.error_upper", allow_none=True),
                    _number(raw.get("recall_bits"), f"{where}.recall_bits", allow_none=True), holds, status)


def _rows(raw, where: str) -> tuple[dict, ...]:
    """`theorem2` or `quantized`: null or a list of row objects (what `osp measure --json` writes)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise OspInputError(f"{where}: expected a list of objects or null")
    return tuple(raw)


def parse(data, where: str) -> MeasureResult:
    if not isinstance(data, dict):
        raise OspInputError(f"{where}: expected a JSON object")
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise OspInputError(f"{where}: missing or empty key 'model'")
    rows = data.get("per_pairs")
    if not isinstance(rows, list) or not rows:
        raise OspInputError(f"{where}: 'per_pairs' must be a non-empty list")
    findings = data.get("findings") or []
    if not isinstance(findings, list):
        raise OspInputError(f"{where}.findings: expected a list")
    prov = data.get("provenance")
    return MeasureResult(
        path=where, model=model,
        capacity_pairs=_number(data.get("capacity_pairs"), f"{where}.capacity_pairs", allow_none=True),
        rows=tuple(_row(r, f"{where}.per_pairs[{i}]") for i, r in enumerate(rows)),
        verdict=None if data.get("verdict") is None else str(data["verdict"]),
        findings=tuple(str(f) if not isinstance(f, dict) else json.dumps(f, sort_keys=True) for f in findings),
        confidence=data.get("confidence"), theorem2=_rows(data.get("theorem2"), f"{where}.theorem2"),
        quantized=_rows(data.get("quantized"), f"{where}.quantized"),
        provenance=prov if isinstance(prov, dict) else None)


def load_dir(directory: Path) -> list[MeasureResult]:
    """Every *.json in `directory` (none, or a missing directory, is no results)."""
    if not directory.exists():
        return []
    if not directory.is_dir():
        raise OspInputError(f"--results {directory}: not a directory")
    return [parse(data, path.name) for path, data in read_json_files(directory, "*.json")]
