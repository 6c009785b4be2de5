"""`osp audit` as a straight flow: read -> a typed Claim -> verdict -> (the command renders it).

claim.py parses and validates every field once; verdict.py decides the claim
at its length with certified arithmetic; lengths.py searches or proves a
claim made at every length. Rendering lives in osp/render/audit.py.
"""

from __future__ import annotations

from osp.registry.claim import Claim, parse_claim, read_claim
from osp.registry.lengths import audit_every_length
from osp.registry.verdict import Verdict, decide, proof_nodes
from osp.status import Status

__all__ = ["Claim", "Verdict", "audit", "proof_nodes", "read_claim"]


def audit(data: dict, registry=None) -> Verdict:
    claim = parse_claim(data, registry)
    verdict = decide(claim)
    if claim.all_lengths and verdict.status is Status.CONSISTENT:
        return audit_every_length(claim, verdict, verdict.notes["state_growth"])
    return verdict
