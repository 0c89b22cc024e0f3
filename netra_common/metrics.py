"""What a service counts for Prometheus, and the private door it is read at.

Two kinds of figures (docs/decisions/0020-operability.md):
- **counted in the process** (HTTP requests, messages consumed/retried/parked, deliveries
  attempted, evidence processing time): prometheus-client counters and histograms in this
  process's registry. Every process (replica) is its own scrape target on its own metrics
  address, so Prometheus sums them (`sum by (route, status)`); no multiprocess files.
- **read from the service's own tables at scrape time** (outbox backlog and oldest unsent age,
  cases per stage, overdue cases, projection lag, dead letters, rejections by reason): every
  replica reports the same figure, so the rules take `max`.

No label ever holds an id, a tracking code, an address or a name: routes are werkzeug's rule
templates (`/api/v1/complaints/<code>`), queues are `<service>.<event type>`, reasons and kinds
are the code's own fixed words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import eventlet
from eventlet import wsgi
from nameko.extensions import SharedExtension
from prometheus_client import REGISTRY, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from netra_common.bus.depths import queue_depths
from netra_common.bus.settings import BusSettings
from netra_common.logging import log_event

log = logging.getLogger(__name__)

disable_created_metrics()  # no `_created` twin of every counter: half the series, nothing lost

HTTP_REQUESTS = Counter("netra_http_requests", "HTTP requests answered, by route template and status",
                        ["route", "method", "status"])
HTTP_SECONDS = Histogram("netra_http_request_seconds", "Time to answer an HTTP request, by route template",
                         ["route", "method"],
                         buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
MESSAGES = Counter("netra_bus_messages", "Event messages taken from a queue, by what became of them "
                   "(handled, retried, parked, requeued)", ["queue", "outcome"])
DELIVERIES = Counter("netra_notify_delivery_attempts", "notify's delivery attempts, by kind, channel and "
                     "outcome (sent, retrying, dead)", ["kind", "channel", "outcome"])
EVIDENCE_SECONDS = Histogram("netra_evidence_processing_seconds",
                             "Time to check and prepare one upload (decode, strip, re-encode)",
                             buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60))

UNROUTED = "unmatched"  # a path no route knows: one label value, never the path itself

# A scrape must not hang on a slow database: each statement gets this long.
FIGURES_TIMEOUT_MS = 3000

Figures = Callable[[Connection], Iterable[Metric]]


def gauge(name: str, documentation: str, value: float, labels: dict[str, str] | None = None,
          family: GaugeMetricFamily | None = None) -> GaugeMetricFamily:
    family = family or GaugeMetricFamily(name, documentation, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), value)
    return family


def outbox_figures(conn: Connection, schema: str) -> Iterable[Metric]:
    """Unsent events and how long the oldest has waited (0 when none)."""
    row = conn.execute(text(
        f"SELECT count(*) AS backlog, "  # noqa: S608 - schema is the service's own constant
        f"coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest "
        f"FROM {schema}.outbox WHERE sent_at IS NULL")).one()
    yield gauge("netra_outbox_backlog", "Events in the outbox not yet published", row.backlog)
    yield gauge("netra_outbox_oldest_unsent_seconds", "Age of the oldest unpublished event",
                float(row.oldest))


class StoreFigures:
    """A collector that reads the service's figures from its tables at each scrape."""

    def __init__(self, engine: Engine, schema: str, figures: Figures | None):
        self.engine = engine
        self.schema = schema
        self.figures = figures

    def collect(self) -> Iterable[Metric]:
        pool = self.engine.pool
        yield gauge("netra_db_pool_in_use", "Database connections checked out of this process's pool",
                    pool.checkedout())  # type: ignore[attr-defined]
        try:
            with self.engine.connect() as conn:
                conn.execute(text(f"SET LOCAL statement_timeout = {FIGURES_TIMEOUT_MS}"))
                found = list(outbox_figures(conn, self.schema))
                if self.figures:
                    found += list(self.figures(conn))
        except Exception as exc:  # noqa: BLE001 - a scrape says the store is away, never fails
            log_event(log, "metrics.store_unreadable", logging.WARNING, error=type(exc).__name__)
            yield gauge("netra_store_readable", "1 if this scrape could read the service's tables", 0)
            return
        yield gauge("netra_store_readable", "1 if this scrape could read the service's tables", 1)
        yield from found


class BrokerFigures:
    """A collector of the service's queue depths (waiting and parked), read from the broker."""

    def __init__(self, settings: BusSettings, service: str):
        self.settings = settings
        self.service = service

    def collect(self) -> Iterable[Metric]:
        waiting = GaugeMetricFamily("netra_bus_queue_messages", "Messages waiting in a queue",
                                    labels=["queue"])
        parked = GaugeMetricFamily("netra_bus_parked_messages", "Messages parked in a queue's "
                                   "dead-letter queue, waiting for an operator", labels=["queue"])
        try:
            with eventlet.Timeout(FIGURES_TIMEOUT_MS / 1000):
                for queue, kind, count in queue_depths(self.settings, self.service):
                    (parked if kind == "parked" else waiting).add_metric([queue], count)
        except (Exception, eventlet.Timeout) as exc:  # noqa: BLE001 - the scrape goes on without them
            log_event(log, "metrics.broker_unreadable", logging.WARNING, error=type(exc).__name__)
            yield gauge("netra_broker_readable", "1 if this scrape could read the queues' depths", 0)
            return
        yield gauge("netra_broker_readable", "1 if this scrape could read the queues' depths", 1)
        yield waiting
        yield parked


class _Exposed:
    """The process's own registry and the figures read at scrape time, as one thing to expose."""

    def __init__(self, collectors: list):
        self.collectors = collectors

    def collect(self) -> Iterable[Metric]:
        yield from REGISTRY.collect()
        for collector in self.collectors:
            yield from collector.collect()


class MetricsServer(SharedExtension):
    """GET /metrics on the service's private metrics address (`NETRA_METRICS_ADDRESS`), never on
    the port the public proxy forwards. One per process; empty address: no metrics door."""

    def setup(self):
        self.address = str(self.container.config.get("NETRA_METRICS_ADDRESS") or "")
        self.collectors: list = []
        self._thread = None
        self._socket = None

    def expose(self, *collectors) -> None:
        self.collectors = list(collectors)

    def start(self):
        if not self.address:
            return
        host, _, port = self.address.rpartition(":")
        self._socket = eventlet.listen((host or "0.0.0.0", int(port)))  # noqa: S104 - an operator's choice
        self._thread = self.container.spawn_managed_thread(self._serve)

    def _serve(self):
        wsgi.server(self._socket, self._app, log_output=False)

    def _app(self, environ, start_response):
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"only /metrics here\n"]
        body = generate_latest(_Exposed(self.collectors))  # type: ignore[arg-type]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
        return [body]

    def stop(self):
        self._close()

    def kill(self):
        self._close()

    def _close(self):
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
