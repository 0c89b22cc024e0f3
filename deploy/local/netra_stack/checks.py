"""Is RabbitMQ there? Is PostgreSQL there? If not, say so and how to fix it."""

from __future__ import annotations

import glob
from urllib.parse import urlsplit

import psycopg2
from kombu import Connection


class Unreachable(Exception):
    pass


def _pg_start_command() -> str:
    versions = [path.rsplit("/", 1)[-1] for path in glob.glob("/etc/postgresql/*")]
    version = versions[0] if versions else "$(ls /etc/postgresql)"
    return f"pg_ctlcluster --skip-systemctl-redirect {version} main start"


def check_postgres(pg_url: str) -> None:
    parts = urlsplit(pg_url)
    try:
        psycopg2.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
            password=parts.password, dbname="postgres", connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as exc:
        raise Unreachable(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} "
            f"({str(exc).strip().splitlines()[0]}).\n"
            f"  Start it with:  {_pg_start_command()}\n"
            f"  or point NETRA_PG_URL at a running server."
        ) from None


def check_rabbitmq(amqp_uri: str) -> None:
    parts = urlsplit(amqp_uri)
    try:
        with Connection(amqp_uri, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is reported the same way
        raise Unreachable(
            f"RabbitMQ is not reachable at {parts.hostname}:{parts.port or 5672} "
            f"({type(exc).__name__}: {exc}).\n"
            f"  Start it with:  rabbitmq-server -detached\n"
            f"  or point NETRA_AMQP_URI at a running broker."
            + (HANDSHAKE_HINT if "timed out" in str(exc) else "")
        ) from None


# A broker that accepts the connection but never answers has usually run out of file handles
# (about three per quorum queue, with `ulimit -n` 1024): docs/decisions/0001.
HANDSHAKE_HINT = (
    "\n  It accepted the connection but did not answer. If\n"
    "    rabbitmqctl eval 'file_handle_cache:info([total_limit, total_used]).'\n"
    "  shows total_used above total_limit, delete stale queues (rabbitmqctl list_queues) or\n"
    "  restart RabbitMQ with a higher open-files limit.")
