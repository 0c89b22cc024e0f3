"""The bench's figures for the filing's path beyond intake (issue 14): the CPU each of the stack's
processes spends per filing, and screenshots taken through evidence as a burst that waited in
its queue, beside Pillow decoding and re-encoding the same image on every core."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from tests.perf import limits as raw
from tests.support import complaints
from tests.support.casework import complaint_id_of
from tests.support.waiting import eventually

TICKS = os.sysconf("SC_CLK_TCK")
BURST = 12  # screenshots filed while evidence is stopped, then taken in one go
PILLOW_ROUNDS = 3


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its threads (Linux), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_now(stack) -> dict[str, float]:
    """CPU seconds so far of every process the stack started (services, SeaweedFS); PostgreSQL and
    RabbitMQ are the machine's, shared with everything else on it, so they are not counted."""
    processes = {**stack.infra, **stack.services}
    return {name: _cpu_seconds(p.process.pid) for name, p in processes.items() if p.process is not None}


def cpu_per_filing(before: dict[str, float], after: dict[str, float], filings: int) -> dict[str, float]:
    spent = {name: round((after[name] - before.get(name, 0.0)) * 1000 / filings, 1) for name in after}
    return {name: ms for name, ms in spent.items() if ms > 0}


def settled_cpu(stack, before: dict[str, float], filings: int, quiet_seconds: float = 1.0) -> dict[str, float]:
    """CPU per filing once the downstream work it caused (evidence, casework, notify) is done: read
    when a second has passed in which the stack spent almost nothing."""
    last = cpu_now(stack)
    for _ in range(60):
        time.sleep(quiet_seconds)
        now = cpu_now(stack)
        if sum(now.values()) - sum(last.values()) < 0.05 * quiet_seconds * len(now):
            break
        last = now
    return cpu_per_filing(before, now, filings)


def _pillow_on_every_core(png: bytes) -> float:
    return raw.rate(lambda: raw.pillow_reencode_once(png), threads=os.cpu_count() or 1)


def _uploads_of(stack_db, tracking_codes: list[str]) -> list[str]:
    ids = [complaint_id_of(stack_db, code) for code in tracking_codes]
    with stack_db.connect() as conn:
        return [str(u) for u in conn.execute(text(
            "SELECT upload_id FROM intake.screenshots WHERE complaint_id = ANY(CAST(:ids AS uuid[]))"),
            {"ids": ids}).scalars()]


def _outcomes(stack_db, uploads: list[str]) -> tuple[list, int]:
    with stack_db.connect() as conn:
        stored = conn.execute(text("SELECT stored_at FROM evidence.items WHERE upload_id = ANY(CAST(:u AS uuid[])) "
                                   "ORDER BY stored_at"), {"u": uploads}).scalars().all()
        rejected = conn.execute(text("SELECT count(*) FROM evidence.rejections "
                                     "WHERE upload_id = ANY(CAST(:u AS uuid[]))"), {"u": uploads}).scalar_one()
    return list(stored), rejected


def evidence_burst(stack, stack_db) -> dict:
    """BURST screenshots of 720x1280 filed while evidence is stopped; evidence started again takes
    them from its queue. Its rate is counted between the first and the last one stored."""
    shots = [raw.png_720x1280(seed=5000 + n) for n in range(BURST)]
    pillow = [round(_pillow_on_every_core(shots[0]), 1)]
    stack.stop_service("evidence")
    try:
        codes = []
        for n, shot in enumerate(shots):
            answer = complaints.file(stack.settings.url("intake"), complaints.complaint(), [(f"layar-{n}.png", shot)])
            assert answer.status_code == 201, answer.text
            codes.append(answer.json()["tracking_code"])
        pillow.append(round(_pillow_on_every_core(shots[0]), 1))
    finally:
        stack.start_service("evidence")
        stack.wait_healthy("evidence")
    uploads = _uploads_of(stack_db, codes)
    before = cpu_now(stack)

    def settled() -> bool:
        stored, rejected = _outcomes(stack_db, uploads)
        return len(stored) + rejected >= BURST

    eventually(settled, timeout=600, interval=0.5, message="every screenshot of the burst taken into custody")
    spent = cpu_per_filing(before, cpu_now(stack), BURST)
    stored, rejected = _outcomes(stack_db, uploads)
    span = (stored[-1] - stored[0]).total_seconds() if len(stored) > 1 else 0.0
    pillow.append(round(_pillow_on_every_core(shots[0]), 1))
    return {"screenshots": BURST, "stored": len(stored), "rejected": rejected,
            "per_second": round((len(stored) - 1) / span, 2) if span else None,
            "evidence_cpu_ms_per_screenshot": spent.get("evidence"),
            # the whole stack's processes during the burst (casework and SeaweedFS work on it too):
            # what two cores can give a screenshot, the figure that bounds the ratio
            "stack_cpu_ms_per_screenshot": round(sum(spent.values()), 1), "cpu_ms_by_process": spent,
            "pillow_every_core": {"per_second": statistics.median(pillow), "rounds": pillow,
                                  "threads": os.cpu_count()}}
