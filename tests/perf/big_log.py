"""A casework log of a given size in a database of its own, for the growth figures: projection
rebuilds (each projection alone) and verify-log, at 20k and 100k events (`BENCH_EVENTS`)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg2
from sqlalchemy import text

from netra_common.backup import libpq_url
from services.casework.adapters import event_store
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.case_repository import encode
from services.casework.adapters.projection_rebuild import drop_beside, replay_beside
from services.casework.adapters.projections import projections
from services.casework.domain import events as ev
from services.casework.domain.case import Case

KETUA = {"id": str(uuid.uuid4()), "role": "ketua", "work_unit": None}
ANGGOTA = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": None}
ANGGOTA_2 = {"id": str(uuid.uuid4()), "role": "anggota", "work_unit": None}
LIFE = [("assign", KETUA, {"assignee_id": ANGGOTA["id"], "assignee_name": "Anggota", "assignee_work_unit": None}),
        ("start_verification", ANGGOTA, {}),
        ("propose_violation", ANGGOTA,
         {"finding": "Terbukti.", "legal_basis": "PP 94/2021", "sanction_level": "ringan"}),
        ("confirm_violation", ANGGOTA_2, {})]
BASE = datetime(2026, 8, 3, 2, 0, tzinfo=UTC)


def _case(n: int, rng: random.Random, number: str | None = None, base: datetime = BASE) -> Case:
    at = base + timedelta(seconds=n)
    case = Case.open(str(uuid.uuid4()), ev.CaseOpened(
        case_number=number or f"NTR-2026-{n:06d}", source="team", complaint_id=None, opened_at=at.isoformat(),
        reported={"name": f"ASN {n}", "nip": f"19870315201001{n % 500:04d}" if n % 3 == 0 else None,
                  "work_unit": rng.choice(["Dinas Pendidikan", "Bappeda", None]),
                  "kecamatan": rng.choice(["Mandau", "Bengkalis", "Rupat"])},
        platform=rng.choice(["facebook", "tiktok", "instagram"]),
        post_urls=[f"https://www.facebook.com/calon/posts/{n % 700}"] if n % 2 else [], account_handle=None,
        occurred_at="2026-07-30T00:00:00+00:00",
        violation_types=rng.sample(["share", "like_comment", "post_support"], 2),
        description=f"Kasus uji nomor {n} membagikan unggahan kampanye.",
        reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False}), at=at)
    for step, (command, actor, args) in enumerate(LIFE[:rng.randrange(len(LIFE) + 1)]):
        getattr(case, command)(actor, **args, at=at + timedelta(hours=step + 1))
        # Screenshots, each with a perceptual hash: most unlike any other, a few the same post.
        case.attach_evidence(ev.EvidenceAttached(
            evidence_id=str(uuid.uuid4()), upload_id=str(uuid.uuid4()), sha256="ab" * 32, size=10,
            content_type="image/png", received_at=at.isoformat(),
            perceptual_hash="c517fae8b2635581" if rng.random() < 0.02 else f"{rng.getrandbits(64):016x}"),
            at=at + timedelta(hours=step + 1, minutes=1))
    return case


def fill(engine, events: int, seed: int = 14) -> int:
    """Append whole cases (one append each) until the log holds at least `events` events. A log
    grown again goes on from its cases' count: new case numbers (case_list's key; numbered from zero
    again, the 100k log after the 20k one repeated 4,012 of them and its rebuild failed on the key)
    and new random draws (the same seed again would repeat every screenshot's hash)."""
    with engine.connect() as conn:
        written = conn.execute(text("SELECT count(*) FROM casework.events")).scalar_one()
        n = conn.execute(text("SELECT count(*) FROM casework.streams")).scalar_one()
    rng = random.Random(seed + n)
    while written < events:
        case = _case(n, rng)
        with engine.begin() as conn:
            stored = event_store.append(conn, uuid.UUID(case.case_id), 0,
                                        [encode(r, {}) for r in case.collect_events()], head_hash=None)
        written, n = written + len(stored), n + 1
    return written


def fill_cases(engine, cases: int, writers: int = 4, seed: int = 41) -> int:
    """Whole cases appended (one append each, `writers` at once) until the store holds at least
    `cases` streams: the work queue and the search measured at that many cases."""
    with engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM casework.streams")).scalar_one()
    wanted = max(cases - have, 0)
    # Opened yesterday, so none is past its deadline: cases of August were all overdue, and the
    # stack's overdue check (every 2 s in test stacks) then marked thousands at once, each with a
    # mail to the team, while the queue was being measured (p95 from 10 to 80 ms by its timing).
    recent = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)

    def write(slot: int) -> None:
        rng = random.Random(seed * 1000 + slot + have)
        for n in range(slot, wanted, writers):
            case = _case(n, rng, number=f"NTR-2026-B{have + n:06d}", base=recent)  # never a number the stack gives
            with engine.begin() as conn:
                event_store.append(conn, uuid.UUID(case.case_id), 0,
                                   [encode(r, {}) for r in case.collect_events()], head_hash=None, commit=True)

    threads = [threading.Thread(target=write, args=(slot,)) for slot in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return have + wanted


def projected(engine, timeout: float = 1800) -> None:
    """Wait until every live projection has caught up with the log's head."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            behind = conn.execute(text(
                "SELECT count(*) FROM (VALUES ('case_list'), ('case_stages'), ('case_links')) p(name) "
                "LEFT JOIN casework.projection_checkpoints c ON c.projection = p.name "
                "WHERE coalesce(c.position, 0) < (SELECT coalesce(max(global_position), 0) FROM casework.events)"
            )).scalar_one()
        if not behind:
            return
        time.sleep(1)
    raise TimeoutError("the projections did not catch up with the log")


def settled(engine) -> None:
    """VACUUM and ANALYZE casework's tables after a bulk fill: the planner then has the statistics
    and the visibility map that autovacuum would have left long before a district's store held
    that many cases, and no autovacuum of the fill runs beside the measurement."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = conn.execute(text("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'casework'"))
        for name in tables.scalars().all():
            conn.execute(text(f"VACUUM (ANALYZE) casework.{name}"))


class _OutOfTime(Exception):
    def __init__(self, applied: int, total: int):
        super().__init__(applied)
        self.applied, self.total = applied, total


def rebuild_rates(engine, limit_s: float | None = None) -> dict:
    """Events per second of each projection replaying the whole log beside the live tables. With
    `limit_s`, a projection still replaying after that long is stopped there: its figure is then
    the rate over the events it replayed, and `stopped` says how far it got (one that grows faster
    than the log cannot keep a bench run bounded)."""
    calendar = load_calendar()
    rates: dict = {}
    for live, fresh in zip(projections(calendar), projections(calendar, "_bench"), strict=True):
        started = time.monotonic()

        def watch(applied: int, total: int, started: float = started) -> None:
            if limit_s is not None and time.monotonic() - started > limit_s and applied < total:
                raise _OutOfTime(applied, total)
        try:
            applied = replay_beside(engine, live, fresh, progress=watch, batch_size=500)
        except _OutOfTime as stopped:
            rates[live.name] = round(stopped.applied / (time.monotonic() - started), 1)
            rates.setdefault("stopped", {})[live.name] = {"after_s": limit_s, "events": stopped.applied,
                                                          "of": stopped.total}
        else:
            rates[live.name] = round(applied / (time.monotonic() - started), 1)
        drop_beside(engine, fresh)
    return rates


# The command is started by a small interpreter of its own that reports the command's wall time and
# resource use: on Linux a process's peak RSS (ru_maxrss) keeps its parent's at the fork, through
# exec, so started from pytest (hundreds of MB by then) the command would report pytest's size.
_LAUNCH = """import json, os, sys, time
started = time.monotonic()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"exit": os.waitstatus_to_exitcode(status), "s": time.monotonic() - started,
               "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}, out)
"""


def verify_log(url: str) -> dict:
    """`netra-casework verify-log` as the operator runs it: the whole command's rate (with the
    interpreter's start-up), the check's own (the time it prints), its CPU per event and its peak
    memory (RSS, its own: see `_LAUNCH`)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as used:
        subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCH, used.name,
                        sys.executable, "-m", "services.casework.admin", "verify-log"],
                       env={**os.environ, "NETRA_DB_URL": url}, stdout=out, stderr=err, text=True, check=True)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
        usage = json.loads(used.read())
    took = usage["s"]
    said = output.rsplit("checked ", 1)[1].split() if "checked " in output else ["0"]
    checked = int(said[0])
    check_took = float(said[3]) if len(said) > 3 and said[2] == "in" else None  # "N events in S s: ..."
    measured = {"exit": usage["exit"], "events": checked,
                "per_second": round(checked / took, 1),
                "check_per_second": round(checked / check_took, 1) if check_took else None,
                "command_cpu_s": round(usage["cpu_s"], 2), "command_s": round(took, 2),
                "peak_rss_mb": round(usage["maxrss_kb"] / 1024, 1)}
    if measured["exit"]:
        measured["problem"] = (output.strip().splitlines() or errors.strip().splitlines() or ["?"])[-1][:300]
    return measured


def fetch_rate(url: str) -> float:
    """The limit verify-log's check is held to: the events' rows read once, in global order, from a
    server-side cursor, the columns the check reads, with nothing done with them."""
    from services.casework.adapters.event_store import _CHECKED_IN_ORDER

    conn = psycopg2.connect(libpq_url(url))
    try:
        started, count = time.monotonic(), 0
        with conn.cursor(name="bench_fetch") as cursor:
            cursor.execute(_CHECKED_IN_ORDER)
            while batch := cursor.fetchmany(2000):
                count += len(batch)
        return round(count / (time.monotonic() - started), 1)
    finally:
        conn.close()
