"""Load and strictly validate the architecture registry (one TOML file each).

Every field is required and no other field is allowed: a missing, unknown
or wrong-typed field is an OspInputError naming the file and the field.
Complexities are parsed with the safe expression language (expr.py); every
symbol other than L must have a value in [constants], so a classification
never depends on an unstated assumption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sympy

from osp.errors import OspInputError
from osp.tomlfile import read_toml
from osp.registry import expr as expr_lang

FAMILIES = (
    "full-attention", "kv-sharing", "local-attention", "sparse-attention", "kv-eviction",
    "linear-attention", "retention", "gated-rnn", "ssm", "delta-rule", "recurrent-memory",
    "retrieval-memory", "hybrid", "tape",
)
#: field -> (type, description); all required
FIELDS = {
    "name": (str, "display name, unique in the registry"),
    "year": (int, "year of the first public version"),
    "source": (str, "arXiv:YYMM.NNNNN or an https:// address"),
    "family": (str, "one of FAMILIES"),
    "mechanism": (str, "how the state is read at a step, in words"),
    "content_retrieval": (bool, "the mechanism looks up stored items by content over the whole store"),
    "tape": (bool, "re-reads raw input (a tape OSP, docs/theory.md section 1)"),
    "per_step_compute": (str, "operations at step t = L, an expression"),
    "state_scalars": (str, "scalars carried between steps at t = L, an expression"),
    "bits_per_scalar": (int, "bits of one stored scalar"),
    "configuration": (str, "which configuration the entry describes"),
    "notes": (str, "anything else"),
    "constants": (dict, "values of every symbol but L"),
}
_ARXIV = re.compile(r"arXiv:(\d{2})(\d{2})\.\d{4,5}")
#: the registry covers work published before March 2026
LAST_ARXIV_MONTH = (26, 2)


@dataclass(frozen=True)
class Architecture:
    name: str
    year: int
    source: str
    family: str
    mechanism: str
    content_retrieval: bool
    tape: bool
    per_step_compute: str
    state_scalars: str
    bits_per_scalar: int
    configuration: str
    notes: str
    constants: dict      # name -> sympy.Rational
    compute: sympy.Expr  # parsed per_step_compute
    state: sympy.Expr    # parsed state_scalars
    path: str = ""

    @property
    def state_bits(self) -> sympy.Expr:
        return self.state * self.bits_per_scalar


def _check_source(where: str, source: str, year: int) -> None:
    m = _ARXIV.fullmatch(source)
    if m:
        yy, mm = int(m.group(1)), int(m.group(2))
        if not 1 <= mm <= 12:
            raise OspInputError(f"{where}: field 'source': bad arXiv month in {source!r}")
        if (yy, mm) > LAST_ARXIV_MONTH:
            raise OspInputError(f"{where}: field 'source': {source} is after February 2026")
        if 2000 + yy != year:
            raise OspInputError(f"{where}: field 'year': {year} but {source} is from {2000 + yy}")
        return
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+/\S*", source):
        raise OspInputError(f"{where}: field 'source' must be arXiv:YYMM.NNNNN or an https:// address, "
                            f"got {source!r}")


def _expression(where: str, field: str, text: str, constants: dict) -> sympy.Expr:
    try:
        value = expr_lang.parse(text)
    except OspInputError as exc:
        raise OspInputError(f"{where}: field '{field}': {exc}") from None
    missing = sorted(expr_lang.names(value) - set(constants) - {"L"})
    if missing:
        raise OspInputError(f"{where}: field '{field}': symbol {missing[0]!r} has no value in [constants]")
    return value


def parse_entry(data: dict, where: str) -> Architecture:
    """Validate one decoded TOML table; `where` names it in errors."""
    for key in data:
        if key not in FIELDS:
            raise OspInputError(f"{where}: unknown field {key!r}")
    for key, (kind, _) in FIELDS.items():
        if key not in data:
            raise OspInputError(f"{where}: missing field {key!r}")
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise OspInputError(f"{where}: field {key!r} must be {kind.__name__}, got {type(value).__name__}")
        if kind is str and not value.strip():
            raise OspInputError(f"{where}: field {key!r} is empty")
    if data["family"] not in FAMILIES:
        raise OspInputError(f"{where}: field 'family': {data['family']!r} is not one of {', '.join(FAMILIES)}")
    if not 1990 <= data["year"] <= 2026:
        raise OspInputError(f"{where}: field 'year': {data['year']} outside 1990..2026")
    if data["bits_per_scalar"] < 1:
        raise OspInputError(f"{where}: field 'bits_per_scalar' must be >= 1")
    _check_source(where, data["source"].strip(), data["year"])
    constants = {}
    for key, value in data["constants"].items():
        if key == "L" or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key) or "__" in key \
                or key in expr_lang.FUNCTIONS:
            raise OspInputError(f"{where}: field 'constants.{key}': not an allowed constant name")
        try:
            q = expr_lang.to_rational(value, f"constants.{key}")
        except OspInputError as exc:
            raise OspInputError(f"{where}: field 'constants.{key}': {exc}") from None
        if q < 0:
            raise OspInputError(f"{where}: field 'constants.{key}' must be >= 0")
        constants[key] = q
    if "d" not in constants:
        raise OspInputError(f"{where}: field 'constants.d' (the width) is required")
    compute = _expression(where, "per_step_compute", data["per_step_compute"], constants)
    state = _expression(where, "state_scalars", data["state_scalars"], constants)
    fields = {k: data[k] for k in FIELDS if k != "constants"}
    fields["source"] = fields["source"].strip()
    return Architecture(**fields, constants=constants, compute=compute, state=state, path=where)


def load_file(path) -> Architecture:
    path = Path(path)
    return parse_entry(read_toml(path, "registry file"), path.name)


def data_dir() -> Path:
    return Path(str(resources.files("osp.registry") / "data"))


def load_registry(directory=None) -> list[Architecture]:
    """All entries, sorted by (year, name); names must be unique."""
    directory = Path(directory) if directory is not None else data_dir()
    entries = [load_file(p) for p in sorted(directory.glob("*.toml"))]
    seen: dict[str, str] = {}
    for e in entries:
        key = e.name.casefold()
        if key in seen:
            raise OspInputError(f"{e.path}: field 'name': {e.name!r} already used by {seen[key]}")
        seen[key] = e.path
    return sorted(entries, key=lambda e: (e.year, e.name.casefold()))


def find(name: str, entries: list[Architecture] | None = None) -> Architecture | None:
    entries = load_registry() if entries is None else entries
    for e in entries:
        if e.name.casefold() == name.strip().casefold():
            return e
    return None
