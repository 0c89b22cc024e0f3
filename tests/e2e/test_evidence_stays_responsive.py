"""While evidence decodes, re-encodes and encrypts large screenshots, its other workers answer."""

from __future__ import annotations

import io
import os
import time

import requests
from PIL import Image
from sqlalchemy import text

from tests.e2e.test_evidence_custody import quarantine_and_announce


def large_noisy_png(seed: int) -> bytes:
    """About 9 MB: random pixels do not compress, so every byte must be decoded."""
    side = (1700, 1750)
    raw = os.urandom(side[0] * side[1] * 3) if seed else b""
    buffer = io.BytesIO()
    Image.frombytes("RGB", side, raw).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def test_processing_large_uploads_does_not_stall_other_requests(stack, stack_db, bus_publisher):
    files = {f"big-{i}": (f"besar-{i}.png", large_noisy_png(i + 1)) for i in range(3)}
    assert all(len(data) > 8_000_000 for _, data in files.values())
    shots = quarantine_and_announce(stack, bus_publisher, files)
    ids = [s["upload_id"] for s in shots.values()]

    def stored() -> int:
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM evidence.items WHERE upload_id::text = ANY(:ids)"),
                                {"ids": ids}).scalar_one()

    health = f"{stack.settings.url('evidence')}/healthz"
    started, latencies = time.monotonic(), []
    while stored() < len(ids) and time.monotonic() - started < 60:
        before = time.monotonic()
        assert requests.get(health, timeout=10).status_code == 200
        latencies.append(time.monotonic() - before)
        time.sleep(0.05)
    busy_for = time.monotonic() - started
    assert stored() == len(ids)
    assert busy_for > 1.0, "processing ended too soon to show anything"
    assert len(latencies) >= 10
    assert max(latencies) < 0.5, sorted(latencies)[-5:]
