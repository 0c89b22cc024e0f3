"""Work a service does in the background whenever a transaction commits something for it.

A `NotifiedLoop` runs `work_once()` in the service process: at once when a
PostgreSQL NOTIFY arrives on its channel (sent inside the committing
transaction), at the latest every `poll_interval`, and with a growing pause
while its work keeps failing (a broker or database outage), never dying of it.

`one_replica_at_a_time` makes a timer's work run in one replica at a time (an advisory lock).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import select
from contextlib import contextmanager

import eventlet
from nameko.extensions import DependencyProvider
from sqlalchemy.engine import Engine

from netra_common.db import SharedEngine
from netra_common.logging import log_event, set_correlation

log = logging.getLogger(__name__)


class CommitListener:
    """Waits for a NOTIFY on one channel, or a timeout, whichever comes first."""

    def __init__(self, engine: Engine, channel: str):
        self.engine = engine
        self.channel = channel
        self._conn = None

    def _connect(self):
        raw = self.engine.raw_connection()
        dbapi = raw.dbapi_connection
        dbapi.autocommit = True
        with dbapi.cursor() as cursor:
            cursor.execute(f'LISTEN "{self.channel}"')
        self._conn = raw

    def wait(self, timeout: float) -> None:
        try:
            if self._conn is None:
                self._connect()
            dbapi = self._conn.dbapi_connection
            ready, _, _ = select.select([dbapi], [], [], timeout)
            if ready:
                dbapi.poll()
                dbapi.notifies.clear()
        except Exception:  # noqa: BLE001 - fall back to polling; reconnect next time
            self.close()
            eventlet.sleep(timeout)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
            except Exception:  # noqa: BLE001, S110 - already broken
                pass
            self._conn = None


class NotifiedLoop(DependencyProvider):
    engine_provider = SharedEngine()
    poll_interval = 2.0
    max_backoff = 5.0
    # Failures the work already logged itself; the loop only backs off.
    quiet_errors: tuple[type[Exception], ...] = ()

    def channel(self) -> str:
        raise NotImplementedError

    def enabled(self) -> bool:
        return True

    def prepare(self, engine: Engine) -> None:
        """Build what work_once needs, once the engine exists."""

    def work_once(self) -> bool:
        """Do one batch; True if more may be waiting right away."""
        raise NotImplementedError

    def start(self):
        self._thread = None
        if not self.enabled():
            log_event(log, "background.disabled", loop=type(self).__name__)
            return
        engine = self.engine_provider.engine
        self.prepare(engine)
        self.listener = CommitListener(engine, self.channel())
        self._running = True
        self._thread = self.container.spawn_managed_thread(self._run,
                                                           identifier=type(self).__name__)

    def _run(self):
        backoff = 0.0
        while self._running:
            try:
                set_correlation(None)  # each pass logs under the id of what it handles, if any
                more = self.work_once()
                backoff = 0.0
                if not more:
                    self.listener.wait(self.poll_interval)
            except Exception as exc:  # noqa: BLE001 - outlive any outage, try again later
                backoff = min(self.max_backoff, max(0.2, backoff * 2))
                if not isinstance(exc, self.quiet_errors):
                    log_event(log, "background.error", logging.ERROR, loop=type(self).__name__,
                              error=type(exc).__name__)
                eventlet.sleep(backoff)

    def stop(self):
        self._running = False
        if self._thread is not None:
            self._thread.kill()
            self.listener.close()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return None


# --- timers that run once, however many replicas run ---------------------------------------


def lock_key(name: str) -> int:
    """A stable 64-bit advisory-lock key for a name (the same in every process and version)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def alone(engine: Engine, name: str):
    """Yields True in exactly one process at a time for `name`: the one holding PostgreSQL's
    session advisory lock on it (others get False and skip this turn). The lock lives on a
    connection of its own: a process that dies loses its connection, and with it the lock, so a
    timer never stalls behind a dead replica."""
    connection = engine.connect()
    try:
        held = bool(connection.exec_driver_sql("SELECT pg_try_advisory_lock(%(k)s)", {"k": lock_key(name)})
                    .scalar())
        connection.commit()
    except Exception:
        connection.invalidate()
        connection.close()
        raise
    try:
        yield held
    finally:
        try:
            if held:
                connection.exec_driver_sql("SELECT pg_advisory_unlock(%(k)s)", {"k": lock_key(name)})
                connection.commit()
        except Exception:  # noqa: BLE001 - a broken connection's locks are released with it
            connection.invalidate()
        finally:
            connection.close()


def one_replica_at_a_time(name: str):
    """For a nameko @timer method of a service with a `db` (netra_common.db.Database): its body
    runs in one replica at a time; a replica that finds another at it skips its turn. Each
    timer's work is also safe to run again after another finished (it looks at what is due),
    so "once" holds across turns too."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            with alone(self.db.engine, name) as mine:
                if not mine:
                    log_event(log, "background.skipped", logging.DEBUG, timer=name, reason="another replica runs it")
                    return None
                return method(self, *args, **kwargs)

        return wrapper

    return decorate
