"""`osp prove`: evaluate the whole proof graph (and, with --mutants, its broken variants)."""

from __future__ import annotations

import time

from osp.commands.common import add_json_flag, emit_json, integer_arg
from osp.errors import EXIT_FAILED, EXIT_OK
from osp.settings import DEFAULTS
from osp.status import Status


def register(sub) -> None:
    p = sub.add_parser("prove", help="check every node of the proof graph")
    add_json_flag(p)
    p.add_argument("--timeout-ms", default=str(DEFAULTS.timeout_ms),
                   help=f"per-obligation solver timeout (default {DEFAULTS.timeout_ms})")
    p.add_argument("--draws", default=str(DEFAULTS.draws),
                   help=f"numeric validation draws per cited lemma (default {DEFAULTS.draws}; the costlier "
                   f"covering samplers take at most {DEFAULTS.sampler_draws})")
    p.add_argument("--seed", default=str(DEFAULTS.seed), help=f"seed of the numeric validation (default {DEFAULTS.seed})")
    p.add_argument("--mutants", action="store_true", help="also run every broken variant and print the kill rate")
    p.set_defaults(func=run)


def evaluate(timeout_ms: int, draws: int, seed: int):
    from osp.proofs.evidence import Context
    from osp.proofs.nodes import load_graph
    graph = load_graph()
    return graph, graph.evaluate(Context(timeout_ms=timeout_ms, draws=draws, seed=seed))


def run(args) -> int:
    # the graph, the solvers and the samplers load for this command only: every `osp` call registers it
    from osp.checks import mutant_runner
    from osp.render import prove as render

    timeout_ms = integer_arg(args.timeout_ms, "--timeout-ms")
    draws = integer_arg(args.draws, "--draws")
    seed = integer_arg(args.seed, "--seed", 0)
    t0 = time.perf_counter()
    _, results = evaluate(timeout_ms, draws, seed)
    mutants = mutant_runner.run_all(timeout_ms, draws, seed) if args.mutants else None
    # an open node fails nothing by itself: what rests on it shows "open", never "proved"
    failed = any(r.status in (Status.REFUTED, Status.UNKNOWN) for r in results.values()) \
        or (mutants and mutants["unexpected"])
    if args.json:
        emit_json(render.to_json(results, mutants, time.perf_counter() - t0))
    else:
        print(render.text(results, mutants, time.perf_counter() - t0))
    return EXIT_FAILED if failed else EXIT_OK
