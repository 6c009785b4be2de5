"""Text and JSON views of the proof graph's results (`osp prove`) and of the mutant run."""

from __future__ import annotations

from osp.status import Status

SUMMARY_KEYS = (Status.PROVED, Status.CITED_VALIDATED, Status.DEFINED, Status.OPEN, Status.REFUTED,
                Status.UNKNOWN)


def summarize(results) -> dict:
    summary = {str(k): 0 for k in SUMMARY_KEYS}
    for res in results.values():
        summary[str(res.status)] = summary.get(str(res.status), 0) + 1
    summary["total"] = len(results)
    return summary


def node_json(res) -> dict:
    n = res.node
    return {"id": n.id, "kind": n.kind, "title": n.title, "status": res.status, "own_status": res.own.status,
            "checker": res.own.checker, "seconds": round(res.own.seconds, 6), "uses": list(n.uses),
            "statement_uses": list(n.statement_uses), "proof_uses": list(n.proof_uses),
            "blocked_by": res.blocked_by, "statement": str(n.statement), "detail": res.own.detail}


def to_json(results, mutants: dict | None, seconds: float) -> dict:
    out = {"nodes": [node_json(r) for r in results.values()], "summary": summarize(results),
           "seconds": round(seconds, 3)}
    if mutants is not None:
        out["mutants"] = mutants
    return out


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


def table(results) -> str:
    rows = [(r.node.id, r.node.kind, str(r.status), r.own.checker, f"{r.own.seconds * 1000:.0f} ms", _detail(r))
            for r in results.values()]
    widths = [max(len(row[i]) for row in rows + [("id", "kind", "status", "checker", "time", "")])
              for i in range(5)]
    head = ("id", "kind", "status", "checker", "time")
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  evidence"]
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row[:5], widths)) + "  " + row[5])
        r = results[row[0]]
        if r.blocked_by and r.status != r.own.status:
            lines.append(" " * (widths[0] + 2)
                         + f"(own evidence {r.own.status}; rests on unchecked {', '.join(r.blocked_by)})")
    return "\n".join(lines)


def mutants_text(m: dict) -> str:
    lines = ["", f"{'mutant of':24s} {'variant':48s} verdict"]
    for row in m["mutants"]:
        note = "" if row["verdict"] == row["expected"] else f"   (expected {row['expected']})"
        lines.append(f"{row['obligation']:24s} {row['name'][:48]:48s} {row['verdict']}{note}")
    lines.append(f"mutants: {m['killed']}/{m['total']} refuted (kill rate {m['kill_rate']:.0%}), "
                 f"{m['unknown']} unknown (only a zero denominator falsifies them), {m['survived']} survived, "
                 f"{m['unexpected']} not as expected")
    return "\n".join(lines)


def text(results, mutants: dict | None, seconds: float) -> str:
    summary = summarize(results)
    parts = [table(results)]
    if mutants is not None:
        parts.append(mutants_text(mutants))
    counts = ", ".join(f"{summary[str(k)]} {k}" for k in SUMMARY_KEYS)
    parts.append(f"{summary['total']} nodes: {counts} ({seconds:.2f} s)")
    if summary["open"]:
        parts.append("open nodes are statements nobody has proved; nothing resting on them counts as checked")
    return "\n".join(parts)
