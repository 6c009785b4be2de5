"""A hard wall-clock budget for sympy work on user-supplied expressions.

sympy's Gruntz limit can loop for a very long time on innocent-looking
input (issue 5: `log(L^2) - 2*log(L) + 1` never returned). Every limit or
classification of a user expression runs under `time_budget`, which turns
an overrun into a one-line OspInputError naming what was being computed.

The budget uses SIGALRM via `setitimer`, so it works only in the main
thread of a process on a platform with SIGALRM. Elsewhere (a worker thread,
Windows) or when a timer is already running (nesting, pytest-timeout), the
work runs without a budget rather than clobbering the other timer.
"""

from __future__ import annotations

import contextlib
import signal
import threading

from osp.errors import OspInputError

#: seconds allowed for one classification (or one positivity decision) of a user expression
SECONDS = 10.0


class _Overrun(BaseException):
    # BaseException: sympy code catches Exception in places and must not swallow the overrun
    pass


def _available() -> bool:
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextlib.contextmanager
def time_budget(what: str, detail=None, seconds: float | None = None):
    """Run the body under a wall-clock budget; an overrun raises
    OspInputError("cannot <what> within N s: <detail>"). `detail` is a zero-argument
    callable, called only on an overrun (printing an expression costs time)."""
    seconds = SECONDS if seconds is None else seconds
    if not _available():
        yield
        return
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise _Overrun()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Overrun:
        text = detail() if detail is not None else ""
        tail = f": {text[:120]}" if text else ""
        raise OspInputError(f"cannot {what} within {seconds:g} s{tail}") from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
