"""The bench's fixtures: the raw limits (measured in rounds between Netra's figures), the figures
collected, and a casework database of its own for the event-store and log-size figures."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from netra_stack import database
from netra_stack.settings import PROJECT_ROOT
from sqlalchemy import create_engine

from netra_common.backup import libpq_url
from netra_common.migrate import upgrade
from tests.perf import limits as raw
from tests.perf.report import write
from tests.perf.table import rows

RESULTS = PROJECT_ROOT / "bench-results"
SCREENSHOT = raw.png_720x1280()


def log_sizes() -> list[int]:
    """`make bench EVENTS=20000,100000` (the default): the log sizes the growth is shown at."""
    return [int(n) for n in os.environ.get("BENCH_EVENTS", "20000,100000").split(",") if n.strip()]


@dataclass
class Bench:
    limits: raw.Limits
    figures: dict = field(default_factory=dict)


def _measures(stack) -> dict:
    dsn = libpq_url(stack.settings.db_url)
    bus = urlparse(stack.settings.amqp_uri)
    admin = stack.secrets["s3"]["admin"]
    body = os.urandom(200 * 1024)

    def s3(threads: int):
        return lambda: raw.s3_put(stack.settings.s3_endpoint, admin["access_key"], admin["secret_key"],
                                  "quarantine", body, threads)
    return {
        "pg_commit_1": lambda: raw.pg_commit(dsn, 1),
        "pg_commit_4": lambda: raw.pg_commit(dsn, 4),
        "amqp_confirmed_publish": lambda: raw.amqp_confirmed(bus.hostname or "127.0.0.1", bus.port or 5672,
                                                             bus.username or "guest", bus.password or "guest",
                                                             bus.path.lstrip("/") or "/"),
        "s3_put_200kb_1": s3(1),
        "s3_put_200kb_4": s3(4),
        "http_get": lambda: raw.http_get(f"{stack.settings.url('intake')}/healthz"),
        "pillow_decode_encode": lambda: raw.pillow_reencode(SCREENSHOT),
        "argon2_hash": raw.argon2_hash,
    }


@pytest.fixture(scope="module")
def bench(stack):
    measured = Bench(raw.Limits(_measures(stack)))
    yield measured
    measured.limits.measure_round()  # a last round, after Netra's figures
    write(RESULTS, rows(measured.figures, measured.limits), measured.figures, measured.limits.as_dict(),
          PROJECT_ROOT)
    engine = create_engine(stack.settings.db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_raw")
    engine.dispose()


@contextmanager
def _casework_database(stack):
    """casework's schema in a database of its own, dropped after."""
    name = f"netra_bench_{uuid.uuid4().hex[:8]}"
    database.ensure_database(stack.settings.pg_url, name)
    url = stack.settings.db_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade("casework", url)
        engine = create_engine(url, pool_size=4, max_overflow=0)
        yield engine, url
        engine.dispose()
    finally:
        database.drop_database(stack.settings.pg_url, name)


@pytest.fixture(scope="module")
def append_db(stack):
    """Where both event stores append (the peer in a schema of its own)."""
    with _casework_database(stack) as db:
        yield db


@pytest.fixture(scope="module")
def log_db(stack):
    """The big logs: cases' events only, so the projections and verify-log read them all."""
    with _casework_database(stack) as db:
        yield db
