"""Operator commands for evidence: `netra-evidence --help`."""

from __future__ import annotations

import sys
from datetime import timedelta

import click
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.contracts.quarantine import new_key_pair
from netra_common.operator_cli import operator_group
from netra_common.progress import Progress
from netra_common.s3 import S3Settings
from services.evidence import settings as evidence_settings
from services.evidence.adapters.crypto import Keyring
from services.evidence.domain.quarantine import check_grace
from services.evidence.usecases import integrity, inventory
from services.evidence.usecases.custody import sweep_quarantine


def _context():
    config = load_service_config("evidence")
    return (config, create_engine(config["NETRA_DB_URL"]),
            S3Settings.from_config(config).client(), evidence_settings.from_config(config))


@click.group(cls=operator_group("evidence"))
def main():
    """Perintah operator evidence (pengaturan sama dengan `make run`: lingkungan, lalu .netra/)."""


@main.command()
def verify():
    """Baca ulang, dekripsi dan hitung ulang hash setiap objek tersimpan, sebut setiap berkas asli yang
    kuncinya (retensi COMPLIANCE, atau legal hold) lebih pendek dari yang dibutuhkan masa simpan kasusnya
    (short_of_case), dan setiap versi objek di bucket yang tidak dijelaskan catatan mana pun; kode keluar
    1 bila ada masalah atau versi itu."""
    _, engine, client, settings = _context()
    checked, findings = integrity.verify(engine, client, settings.keyring, Progress("verifying"))
    for finding in findings:
        click.echo(f"PROBLEM {finding}")
    loose = inventory.unexplained(engine, client, settings)
    for item in loose:
        click.echo(f"UNEXPLAINED {item}")
    summary = "all intact" if not findings else f"{len(findings)} problem(s)"
    unaccounted = "nothing unexplained" if not loose else f"{len(loose)} unexplained object version(s)"
    click.echo(f"checked {checked} objects: {summary}; {unaccounted}")
    sys.exit(1 if findings or loose else 0)


@main.command()
@click.option("--all", "everything", is_flag=True,
              help="Hapus juga versi yang tidak dijelaskan intent evidence mana pun (bukan hanya sisa unggahannya "
                   "yang gagal).")
def reconcile(everything):
    """Hapus versi objek yang tidak dijelaskan catatan mana pun: sisa percobaan evidence yang tidak
    pernah di-commit, sisa di karantina dan, dengan --all, apa pun yang tak dijelaskan. Berkas asli yang
    masih dalam masa retensi tidak bisa dihapus sebelum tanggalnya; ia disebut dengan tanggal itu."""
    _, engine, client, settings = _context()
    done = inventory.reconcile(engine, client, settings, everything=everything,
                               progress=lambda item: click.echo(f"removed {item}"))
    for item in done.locked:
        click.echo(f"LOCKED {item} (it cannot be removed before then)")
    for item in done.left:
        click.echo(f"LEFT {item} (no intent of evidence's explains it; --all removes it)")
    click.echo(f"removed {len(done.removed)}, locked {len(done.locked)}, left {len(done.left)}")


@main.command("rotate-key")
def rotate_key():
    """Bungkus ulang setiap kunci data dengan NETRA_EVIDENCE_ACTIVE_KEY_ID (isi tidak disentuh).

    Tambahkan kunci baru ke NETRA_EVIDENCE_MASTER_KEYS, jadikan aktif, jalankan ini, lalu kunci lama
    boleh dibuang dari daftar.
    """
    _, engine, _, settings = _context()
    count = integrity.rotate(engine, settings.keyring, Progress("re-wrapping"))
    click.echo(f"re-wrapped {count} data key(s) under master key {settings.keyring.active}")


@main.command()
@click.option("--grace-hours", type=float, default=None,
              help="Umur setelah mana unggahan yang tidak dicatat evidence dihapus "
                   "(bawaan: NETRA_QUARANTINE_GRACE_HOURS, 168).")
@click.option("--force", is_flag=True,
              help="Izinkan masa tenggang di bawah 24 jam (bisa menghapus unggahan yang masih di jalan).")
def sweep(grace_hours, force):
    """Hapus unggahan di karantina yang hasilnya sudah tercatat, dan yang lama tak pernah sampai ke evidence.

    Unggahan yang tidak dicatat evidence mungkin milik pengaduan yang tertahan di bus atau diparkir
    di antrean dead-letter, jadi ia tinggal selama masa tenggang.
    """
    _, engine, client, settings = _context()
    grace = settings.quarantine_grace if grace_hours is None else timedelta(hours=grace_hours)
    try:
        check_grace(grace, force)
    except ValueError as exc:
        raise click.UsageError(f"{exc}; pass --force if that is what you want") from None
    removed = sweep_quarantine(engine, client, settings, grace,
                               progress=lambda key: click.echo(f"removed {key}"))
    click.echo(f"removed {removed} quarantined upload(s)")


@main.command("new-master-key")
def new_master_key():
    """Cetak kunci induk AES-256 acak yang baru (base64) untuk NETRA_EVIDENCE_MASTER_KEYS."""
    click.echo(Keyring.new_key())


@main.command("new-quarantine-key")
def new_quarantine_key():
    """Cetak pasangan kunci karantina baru (X25519, base64): separuh privat lebih dulu ke
    NETRA_QUARANTINE_PRIVATE_KEYS milik evidence, lalu separuh publik ke NETRA_QUARANTINE_PUBLIC_KEY
    milik intake."""
    private, public = new_key_pair()
    click.echo(f"NETRA_QUARANTINE_PRIVATE_KEYS={private}  (evidence; add it before the old one is dropped)")
    click.echo(f"NETRA_QUARANTINE_PUBLIC_KEY={public}  (intake)")


if __name__ == "__main__":
    main()
