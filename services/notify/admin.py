"""Operator commands for notify: `netra-notify --help`."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.operator_cli import operator_group
from services.notify import settings, usecases
from services.notify.adapters.dead_letters import count_dead
from services.notify.adapters.notify_store import PostgresNotifyStore
from services.notify.domain.redact import redact


class _Db:
    """The part of the service's database handle the use cases need."""

    def __init__(self, engine):
        self.engine = engine


@contextmanager
def _context():
    """The database and the outbound settings, as the service has them; the pool is closed after."""
    config = load_service_config("notify")
    outbound = settings.outbound(config)
    engine = create_engine(config["NETRA_DB_URL"])
    try:
        yield _Db(engine), outbound
    finally:
        engine.dispose()


def _error(row, outbound) -> str:
    # Stored errors are redacted when written; rows from before that are made safe here too.
    return redact(row.last_error or "", addresses=(row.address,), secrets=outbound.secrets)


@click.group(cls=operator_group("notify"))
def main():
    """Perintah operator notify (pengaturan sama dengan `make run`: lingkungan, lalu .netra/)."""


@main.group("dead-letters")
def dead_letters_group():
    """Pesan yang gagal untuk selamanya, atau terlalu sering."""


@dead_letters_group.command("list")
@click.option("--kind", default=None, help="Hanya dead letter jenis ini (mis. bkppd_forwarded).")
def list_dead(kind):
    """Daftar dead letter dengan sebab gagalnya (galat tidak pernah memuat alamat atau rahasia)."""
    with _context() as (db, outbound), db.engine.connect() as conn:
        rows = usecases.dead_letters(conn, kind)
    if not rows:
        click.echo("no dead letters")
    for row in rows:
        click.echo(f"{row.delivery_id}  {row.kind}  {row.channel}  {row.recipient}  attempts={row.attempts}\n"
                   f"    {_error(row, outbound)}")


@dead_letters_group.command("show")
@click.argument("delivery_id")
def show_dead(delivery_id):
    """Tampilkan satu pengiriman utuh, dengan tiap percobaannya (alamat pelapor tetap tersegel)."""
    with _context() as (db, outbound), db.engine.connect() as conn:
        row = usecases.find_delivery(conn, delivery_id)
        attempts = usecases.attempts_of(conn, delivery_id) if row is not None else []
    if row is None:
        click.echo(f"no delivery {delivery_id}", err=True)
        sys.exit(1)
    for key in ("delivery_id", "event_id", "kind", "channel", "recipient", "status", "attempts", "created_at",
                "subject"):
        click.echo(f"{key}: {getattr(row, key)}")
    click.echo(f"last_error: {_error(row, outbound) or None}")
    click.echo("attempts log:" if attempts else "attempts log: none")
    for attempt in attempts:
        error = redact(attempt.error, addresses=(row.address,), secrets=outbound.secrets) if attempt.error else ""
        click.echo(f"  #{attempt.attempt}  {attempt.attempted_at:%Y-%m-%d %H:%M:%S%z}  {attempt.outcome}  {error}")
    click.echo(f"\n{row.body_text}")


@dead_letters_group.command("resend")
@click.argument("delivery_id", required=False)
@click.option("--all", "everything", is_flag=True, help="Semua dead letter.")
@click.option("--kind", default=None, help="Semua dead letter jenis ini (mis. bkppd_forwarded).")
@click.option("--now", "at_once", is_flag=True, help="Kirim langsung dari sini, tidak menunggu notify.")
@click.option("--yes", is_flag=True, help="Jangan bertanya sebelum mengirim ulang beberapa sekaligus.")
def resend_dead(delivery_id, everything, kind, at_once, yes):
    """Beri dead letter kesempatan kirim baru (setelah penyebab gagalnya diperbaiki).

    Sebut satu dengan DELIVERY_ID, atau pilih --all atau --kind KIND; jumlahnya ditampilkan dan,
    kecuali --yes, ditanyakan dulu. Butir untuk ringkasan menunggu ringkasan anggota berikutnya.
    """
    if sum((delivery_id is not None, everything, kind is not None)) != 1:
        raise click.UsageError("give one DELIVERY_ID, or --all, or --kind KIND")
    with _context() as (db, outbound):
        if delivery_id is None:
            with db.engine.connect() as conn:
                count = count_dead(conn, kind)
            which = f" of kind {kind}" if kind else ""
            if count == 0:
                click.echo(f"no dead letters{which} to send again")
                return
            click.echo(f"{count} dead letter(s){which} to send again")
            if not yes:
                click.confirm("Send them again?", abort=True)
        with db.engine.begin() as conn:
            resent = usecases.resend(conn, delivery_id, kind=kind, everything=everything)
        if delivery_id is not None and not resent:
            click.echo(f"{delivery_id} is not a dead letter", err=True)
            sys.exit(1)
        if at_once:
            for resent_id, status in resent:
                if status == "pending":
                    usecases.deliver(PostgresNotifyStore(db), outbound, resent_id)
    waiting = sum(1 for _, status in resent if status == "queued")
    click.echo(f"{len(resent)} dead letter(s) queued to be sent again"
               + (f" ({waiting} in the member's next digest)" if waiting else ""))


@main.command("send-digests")
@click.option("--force", is_flag=True, help="Kirim sekarang semua yang antre, walau sebelum jam ringkasan atau sudah "
                   "dikirim hari ini.")
def send_digests(force):
    """Satukan kabar yang antre bagi tiap anggota pilihan ringkasan dalam satu e-mail.

    Yang jatuh tempo pada jam ringkasan (WIB), atau semuanya dengan --force."""
    with _context() as (db, outbound):
        count = usecases.send_digests(PostgresNotifyStore(db), outbound, force=force)
        usecases.deliver_due(PostgresNotifyStore(db), outbound)
    click.echo(f"{count} digest(s) prepared")


if __name__ == "__main__":
    main()
