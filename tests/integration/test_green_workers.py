"""One worker waiting on PostgreSQL or S3 must not stall the others (eventlet's hub stays free)."""

from __future__ import annotations

import threading
import time

import requests

from tests.support.proxy import TcpProxy


def _latency_while(slow_call, fast_url: str, wait_before: float = 0.5) -> tuple[float, float, bool]:
    """Time a fast request made while `slow_call` is in progress; also return the slow one's time,
    and whether the service answered the fast one while the slow one was still going (if not, a
    quick answer would prove nothing)."""
    slow_time = {}

    def run_slow():
        slow_time["began"] = time.time()
        slow_call()
        slow_time["ended"] = time.time()

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(wait_before)
    started = time.monotonic()
    answer = requests.get(fast_url, timeout=10)
    fast = time.monotonic() - started
    assert answer.ok
    thread.join(30)
    overlapped = slow_time["began"] < answer.json()["at"] < slow_time["ended"]
    return fast, slow_time["ended"] - slow_time["began"], overlapped


def test_a_slow_sql_query_does_not_stall_other_workers(probe):
    fast, slow, overlapped = _latency_while(
        lambda: requests.get(f"{probe.url}/slow-sql", params={"seconds": 3}, timeout=30).raise_for_status(),
        f"{probe.url}/fast")
    assert slow >= 3 and overlapped
    assert fast < 1.0  # generous on a loaded machine; a blocked hub would take the full 3 s


def test_the_check_above_notices_a_database_driver_that_blocks(probe):
    """Negative control: with psycopg2 left blocking, the same fast request must wait."""
    try:
        probe.restart(PROBE_BLOCKING_DB="1")
        fast, _, _ = _latency_while(
            lambda: requests.get(f"{probe.url}/slow-sql", params={"seconds": 2},
                                 timeout=30).raise_for_status(),
            f"{probe.url}/fast")
        assert fast > 1.0
    finally:
        probe.restart(PROBE_BLOCKING_DB="0")


def test_a_slow_s3_upload_does_not_stall_other_workers(stack, probe):
    # The probe reaches S3 through a link that carries 256 KiB/s: 1 MiB takes about 4 s.
    proxy = TcpProxy(stack.settings.seaweed.s3)
    proxy.bytes_per_second = 256 * 1024
    try:
        probe.restart(NETRA_S3_ENDPOINT=proxy.endpoint)
        fast, slow, overlapped = _latency_while(
            lambda: requests.post(f"{probe.url}/slow-upload", params={"bytes": 1024 * 1024},
                                  timeout=60).raise_for_status(),
            f"{probe.url}/fast", wait_before=1.0)
        assert slow >= 3 and overlapped
        assert fast < 1.0  # a blocked hub would wait for the whole upload
    finally:
        proxy.close()
        probe.restart(NETRA_S3_ENDPOINT=stack.settings.s3_endpoint)
