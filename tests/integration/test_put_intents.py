"""evidence's intents to put: reconciling and an attempt that records the same object cannot
both win, and an attempt under way is never taken for an abandoned one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from netra_common.db import UnitOfWork
from services.evidence.adapters import records
from services.evidence.adapters.tables import messaging
from tests.support.races import LateAttempt


def unit_of_work(engine) -> UnitOfWork:
    return UnitOfWork(engine, messaging, producer="tests", consumer="tests.put_intents")


def intend(stack_db, age: timedelta):
    evidence_id = uuid.uuid4()
    key = f"sanitizeds/{evidence_id}"
    ids = records.intend_puts(stack_db, evidence_id, [("sanitized", "derivatives", key)], datetime.now(UTC) - age)
    return key, ids


def test_an_attempt_that_comes_after_its_puts_were_reconciled_away_fails(stack_db):
    key, ids = intend(stack_db, timedelta(hours=1))

    def late_attempt():
        with unit_of_work(stack_db) as uow:
            records.fulfil_intents(uow, ids)

    with stack_db.begin() as reconciler:
        assert records.lock_intents(reconciler, "derivatives", key)[:2] == (1, 1)
        attempt = LateAttempt(late_attempt, records.PutsWithdrawn).start_and_see_it_wait()
        records.forget_intents(reconciler, "derivatives", key)
    assert attempt.refused()


def test_an_attempt_recording_its_object_holds_its_intents_so_reconciling_leaves_it_alone(stack_db):
    key, ids = intend(stack_db, timedelta(hours=1))
    with unit_of_work(stack_db) as uow:
        records.fulfil_intents(uow, ids)  # not committed yet
        with stack_db.begin() as reconciler:
            held, total, _ = records.lock_intents(reconciler, "derivatives", key)
            assert (held, total) == (0, 1)  # someone holds them: under way, not abandoned
    with stack_db.begin() as reconciler:
        assert records.lock_intents(reconciler, "derivatives", key)[:2] == (0, 0)
