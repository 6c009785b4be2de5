"""A sweep spec: models x widths x pair counts x learning rates x seeds, in TOML.

    [sweep]
    name = "paper"                 # names the summary file
    layout = "paper"               # or "zoology"
    length = 128                   # one length L for every run (N <= L/4)
    pairs = [4, 8, 16, 32]         # every run trains on their mixture and is measured at each
    seeds = [0]
    learning_rates = [3e-3]        # candidates; one is picked per model and width on VALIDATION
    tokens = 1_000_000             # training-token budget per run (a [[model]] may set its own)
    quantize_bits = [1, 2, 4, 8]
    theorem2 = true

    [[model]]
    name = "attention"
    widths = [32, 64, 128]         # values of `width_key` (default d_model; hidden_size for hf:)
    learning_rates = [1e-3]        # optional: this model's candidates
    set = { n_layers = 2 }         # any other config key, as `--set`

Every table is read with a whitelist: an unknown, missing or wrong-typed field
is one OspInputError naming the file and the field (exit 2).
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from osp.errors import OspInputError
from osp.harness.data import MAX_RUN_SEED
from osp.runtime import zoo
from osp.runtime.user_model import SYNTAX as USER_SYNTAX
from osp.runtime.user_model import is_user_spec
from osp.tomlfile import read_toml

LAYOUTS = ("paper", "zoology")
MAX_RUNS = 10_000
MAX_LIST = 64
MAX_TOKENS = 10 ** 12
MAX_EXAMPLES = 10 ** 6
MAX_LENGTH = 65_536

#: [sweep] field -> (type, default or REQUIRED)
REQUIRED = object()
SWEEP_FIELDS = {
    "name": (str, REQUIRED),
    "layout": (str, "paper"),
    "length": (int, REQUIRED),
    "pairs": (list, REQUIRED),
    "seeds": (list, [0]),
    "learning_rates": (list, [3e-3]),
    "tokens": (int, None),
    "steps": (int, None),
    "batch_size": (int, 32),
    "eval_every": (int, 100),
    "warmup_steps": (int, 50),
    "target_accuracy": (float, None),
    "num_values": (int, None),
    "quantize_bits": (list, []),
    "theorem2": (bool, False),
    "confidence": (str, "0.95"),
    "error": (str, "0.05"),
    "test_examples": (int, 1000),
    "validation_examples": (int, 256),
    "calibration_examples": (int, 256),
}
MODEL_FIELDS = {
    "name": (str, REQUIRED),
    "widths": (list, []),
    "width_key": (str, None),
    "learning_rates": (list, None),
    "set": (dict, {}),
    "num_values": (int, None),
    "tokens": (int, None),  # this model's budget instead of the sweep's (labelled in every result)
}


@dataclass(frozen=True)
class ModelSpec:
    name: str
    widths: tuple[int, ...]  # () for one run at the model's own width
    width_key: str
    learning_rates: tuple[float, ...]  # (None,) for a model without trainable parameters
    overrides: tuple[tuple[str, str], ...]
    num_values: int | None
    trainable: bool
    tokens: int | None = None  # None: the sweep's budget


@dataclass(frozen=True)
class SweepSpec:
    name: str
    layout: str
    length: int
    pairs: tuple[int, ...]
    seeds: tuple[int, ...]
    tokens: int | None
    steps: int | None
    batch_size: int
    eval_every: int
    warmup_steps: int
    target_accuracy: float | None
    quantize_bits: tuple[int, ...]
    theorem2: bool
    confidence: Fraction
    error: Fraction
    test_examples: int
    validation_examples: int
    calibration_examples: int
    models: tuple[ModelSpec, ...]
    path: str = ""


def _typed(where: str, key: str, value, kind):
    # bool is an int subclass in Python: TOML's `true` must not pass as 1
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("confidence", "error"):
        value, ok = str(value), True
    if not ok:
        raise OspInputError(f"{where}: field {key!r} must be {kind.__name__}, got {type(value).__name__}")
    return value


def _table(where: str, raw, fields: dict) -> dict:
    if not isinstance(raw, dict):
        raise OspInputError(f"{where}: expected a table")
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise OspInputError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(fields)})")
    out = {}
    for key, (kind, default) in fields.items():
        if key not in raw:
            if default is REQUIRED:
                raise OspInputError(f"{where}: missing field {key!r}")
            out[key] = default
        else:
            out[key] = _typed(where, key, raw[key], kind)
    return out


def _ints(where: str, key: str, values, lo: int, hi: int, allow_empty: bool = False) -> tuple[int, ...]:
    if not values and not allow_empty:
        raise OspInputError(f"{where}: field {key!r} must not be empty")
    if len(values) > MAX_LIST:
        raise OspInputError(f"{where}: field {key!r} lists {len(values)} values, at most {MAX_LIST}")
    for v in values:
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise OspInputError(f"{where}: field {key!r}: every value must be an integer in [{lo}, {hi}], got {v!r}")
    if len(set(values)) != len(values):
        raise OspInputError(f"{where}: field {key!r} repeats a value")
    return tuple(values)


def _rates(where: str, values) -> tuple[float, ...]:
    if not values:
        raise OspInputError(f"{where}: field 'learning_rates' must not be empty")
    if len(values) > MAX_LIST:
        raise OspInputError(f"{where}: field 'learning_rates' lists {len(values)} values, at most {MAX_LIST}")
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 < v <= 10:
            raise OspInputError(f"{where}: field 'learning_rates': every value must be a number in (0, 10], got {v!r}")
    if len(set(values)) != len(values):
        raise OspInputError(f"{where}: field 'learning_rates' repeats a value")
    return tuple(float(v) for v in values)


def _fraction(where: str, key: str, text: str, lo_open: bool) -> Fraction:
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise OspInputError(f"{where}: field {key!r}: expected a number such as 0.95 or 19/20, got {text!r}") from None
    if not (0 < value < 1 if lo_open else 0 <= value <= 1):
        raise OspInputError(f"{where}: field {key!r} must lie in {'(0, 1)' if lo_open else '[0, 1]'}, got {text!r}")
    return value


def _positive(where: str, key: str, value, hi: int, lo: int = 1) -> None:
    if value is not None and not lo <= value <= hi:
        raise OspInputError(f"{where}: field {key!r} must lie in [{lo}, {hi}], got {value}")


def config_fields(name: str) -> dict[str, str] | None:
    """Field name -> type name of a registry model's config; None for hf: families and user models."""
    if name not in zoo.MODELS:
        return None
    return {f.name: str(f.type) for f in dataclasses.fields(_config_class(name))}


