"""The restore drill: complaints are filed, `netra-backup` backs the system up, and `netra-restore`
brings the backup up in a fresh, empty stack (database, object store, bus) given the keys the backup
names. There the case log's chains and evidence's copies verify, the cases, events, evidence and
custody log are all there, and every reporter's tracking code and receipt still open their complaint.

`make test` runs it with a few complaints on the session stack; `make restore-drill` with
NETRA_DRILL_COMPLAINTS (default there 200) and prints how long backup and restore took per 1,000
cases."""

from __future__ import annotations

import os
import sys

import pytest
from sqlalchemy import create_engine, text

from netra_common.backup_crypto import new_key
from tests.conftest import isolated_stack
from tests.support import complaints
from tests.support.restore_drill import BIN, restored_stack, run_tool, tool_env
from tests.support.waiting import eventually

COMPLAINTS = int(os.environ.get("NETRA_DRILL_COMPLAINTS", "3"))

COUNTS = {
    "cases": "SELECT count(*) FROM casework.case_list",
    "case events": "SELECT count(*) FROM casework.events",
    "evidence": "SELECT count(*) FROM evidence.items",
    "custody log": "SELECT count(*) FROM evidence.custody_log",
    "complaints": "SELECT count(*) FROM intake.complaints",
    "deliveries": "SELECT count(*) FROM notify.deliveries",
}


def counts(db_url: str) -> dict[str, int]:
    engine = create_engine(db_url, poolclass=None)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(text(sql)).scalar_one() for name, sql in COUNTS.items()}
    finally:
        engine.dispose()


def admin(service: str, stack, *args: str):
    return run_tool([sys.executable, "-m", f"services.{service}.admin", *args], stack.service_env(service))


@pytest.fixture(scope="module")
def own_stack(test_output):
    """The drill restores a whole system and counts every store: on a stack of its own, not the
    session's, which holds complaints other tests left half-done on purpose (rejected screenshots,
    tampered records)."""
    with isolated_stack(test_output) as running:
        yield running


def test_a_backup_restored_into_an_empty_system_holds_everything(own_stack, test_output, tmp_path):
    stack = own_stack
    intake = stack.settings.url("intake")
    filed = []
    for n in range(COMPLAINTS):
        answer = complaints.file(intake, complaints.complaint(description=f"Latihan pemulihan {n}."),
                                 [("bukti.png", complaints.png(seed=9000 + n))])
        assert answer.status_code == 201, answer.text
        filed.append(answer.json())
    before = counts(stack.settings.db_url)
    # every screenshot taken into custody and every case opened before the backup is taken
    eventually(lambda: (now := counts(stack.settings.db_url))["evidence"] >= before["complaints"]
               and now["cases"] >= before["complaints"] and now, timeout=120 + 2 * COMPLAINTS,
               message="the complaints settled")
    eventually(lambda: counts(stack.settings.db_url) == counts(stack.settings.db_url), timeout=30)
    before = counts(stack.settings.db_url)

    key = new_key()
    backup_file = tmp_path / "netra.backup"
    made = run_tool([str(BIN / "netra-backup"), "create", str(backup_file), "--cases", str(before["cases"])],
                    tool_env(stack, key))
    print(f"\n{made.stdout.strip()}")
    assert b"Budi Santoso" not in backup_file.read_bytes(), "the backup is encrypted"
    assert "holds no keys" in made.stderr

    with restored_stack(stack, backup_file, key, test_output, before["cases"]) as (restored, restore_run):
        print(restore_run.stdout.strip())
        assert counts(restored.settings.db_url) == before
        admin("casework", restored, "verify-log")
        admin("evidence", restored, "verify")
        url = restored.settings.url("intake")
        for receipt in filed:
            answer = complaints.status(url, receipt["tracking_code"], receipt["receipt"])
            assert answer.status_code == 200, answer.text
