"""The user's own model: `path/to/file.py:FACTORY` or `py:package.module:FACTORY`.

    build_user_osp("examples/user_model.py:build", {"d_model": "64"}) -> the OSP FACTORY(d_model=64) returns

The file or module named on the command line is the user's code, and it is run
(imported) the way pytest runs a test file: its directory goes first on
`sys.path` so it can import its siblings. Only a name typed on the command
line reaches here; claim files never name code (they are read by whitelist
parsers, osp/registry).

`--set KEY=VALUE` overrides become keyword arguments of FACTORY, typed by the
default of the parameter of that name (int, float, bool or str); a parameter
without such a default cannot be set. Every failure is an OspInputError
(exit 2): a missing file or module, an import that raises, a missing or
non-callable FACTORY, a FACTORY that raises, one that returns something that is
not an `osp.runtime.contract.OSP`, or an OSP that breaks the contract on its
first step (logits not (B, vocab_size), `state_tensors` not StateTensors).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import sys
from pathlib import Path
from typing import Any, Callable

import torch

from osp.errors import OspInputError
from osp.runtime.contract import OSP, StateTensor
from osp.runtime.options import check_device, parse_scalar

PY_PREFIX = "py:"
SYNTAX = "path/to/file.py:FACTORY or py:package.module:FACTORY"


def is_user_spec(name: str) -> bool:
    """Whether `name` asks for user code (`py:` or a `.py` file before the last colon)."""
    return name.startswith(PY_PREFIX) or name.rpartition(":")[0].endswith(".py")


def _split(spec: str) -> tuple[str, str]:
    target, sep, factory = spec.rpartition(":")
    if not sep or not target or not factory.isidentifier():
        raise OspInputError(f"user model {spec!r}: expected {SYNTAX} (FACTORY a Python name)")
    return target, factory


def _import_file(path_text: str) -> Any:
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise OspInputError(f"user model file {path_text!r} not found")
    path = path.resolve()
    # one module per file, named from its path so two files called model.py do not collide
    name = f"osp_user_{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
    if name in sys.modules:
        return sys.modules[name]
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise OspInputError(f"user model file {path_text!r} cannot be loaded as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look their module up here
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the user's import may raise anything, even exit()
        del sys.modules[name]
        raise OspInputError(f"user model file {path_text!r}: importing it raised {_one_line(err)}") from None
    return module


def _import_module(dotted: str) -> Any:
    if not all(part.isidentifier() for part in dotted.split(".")):
        raise OspInputError(f"user model py:{dotted}: {dotted!r} is not a dotted module name")
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as err:
        if err.name and dotted.startswith(err.name):
            raise OspInputError(f"user model module {dotted!r} not found (is it installed or on PYTHONPATH?)") from None
        raise OspInputError(f"user model module {dotted!r}: importing it raised {_one_line(err)}") from None
    except (Exception, SystemExit) as err:  # noqa: BLE001
        raise OspInputError(f"user model module {dotted!r}: importing it raised {_one_line(err)}") from None


def _kwargs(factory: Callable, overrides: dict[str, str], spec: str) -> dict[str, Any]:
    """`--set` strings typed by the defaults of FACTORY's parameters."""
    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        params = {}
    out: dict[str, Any] = {}
    for key, text in overrides.items():
        param = params.get(key)
        if param is None or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            known = [p for p, v in params.items() if type(v.default) in (int, float, bool, str)]
            raise OspInputError(f"{spec}: --set {key}: the factory has no such parameter (settable: "
                                f"{', '.join(known) or 'none'})")
        kind = type(param.default).__name__
        if kind not in ("int", "float", "bool", "str"):
            raise OspInputError(f"{spec}: --set {key}: only parameters with an int, float, bool or str default "
                                "can be set")
        out[key] = parse_scalar(text, kind, f"{spec} --set {key}")
    return out


def _check_contract(osp: OSP, spec: str, device: str) -> None:
    """One step of one token: logits (1, vocab_size), state tensors listed as StateTensors."""
    vocab = getattr(osp, "vocab_size", None)
    if not isinstance(vocab, int) or isinstance(vocab, bool) or vocab < 2:
        raise OspInputError(f"{spec}: the OSP's vocab_size must be an int >= 2, got {vocab!r}")
    try:
        with torch.no_grad():
            state, logits = osp.step(osp.init_state(1), torch.zeros(1, dtype=torch.long, device=device))
            tensors = osp.state_tensors(state)
    except Exception as err:  # noqa: BLE001 - the user's step may raise anything
        raise OspInputError(f"{spec}: the OSP's first step raised {_one_line(err)}") from None
    if not isinstance(logits, torch.Tensor) or tuple(logits.shape) != (1, vocab):
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
        raise OspInputError(f"{spec}: step must return logits of shape (B, vocab_size) = (1, {vocab}), got {shape}")
    if not isinstance(tensors, list) or not all(isinstance(t, StateTensor) for t in tensors):
        raise OspInputError(f"{spec}: state_tensors must return a list of osp.runtime.contract.StateTensor")


def build_user_osp(spec: str, overrides: dict[str, str] | None = None, device: str = "cpu") -> OSP:
    """Import the file or module `spec` names, call its FACTORY with the typed overrides, check the result."""
    check_device(device)
    target, factory_name = _split(spec)
    if target.startswith(PY_PREFIX):
        module = _import_module(target[len(PY_PREFIX):])
    else:
        module = _import_file(target)
    factory = getattr(module, factory_name, None)
    if factory is None:
        raise OspInputError(f"{spec}: {target!r} has no attribute {factory_name!r}")
    if not callable(factory):
        raise OspInputError(f"{spec}: {factory_name!r} is a {type(factory).__name__}, not a callable factory")
    kwargs = _kwargs(factory, dict(overrides or {}), spec)
    try:
        osp = factory(**kwargs)
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the user's factory may raise anything
        raise OspInputError(f"{spec}: {factory_name}() raised {_one_line(err)}") from None
    if not isinstance(osp, OSP):
        raise OspInputError(f"{spec}: {factory_name}() returned a {type(osp).__name__}, not an "
                            "osp.runtime.contract.OSP (see docs/user_models.md)")
    if isinstance(osp, torch.nn.Module):
        osp = osp.to(device).eval()
    elif device != "cpu":
        raise OspInputError(f"{spec}: the OSP is not a torch.nn.Module, so it cannot be moved to {device}")
    _check_contract(osp, spec, device)
    if getattr(osp, "name", OSP.name) == OSP.name:
        osp.name = spec
    return osp


def _one_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__
