"""PostgreSQL for nameko services: a green engine shared by a container, and the unit of work.

`Database` is the dependency a service declares; in a worker it hands out units of
work that commit the state change, the outbox rows and the processed-message
row together or not at all (docs/conventions.md, "Rules of the house").
"""

from __future__ import annotations

import logging
import time
import uuid

from nameko.extensions import DependencyProvider, SharedExtension
from sqlalchemy import create_engine, event, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError

from netra_common.contracts import Envelope, new_envelope
from netra_common.logging import set_correlation
from netra_common.tables import MessagingTables

log = logging.getLogger(__name__)

_green = False


def make_psycopg_green() -> None:
    """Make psycopg2 yield to the eventlet hub while it waits on the server.

    Without this one pg_sleep() in a worker would freeze every other worker,
    the HTTP server and the AMQP heartbeats of the whole process.
    """
    global _green
    if not _green:
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()
        _green = True


# One process's pool (docs/database-connections.md): NETRA_DB_POOL_SIZE connections kept while idle,
# up to NETRA_DB_POOL_OVERFLOW more for a burst (closed again after); past that a unit of work waits
# NETRA_DB_POOL_TIMEOUT seconds for one instead of opening more. The server's connections (100 by
# default) are shared by every service, replica and tool, so few are kept; but a burst may use one
# per green worker and one per background loop: with fewer, evidence's workers (each holding its
# connection while it works on an image) timed out in a burst and their messages waited for retries.
DEFAULT_POOL_SIZE = 3
DEFAULT_POOL_TIMEOUT = 10.0
BACKGROUND_CONNECTIONS = 2  # the outbox relay's LISTEN, and casework's projection runner's
# A pooled connection is pinged (one round trip) before it is handed out only when it has lain
# unused this long: one given back a moment ago answered a moment ago. A busy process hands out
# a connection several times per request; under load each ping cost a round trip a wait for the
# CPU (issue 14). If the server went away within that moment, the statement fails as a lost
# connection does (a 503 for a filing, a redelivery for an event), and the pool is renewed.
PING_AFTER_IDLE_SECONDS = 1.0
_IDLE_SINCE = "netra_idle_since"


def _setting(config, name: str, default):
    value = config.get(name)
    return default if value is None or value == "" else value


def pool_limits(config) -> tuple[int, int]:
    """(connections kept, connections more for a burst) from a service's config or environment; by
    default a burst may reach one connection per worker (max_workers) and per background loop."""
    size = int(_setting(config, "NETRA_DB_POOL_SIZE", DEFAULT_POOL_SIZE))
    most = int(_setting(config, "max_workers", 10)) + BACKGROUND_CONNECTIONS
    overflow = int(_setting(config, "NETRA_DB_POOL_OVERFLOW", max(most - size, 0)))
    if size < 1 or overflow < 0:
        raise ValueError(f"NETRA_DB_POOL_SIZE must be >= 1 and NETRA_DB_POOL_OVERFLOW >= 0 (got {size}, {overflow})")
    return size, overflow


