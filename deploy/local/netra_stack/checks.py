"""Is RabbitMQ there? Is PostgreSQL there? If not, say so and how to fix it."""

from __future__ import annotations

import glob
from urllib.parse import urlsplit

import psycopg2
from kombu import Connection

from netra_stack.processes import port_open


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
        reason = str(exc).strip().splitlines()[0]
        where = f"{parts.hostname}:{parts.port or 5432}"
        if "authentication failed" in reason or "no pg_hba.conf entry" in reason or (
                "role" in reason and "does not exist" in reason):
            raise Unreachable(
                f"PostgreSQL at {where} refused the login ({reason}).\n"
                f"  Put the right user and password in NETRA_PG_URL "
                f"(postgresql+psycopg2://USER:PASSWORD@{where})."
            ) from None
        raise Unreachable(
            f"PostgreSQL is not reachable at {where} ({reason}).\n"
            f"  Start it with:  {_pg_start_command()}\n"
            f"  or point NETRA_PG_URL at a running server."
        ) from None


def check_rabbitmq(amqp_uri: str) -> None:
    parts = urlsplit(amqp_uri)
    try:
        with Connection(amqp_uri, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is reported
        if "ACCESS_REFUSED" in str(exc) or "403" in str(exc).split(" ", 1)[0]:
            raise Unreachable(
                f"RabbitMQ at {parts.hostname}:{parts.port or 5672} refused the login ({exc}).\n"
                f"  Put the right user and password in NETRA_AMQP_URI "
                f"(amqp://USER:PASSWORD@{parts.hostname}:{parts.port or 5672}/)."
            ) from None
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


def check_ports_free(ports: dict[str, int]) -> None:
    """Every port the stack will listen on is free; else name it and the setting that moves it.

    Usually it is an earlier `make run` still running (or left behind by a closed terminal).
    """
    taken = {what: port for what, port in ports.items() if port_open(port)}
    if taken:
        listed = ", ".join(f"{port} ({what})" for what, port in taken.items())
        raise Unreachable(
            f"These ports are already in use: {listed}.\n"
            f"  Is another `make run` still going? Stop it (Ctrl-C in its terminal, or\n"
            f"  `ss -ltnp` shows the process), or move Netra with NETRA_<SERVICE>_PORT,\n"
            f"  NETRA_SMTP_PORT and NETRA_SEAWEED_PORTS.")
