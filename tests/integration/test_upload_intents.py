"""Uploads announced by intents (intake): the timer that takes an abandoned upload out of
quarantine and a filing that comes that late cannot both win."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from netra_common.db import UnitOfWork
from services.intake.adapters import upload_intents
from services.intake.adapters.tables import messaging
from tests.support.races import LateAttempt


def unit_of_work(engine) -> UnitOfWork:
    return UnitOfWork(engine, messaging, producer="tests", consumer="tests.upload_intents")


def intend(engine, keys: list[str], at: datetime) -> None:
    """As intake does: the one INSERT committed as it runs."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        upload_intents.intend(conn, keys, at)


def test_a_filing_that_comes_after_the_timer_took_its_uploads_is_refused(stack_db):
    keys = [f"{uuid.uuid4()}/{uuid.uuid4()}" for _ in range(2)]
    intend(stack_db, keys, datetime.now(UTC) - timedelta(hours=1))

    def late_filing():
        with unit_of_work(stack_db) as uow:
            upload_intents.fulfil(uow, keys)

    with stack_db.begin() as timer:
        taken = upload_intents.abandoned(timer, datetime.now(UTC) - timedelta(minutes=30), 1000)
        assert set(keys) <= set(taken)
        filing = LateAttempt(late_filing, upload_intents.UploadsWithdrawn).start_and_see_it_wait()
        upload_intents.forget(timer, keys)
    assert filing.refused()


def test_a_filing_in_time_takes_its_own_intents_away(stack_db):
    keys = [f"{uuid.uuid4()}/{uuid.uuid4()}"]
    intend(stack_db, keys, datetime.now(UTC))
    with unit_of_work(stack_db) as uow:
        upload_intents.fulfil(uow, keys)
    with stack_db.begin() as conn:
        assert keys[0] not in upload_intents.abandoned(conn, datetime.now(UTC) + timedelta(minutes=1), 1000)
