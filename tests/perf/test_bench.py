"""Benchmarks (`make bench`): issue 14's table, each of Netra's figures beside the raw limit it is
divided by, measured in the same run (tests/perf/limits.py, in rounds between the figures). They
print and record (bench-results/, BENCHMARKS.md); they never assert timings."""

from __future__ import annotations

import os
import statistics
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from netra_common.backup import libpq_url
from services.casework.adapters import event_store
from services.casework.read.queue import QueueFilter, work_queue
from tests.perf import appends, big_log, limits, pipeline
from tests.perf.conftest import log_sizes
from tests.support import complaints
from tests.support.casework import case_id_for, complaint_id_of
from tests.support.waiting import eventually

FILINGS_PER_CLIENT = {1: 12, 4: 8, 8: 5}
VISIBLE_SAMPLE = 5
QUERIES = 60
APPEND_ROUNDS = 3
REBUILD_LIMIT_S = float(os.environ.get("BENCH_REBUILD_LIMIT_S", "600"))  # per projection and log size


def summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {"count": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def test_event_appends_beside_raw_commits_and_the_peer(bench, append_db):
    """~1 KB events at 1 and 4 writers: Netra's store and eventsourcing's, interleaved, median of rounds,
    with the raw single-row commit measured in each round too, on the same database: the append rows
    are divided by the raw commits of the same minutes, not by the bench's rounds spread over its
    whole run (at one writer those ranged 1,387 to 2,024/s in one run)."""
    bench.limits.measure_round()
    _, url = append_db
    try:
        import eventsourcing  # noqa: F401 - installed for the bench only (make bench-deps)
        peer = True
    except ImportError:
        peer = False
    rounds: dict[str, dict[str, list[float]]] = {"netra": {"1": [], "4": []}, "peer": {"1": [], "4": []},
                                                 "netra_last": {"1": [], "4": []}, "netra_0018": {"1": [], "4": []},
                                                 "raw": {"1": [], "4": []}}
    dsn = libpq_url(url)
    for _ in range(APPEND_ROUNDS):
        for writers in (1, 4):
            rounds["raw"][str(writers)].append(limits.pg_commit(dsn, writers))
            rounds["netra"][str(writers)].append(appends.netra(url, writers))
            rounds["netra_last"][str(writers)].append(appends.netra(url, writers, "last"))
            rounds["netra_0018"][str(writers)].append(appends.netra(url, writers, "own_commit"))
            if peer:
                rounds["peer"][str(writers)].append(appends.peer(url, writers))
    bench.figures["append"] = {who: {w: round(statistics.median(v), 1) if v else None for w, v in by.items()}
                               for who, by in rounds.items()}
    bench.figures["append_rounds"] = rounds
    print(f"\nappend: {bench.figures['append']}")


def _file_with(intake: str, clients: int, per_client: int, seed: int) -> tuple[list[float], float, list[str]]:
    took: list[float] = []
    codes: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for k in range(per_client):
            shot = complaints.noise_png(260, 260, seed=seed + n * 100 + k)  # ~200 KB
            begin = time.monotonic()
            answer = complaints.file(intake, complaints.complaint(), [("bukti.png", shot)])
            with lock:
                took.append(time.monotonic() - begin)
                codes.append(answer.json()["tracking_code"] if answer.status_code == 201 else "")
            assert answer.status_code == 201, answer.text

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return took, time.monotonic() - started, codes


def _rss(status: Path) -> int:
    """A process's resident memory in bytes (Linux)."""
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def test_filing_at_1_4_and_8_clients(stack, stack_db, ketua, bench):
    bench.limits.measure_round()
    intake = stack.settings.url("intake")
    status = Path(f"/proc/{stack.services['intake'].process.pid}/status")
    runs, peak, sampling = {}, [0], threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            peak[0] = max(peak[0], _rss(status))
            time.sleep(0.1)

    for clients, per_client in FILINGS_PER_CLIENT.items():
        watcher = threading.Thread(target=sample)
        if clients == 8:
            watcher.start()
        cpu_before = pipeline.cpu_now(stack)
        took, elapsed, codes = _file_with(intake, clients, per_client, seed=clients * 10_000)
        if clients == 8:
            sampling.set()
            watcher.join()
        assert all(codes)
        runs[str(clients)] = {**summary(took), "per_second": round(len(took) / elapsed, 2),
                              # what each process spent per filing, the downstream work included
                              "cpu_ms_per_filing": pipeline.settled_cpu(stack, cpu_before, len(took))}
        print(f"\nfiling, {clients} client(s): {runs[str(clients)]}")
    bench.figures["filing"] = runs
    bench.figures["intake_peak_rss_mb"] = round(peak[0] / 1024 / 1024, 1)
    # Measured per filing: the time from the filing's answer until the team's queue has its case.
    waits = []
    for n in range(VISIBLE_SAMPLE):
        answer = complaints.file(intake, complaints.complaint(), [("bukti.png", complaints.png(seed=900 + n))])
        filed_at = time.monotonic()
        case_id = case_id_for(complaint_id_of(stack_db, answer.json()["tracking_code"]))
        eventually(lambda c=case_id: ketua.get(f"/api/v1/cases/{c}").status_code == 200, interval=0.01)
        waits.append(time.monotonic() - filed_at)
    bench.figures["filed_to_case_visible"] = summary(waits)
    with stack_db.connect() as conn:
        bench.figures["pg_connections"] = {
            "after_load": conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                       {"d": stack.settings.database}).scalar_one(),
            "server_max": int(conn.execute(text("SHOW max_connections")).scalar_one()),
            "pools_allow": _pools_allow(stack)}


