"""notify's deliveries over PostgreSQL (usecases/ports.NotifyStore): an event's unit of work for
recording, and one transaction at a time for delivering and digests, each through the adapter
module that owns its table."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from netra_common import keystore
from netra_common.contracts.envelope import Envelope
from netra_common.db import UnitOfWork
from services.notify.adapters import deliveries, recipients
from services.notify.adapters.recipients import PostgresRecipients
from services.notify.usecases.ports import Delivery


class PostgresRecordingUnit:
    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self.recipients = PostgresRecipients(uow.connection)

    def first_delivery(self) -> bool:
        return self._uow.first_delivery()

    def add_delivery(self, **values: Any) -> uuid.UUID | None:
        return deliveries.add(self._uow.connection, **values)

    def remember_complaint(self, complaint_id: str, sealed_contact: str | None) -> None:
        recipients.remember_complaint(self._uow.connection, complaint_id, sealed_contact)

    def remember_member(self, row: Mapping[str, Any]) -> None:
        recipients.remember_member(self._uow.connection, row)


class PostgresDeliveryUnit:
    def __init__(self, conn: Connection):
        self._conn = conn
        self.recipients = PostgresRecipients(conn)

    def next_due(self, now: datetime, delivery_id: uuid.UUID | None = None) -> Delivery | None:
        return deliveries.next_due(self._conn, now, delivery_id)

    def case_key(self, key_id: uuid.UUID) -> bytes | None:
        return keystore.key_of(self._conn, key_id)

    def record_attempt(self, row: Delivery, attempt: int, at: datetime, values: dict[str, Any]) -> None:
        deliveries.record_attempt(self._conn, row, attempt, at, values)  # type: ignore[arg-type]

    def queued_until(self, cutoff: datetime) -> Sequence[Delivery]:
        return deliveries.queued_until(self._conn, cutoff)

    def give_up(self, ids: list[uuid.UUID], why: str) -> None:
        deliveries.give_up(self._conn, ids, why)

    def claim_digest(self, recipient: str, now: datetime, cutoff: datetime, force: bool) -> bool:
        return deliveries.claim_digest(self._conn, recipient, now, cutoff, force)

    def add_digest(self, recipient: str, address: str, subject: str, text: str, html: str | None,
                   folded: list[uuid.UUID], now: datetime) -> uuid.UUID:
        return deliveries.add_digest(self._conn, recipient, address, subject, text, html, folded, now)


class PostgresNotifyStore:
    def __init__(self, db: Any):  # netra_common.db.DatabaseHandle, or the CLI's stand-in for one
        self._db = db

    @contextmanager
    def unit_of_work(self, cause: Envelope) -> Iterator[PostgresRecordingUnit]:
        with self._db.unit_of_work(cause=cause) as uow:
            yield PostgresRecordingUnit(uow)

    @contextmanager
    def deliveries(self) -> Iterator[PostgresDeliveryUnit]:
        with self._db.engine.begin() as conn:
            yield PostgresDeliveryUnit(conn)
