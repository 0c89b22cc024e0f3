"""`netra-bus`: declare the bus topology; list, show and replay parked messages."""

from __future__ import annotations

import dataclasses
import json
import os
import sys

import click

from netra_common.bus import deadletters, topology
from netra_common.bus.settings import BusSettings
from netra_common.config import BASE_CONFIG, load_yaml_with_env
from netra_common.operator_cli import operator_group


def _settings() -> BusSettings:
    return BusSettings.from_config(load_yaml_with_env(BASE_CONFIG))


@click.group(cls=operator_group("bus"))
def main():
    """Topologi RabbitMQ Netra dan pesan yang diparkir.

    Pengaturan sama dengan `make run` (NETRA_AMQP_URI, NETRA_BUS_PREFIX, NETRA_RETRY_DELAYS_MS)."""


@main.command()
def declare():
    """Deklarasikan setiap exchange, antrean dan binding (aman dijalankan lagi)."""
    settings = _settings()
    names = topology.declare(settings, progress=lambda name: click.echo(f"  {name}"))
    click.echo(f"declared {len(names)} queues under prefix '{settings.prefix}'")


@main.command("dead-letters")
@click.option("--service", help="Hanya layanan penerima ini.")
@click.option("--type", "event_type", help="Hanya jenis peristiwa ini.")
@click.option("--json", "as_json", is_flag=True, help="Cetak baris JSON, bukan tabel.")
def dead_letters(service, event_type, as_json):
    """Daftar pesan yang diparkir beserta sebabnya."""
    letters = deadletters.list_dead(_settings(), service, event_type)
    if not letters:
        click.echo("no parked messages")
        return
    for letter in letters:
        if as_json:
            click.echo(json.dumps({**letter.__dict__, "body": None}, default=str))
        else:
            click.echo(f"{letter.parked_at or '-'}  {letter.service}/{letter.event_type}  "
                       f"{letter.event_id or '(no id)'}  attempts={letter.attempts}\n"
                       f"    {letter.reason}")


@main.command()
@click.argument("event_id")
def show(event_id):
    """Tampilkan satu pesan yang diparkir utuh, menurut id peristiwanya."""
    for letter in deadletters.list_dead(_settings()):
        if letter.event_id == event_id:
            click.echo(json.dumps(letter.__dict__, indent=2, default=str, ensure_ascii=False))
            return
    click.echo(f"no parked message with event id {event_id}", err=True)
    sys.exit(1)


@main.command()
@click.option("--service", help="Hanya layanan penerima ini.")
@click.option("--type", "event_type", help="Hanya jenis peristiwa ini.")
@click.option("--event-id", help="Hanya pesan ini.")
@click.option("--all", "everything", is_flag=True, help="Kirim ulang semua pesan yang diparkir.")
def replay(service, event_type, event_id, everything):
    """Kembalikan pesan yang diparkir ke antreannya untuk serangkaian percobaan baru."""
    if not (service or event_type or event_id or everything):
        raise click.UsageError("name what to replay (--service, --type, --event-id) or pass --all")
    count = deadletters.replay(_settings(), service, event_type, event_id)
    click.echo(f"replayed {count} message(s)")


@main.command()
@click.option("--prefix", required=True,
              help="Awalan nama antrean stack yang dihapus (mis. netra-test-1a2b3c4d); wajib, agar tidak ada "
                   "yang terhapus tanpa disebut.")
def teardown(prefix):
    """Hapus semua antrean dan exchange sebuah stack (awalan --prefix), termasuk pesan di dalamnya.

    Untuk stack uji atau stack yang sudah tidak dipakai: tiap awalan meninggalkan lebih dari seratus
    antrean quorum di broker, dan beberapa ratus menghabiskan file handle satu node RabbitMQ
    (docs/decisions/0001). Tunda antrean diambil dari NETRA_RETRY_DELAYS_MS, seperti `declare`.
    """
    settings = dataclasses.replace(_settings(), prefix=prefix)
    queues, exchanges = topology.delete(settings)
    click.echo(f"dihapus {queues} antrean dan {exchanges} exchange dengan awalan '{prefix}'")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
