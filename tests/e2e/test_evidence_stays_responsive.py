"""While evidence decodes, re-encodes and encrypts large screenshots, its other workers answer."""

from __future__ import annotations

import io
import os
import re
import statistics
import time
from datetime import UTC, datetime

import requests
from PIL import Image
from sqlalchemy import text

from tests.support.evidence import quarantine_and_announce


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

    def stored_times() -> list[float]:
        with stack_db.connect() as conn:
            return sorted(conn.execute(text(
                "SELECT extract(epoch FROM stored_at) FROM evidence.items "
                "WHERE upload_id::text = ANY(:ids)"), {"ids": ids}).scalars())

    health = f"{stack.settings.url('evidence')}/healthz"
    started, answered = time.monotonic(), []  # (wall-clock sent, wall-clock answered, latency)
    while len(stored_times()) < len(ids) and time.monotonic() - started < 120:
        sent, before = time.time(), time.monotonic()
        assert requests.get(health, timeout=10).status_code == 200
        answered.append((sent, time.time(), time.monotonic() - before))
        time.sleep(0.05)
    stored = [float(t) for t in stored_times()]
    assert len(stored) == len(ids), "not every upload was taken into custody in time"

    # Requests both sent and answered while an image was being decoded, re-encoded and
    # encrypted: had that work held the hub, there would be none.
    spans = processing_spans(stack, ids)
    during = [latency for sent, done, latency in answered
              if any(start < sent and done < end for start, end in spans)]
    assert sum(end - start for start, end in spans) > 1.0, "processing ended too soon to show anything"
    assert len(during) >= 5, f"{len(during)} requests answered while images were processed: {spans}"
    latencies = sorted(latency for _, _, latency in answered)
    assert statistics.quantiles(latencies, n=10)[-1] < 1.5, latencies[-5:]


def processing_spans(stack, upload_ids: list[str]) -> list[tuple[float, float]]:
    """(start, end) wall-clock times of each upload's image work, from evidence's log line
    `evidence.prepared upload_id=... seconds=...` (written when the work ends)."""
    log = (stack.settings.log_dir / "evidence.log").read_text(errors="replace")
    spans = []
    for line in log.splitlines():
        found = re.match(r"(\S+)Z .*evidence\.prepared upload_id=(\S+) seconds=([\d.]+)", line)
        if found and found[2] in upload_ids:
            end = datetime.strptime(found[1], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC).timestamp()
            spans.append((end - float(found[3]), end))
    assert len(spans) == len(upload_ids), spans
    return spans
