"""Operator commands for intake: `python -m services.intake.admin --help`."""

from __future__ import annotations

import click
from sqlalchemy import create_engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.config import load_service_config
from netra_common.operator_cli import operator_group
from services.intake.adapters.tables import work_units


def _engine():
    return create_engine(load_service_config("intake")["NETRA_DB_URL"])


@click.group(cls=operator_group("intake"))
def main():
    """Perintah operator intake (pengaturan sama dengan `make run`: lingkungan, lalu .netra/)."""


@main.group("work-units")
def work_units_group():
    """Unit kerja (OPD) yang ditawarkan portal; pengaduan tetap boleh menyebut yang lain."""


@work_units_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Sertakan unit yang sudah dikeluarkan dari daftar.")
def list_units(show_all):
    """Daftar unit kerja menurut kelompok."""
    with _engine().connect() as conn:
        query = select(work_units).order_by(work_units.c.group_name, work_units.c.name)
        if not show_all:
            query = query.where(work_units.c.active.is_(True))
        for row in conn.execute(query):
            mark = "" if row.active else "  (taken off)"
            click.echo(f"{row.group_name}: {row.name}{mark}")


@work_units_group.command("add")
@click.argument("name")
@click.option("--group", required=True, help='mis. "Dinas", "Badan", "Kecamatan".')
def add_unit(name, group):
    """Tawarkan NAME di portal (atau tawarkan lagi)."""
    with _engine().begin() as conn:
        stmt = pg_insert(work_units).values(name=name.strip(), group_name=group.strip(), active=True)
        conn.execute(stmt.on_conflict_do_update(index_elements=[work_units.c.name],
                                                set_={"group_name": stmt.excluded.group_name,
                                                      "active": True}))
    click.echo(f"work unit offered: {name}")


@work_units_group.command("remove")
@click.argument("name")
def remove_unit(name):
    """Berhenti menawarkan NAME (pengaduan yang menyebutnya tetap menyimpannya)."""
    with _engine().begin() as conn:
        changed = conn.execute(update(work_units).where(work_units.c.name == name)
                               .values(active=False)).rowcount
    if not changed:
        raise click.ClickException(f"no work unit named {name!r}")
    click.echo(f"work unit taken off the list: {name}")


if __name__ == "__main__":
    main()
