"""The hang guard shared by the hostile-input tests.

``deadline`` (a fixture, since tests import no helper modules: pytest runs in importlib mode) gives a
context manager that fails the test with ``TimeoutError`` if its block runs longer than ``seconds``
(default 60 s): a guard against a hang or unbounded work (a FIFO that never answers, a loop over
10^8 items), not a speed test. There is deliberately no assertion on the wall time afterwards: on a
loaded shared machine that would flake; speed is measured in ``benchmarks/``.
"""

import contextlib
import signal

import pytest

HANG_S = 60


@contextlib.contextmanager
def _deadline(seconds: float = HANG_S):
    def on_alarm(*_):
        raise TimeoutError(f"took over {seconds} s (hang guard)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def deadline():
    """``with deadline():`` fails with ``TimeoutError`` after 60 s (or ``deadline(seconds)``)."""
    return _deadline
