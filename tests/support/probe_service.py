"""A small nameko service built from netra_common's pieces, for testing them under real load.

It consumes complaint_submitted as service "probe" (its own queues), records an
effect idempotently, fails on request, and offers slow and fast HTTP endpoints
to show that one worker's waiting does not stall the others.

Run: python -m tests.support.probe_service  (configured by environment variables)
"""

from __future__ import annotations

import eventlet  # noqa: E402

import netra_common  # noqa: F401 - warning filter first

eventlet.monkey_patch()

import io  # noqa: E402
import logging.config  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

from nameko.cli.run import run  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from netra_common.bus.consumer import on_event  # noqa: E402
from netra_common.config import BASE_CONFIG, load_yaml_with_env  # noqa: E402
from netra_common.db import Database  # noqa: E402
from netra_common.http import api  # noqa: E402
from netra_common.http_answers import json_response  # noqa: E402
from netra_common.outbox import OutboxRelay  # noqa: E402
from netra_common.s3 import ObjectStorage  # noqa: E402
from tests.support.probe_tables import (  # noqa: E402
    FAIL_AFTER_COMMIT_MARKER,
    FAIL_MARKER,
    SLOW_MARKER,
    effects,
    messaging,
)


class ProbeService:
    name = "probe"

    db = Database(messaging)
    relay = OutboxRelay(messaging)
    storage = ObjectStorage()

    @on_event("complaint_submitted")
    def record(self, envelope):
        if FAIL_MARKER in envelope.payload["description"]:
            raise RuntimeError("probe told to fail")
        if SLOW_MARKER in envelope.payload["description"]:
            eventlet.sleep(0.3)  # work that keeps acks in flight when the broker link drops
        with self.db.unit_of_work(cause=envelope) as uow:
            if uow.first_delivery():
                uow.execute(insert(effects).values(event_id=envelope.event_id,
                                                   description=envelope.payload["description"]))
        if FAIL_AFTER_COMMIT_MARKER in envelope.payload["description"]:
            raise RuntimeError("probe told to fail after its commit")

    @api("GET", "/fast")
    def fast(self, request):
        return json_response({"at": time.time()})

    @api("GET", "/slow-sql")
    def slow_sql(self, request):
        seconds = float(request.args.get("seconds", "2"))
        with self.db.read() as conn:
            conn.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
        return json_response({"slept": seconds})

    @api("POST", "/slow-upload")
    def slow_upload(self, request):
        size = int(request.args.get("bytes", str(2 * 1024 * 1024)))
        data = os.urandom(size)
        self.storage.put_object(os.environ["PROBE_BUCKET"], f"probe/{time.time()}",
                                io.BytesIO(data), size)
        return json_response({"uploaded": size})


def _make_database_blocking() -> None:
    """Negative control for the tests: undo the green wait callback, as a service that
    forgot it would run, so a test can show it notices the difference."""
    import psycopg2.extensions

    import netra_common.db

    psycopg2.extensions.set_wait_callback(None)
    netra_common.db._green = True  # keep the Database provider from making it green again


def main() -> None:
    if os.environ.get("PROBE_BLOCKING_DB") == "1":
        _make_database_blocking()
    config = load_yaml_with_env(BASE_CONFIG)
    config.update({
        "WEB_SERVER_ADDRESS": os.environ["PROBE_ADDRESS"],
        "NETRA_S3_ACCESS_KEY": os.environ.get("PROBE_S3_ACCESS_KEY", ""),
        "NETRA_S3_SECRET_KEY": os.environ.get("PROBE_S3_SECRET_KEY", ""),
        "max_workers": 10,
    })
    config["LOGGING"]["formatters"]["event"]["service"] = "probe"
    logging.config.dictConfig(config["LOGGING"])
    run([ProbeService], config)


if __name__ == "__main__":
    main()
