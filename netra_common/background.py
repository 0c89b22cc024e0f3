"""Work a service does in the background whenever a transaction commits something for it.

A `NotifiedLoop` runs `work_once()` in the service process: at once when a
PostgreSQL NOTIFY arrives on its channel (sent inside the committing
transaction), at the latest every `poll_interval`, and with a growing pause
while its work keeps failing (a broker or database outage), never dying of it.
"""

from __future__ import annotations

import logging
import select

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
