"""Applies each service's Alembic migrations to its own PostgreSQL schema.

Each service keeps its migrations in services/<name>/migrations and its
Alembic version table inside its own schema, so services never share tables.
"""

from __future__ import annotations

import os
import sys

import click
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from netra_cli.click_words import IndonesianCommand
from netra_common.config import SERVICE_NAMES, SERVICES_DIR, load_service_config
from netra_common.operator_cli import use_stack_settings


def alembic_config(service: str, db_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    config.attributes["schema"] = service
    return config


def upgrade(service: str, db_url: str | None = None, revision: str = "head") -> None:
    url = db_url or load_service_config(service)["NETRA_DB_URL"]
    command.upgrade(alembic_config(service, url), revision)


def run_env(context, schema: str, target_metadata) -> None:
    """The body of every service's migrations/env.py (online mode only)."""
    config = context.config
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
            include_schemas=False,
        )
        with context.begin_transaction():
            # Two starts at once must not apply the same migration twice.
            connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
            context.run_migrations()
    engine.dispose()


@click.command(cls=IndonesianCommand)
@click.argument("services", nargs=-1, type=click.Choice(SERVICE_NAMES))
@click.option("--db-url", envvar="NETRA_DB_URL", help="URL PostgreSQL (bawaan: config tiap layanan).")
def main(services, db_url):
    """Terapkan migrasi basis data SERVICES (bawaan: keempatnya)."""
    use_stack_settings("bus")  # the database `make run` uses (NETRA_DB_NAME), unless one is set
    db_url = db_url or os.environ.get("NETRA_DB_URL")
    for service in services or SERVICE_NAMES:
        click.echo(f"migrating {service} ...")
        try:
            upgrade(service, db_url)
        except Exception as exc:  # noqa: BLE001 - say which service failed, then stop
            click.echo(f"migration of {service} failed: {exc}", err=True)
            sys.exit(1)
    click.echo("migrations applied")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
