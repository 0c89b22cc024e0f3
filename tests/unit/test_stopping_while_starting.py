"""A Ctrl-C while `netra-stack run` starts ends the start-up at a safe point, never inside a step."""

import threading
import time

import pytest
from netra_stack import processes
from netra_stack.processes import StopRequested, wait_until


@pytest.fixture(autouse=True)
def _no_stop_left():
    yield
    processes.stop_requested.clear()


def test_a_wait_that_keeps_trying_through_errors_still_stops_when_asked():
    tries = []

    def failing_check():
        tries.append(1)
        raise ConnectionError("not yet")

    threading.Timer(0.3, processes.stop_requested.set).start()
    started = time.monotonic()
    with pytest.raises(StopRequested):
        wait_until(failing_check, timeout=30, interval=0.2, what="something that never answers")
    assert time.monotonic() - started < 5  # at the next try, not at the end of the 30 s
    assert tries  # it was trying until then


def test_a_stop_is_not_taken_for_a_failed_try():
    # An `except Exception` around a step (as wait_until's own) must not swallow the stop.
    assert not issubclass(StopRequested, Exception)
    processes.stop_requested.set()
    with pytest.raises(StopRequested):
        processes.stop_if_requested()


def test_with_no_stop_asked_a_wait_ends_when_its_check_holds():
    answers = iter([False, False, True])
    assert wait_until(lambda: next(answers), timeout=5, interval=0.01) is True
