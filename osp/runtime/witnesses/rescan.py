"""W2 rescan: a tape OSP with no carried state (docs/theory.md sections 1, 6).

How the tape is modelled. The tape is the raw input prefix x_1 .. x_{t-1}:
an external, read-only `Tape` object that the input stream (not the
processor) extends by one cell after each step. The processor reaches it
only through `Tape.read(pos)`, which counts one unit per read and returns a
sentinel past the prefix. The tape is *not* state: `state_tensors` lists
nothing, so the measured state is 0 bits. The clock (the tape's length, the
step index t) is free, as docs/theory.md allows.

At a step reading key k the witness scans the tape from the start for k and
outputs the next cell: exact recall (R) with 0 bits of state (C), but a
query costs Theta(t) reads (not E). Theorem 1 does not apply: it is about
pure OSPs.
"""

from __future__ import annotations

from dataclasses import dataclass

from osp.runtime.witnesses._base import WordRamWitness

SENTINEL = -1


class Tape:
    """The raw prefix; reads are counted on the witness that owns the counter."""

    def __init__(self, counter: "Rescan"):
        self._cells: list[int] = []
        self._counter = counter

    def __len__(self) -> int:  # the clock: free
        return len(self._cells)

    def read(self, pos: int) -> int:
        self._counter.tape_reads += 1
        return self._cells[pos] if 0 <= pos < len(self._cells) else SENTINEL

    def _extend(self, tok: int) -> None:
        """Done by the input stream after the step; not a processor action."""
        self._cells.append(tok)


@dataclass(frozen=True)
class RescanConfig:
    num_values: int = 16

    def __post_init__(self):
        if self.num_values < 2:
            raise ValueError(f"num_values must be >= 2, got {self.num_values}")


class Rescan(WordRamWitness):
    name = "rescan"
    is_tape = True

    def __init__(self, config: RescanConfig = RescanConfig()):
        super().__init__(config.num_values)
        self.config = config

    def init_state(self, batch):
        return {"tapes": [Tape(self) for _ in range(batch)]}

    def step(self, state, tokens):
        answers = []
        for tape, tok in zip(state["tapes"], tokens.tolist()):
            answer = None
            self.op()  # classify the token
            if self.is_key(tok):
                pos = 0
                while pos < len(tape):
                    self.op()  # compare
                    if tape.read(pos) == tok:
                        nxt = tape.read(pos + 1)
                        self.op()  # classify the next cell
                        if self.is_value(nxt):
                            answer = nxt - 1
                            self.op()  # emit
                            break
                    pos += 1
            answers.append(answer)
            tape._extend(tok)
        return state, self.answer_logits(answers)

    def state_tensors(self, state):
        return []  # nothing is carried: the tape is input, not state


def build(config: RescanConfig = RescanConfig()) -> Rescan:
    return Rescan(config)
