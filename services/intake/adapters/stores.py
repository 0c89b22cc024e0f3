"""intake's stores over PostgreSQL (usecases/ports.py) for filing, lookups and progress: one
transaction a unit of work, the answers kept under Idempotency-Keys, the upload intents, the
complaints and the rate-limit counters, each through the adapter module that owns its table."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from netra_common import keystore
from netra_common.contracts.envelope import Envelope
from netra_common.db import DatabaseHandle, UnitOfWork
from netra_common.rate_limit import LimitPolicy, LimitState, Reservation
from services.intake.adapters import complaints as records
from services.intake.adapters import idempotency, rate_limits, upload_intents
from services.intake.adapters.idempotency import Idempotent


class PostgresLimits:
    """The rate-limit counters on the unit's connection: a locked row stays locked until it ends."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def locked(self, key: str, now: datetime) -> LimitState:
        return rate_limits.locked(self._conn, key, now)

    def reserve(self, key: str, state: LimitState, policy: LimitPolicy, now: datetime) -> Reservation:
        return rate_limits.reserve(self._conn, key, state, policy, now)

    def refund(self, key: str, reservation: Reservation, now: datetime) -> None:
        rate_limits.refund(self._conn, key, reservation, now)


class PostgresFilingUnit:
    """One unit of work (netra_common.db.UnitOfWork) as filing sees it."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self.limits = PostgresLimits(uow.connection)

    def claim_answer(self, idempotent: Idempotent, answer: dict[str, Any], now: datetime) -> None:
        idempotency.claim(self._uow, idempotent, answer, now)

    def fulfil_intents(self, keys: list[str]) -> None:
        upload_intents.fulfil(self._uow, keys)

    def new_case_key(self, complaint_id: uuid.UUID) -> tuple[uuid.UUID, bytes]:
        return keystore.create_key(self._uow.connection, complaint_id)

    def add_complaint(self, *, complaint_id: uuid.UUID, tracking_code: str, receipt_hash: str,
                      submitted_at: datetime, document: dict[str, Any], anonymous: bool,
                      sealed_identity: str | None, proof: dict[str, Any]) -> None:
        records.add_complaint(self._uow, complaint_id=complaint_id, tracking_code=tracking_code,
                              receipt_hash=receipt_hash, submitted_at=submitted_at, document=document,
                              anonymous=anonymous, sealed_identity=sealed_identity, proof=proof)

    def add_screenshots(self, complaint_id: uuid.UUID, shots: list[dict[str, Any]], received_at: datetime,
                        message_id: uuid.UUID | None = None) -> None:
        records.add_screenshots(self._uow, complaint_id, shots, received_at, message_id)

    def add_message(self, *, message_id: uuid.UUID, complaint_id: uuid.UUID, author: str, kind: str,
                    body: str, at: datetime) -> None:
        records.add_message(self._uow, message_id=message_id, complaint_id=complaint_id, author=author,
                            kind=kind, body=body, at=at)

    def emit(self, event_type: str, payload: dict[str, Any]) -> object:
        return self._uow.emit(event_type, payload)


class PostgresProgressUnit:
    """One event's unit of work as progress.py sees it."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def first_delivery(self) -> bool:
        return self._uow.first_delivery()

    def complaint_exists(self, complaint_id: uuid.UUID) -> bool:
        return records.exists(self._uow.connection, complaint_id)

    def record_status(self, *, event_id: uuid.UUID, complaint_id: uuid.UUID, status: str, at: datetime,
                      case_version: int | None, due_at: datetime | None = None) -> bool:
        return records.record_status(self._uow, event_id=event_id, complaint_id=complaint_id, status=status,
                                     at=at, case_version=case_version, due_at=due_at)

    def record_screenshot_outcome(self, upload_id: uuid.UUID, state: str, reason_code: str | None) -> None:
        records.record_screenshot_outcome(self._uow, upload_id, state, reason_code)

    def add_message(self, *, message_id: uuid.UUID, complaint_id: uuid.UUID, author: str, kind: str,
                    body: str, at: datetime) -> None:
        records.add_message(self._uow, message_id=message_id, complaint_id=complaint_id, author=author,
                            kind=kind, body=body, at=at)

    def record_disclosure(self, *, event_id: uuid.UUID, complaint_id: uuid.UUID, disclosed_to: str,
                          at: datetime) -> None:
        records.record_disclosure(self._uow, event_id=event_id, complaint_id=complaint_id,
                                  disclosed_to=disclosed_to, at=at)


class PostgresProgressStore:
    def __init__(self, db: DatabaseHandle):
        self._db = db

    @contextmanager
    def unit_of_work(self, cause: Envelope) -> Iterator[PostgresProgressUnit]:
        with self._db.unit_of_work(cause=cause) as uow:
            yield PostgresProgressUnit(uow)


class PostgresLookupStore:
    def __init__(self, db: DatabaseHandle):
        self._db = db

    @contextmanager
    def counters(self) -> Iterator[PostgresLimits]:
        with self._db.engine.begin() as conn:
            yield PostgresLimits(conn)

    def seconds_to_wait(self, keys: list[str], now: datetime) -> int:
        with self._db.one_statement() as conn:  # one SELECT per key (a filing has one key)
            return rate_limits.seconds_to_wait(conn, keys, now)

    def find_by_tracking_code(self, tracking_code: str) -> Any:  # the complaint's row
        with self._db.read() as conn:
            return records.find_by_tracking_code(conn, tracking_code)


class PostgresFilingStore:
    def __init__(self, db: DatabaseHandle):
        self._db = db

    @contextmanager
    def unit_of_work(self) -> Iterator[PostgresFilingUnit]:
        with self._db.unit_of_work() as uow:
            yield PostgresFilingUnit(uow)

    def kept_answer(self, idempotent: Idempotent, now: datetime) -> dict[str, Any] | None:
        with self._db.one_statement() as conn:
            row = idempotency.stored(conn, idempotent, now)
        return idempotent.answer_from(row) if row is not None else None

    def intend_uploads(self, keys: list[str], now: datetime) -> None:
        with self._db.one_statement() as conn:
            upload_intents.intend(conn, keys, now)

    def forget_intents(self, keys: list[str]) -> None:
        with self._db.engine.begin() as conn:
            upload_intents.forget(conn, keys)

    def complaint_exists(self, complaint_id: uuid.UUID) -> bool:
        with self._db.read() as conn:
            return records.exists(conn, complaint_id)

    def message_exists(self, message_id: uuid.UUID) -> bool:
        with self._db.read() as conn:
            return records.message_exists(conn, message_id)
