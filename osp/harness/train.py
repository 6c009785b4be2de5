"""Train a model on MQAR: AdamW, linear warmup then cosine decay, gradient clipping.

The loss and the logits exist only where they are scored: at the query steps,
over the value alphabet (`OSP.query_logits` applies a model's head there alone).
zoology computes full-vocabulary logits at every position, most of its time
on a CPU. One model learns a mixture of the requested pair counts (step k
uses pairs[k mod len(pairs)]), every step on a fresh batch; early stopping
checks the validation split, never the test split. Models without trainable
parameters (the witnesses) are evaluated as they are.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field

import torch
from tqdm import tqdm

from osp import mqar
from osp.harness.data import Task, default_length
from osp.runtime.contract import OSP


@dataclass(frozen=True)
class TrainConfig:
    pairs: tuple[int, ...] = (4,)
    length: int | None = None  # default max(64, 4 max N)
    layout: str = "paper"  # or "zoology"
    num_values: int | None = None  # V (paper layout; default vocab_size // 2)
    batch_size: int = 64
    steps: int = 2000  # most optimiser steps (ignored when `tokens` is set)
    tokens: int | None = None  # a training-token budget instead of `steps`
    lr: float = 3e-3
    weight_decay: float = 0.1
    warmup_steps: int = 50
    min_lr_ratio: float = 0.1  # cosine decay ends at lr * min_lr_ratio
    grad_clip: float = 1.0
    target_accuracy: float | None = None  # stop once validation accuracy reaches it
    eval_every: int = 50
    validation_examples: int = 256  # per pair count
    seed: int = 0
    threads: int = 1
    device: str = "cpu"

    def __post_init__(self):
        checks = {"batch_size": self.batch_size >= 1, "steps": self.steps >= 0, "lr": self.lr > 0,
                  "weight_decay": self.weight_decay >= 0, "warmup_steps": self.warmup_steps >= 0,
                  "grad_clip": self.grad_clip > 0, "eval_every": self.eval_every >= 1, "threads": self.threads >= 1,
                  "validation_examples": self.validation_examples >= 2, "min_lr_ratio": 0 <= self.min_lr_ratio <= 1}
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"{name} out of range: {getattr(self, name)}")
        if self.tokens is not None and self.tokens < 1:
            raise ValueError(f"tokens must be >= 1, got {self.tokens}")
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise ValueError(f"target accuracy must lie in (0, 1], got {self.target_accuracy}")

    @property
    def run_length(self) -> int:
        return self.length if self.length is not None else default_length(self.pairs)

    def total_steps(self) -> int:
        if self.tokens is None:
            return self.steps
        return max(1, math.ceil(self.tokens / (self.batch_size * self.run_length)))

    def to_json(self) -> dict:
        return {**dataclasses.asdict(self), "pairs": list(self.pairs), "length": self.run_length}


@dataclass(frozen=True)
class TrainResult:
    model: str
    config: TrainConfig
    trained: bool  # False for a model without trainable parameters
    steps: int
    seconds: float
    seconds_to_target: float | None
    train_tokens_per_second: float | None
    accuracy: float  # validation, argmax over the value alphabet, mean over pair counts
    accuracy_by_pairs: dict[int, float]
    loss: float | None
    provenance: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"model": self.model, "config": self.config.to_json(), "trained": self.trained, "steps": self.steps,
                "seconds": round(self.seconds, 3),
                "seconds_to_target": None if self.seconds_to_target is None else round(self.seconds_to_target, 3),
                "train_tokens_per_second": self.train_tokens_per_second, "accuracy": self.accuracy,
                "accuracy_by_pairs": {str(n): a for n, a in self.accuracy_by_pairs.items()},
                "accuracy_is": "argmax over the value alphabet, validation split", "loss": self.loss,
                "provenance": self.provenance}


def make_task(model: OSP, pairs, length: int, layout: str = "paper", num_values: int | None = None) -> Task:
    """The task a model is scored on: a witness reads the paper layout over its own
    key alphabet K(N) (so its state is what the theorem assumes at every N)."""
    if model.logits_over_values:
        if layout != "paper":
            raise ValueError(f"{model.name} answers in values and reads the paper layout only")
        V = model.value_alphabet
        if num_values is not None and num_values != V:
            raise ValueError(f"{model.name} has a fixed value alphabet V = {V}, got {num_values}")
        layouts = {n: mqar.paper_layout(V, model.key_alphabet(n)) for n in pairs}
    else:
        one = mqar.layout_for(layout, model.vocab_size, num_values)
        layouts = {n: one for n in pairs}
    return Task(tuple(sorted(layouts.items())), tuple(pairs), length)


def value_logits(model: OSP, batch: mqar.MqarBatch) -> torch.Tensor:
    """(B, N, V) logits at the queries over the value alphabet."""
    if model.logits_over_values:
        _, logits = model.decode(batch.tokens)
        return mqar.query_value_logits(logits, batch, over_values=True)
    columns = batch.layout.value_tokens.to(batch.tokens.device)
    return model.query_logits(batch.tokens, batch.query_positions, columns)


def trainable_parameters(model: OSP) -> list[torch.nn.Parameter]:
    params = model.parameters() if isinstance(model, torch.nn.Module) else []
    return [p for p in params if p.requires_grad]


@torch.no_grad()
def accuracy_by_pairs(model: OSP, task: Task, split: str, seed: int, examples: int, device: str) -> dict[int, float]:
    out = {}
    for n in task.pairs:
        wrong = total = 0.0
        for b in task.examples(split, seed, n, examples):
            b = b.to(device)
            wrong += float(mqar.error_fractions(value_logits(model, b), b).sum())
            total += b.tokens.shape[0]
        out[n] = 1.0 - wrong / total
    return out


def lr_at(step: int, total: int, config: TrainConfig) -> float:
    warm = min(config.warmup_steps, max(total // 10, 1))
    if step < warm:
        return config.lr * (step + 1) / warm
    progress = (step - warm) / max(1, total - warm)
    return config.lr * (config.min_lr_ratio + (1 - config.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def make_optimizer(params, config: TrainConfig) -> torch.optim.AdamW:
    decay = [p for p in params if p.ndim >= 2]  # matrices decay; gains, biases and 1-D tables do not
    rest = [p for p in params if p.ndim < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": config.weight_decay},
                              {"params": rest, "weight_decay": 0.0}], lr=config.lr, betas=(0.9, 0.98))


def optimizer_step(opt: torch.optim.Optimizer, params, loss: torch.Tensor, lr: float, grad_clip: float) -> None:
    """Backward, clip the global gradient norm, set the learning rate, step."""
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, grad_clip)
    for group in opt.param_groups:
        group["lr"] = lr
    opt.step()


def train(model: OSP, config: TrainConfig, *, progress: bool = True, task: Task | None = None) -> TrainResult:
    """Train in place; returns what happened. `progress` draws a bar on stderr."""
    torch.set_num_threads(config.threads)
    task = task or make_task(model, config.pairs, config.run_length, config.layout, config.num_values)
    params = trainable_parameters(model)
    start = time.perf_counter()
    if not params:
        if isinstance(model, torch.nn.Module):
            model.eval()
        acc = accuracy_by_pairs(model, task, "validation", config.seed, config.validation_examples, config.device)
        return TrainResult(model.name, config, False, 0, time.perf_counter() - start, None, None,
                           sum(acc.values()) / len(acc), acc, None)
    total = config.total_steps()
    opt = make_optimizer(params, config)
    torch.manual_seed(config.seed)  # anything a model draws while training (none of the references do)
    bar = tqdm(total=total, file=sys.stderr, disable=not progress, unit="step", dynamic_ncols=True)
    train_seconds, tokens, step, loss_value, reached = 0.0, 0, 0, None, None
    acc: dict[int, float] = {}
    for step in range(total):
        model.train()
        batch = task.batch("train", config.seed, step, task.pairs[step % len(task.pairs)], config.batch_size)
        batch = batch.to(config.device)
        t0 = time.perf_counter()
        loss = mqar.value_loss(value_logits(model, batch), batch)
        optimizer_step(opt, params, loss, lr_at(step, total, config), config.grad_clip)
        train_seconds += time.perf_counter() - t0
        tokens += batch.tokens.numel()
        loss_value = float(loss.detach())
        bar.update(1)
        if (step + 1) % config.eval_every == 0 or step + 1 == total:
            model.eval()
            acc = accuracy_by_pairs(model, task, "validation", config.seed, config.validation_examples, config.device)
            mean_acc = sum(acc.values()) / len(acc)
            bar.set_postfix(loss=f"{loss_value:.3f}", acc=f"{mean_acc:.3f}", tok_s=f"{tokens / train_seconds:.0f}")
            if config.target_accuracy is not None and mean_acc >= config.target_accuracy:
                reached = time.perf_counter() - start
                break
    bar.close()
    model.eval()
    if total == 0:  # --steps 0: the model as initialised
        step = -1
        acc = accuracy_by_pairs(model, task, "validation", config.seed, config.validation_examples, config.device)
    return TrainResult(model.name, config, True, step + 1, time.perf_counter() - start, reached,
                       tokens / train_seconds if train_seconds > 0 else None, sum(acc.values()) / len(acc), acc,
                       loss_value)
