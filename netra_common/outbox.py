"""The transactional outbox relay: publishes committed events with confirms, then marks them sent.

An event is written to the outbox in the same transaction as the state change
(see db.UnitOfWork.emit). The relay takes unsent rows in position order, locks
them, publishes each with a publisher confirm and `mandatory`, and marks it
sent in the same transaction. If the process dies after the broker's confirm
but before that commit, the event is published again on restart; consumers are
idempotent, so that costs nothing but a duplicate delivery.

Replicas: each replica of a service runs a relay on the same outbox. One relays at a time: a
pass first takes the outbox's transaction-scoped advisory lock (try, never wait); a replica that
finds it held publishes nothing this pass. So events still leave in position order, no row is
published by two relays, and a relay that dies mid-batch (its transaction and lock gone with its
connection) leaves the rows to the other replica's next pass (docs/decisions/0028).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import func, update
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine

from netra_common.background import NotifiedLoop, lock_key
from netra_common.bus.publisher import ConfirmedPublisher
from netra_common.bus.settings import BusSettings
from netra_common.logging import log_event
from netra_common.tables import MessagingTables

log = logging.getLogger(__name__)


@dataclass
class PendingEvent:
    position: int
    event_id: object
    message: dict


@dataclass
class Batch:
    events: list[PendingEvent]
    sent: list[int] = field(default_factory=list)
    failure: tuple[int, str] | None = None


class OutboxStore(Protocol):
    def pending(self, limit: int):  # context manager yielding a Batch
        ...


class EventPublisher(Protocol):
    def publish_event(self, message: dict) -> None: ...


class PostgresOutboxStore:
    def __init__(self, engine: Engine, tables: MessagingTables):
        self.engine = engine
        self.outbox = tables.outbox
        self.lock = lock_key(f"netra.outbox.{tables.outbox.schema}.{tables.outbox.name}")

    @contextmanager
    def pending(self, limit: int):
        """Lock up to `limit` unsent events (oldest first) and record what became of them."""
        outbox = self.outbox
        with self.engine.begin() as conn:
            if not conn.exec_driver_sql("SELECT pg_try_advisory_xact_lock(%(k)s)", {"k": self.lock}).scalar():
                yield Batch([])  # another replica's relay is at it
                return
            rows = conn.execute(
                sql_select(outbox.c.position, outbox.c.event_id, outbox.c.message)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.position)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            batch = Batch([PendingEvent(r.position, r.event_id, r.message) for r in rows])
            yield batch
            if batch.sent:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.position.in_(batch.sent))
                    .values(sent_at=func.now(), attempts=outbox.c.attempts + 1, last_error=None)
                )
            if batch.failure:
                position, error = batch.failure
                conn.execute(
                    update(outbox)
                    .where(outbox.c.position == position)
                    .values(attempts=outbox.c.attempts + 1, last_error=error[:1000])
                )


class Relay:
    """Moves events from an outbox store to a publisher, in order, stopping at a failure."""

    def __init__(self, store: OutboxStore, publisher: EventPublisher, batch_size: int = 100):
        self.store = store
        self.publisher = publisher
        self.batch_size = batch_size

    def relay_once(self) -> int:
        """Publish one batch; returns how many were sent. Raises nothing for a publish failure."""
        with self.store.pending(self.batch_size) as batch:
            for event in batch.events:
                try:
                    self.publisher.publish_event(event.message)
                except Exception as exc:  # noqa: BLE001 - kept, retried on the next pass
                    batch.failure = (event.position, f"{type(exc).__name__}: {exc}")
                    log_event(log, "outbox.publish_failed", logging.WARNING,
                              event_id=event.event_id, error=type(exc).__name__)
                    break
                batch.sent.append(event.position)
        if batch.sent:
            log_event(log, "outbox.sent", count=len(batch.sent))
        if batch.failure:
            raise PublishStalled(batch.failure[1])
        return len(batch.sent)


class PublishStalled(Exception):
    """The broker did not take an event; the relay backs off and tries again."""


class OutboxRelay(NotifiedLoop):
    """Runs the relay inside the service process for as long as the container runs.

    NETRA_OUTBOX_RELAY=off leaves the outbox untouched (another process relays it).
    """

    quiet_errors = (PublishStalled,)

    def __init__(self, tables: MessagingTables):
        self.tables = tables

    def channel(self) -> str:
        return self.tables.notify_channel

    def enabled(self) -> bool:
        value = self.container.config.get("NETRA_OUTBOX_RELAY", "on")
        return str(value).lower() not in ("off", "0", "false")

    def prepare(self, engine):
        settings = BusSettings.from_config(self.container.config)
        self.relay = Relay(PostgresOutboxStore(engine, self.tables), ConfirmedPublisher(settings))

    def work_once(self) -> bool:
        return self.relay.relay_once() >= self.relay.batch_size
