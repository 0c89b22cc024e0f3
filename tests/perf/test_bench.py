"""Benchmarks (`make bench`): figures printed and written to bench-results/, never asserted
as timings. They run against the same real stack as the end-to-end tests."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime

import pytest
from netra_stack.settings import PROJECT_ROOT

from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of
from tests.support.waiting import eventually

FILINGS = 40
QUERIES = 60
RESULTS = PROJECT_ROOT / "bench-results"


def summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {"count": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


@pytest.fixture(scope="module")
def figures():
    collected: dict[str, dict] = {}
    yield collected
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = json.dumps({"at": stamp, "figures": collected}, indent=2)
    (RESULTS / f"bench-{stamp}.json").write_text(document)
    (RESULTS / "latest.json").write_text(document)
    print(f"\nbenchmark figures written to {RESULTS / f'bench-{stamp}.json'}")


def test_filing_and_the_way_to_the_team(stack, stack_db, ketua, figures):
    """Filing latency with one screenshot, and how long until the case is on the team's queue."""
    intake = stack.settings.url("intake")
    filed, took = [], []
    started = time.monotonic()
    for n in range(FILINGS):
        begin = time.monotonic()
        answer = complaints.file(intake, complaints.complaint(), [("bukti.png", complaints.png(seed=n))])
        took.append(time.monotonic() - begin)
        assert answer.status_code == 201, answer.text
        filed.append((answer.json()["tracking_code"], time.monotonic()))
        print(f"\rfiling {n + 1}/{FILINGS}", end="", flush=True)
    elapsed = time.monotonic() - started
    waits = []
    for code, at in filed:
        case_id = case_id_for(complaint_id_of(stack_db, code))
        eventually(lambda c=case_id: ketua.get(f"/api/v1/cases/{c}").status_code == 200, interval=0.05)
        waits.append(time.monotonic() - at)
    figures["filing"] = {**summary(took), "per_second": round(FILINGS / elapsed, 2)}
    figures["filed_to_case_visible_upper_bound"] = summary(waits)
    print(f"\nfiling: {figures['filing']}\ncase visible after: {figures['filed_to_case_visible_upper_bound']}")


def test_the_work_queue_and_search(ketua, figures):
    """The team's queue with filters and the full-text search, as the console asks for them."""
    for name, query in (("queue", {"status": "opened", "sort": "due_at", "limit": 50}),
                        ("search", {"q": "kampanye", "sort": "relevance", "limit": 50})):
        took = []
        for _ in range(QUERIES):
            begin = time.monotonic()
            answer = ketua.get("/api/v1/cases", params=query)
            took.append(time.monotonic() - begin)
            assert answer.status_code == 200, answer.text
        figures[name] = summary(took)
        print(f"\n{name}: {figures[name]}")
