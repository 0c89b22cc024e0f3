"""S3 away for longer than the whole retry budget, on the running system: evidence stops taking
messages, spends no attempt, parks nothing, and takes every screenshot into custody once S3
is back."""

from __future__ import annotations

import pytest
import requests

from netra_common.bus import deadletters
from tests.support import complaints
from tests.support.evidence import outcomes, quarantine_and_announce
from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually, stays


@pytest.fixture
def evidence_s3_link(stack):
    """evidence restarted to reach S3 through a proxy the test controls (intake's path stays direct)."""
    host, port = stack.settings.s3_endpoint.rsplit(":", 1)
    proxy = TcpProxy(int(port), host)
    try:
        stack.restart_service("evidence", {"NETRA_S3_ENDPOINT": proxy.endpoint})
        yield proxy
    finally:
        proxy.close()
        stack.restart_service("evidence")


def parked_in_evidence(stack) -> list:
    return [d for event_type in ("complaint_submitted", "reporter_replied")
            for d in deadletters.list_dead(stack.bus, "evidence", event_type)]


def test_evidence_waits_out_an_s3_outage_longer_than_its_retries_and_parks_nothing(stack, stack_db, bus_publisher,
                                                                                   evidence_s3_link):
    parked_before = len(parked_in_evidence(stack))
    evidence_s3_link.cut()
    batches = [quarantine_and_announce(stack, bus_publisher, {
        f"layar-{n}": (f"layar-{n}.png", complaints.png(seed=3100 + n))}) for n in range(4)]
    shots = {name: shot for batch in batches for name, shot in batch.items()}

    budget = sum(stack.bus.retry_delays_ms) / 1000
    # Three times the whole retry budget (and minio's own retries): a retrying consumer would
    # have parked every one of them by now.
    stays(lambda: len(parked_in_evidence(stack)) == parked_before, duration=3 * budget + 6)
    assert set(outcomes(stack_db, shots).values()) == {None}
    assert stack.services["evidence"].alive
    log = stack.services["evidence"].log_path.read_text(errors="replace")
    assert "S3 tidak terjangkau; berhenti mengambil pesan" in log

    evidence_s3_link.restore()
    eventually(lambda: set(outcomes(stack_db, shots).values()) == {"stored"}, timeout=90,
               message="every screenshot taken into custody once S3 is back")
    assert len(parked_in_evidence(stack)) == parked_before
    assert "S3 terjangkau lagi; melanjutkan pengambilan pesan" in \
        stack.services["evidence"].log_path.read_text(errors="replace")
    assert requests.get(f"{stack.settings.url('evidence')}/healthz", timeout=5).status_code == 200
