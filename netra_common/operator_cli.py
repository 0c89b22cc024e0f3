"""What every operator command (netra-intake, -evidence, -casework, -notify, -bus) shares: the same
settings `make run` gives the service, Indonesian words, and a missing database told in one line.

On a development machine the stack `make run` started keeps its database name, bus prefix and keys
in its data folder (`.netra/secrets.json`) and its settings (NETRA_DB_NAME, NETRA_PG_URL ...); the
operator commands fill every setting the environment does not give from there (the database, bus and
retry settings even without a data folder), exactly as the stack gives them to its
service (netra_stack.stack.Stack.service_env), so `netra-evidence verify` or `netra-casework
ensure-user` act on the running stack with no variable set. A variable that is set always wins;
where there is no such data folder (production) only the environment counts."""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import urlsplit

import click

from netra_cli.click_words import IndonesianGroup


def use_stack_settings(service: str) -> None:
    """Fill the environment's gaps with what `make run` gives `service` ("bus": the bus settings)."""
    try:
        from netra_stack.secrets import secrets_file
        from netra_stack.settings import StackSettings
    except ImportError:  # an installation without the local stack
        return
    settings = StackSettings.from_env()
    # The database and bus `make run` would use (NETRA_PG_URL + NETRA_DB_NAME, ...), data folder or not.
    for name, value in {"NETRA_DB_URL": settings.db_url, "NETRA_AMQP_URI": settings.amqp_uri,
                        "NETRA_BUS_PREFIX": settings.bus_prefix,
                        "NETRA_RETRY_DELAYS_MS": settings.retry_delays_ms}.items():
        os.environ.setdefault(name, value)
    path = secrets_file(settings.data_dir)
    if not path.exists():
        return
    # Only with a data folder: the stack's module brings its S3 client and the bus's libraries (nameko,
    # eventlet), a second of start-up for a command that then finds no folder to read.
    from netra_stack.stack import Stack

    stack = Stack(settings)
    stack.secrets = json.loads(path.read_text())
    try:
        env = stack.service_env(service)
    except KeyError:  # a secrets file from an older version: `make run` completes it
        env = stack.service_env("bus")
    for name, value in env.items():
        os.environ.setdefault(name, value)


def _where(url: str) -> str:
    """host:port/database of a database URL, never its password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


def database_refusal(exc: Exception) -> str | None:
    """One line for a database that is not there, cannot be reached or has no tables yet; None for
    anything else (a real fault keeps its traceback)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    url = os.environ.get("NETRA_DB_URL", "")
    where = f" ({_where(url)})" if url else ""
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, OperationalError):
        hint = ("Jalankan `make run` (membuatnya), atau setel NETRA_DB_NAME / NETRA_DB_URL ke basis data yang ada."
                if "does not exist" in reason else
                "Periksa bahwa PostgreSQL berjalan dan menerima sambungan, lalu coba lagi.")
        return f"basis data tidak bisa dipakai{where}: {reason}. {hint}"
    if isinstance(exc, ProgrammingError) and "does not exist" in reason:
        return (f"basis data{where} belum berisi tabel Netra ({reason}). Jalankan `make run` atau "
                f"`netra-migrate` dulu.")
    return None


class OperatorGroup(IndonesianGroup):
    """A command group for one service's operator commands (see the module's text)."""

    service = "bus"

    def invoke(self, ctx: click.Context):
        use_stack_settings(self.service)
        try:
            return super().invoke(ctx)
        except Exception as exc:
            line = database_refusal(exc)
            if line is None:
                raise
            click.echo(f"{ctx.info_name}: {line}", err=True)
            sys.exit(1)


def operator_group(service: str) -> type[OperatorGroup]:
    return type(f"{service.title()}OperatorGroup", (OperatorGroup,), {"service": service})
