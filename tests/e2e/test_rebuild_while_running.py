"""Rebuilding the projections while casework runs (issue 10.5): while a burst of complaints is
filed and the team's queue is read without pause, `rebuild-projections` runs; the queue never
shows fewer cases than it showed before, and afterwards the projections equal a replay from
scratch."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import except_all, func, select, text

from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.projection_rebuild import drop_beside, replay_beside
from services.casework.adapters.projections import projections
from tests.support import complaints
from tests.support.waiting import eventually

BEFORE, DURING = 25, 40


def file_many(stack, count: int, seed: int) -> None:
    url = stack.settings.url("intake")
    shots = [("bukti.png", complaints.png(seed=seed))]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda n: complaints.file(url, complaints.complaint(
            description=f"Membagikan unggahan kampanye, laporan uji bangun ulang {seed}-{n}."), shots),
            range(count)))
    assert [a.status_code for a in answers] == [201] * count


def queue_total(ketua) -> int:
    return ketua.get("/api/v1/cases", params={"limit": 1}).json()["total"]


def quiet(engine) -> bool:
    """Every live projection at the log's head."""
    with engine.connect() as conn:
        head = conn.execute(text("SELECT coalesce(max(global_position), 0) FROM casework.events")).scalar_one()
        behind = conn.execute(text("SELECT count(*) FROM casework.projection_checkpoints WHERE position < :h "
                                   "AND projection IN ('case_list', 'case_stages', 'case_links')"),
                              {"h": head}).scalar_one()
    return behind == 0


def differences(engine, live, fresh) -> dict[str, int]:
    """Rows in one table and not the other, both ways, for each live table and its replayed twin."""
    def only_in(one, other) -> int:
        return conn.execute(select(func.count()).select_from(
            except_all(select(one), select(other)).subquery())).scalar_one()

    with engine.connect() as conn:
        return {a.name: only_in(a, b) + only_in(b, a) for a, b in zip(live.tables, fresh.tables, strict=True)}


def test_the_queue_never_shrinks_during_a_rebuild_and_ends_equal_to_a_replay(stack, ketua, stack_db):
    before = queue_total(ketua)
    file_many(stack, BEFORE, seed=501)
    eventually(lambda: queue_total(ketua) >= before + BEFORE and quiet(stack_db), timeout=60, message="cases")
    start = queue_total(ketua)
    seen: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.append(queue_total(ketua))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    burst = threading.Thread(target=file_many, args=(stack, DURING, 502))
    burst.start()
    time.sleep(0.5)
    rebuilt = subprocess.run([sys.executable, "-m", "services.casework.admin", "rebuild-projections"],
                             env=stack.service_env("casework"), capture_output=True, text=True, timeout=240)
    burst.join()
    eventually(lambda: queue_total(ketua) >= start + DURING and quiet(stack_db), timeout=60,
               message="every case in the queue, projections at the log's head")
    stop.set()
    watcher.join()
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "case_list: " in rebuilt.stdout and "(100%)" in rebuilt.stderr
    assert len(seen) > 10 and seen[0] >= start
    shrunk = [(i, a, b) for i, (a, b) in enumerate(zip(seen, seen[1:], strict=False)) if b < a]
    assert shrunk == [], f"the queue shrank while rebuilding: {shrunk[:5]}"

    calendar = load_calendar()
    for live, fresh in zip(projections(calendar), projections(calendar, "_check"), strict=True):
        try:
            replay_beside(stack_db, live, fresh)
            assert differences(stack_db, live, fresh) == {t.name: 0 for t in live.tables}
        finally:
            drop_beside(stack_db, fresh)
    with stack_db.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'casework' "
                                 "AND tablename LIKE '%\\_rebuild'")).scalar_one()
    assert left == 0  # the swap took the tables beside away
