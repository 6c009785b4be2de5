"""The one home of osp's defaults: solver timeout, validation seed and draws.

Every function that takes one of these as an argument defaults to the value
here, and every CLI flag that overrides one shows it as its default, so a
direct call (`validate_lemma("fano")`, `covering.volume_scaling()`) draws the
same samples as `osp prove` does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    #: per-obligation solver timeout (z3, cvc5), in milliseconds
    timeout_ms: int = 5000
    #: seed of every fixed-seed numeric validation
    seed: int = 20260505
    #: draws per cited lemma's numeric validation
    draws: int = 200
    #: draws given to the costlier covering samplers (never more than `draws`)
    sampler_draws: int = 20
    #: z3 timeout of the precheck that every division in an obligation is guarded, in milliseconds
    precheck_timeout_ms: int = 2000


DEFAULTS = Settings()
