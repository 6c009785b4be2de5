"""The one status vocabulary: every answer osp gives is one of these.

Proof nodes and obligations are proved / refuted / unknown (plus defined,
cited-validated and open for nodes); claims are consistent / refuted /
undecided; measurements against a bound hold / are violated / are
inconclusive (a vacuous check holds and says so). Each status has a rank:
0 passes, 1 is open (a statement nobody proved), 2 is "could not decide",
3 is a refutation. `worst` folds by rank, so one rule decides exit codes,
summaries and what shows through the proof graph.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable


class Status(str, Enum):
    DEFINED = "defined"
    PROVED = "proved"
    CITED_VALIDATED = "cited-validated"
    CONSISTENT = "consistent"
    HOLDS = "holds"
    VACUOUS = "vacuous"
    OPEN = "open"
    UNKNOWN = "unknown"
    UNDECIDED = "undecided"
    INCONCLUSIVE = "inconclusive"
    REFUTED = "refuted"
    VIOLATED = "violated"

    def __str__(self) -> str:  # f-strings and JSON show the plain word
        return self.value

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def passes(self) -> bool:
        return self.rank == 0

    @property
    def exit_code(self) -> int:
        """0 when it passes, 1 otherwise (2 and 3 are reserved for bad input and internal errors)."""
        return 0 if self.passes else 1


_RANK = {
    Status.DEFINED: 0, Status.PROVED: 0, Status.CITED_VALIDATED: 0, Status.CONSISTENT: 0,
    Status.HOLDS: 0, Status.VACUOUS: 0,
    Status.OPEN: 1,
    Status.UNKNOWN: 2, Status.UNDECIDED: 2, Status.INCONCLUSIVE: 2,
    Status.REFUTED: 3, Status.VIOLATED: 3,
}


def worst(statuses: Iterable[Status | str], default: Status = Status.PROVED) -> Status:
    """The highest-ranked status (the first seen among equals); `default` when there are none."""
    out = None
    for s in statuses:
        s = Status(s)
        if out is None or s.rank > out.rank:
            out = s
    return default if out is None else out
