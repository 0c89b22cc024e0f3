"""Polling helpers: the system is asynchronous, so tests wait for an outcome, with a deadline."""

from __future__ import annotations

import time


def eventually(check, timeout: float = 30.0, interval: float = 0.2, message: str = "condition"):
    """Return check()'s first truthy value; fail with the last value/error after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as exc:  # noqa: BLE001 - not there yet; reported if it never is
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last: {last!r}")


def stays(check, duration: float = 2.0, interval: float = 0.2) -> None:
    """Assert that check() stays truthy for `duration` (something must NOT happen)."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        assert check(), "condition stopped holding"
        time.sleep(interval)
