"""`netra-casework retention run [--dry-run]`: the retention run by hand (docs/retention.md).

The service's daily timer runs the same thing once a day; by hand it runs whenever asked, still
one at a time. A dry run changes nothing and says, case by case, what would go and why.
"""

from __future__ import annotations

import sys

import click
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.progress import Progress


@click.group("retention")
def retention():
    """Retensi data pribadi: hapus data kasus yang masa simpannya habis (docs/retention.md)."""


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Jangan ubah apa pun; sebutkan kasus mana yang akan dihapus dan mengapa.")
def run(dry_run: bool) -> None:
    """Hapus data pribadi setiap kasus yang masa retensinya habis dan tidak ditahan (legal hold).

    Untuk tiap kasus yang sudah diputus: identitas pelapor yang tersegel dihapus bersama kuncinya,
    teks bebas dan nama, NIP serta akun ASN terlapor dikosongkan dari log, proyeksi dan outbox;
    nomor kasus, tanggal, platform, jenis pelanggaran, unit kerja dan hasilnya tetap untuk
    statistik. Layanan lain (bukti, pengaduan, notifikasi) menghapus bagiannya saat menerima
    case_purged. Pengaturan: NETRA_RETENTION_FILE (bawaan services/casework/reference/retention.yaml).
    """
    # Imported here: the other operator commands start without the case machinery (decision 0026).
    from netra_common.db import DatabaseHandle
    from services.casework.adapters.retention_schedule import load_schedule
    from services.casework.adapters.tables import messaging
    from services.casework.adapters.units import PostgresUnits
    from services.casework.usecases import retention as retention_run

    config = load_service_config("casework")
    schedule = load_schedule(config.get("NETRA_RETENTION_FILE") or None)
    engine = create_engine(config["NETRA_DB_URL"], pool_size=2, max_overflow=0)
    units = PostgresUnits(DatabaseHandle(engine, messaging, producer="casework", consumer="casework.retention"))
    try:
        report = retention_run.run(units, schedule, dry_run=dry_run, progress=Progress("memeriksa kasus"))
    finally:
        engine.dispose()
    if not report.ran:
        click.echo("Retensi sedang dijalankan proses lain; tidak ada yang dikerjakan.")
        sys.exit(0)
    for verdict in report.verdicts:
        if verdict.goes or verdict.hold_reason:
            click.echo(("AKAN " if dry_run and verdict.goes else "") + verdict.describe(schedule))
    verb = "akan dihapus" if dry_run else "dihapus"
    click.echo(f"Diperiksa {report.looked_at} kasus yang sudah diputus: {len(report.purged)} {verb}, "
               f"{len(report.held)} ditahan (legal hold)." + (" Uji coba: tidak ada yang diubah." if dry_run else ""))