def create_db_engine(url: str, *, pool_size: int = DEFAULT_POOL_SIZE, max_overflow: int = 4,
                     pool_timeout: float = DEFAULT_POOL_TIMEOUT, application_name: str = "netra") -> Engine:
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
        # Parameters never appear in exception texts, so never in logs.
        hide_parameters=True,
        connect_args={"connect_timeout": 10, "application_name": application_name},
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, only for a connection unused for PING_AFTER_IDLE_SECONDS; a
    connection that does not answer is replaced (DisconnectionError makes the pool connect anew)."""

    @event.listens_for(engine, "connect")
    def connected(dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def given_back(dbapi_connection, record):
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def handed_out(dbapi_connection, record, proxy):
        if time.monotonic() - record.info.get(_IDLE_SINCE, 0.0) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection did not answer") from exc
        if not alive:
            raise DisconnectionError("the pooled connection did not answer")


class UnitOfWork:
    """One transaction: the state change, the events it emits, the message it consumed."""

    def __init__(
        self,
        engine: Engine,
        tables: MessagingTables,
        *,
        producer: str,
        consumer: str,
        cause: Envelope | None = None,
        correlation_id: uuid.UUID | None = None,
    ):
        self.engine = engine
        self.tables = tables
        self.producer = producer
        self.consumer = consumer
        self.cause = cause
        if cause is not None:
            self.correlation_id = cause.correlation_id
        else:
            # A new thread of events starts here (a complaint filed, a team command).
            self.correlation_id = correlation_id or uuid.uuid4()
        # Every line this green thread logs from here on carries it (netra_common/logging.py).
        set_correlation(self.correlation_id)
        self.connection: Connection | None = None
        self.emitted: list[Envelope] = []

    def __enter__(self) -> UnitOfWork:
        self.connection = self.engine.connect()
        self._transaction = self.connection.begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self.connection.close()

    def execute(self, statement, *args, **kwargs):
        return self.connection.execute(statement, *args, **kwargs)

    def first_delivery(self) -> bool:
        """Record that this consumer handled the causing event; False if it already had.

        Runs in the same transaction as the effect, so the effect and the record
        commit together. A concurrent duplicate waits on the row and then sees it.
        """
        if self.cause is None:
            raise RuntimeError("first_delivery() needs the event being handled (cause=...)")
        processed = self.tables.processed
        stmt = (
            pg_insert(processed)
            .values(consumer=self.consumer, event_id=self.cause.event_id)
            .on_conflict_do_nothing()
            .returning(processed.c.event_id)
        )
        return self.execute(stmt).first() is not None

    def emit(self, event_type: str, payload: dict, *, schema_version: int = 1) -> Envelope:
        """Write an event to the outbox; it leaves only if this transaction commits."""
        envelope = new_envelope(
            event_type,
            payload,
            producer=self.producer,
            correlation_id=self.correlation_id,
            causation_id=self.cause.event_id if self.cause else None,
            schema_version=schema_version,
        )
        # One statement, one round trip: the row, and the relay's wake-up, which its LISTEN gets
        # only when (and if) the transaction commits.
        wake = select(func.pg_notify(self.tables.notify_channel, "")).cte("wake")
        self.execute(
            insert(self.tables.outbox).from_select(
                ["event_id", "event_type", "message"],
                select(literal(envelope.event_id, self.tables.outbox.c.event_id.type),
                       literal(envelope.type, self.tables.outbox.c.event_type.type),
                       literal(envelope.to_message(), self.tables.outbox.c.message.type)).select_from(wake),
            )
        )
        self.emitted.append(envelope)
        return envelope


class SharedEngine(SharedExtension):
    """One bounded connection pool per service process (`pool_limits`); its LISTEN connections
    (netra_common/background.py) are taken from it too and held."""

    def setup(self):
        make_psycopg_green()
        config = self.container.config
        size, overflow = pool_limits(config)
        self.engine = create_db_engine(
            config["NETRA_DB_URL"],
            pool_size=size,
            max_overflow=overflow,
            pool_timeout=float(_setting(config, "NETRA_DB_POOL_TIMEOUT", DEFAULT_POOL_TIMEOUT)),
            application_name=f"netra-{self.container.service_name}",
        )

    def stop(self):
        self.engine.dispose()

    def kill(self):
        self.engine.dispose()


class DatabaseHandle:
    """What a worker gets: units of work bound to its service and entrypoint."""

    def __init__(self, engine: Engine, tables: MessagingTables, producer: str, consumer: str):
        self.engine = engine
        self.tables = tables
        self.producer = producer
        self.consumer = consumer

    def unit_of_work(self, *, cause: Envelope | None = None,
                     correlation_id: uuid.UUID | None = None) -> UnitOfWork:
        return UnitOfWork(self.engine, self.tables, producer=self.producer,
                          consumer=self.consumer, cause=cause, correlation_id=correlation_id)

    def read(self) -> Connection:
        """A connection for queries that change nothing, all of them seeing one snapshot: a page
        built from several tables (a status and its timeline, a case and its evidence) never
        mixes states from before and after a concurrent commit."""
        return self.engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                                       postgresql_readonly=True)

    def one_statement(self) -> Connection:
        """A connection for one statement on its own, committed as it runs: no BEGIN before it and
        no ROLLBACK or COMMIT after it, two round trips fewer than a transaction. A single statement
        sees one snapshot and is atomic by itself, so this is only for a lone read or write."""
        return self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


class Database(DependencyProvider):
    engine_provider = SharedEngine()

    def __init__(self, tables: MessagingTables):
        self.tables = tables

    def get_dependency(self, worker_ctx):
        service = self.container.service_name
        return DatabaseHandle(
            self.engine_provider.engine,
            self.tables,
            producer=service,
            consumer=f"{service}.{worker_ctx.entrypoint.method_name}",
        )
