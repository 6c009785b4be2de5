"""Hugging Face transformers causal LMs run as Online Sequence Processors.

`build_hf_osp("llama", {"hidden_size": "128"})` builds a model from a tiny config
(osp/runtime/hf_families.py) with random weights from a fixed seed: no hub
download, ever. Decoding feeds one token per step with the family's own cache
object passed back and `position_ids` passed explicitly (Bamba and MiniMax drift
without it); `state_tensors` walks that cache (osp/runtime/hf_cache.py).

transformers is the optional extra `osp[hf]`: this module imports without it,
and building a model without it is a clear input error.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
from dataclasses import dataclass
from typing import Any

import torch

from osp.errors import OspInputError
from osp.runtime.contract import OSP, StateTensor
from osp.runtime.hf_cache import cache_state_tensors
from osp.runtime.hf_families import HF_FAMILIES, SEED, HFFamily, family, import_transformers
from osp.runtime.hf_overrides import check_family_rules, check_size, parse_overrides, with_layer_pattern
from osp.runtime.options import check_device

__all__ = ["HF_FAMILIES", "HFState", "HFOSP", "build_hf_osp", "parse_overrides"]

# The attention and MoE kernels used everywhere (see hf_families.py for why).
ATTN_IMPLEMENTATION = "eager"
EXPERTS_IMPLEMENTATION = "eager"



@dataclass
class HFState:
    """The family's cache object plus the step clock.

    `cache` is None before the first token: transformers allocates most caches
    lazily, so a fresh state holds 0 bits until the first step. For families
    decoded one row at a time (RWKV) it is a tuple of per-row caches.
    `modules` holds state that a family keeps on its modules instead of in the
    cache (RecurrentGemma's conv windows and RG-LRU states), copied out after
    every step. `position` is the clock (free in docs/theory.md section 1, never
    counted as state).
    """

    cache: Any
    position: int
    batch: int
    modules: tuple[torch.Tensor, ...] | None = None


class HFOSP(torch.nn.Module, OSP):
    """A transformers causal LM as an OSP. Batch-first token ids; float32 logits (B, V).

    `step` updates the cache object in place (transformers caches are mutable),
    so `mutates_state` is True: use `clone_state` to branch a state. An
    nn.Module holding the transformers model, so the harness trains its
    parameters through `forward` (which keeps gradients when they are enabled).
    """

    mutates_state = True

    def __init__(self, family: HFFamily, model: torch.nn.Module, config: Any, device: str):
        super().__init__()
        self.family = family
        self.name = f"hf:{family.name}"
        self.model = model
        self.config = config
        self.device = torch.device(device)
        self.vocab_size = int(config.vocab_size)
        self.rows_apart = family.per_row
        params = inspect.signature(model.forward).parameters
        # transformers 5.25 renamed every cache argument and output field to `cache` (the old names
        # still work, with a deprecation warning); use whichever this release's forward takes.
        self.cache_keyword = "cache" if "cache" in params else family.cache_keyword
        # Positionless families (Mamba, RWKV, xLSTM) take no position_ids.
        self.takes_position_ids = "position_ids" in params
        self._keep_all_logits = {"logits_to_keep": 0} if "logits_to_keep" in params else {}

    # -- the OSP contract -------------------------------------------------
    def init_state(self, batch: int) -> HFState:
        if batch < 1:
            raise OspInputError(f"{self.name}: batch must be >= 1, got {batch}")
        if self.family.per_row:
            return HFState(cache=(None,) * batch, position=0, batch=batch)
        if self.family.name == "xlstm":
            from transformers.models.xlstm.modeling_xlstm import xLSTMCache

            # Pre-allocated so the state has its true size before the first token. The class default
            # dtype is bfloat16; float32 keeps step decoding equal to the forward.
            return HFState(xLSTMCache(self.config, batch, dtype=torch.float32, device=self.device), 0, batch)
        if self.family.module_state:
            from transformers import DynamicCache

            # The model only allocates its module-held states when no cache is passed, and then
            # does not return the cache: build both here and keep the module states in the state.
            modules = tuple(
                t
                for block in self._recurrent_blocks()
                for t in (
                    torch.zeros((batch, self.config.hidden_size, self.config.conv1d_width - 1), device=self.device),
                    torch.zeros((batch, self.config.lru_width), device=self.device),
                )
            )
            return HFState(DynamicCache(config=self.config), 0, batch, modules)
        return HFState(cache=None, position=0, batch=batch)

    @torch.no_grad()
    def step(self, state: HFState, tokens: torch.Tensor) -> tuple[HFState, torch.Tensor]:
        with _parameters_frozen(self.model):
            return self._step(state, tokens)

    def _step(self, state: HFState, tokens: torch.Tensor) -> tuple[HFState, torch.Tensor]:
        tokens = tokens.to(self.device).reshape(state.batch, 1)  # (B, 1)
        if self.family.per_row:
            # RWKV's one-token path mixes rows when B > 1 (its shifted state (B, D) broadcasts
            # against hidden (B, 1, D) to (B, B, D)): decode each row on its own.
            caches, rows = [], []
            for row, cache in enumerate(state.cache):
                cache, logits = self._call(cache, tokens[row : row + 1], state.position)
                caches.append(cache)
                rows.append(logits)
            new = HFState(cache=tuple(caches), position=state.position + 1, batch=state.batch)
            return new, torch.cat(rows, dim=0)
        if state.modules is not None:
            self._load_modules(state.modules)
        cache, logits = self._call(state.cache, tokens, state.position)
        modules = self._save_modules() if state.modules is not None else None
        return HFState(cache=cache, position=state.position + 1, batch=state.batch, modules=modules), logits

    def _call(self, cache: Any, tokens: torch.Tensor, position: int) -> tuple[Any, torch.Tensor]:
        """One token through the model: (cache after, logits (B, V))."""
        batch = tokens.shape[0]
        kwargs: dict[str, Any] = {"input_ids": tokens, "use_cache": True, **self._keep_all_logits}
        if cache is not None:
            kwargs[self.cache_keyword] = cache
        if self.takes_position_ids:
            kwargs["position_ids"] = torch.full((batch, 1), position, dtype=torch.long, device=self.device)
        out = self.model(**kwargs)
        new_cache = getattr(out, self.cache_keyword, None)
        if new_cache is None and self.family.module_state:
            new_cache = cache  # updated in place; RecurrentGemma does not return it
        if new_cache is None:
            raise RuntimeError(f"{self.name}: the model returned no cache under {self.cache_keyword!r}")
        return new_cache, out.logits[:, -1, :].float()

    def _recurrent_blocks(self) -> list[torch.nn.Module]:
        return [layer.temporal_block for layer in self.model.model.layers if hasattr(layer.temporal_block, "rg_lru")]

    def _load_modules(self, modules: tuple[torch.Tensor, ...]) -> None:
        for i, block in enumerate(self._recurrent_blocks()):
            block.conv1d_state, block.rg_lru.recurrent_states = modules[2 * i], modules[2 * i + 1]

    def _save_modules(self) -> tuple[torch.Tensor, ...]:
        return tuple(t for b in self._recurrent_blocks() for t in (b.conv1d_state, b.rg_lru.recurrent_states))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        tokens = tokens.to(self.device)  # (B, T)
        batch, length = tokens.shape
        kwargs: dict[str, Any] = {"input_ids": tokens, "use_cache": False, **self._keep_all_logits}
        if self.takes_position_ids:
            kwargs["position_ids"] = torch.arange(length, device=self.device).expand(batch, length)
        logits = self.model(**kwargs).logits.float()  # (B, T, V)
        if logits.shape != (batch, length, self.vocab_size):
            raise RuntimeError(
                f"{self.name}: forward gave logits {tuple(logits.shape)}, expected {(batch, length, self.vocab_size)}"
            )
        return logits

    def state_tensors(self, state: HFState) -> list[StateTensor]:
        if self.family.per_row:
            return [
                StateTensor(f"row{row}.{st.name}", st.tensor)
                for row, cache in enumerate(state.cache)
                for st in cache_state_tensors(cache, state.position)
            ]
        out = cache_state_tensors(state.cache, state.position)
        if state.modules is not None:
            # (conv window (B, hidden, width - 1), RG-LRU state (B, lru_width)) per recurrent block
            for i, t in enumerate(state.modules):
                out.append(StateTensor(f"blocks.{i // 2}.{'conv1d_state' if i % 2 == 0 else 'rg_lru_state'}", t))
        return out

    def clone_state(self, state: HFState) -> HFState:
        """An independent copy (a deep copy of a transformers cache replays bit for bit)."""
        return copy.deepcopy(state)


@contextlib.contextmanager
def _parameters_frozen(model: torch.nn.Module):
    """Parameters without requires_grad for one step (which never needs gradients).

    transformers 5.25 runs its conv update through a hub-kernel module whose
    inputs include a view of a weight taken under no_grad; torch's module
    tracker (inside FlopCounterMode) then fails to hook that view ("Expected
    gradient function to be set"). Training code that needs the flags gets them
    back on exit.
    """
    frozen = [p for p in model.parameters() if p.requires_grad]
    for p in frozen:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in frozen:
            p.requires_grad_(True)


def build_hf_osp(name: str, overrides: dict[str, str] | None = None, device: str = "cpu") -> HFOSP:
    """Build `hf:<family>` from its tiny config plus `overrides` (strings, as typed on the command line)."""
    fam = family(name)
    transformers = import_transformers()
    parsed = parse_overrides(fam.name, dict(overrides or {}))
    check_device(device)
    model_class = getattr(transformers, fam.model_class)
    try:
        config = getattr(transformers, fam.config_class)(**with_layer_pattern(fam.tiny, parsed))
        check_family_rules(fam, config)
        config._attn_implementation = ATTN_IMPLEMENTATION
        config._experts_implementation = EXPERTS_IMPLEMENTATION
        if parsed:
            check_size(fam, model_class, config, parsed)
    except OspInputError:
        raise
    except Exception as err:  # noqa: BLE001 - config validators raise several unrelated types
        if not parsed:
            raise
        raise OspInputError(f"hf:{fam.name}: config rejected the overrides {parsed}: {_first_line(err)}") from None
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        try:
            model = model_class(config)
        except Exception as err:  # noqa: BLE001
            if not parsed:
                raise
            raise OspInputError(
                f"hf:{fam.name}: the overrides {parsed} give a model that does not build: {_first_line(err)}"
            ) from None
    model = model.to(device=device, dtype=torch.float32).eval()
    osp = HFOSP(fam, model, config, device).eval()
    if parsed:
        _smoke_test(osp, parsed)
    return osp


def _smoke_test(osp: HFOSP, parsed: dict) -> None:
    """Overrides can give a config that builds but cannot run, or runs with no state; both are input errors."""
    tokens = torch.zeros((1, 2), dtype=torch.long)
    try:
        with torch.no_grad():
            osp.forward(tokens)
        state, _ = osp.step(osp.init_state(1), tokens[:, 0])
        bits = osp.state_bits(state)
    except Exception as err:  # noqa: BLE001 - whatever a broken config makes the model raise
        raise OspInputError(
            f"{osp.name}: the overrides {parsed} give a model that does not run: {_first_line(err)}"
        ) from None
    if bits == 0:  # every family holds state after its first token unless the overrides emptied it
        raise OspInputError(f"{osp.name}: the overrides {parsed} give a model that carries no state between tokens")


def _first_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else type(err).__name__