def test_screenshots_through_evidence(stack, stack_db, bench):
    """A burst of 720x1280 screenshots waits in evidence's queue and is taken in one go."""
    bench.limits.measure_round()
    bench.figures["evidence"] = pipeline.evidence_burst(stack, stack_db)
    print(f"\nscreenshots through evidence: {bench.figures['evidence']}")


def _pools_allow(stack) -> int:
    """What the four services' pools together may open (netra_common/db.py, from their settings)."""
    from netra_common.db import pool_limits

    return sum(sum(pool_limits(stack.service_env(service))) for service in stack.services)


# `make bench CASES=1000,10000` (the default): the numbers of cases the queue and search are measured at.
QUEUE_CASES = tuple(int(n) for n in os.environ.get("BENCH_CASES", "1000,10000").split(",") if n.strip())


QUEUE_ASKS = (("queue", {"status": "opened", "sort": "due_at", "limit": 50}),
              ("search", {"q": "kampanye", "sort": "relevance", "limit": 50}))


def _queue_and_search(ketua, engine) -> dict:
    """Each through the team API as the console asks, then the same statement alone in this process
    (no HTTP, no session): what is left of a p95 over its goal when the statement alone is."""
    took: dict = {}
    for name, query in QUEUE_ASKS:
        seconds = []
        for _ in range(QUERIES):
            begin = time.monotonic()
            answer = ketua.get("/api/v1/cases", params=query)
            seconds.append(time.monotonic() - begin)
            assert answer.status_code == 200, answer.text
        took[name] = {**summary(seconds), "total": answer.json()["total"],
                      "statement": _statement_alone(engine, query)}
    return took


def _statement_alone(engine, query: dict) -> dict:
    chair = SimpleNamespace(role="ketua", work_unit=None)
    wanted = QueueFilter(**query)
    seconds = []
    with engine.connect() as conn:
        for _ in range(QUERIES):
            begin = time.monotonic()
            work_queue(conn, chair, wanted)
            seconds.append(time.monotonic() - begin)
    return summary(seconds)


@pytest.mark.timeout(3600)  # 10k cases are appended and projected first
def test_the_work_queue_and_search(stack_db, ketua, bench):
    """The team's queue with filters and the full-text search, as the console asks for them, with
    1k and then 10k cases in the store (appended as whole cases, projected by the live runner)."""
    grown = bench.figures["queue_at"] = {}
    for cases in QUEUE_CASES:
        big_log.fill_cases(stack_db, cases)
        big_log.projected(stack_db)
        big_log.settled(stack_db)
        grown[str(cases)] = _queue_and_search(ketua, stack_db)
        print(f"\nqueue and search at {cases} cases: {grown[str(cases)]}")


def _read_all_rate(engine) -> float:
    started, position, count = time.monotonic(), 0, 0
    with engine.connect() as conn:
        while batch := event_store.read_all(conn, position, 500):
            position, count = batch[-1].global_position, count + len(batch)
    return round(count / (time.monotonic() - started), 1)


@pytest.mark.timeout(3600)  # 100k events are written, replayed three times and verified
def test_log_growth_rebuild_and_verify_log(bench, log_db):
    """Each projection rebuilt alone, and verify-log, at each log size (BENCH_EVENTS)."""
    engine, url = log_db
    grown = bench.figures["log"] = {}  # filled size by size: a run stopped halfway keeps what it measured
    for size in log_sizes():
        bench.limits.measure_round()
        events = big_log.fill(engine, size)
        grown[str(size)] = {"events": events, "read_all_per_second": _read_all_rate(engine),
                            "fetch_per_second": big_log.fetch_rate(url),
                            "rebuild": big_log.rebuild_rates(engine, REBUILD_LIMIT_S),
                            "verify_log": big_log.verify_log(url)}
        print(f"\nlog of {events} events: {grown[str(size)]}")