def _set_text(where: str, key: str, value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    raise OspInputError(f"{where}: set.{key} must be a string, integer, finite number or boolean")


def _model(where: str, raw, sweep: dict) -> ModelSpec:
    t = _table(where, raw, MODEL_FIELDS)
    name = t["name"]
    where = f"{where} ({name})"
    if name not in zoo.MODELS and not name.startswith(zoo.HF_PREFIX) and not is_user_spec(name):
        raise OspInputError(f"{where}: unknown model {name!r} (see `osp profile --list`; your own: {USER_SYNTAX})")
    if name.startswith(zoo.HF_PREFIX) and name not in zoo.names():
        raise OspInputError(f"{where}: unknown or unavailable HF family {name!r} (needs `pip install 'osp[hf]'`)")
    fields = config_fields(name)
    width_key = t["width_key"] or ("hidden_size" if name.startswith(zoo.HF_PREFIX) else "d_model")
    widths = _ints(where, "widths", t["widths"], 1, 4096, allow_empty=True)
    overrides = {k: _set_text(where, k, v) for k, v in t["set"].items()}
    if widths and width_key in overrides:
        raise OspInputError(f"{where}: set.{width_key} conflicts with widths (the width key)")
    kind = zoo.MODELS[name].kind if fields is not None else "model"
    if fields is not None:
        if widths and width_key not in fields:
            raise OspInputError(f"{where}: {name} has no config key {width_key!r} for widths")
        for w in widths or (None,):  # validate every config the sweep will build, before any training
            zoo.make_config(_config_class(name), {**overrides, **({width_key: str(w)} if w else {})}, name)
    rates = t["learning_rates"]
    if kind == "witness":
        if rates is not None:
            raise OspInputError(f"{where}: a witness has no trainable parameters; drop learning_rates")
        lrs: tuple = (None,)
    else:
        lrs = _rates(where, rates if rates is not None else sweep["learning_rates"])
    num_values = t["num_values"] if t["num_values"] is not None else sweep["num_values"]
    _positive(where, "num_values", num_values, 65_536, lo=2)
    _positive(where, "tokens", t["tokens"], MAX_TOKENS)
    if t["tokens"] is not None and sweep["tokens"] is None:
        raise OspInputError(f"{where}: field 'tokens' needs a token budget in [sweep] (not 'steps')")
    return ModelSpec(name, widths, width_key, lrs, tuple(sorted(overrides.items())), num_values,
                     kind != "witness", t["tokens"])


def _config_class(name: str):
    entry = zoo.MODELS[name]
    return getattr(importlib.import_module(entry.module), entry.config)


def parse_spec(data: dict, where: str = "sweep spec") -> SweepSpec:
    """Validate a parsed TOML document into a SweepSpec (every failure is one OspInputError)."""
    if not isinstance(data, dict):
        raise OspInputError(f"{where}: expected a TOML document")
    unknown = sorted(set(data) - {"sweep", "model"})
    if unknown:
        raise OspInputError(f"{where}: unknown table {unknown[0]!r} (known: sweep, model)")
    if "sweep" not in data:
        raise OspInputError(f"{where}: missing table [sweep]")
    s = _table(f"{where}: [sweep]", data["sweep"], SWEEP_FIELDS)
    w = f"{where}: [sweep]"
    if not s["name"].replace("-", "").replace("_", "").isalnum():
        raise OspInputError(f"{w}: field 'name' must be letters, digits, '-' or '_', got {s['name']!r}")
    if s["layout"] not in LAYOUTS:
        raise OspInputError(f"{w}: field 'layout' must be one of {', '.join(LAYOUTS)}, got {s['layout']!r}")
    _positive(w, "length", s["length"], MAX_LENGTH, lo=4)
    pairs = _ints(w, "pairs", s["pairs"], 1, s["length"] // 4)
    seeds = _ints(w, "seeds", s["seeds"], 0, MAX_RUN_SEED)
    qbits = _ints(w, "quantize_bits", s["quantize_bits"], 1, 32, allow_empty=True)
    if (s["tokens"] is None) == (s["steps"] is None):
        raise OspInputError(f"{w}: give exactly one of 'tokens' (a budget per run) or 'steps'")
    _positive(w, "tokens", s["tokens"], MAX_TOKENS)
    _positive(w, "steps", s["steps"], 10 ** 7, lo=0)
    _positive(w, "batch_size", s["batch_size"], 4096)
    _positive(w, "eval_every", s["eval_every"], 10 ** 7)
    _positive(w, "warmup_steps", s["warmup_steps"], 10 ** 7, lo=0)
    for key in ("test_examples", "validation_examples"):
        _positive(w, key, s[key], MAX_EXAMPLES, lo=2)
    _positive(w, "calibration_examples", s["calibration_examples"], MAX_EXAMPLES)
    if s["target_accuracy"] is not None and not 0 < s["target_accuracy"] <= 1:
        raise OspInputError(f"{w}: field 'target_accuracy' must lie in (0, 1], got {s['target_accuracy']}")
    raw_models = data.get("model")
    if not isinstance(raw_models, list) or not raw_models:
        raise OspInputError(f"{where}: at least one [[model]] table is needed")
    models = tuple(_model(f"{where}: model {i + 1}", m, s) for i, m in enumerate(raw_models))
    keys = [(m.name, m.overrides) for m in models]
    if len(set(keys)) != len(keys):
        raise OspInputError(f"{where}: a model is listed twice with the same settings")
    runs = sum(max(1, len(m.widths)) * len(m.learning_rates) for m in models) * len(seeds)
    if runs > MAX_RUNS:
        raise OspInputError(f"{where}: {runs} runs, at most {MAX_RUNS}")
    return SweepSpec(s["name"], s["layout"], s["length"], pairs, seeds, s["tokens"], s["steps"], s["batch_size"],
                     s["eval_every"], s["warmup_steps"], s["target_accuracy"], qbits, s["theorem2"],
                     _fraction(w, "confidence", s["confidence"], True), _fraction(w, "error", s["error"], False),
                     s["test_examples"], s["validation_examples"], s["calibration_examples"], models)


def read_spec(path) -> SweepSpec:
    spec = parse_spec(read_toml(path, "sweep spec"), Path(path).name)
    return dataclasses.replace(spec, path=str(path))
