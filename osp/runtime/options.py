"""Command-line options shared by every model kind: typed `--set` values and `--device`."""

from __future__ import annotations

import math
import re

from osp.errors import OspInputError

#: the most parameters (and buffers) a model built from the command line may have
MAX_PARAMS = 2 ** 27  # 128 Mi parameters, 512 MiB in float32

_INT = re.compile(r"[+-]?\d+")  # stricter than int(): no "1_024", no non-ASCII digits
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def parse_scalar(text: str, type_name: str, where: str) -> int | float | bool | str:
    """`text` as an int, float, bool or str config value; other types -> OspInputError naming `where`."""
    if type_name == "str":  # a choice such as feature_map; the config's own check validates it
        return text
    if type_name == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise OspInputError(f"{where}: expected a boolean (true/false), got {text!r}")
    if type_name == "int":
        if not _INT.fullmatch(text):
            raise OspInputError(f"{where}: expected an integer, got {text!r}")
        return int(text)
    if type_name == "float":
        try:
            value = float(text)
        except ValueError:
            raise OspInputError(f"{where}: expected a number, got {text!r}") from None
        if not math.isfinite(value):
            raise OspInputError(f"{where}: expected a finite number, got {text!r}")
        return value
    raise OspInputError(f"{where}: a {type_name} field cannot be set; only int, float, bool and str fields can")


def check_device(device: str) -> None:
    """cpu, cuda or cuda:N, and a CUDA device must exist for the latter."""
    if not re.fullmatch(r"cpu|cuda(:\d+)?", device):
        raise OspInputError(f"--device {device!r}: expected cpu, cuda or cuda:N")
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise OspInputError(f"--device {device}: no CUDA device is available to this torch build")
