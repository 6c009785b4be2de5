"""One home for defaults: every function that takes a timeout, a seed or a draw count
defaults to osp.settings.DEFAULTS, so a direct call draws what `osp prove` draws."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from osp.checks import covering, cvc5_backend, divisions, mutant_runner, runner, z3_backend
from osp.cli import build_parser
from osp.infotheory import validate
from osp.proofs.evidence import Context
from osp.settings import DEFAULTS, Settings


def _default(fn, name):
    return inspect.signature(fn).parameters[name].default


def test_every_default_comes_from_the_settings():
    for fn in (runner.run, z3_backend.check, cvc5_backend.check, mutant_runner.run_mutant, mutant_runner.run_all):
        assert _default(fn, "timeout_ms") == DEFAULTS.timeout_ms, fn
    assert _default(divisions.unguarded, "timeout_ms") == DEFAULTS.precheck_timeout_ms
    for fn in (validate.validate_lemma, validate.validate_broken, mutant_runner.run_all):
        assert (_default(fn, "draws"), _default(fn, "seed")) == (DEFAULTS.draws, DEFAULTS.seed), fn
    for fn in (covering.volume_scaling, covering.covering_count):
        assert (_default(fn, "draws"), _default(fn, "seed")) == (DEFAULTS.sampler_draws, DEFAULTS.seed), fn
    ctx = Context()
    assert (ctx.timeout_ms, ctx.draws, ctx.seed) == (DEFAULTS.timeout_ms, DEFAULTS.draws, DEFAULTS.seed)


def _drawn(v):
    return v.passed, v.total, v.worst_slack, v.counterexample


def test_a_direct_validation_draws_what_prove_draws():
    ctx = Context()
    direct = _drawn(validate.validate_lemma("fano"))
    assert direct == _drawn(validate.validate_lemma("fano", ctx.draws, ctx.seed))
    assert direct != _drawn(validate.validate_lemma("fano", ctx.draws, ctx.seed + 1))  # the seed matters


def test_cli_defaults_are_the_settings():
    args = build_parser().parse_args(["prove"])
    assert (int(args.timeout_ms), int(args.draws), int(args.seed)) == (DEFAULTS.timeout_ms, DEFAULTS.draws,
                                                                       DEFAULTS.seed)
    args = build_parser().parse_args(["prove", "--seed", "7", "--draws", "3"])
    assert (args.seed, args.draws) == ("7", "3")


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.seed = 1  # type: ignore[misc]
    assert Settings(seed=1).seed == 1 and DEFAULTS.seed != 1
