"""`osp prove`: evaluate the whole proof graph (and, with --mutants, its broken variants)."""

from __future__ import annotations

import time

from osp.commands.common import add_json_flag, emit_json, integer_arg
from osp.errors import EXIT_FAILED, EXIT_OK

SUMMARY_KEYS = ("proved", "cited-validated", "defined", "open", "refuted", "unknown")


def register(sub) -> None:
    p = sub.add_parser("prove", help="check every node of the proof graph")
    add_json_flag(p)
    p.add_argument("--timeout-ms", default="5000", help="per-obligation solver timeout (default 5000)")
    p.add_argument("--draws", default="200", help="numeric validation draws per cited lemma (default 200; the costlier "
                   "covering samplers take at most 20)")
    p.add_argument("--seed", default="20260505", help="seed of the numeric validation (default 20260505)")
    p.add_argument("--mutants", action="store_true", help="also run every broken variant and print the kill rate")
    p.set_defaults(func=run)


def _detail(res) -> str:
    d = res.own.detail
    if "validations" in d:
        return ", ".join(f"{v['lemma']} {v['passed']}/{v['total']} draws" for v in d["validations"])
    if "obligations" in d:
        return ", ".join(f"{o['id']} z3={o['z3']['verdict']} {o['second']['method']}={o['second']['verdict']}"
                         for o in d["obligations"])
    if "reason" in d:
        return d["reason"]
    return ""


def evaluate(timeout_ms: int, draws: int, seed: int):
    from osp.proofs.evidence import Context
    from osp.proofs.graph import load_graph
    graph = load_graph()
    return graph, graph.evaluate(Context(timeout_ms=timeout_ms, draws=draws, seed=seed))


def node_json(res) -> dict:
    n = res.node
    return {"id": n.id, "kind": n.kind, "title": n.title, "status": res.status, "own_status": res.own.status,
            "checker": res.own.checker, "seconds": round(res.own.seconds, 6), "uses": list(n.uses),
            "statement_uses": list(n.statement_uses), "proof_uses": list(n.proof_uses),
            "blocked_by": res.blocked_by, "statement": str(n.statement), "detail": res.own.detail}


def summarize(results) -> dict:
    summary = {k: 0 for k in SUMMARY_KEYS}
    for res in results.values():
        summary[res.status] = summary.get(res.status, 0) + 1
    summary["total"] = len(results)
    return summary


def run(args) -> int:
    timeout_ms = integer_arg(args.timeout_ms, "--timeout-ms")
    draws = integer_arg(args.draws, "--draws")
    seed = integer_arg(args.seed, "--seed", 0)
    t0 = time.perf_counter()
    _, results = evaluate(timeout_ms, draws, seed)
    summary = summarize(results)
    mutants = None
    if args.mutants:
        from osp.checks import mutation
        mutants = mutation.run_all(timeout_ms, draws, seed)
    failed = summary["refuted"] or summary["unknown"] or (mutants and mutants["unexpected"])
    if args.json:
        out = {"nodes": [node_json(r) for r in results.values()], "summary": summary,
               "seconds": round(time.perf_counter() - t0, 3)}
        if mutants is not None:
            out["mutants"] = mutants
        emit_json(out)
    else:
        _print_table(results)
        if mutants is not None:
            _print_mutants(mutants)
        parts = ", ".join(f"{summary[k]} {k}" for k in SUMMARY_KEYS)
        print(f"{summary['total']} nodes: {parts} ({time.perf_counter() - t0:.2f} s)")
        if summary["open"]:
            print("open nodes are statements nobody has proved; nothing resting on them counts as checked")
    return EXIT_FAILED if failed else EXIT_OK


def _print_table(results) -> None:
    rows = [(r.node.id, r.node.kind, r.status, r.own.checker, f"{r.own.seconds * 1000:.0f} ms", _detail(r))
            for r in results.values()]
    widths = [max(len(row[i]) for row in rows + [("id", "kind", "status", "checker", "time", "")])
              for i in range(5)]
    head = ("id", "kind", "status", "checker", "time")
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  evidence")
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5])
        r = results[row[0]]
        if r.blocked_by and r.status != r.own.status:
            print(" " * (widths[0] + 2) + f"(own evidence {r.own.status}; rests on unchecked {', '.join(r.blocked_by)})")


def _print_mutants(m: dict) -> None:
    print()
    print(f"{'mutant of':24s} {'variant':48s} verdict")
    for row in m["mutants"]:
        note = "" if row["verdict"] == row["expected"] else f"   (expected {row['expected']})"
        print(f"{row['obligation']:24s} {row['name'][:48]:48s} {row['verdict']}{note}")
    print(f"mutants: {m['killed']}/{m['total']} refuted (kill rate {m['kill_rate']:.0%}), "
          f"{m['unknown']} unknown (only a zero denominator falsifies them), {m['survived']} survived, "
          f"{m['unexpected']} not as expected")
