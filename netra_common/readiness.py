"""GET /readyz: whether this process can do its work now: its database, its broker and (intake,
evidence) its object store each answer within a few seconds. /healthz stays the cheap liveness
check; a process that is alive but not ready is taken out of rotation, not restarted.

Also the `Operability` dependency every service has (through HealthCheck): it gives the metrics
door (netra_common/metrics.py) the service's engine and figures, runs the readiness checks, and
gives each worker that handles an event its correlation id for the log lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import eventlet
from kombu import Connection as BrokerConnection
from minio.error import S3Error
from nameko.extensions import DependencyProvider
from sqlalchemy import text

from netra_common.bus.settings import BusSettings
from netra_common.contracts import Envelope
from netra_common.db import Database, SharedEngine
from netra_common.logging import set_correlation
from netra_common.metrics import BrokerFigures, MetricsServer, StoreFigures
from netra_common.s3 import ObjectStorage

CHECK_SECONDS = 3.0

# In words, for the operator who reads the 503 (the team's language, then English).
MISSING_WORDS = {
    "database": "basis data (PostgreSQL) tidak menjawab / the database (PostgreSQL) does not answer",
    "broker": "broker pesan (RabbitMQ) tidak menjawab / the message broker (RabbitMQ) does not answer",
    "object_store": "penyimpanan objek (S3) tidak menjawab / the object store (S3) does not answer",
}


# GET /readyz in a service's OpenAPI document: the same body for 200 and 503.
READINESS_SCHEMA = {"type": "object", "required": ["status", "service", "missing"], "properties": {
    "status": {"type": "string", "enum": ["ready", "not_ready"]}, "service": {"type": "string"},
    "missing": {"type": "object", "additionalProperties": {"type": "string"},
                "description": "Each dependency that does not answer, in words"}}}
READINESS_RESPONSES = {
    "200": {"description": "Ready: the database, the broker and (intake, evidence) the object store answer.",
            "content": {"application/json": {"schema": READINESS_SCHEMA}}},
    "503": {"description": "Not ready: `missing` names what does not answer.",
            "content": {"application/json": {"schema": READINESS_SCHEMA}}},
}


@dataclass
class Readiness:
    ready: bool
    missing: dict[str, str]  # dependency -> words

    def body(self, service: str) -> dict:
        return {"status": "ready" if self.ready else "not_ready", "service": service,
                "missing": self.missing}


def _answers_within(check: Callable[[], None]) -> bool:
    try:
        with eventlet.Timeout(CHECK_SECONDS):
            check()
        return True
    except (Exception, eventlet.Timeout):  # noqa: BLE001 - any failure means "does not answer"
        return False


class Operability(DependencyProvider):
    """What /metrics and /readyz need from the service: engine, schema, broker, object store."""

    engine_provider = SharedEngine()
    metrics_server = MetricsServer()

    def setup(self):
        deps = self.container.dependencies
        self.database = next(d for d in deps if isinstance(d, Database))
        self.storage = next((d for d in deps if isinstance(d, ObjectStorage)), None)
        self.amqp_uri = self.container.config["AMQP_URI"]

    def start(self):
        # After every extension's setup (the shared engine's among them), before any scrape.
        figures = getattr(self.container.service_cls, "figures", None)
        self.metrics_server.expose(
            StoreFigures(self.engine_provider.engine, self.database.tables.schema, figures),
            BrokerFigures(BusSettings.from_config(self.container.config), self.container.service_name))

    def get_dependency(self, worker_ctx):
        return self

    def worker_setup(self, worker_ctx):
        # A worker handling an event logs under the correlation id of the complaint or case it
        # belongs to (netra_common/logging.py); any other worker starts with none.
        cause = worker_ctx.args[0] if worker_ctx.args else None
        set_correlation(cause.correlation_id if isinstance(cause, Envelope) else None)

    def _database(self) -> None:
        with self.engine_provider.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def _broker(self) -> None:
        with BrokerConnection(self.amqp_uri, connect_timeout=CHECK_SECONDS) as conn:
            conn.ensure_connection(max_retries=1)

    def _object_store(self) -> None:
        assert self.storage is not None
        try:
            self.storage.client.bucket_exists("netra-readiness")
        except S3Error:
            pass  # an answer (even "not yours") is what readiness asks for

    def check(self) -> Readiness:
        checks = {"database": self._database, "broker": self._broker}
        if self.storage is not None:
            checks["object_store"] = self._object_store
        pool = eventlet.GreenPool(len(checks))
        answers = dict(zip(checks, pool.imap(_answers_within, checks.values()), strict=True))
        missing = {name: MISSING_WORDS[name] for name, ok in answers.items() if not ok}
        return Readiness(not missing, missing)
