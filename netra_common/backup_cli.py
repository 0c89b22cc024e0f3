"""`netra-backup` and `netra-restore`: the operator's commands around netra_common/backup.py and,
for the case keys kept apart with a short retention, netra_common/backup_keys.py (decision 0037).

Settings (environment): NETRA_DB_URL, NETRA_S3_ENDPOINT, NETRA_S3_SECURE, NETRA_BACKUP_S3_ACCESS_KEY
and NETRA_BACKUP_S3_SECRET_KEY (a key that reads and writes all three buckets: MinIO's root user or
one made for backups), and the backup key, NETRA_BACKUP_KEY or --key-file (base64, 32 bytes;
`netra-backup new-key` makes one). Keep the backup key, and the service keys the backup names,
apart from the backups.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click

from netra_cli.click_words import IndonesianCommand, IndonesianGroup
from netra_common import backup, backup_keys, backup_nightly
from netra_common.backup_crypto import BackupUnreadable, new_key, parse_key
from netra_common.s3 import S3Settings

KEYS_MISSING = ("PERINGATAN: kunci kasus tidak dipulihkan (tanpa --keys). Identitas dan kontak pelapor tetap "
                "tertutup: tidak ada yang dapat membukanya sampai cadangan kunci dipulihkan (netra-restore --keys).")


def _key(key_file: str | None) -> bytes:
    text = Path(key_file).read_text() if key_file else os.environ.get("NETRA_BACKUP_KEY", "")
    if not text:
        raise click.UsageError("kunci cadangan tidak ada: isi NETRA_BACKUP_KEY atau beri --key-file")
    return parse_key(text)


def _targets(db_url: str | None):
    env = os.environ
    db = db_url or env.get("NETRA_DB_URL")
    if not db:
        raise click.UsageError("basis data tidak disebut: isi NETRA_DB_URL atau beri --db-url")
    client = S3Settings(env.get("NETRA_S3_ENDPOINT", "127.0.0.1:8333"), env.get("NETRA_BACKUP_S3_ACCESS_KEY", ""),
                        env.get("NETRA_BACKUP_S3_SECRET_KEY", ""),
                        env.get("NETRA_S3_SECURE", "false").lower() in ("1", "true", "yes")).client()
    return db, client


def _per_thousand(seconds: float, cases: int | None) -> str:
    return f" ({seconds / cases * 1000:.1f} s per 1,000 cases)" if cases else ""


def _write_keys(db: str, out: str, key: bytes) -> None:
    made = backup_keys.create(db, Path(out), key)
    click.echo(f"case keys written to {out}: {made.keys} keys")
    click.echo(f"PERINGATAN: simpan {out} terpisah dari cadangan data dan hapus setelah {backup_keys.KEEP_DAYS} "
               "hari (decision 0037).", err=True)


@click.group(cls=IndonesianGroup,
             help="Tulis cadangan Netra yang terenkripsi (setiap skema, setiap bucket; kunci kasus terpisah), "
                  "atau buat kunci cadangan.")
def backup_main():
    pass


@backup_main.command("create", help="Tulis cadangan data ke OUT (berkas baru). Kunci kasus tidak pernah ikut: "
                                    "tulis dengan --keys-to ke berkas lain yang disimpan singkat.")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--db-url", help="Basis data (bawaan NETRA_DB_URL).")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="Kunci cadangan (bawaan NETRA_BACKUP_KEY).")
@click.option("--keys-to", type=click.Path(dir_okay=False),
              help=f"Tulis juga kunci kasus ke berkas baru ini, setelah data (simpan terpisah, hapus setelah "
                   f"{backup_keys.KEEP_DAYS} hari).")
@click.option("--cases", type=int, help="Jumlah kasus di sistem, untuk mencetak waktu per 1.000 kasus.")
def create(out, db_url, key_file, keys_to, cases):
    db, client = _targets(db_url)
    key = _key(key_file)
    report = backup.create(db, client, Path(out), key)
    click.echo(f"backup written to {out} in {report.seconds:.1f} s{_per_thousand(report.seconds, cases)}: "
               f"database {report.database_bytes} bytes, objects {report.objects}")
    if keys_to:
        _write_keys(db, keys_to, key)
    click.echo(f"WARNING: {backup.WARNING}", err=True)


@backup_main.command("keys", help="Tulis hanya kunci kasus ke OUT (berkas baru), terenkripsi; simpan terpisah dari "
                                  f"cadangan data dan hapus setelah {backup_keys.KEEP_DAYS} hari.")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--db-url", help="Basis data (bawaan NETRA_DB_URL).")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="Kunci cadangan (bawaan NETRA_BACKUP_KEY).")
def keys(out, db_url, key_file):
    db = db_url or os.environ.get("NETRA_DB_URL")
    if not db:
        raise click.UsageError("basis data tidak disebut: isi NETRA_DB_URL atau beri --db-url")
    _write_keys(db, out, _key(key_file))


@backup_main.command("nightly", help=(
    "Pencadangan malam: tulis data-<waktu UTC>.backup ke folder --to dan keys-<waktu UTC>.backup (kunci kasus) ke "
    "--keys-to (bawaan: folder --to), lalu hapus yang lama menurut waktu di nama berkas: kunci setelah "
    "NETRA_BACKUP_KEYS_DAYS hari (35, tidak boleh lebih), data setelah NETRA_BACKUP_DATA_DAYS hari (30) kecuali "
    "yang pertama tiap bulan, disimpan NETRA_BACKUP_MONTHLY_YEARS tahun (5). Berkas lain tidak pernah disentuh; "
    "bila pencadangan gagal, tidak ada yang dihapus."))
@click.option("--to", "data_dir", required=True, type=click.Path(file_okay=False),
              help="Folder cadangan data (sebaiknya di luar mesin ini).")
@click.option("--keys-to", "keys_dir", type=click.Path(file_okay=False),
              help="Folder cadangan kunci kasus, terpisah dari data (bawaan: folder --to).")
@click.option("--db-url", help="Basis data (bawaan NETRA_DB_URL).")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="Kunci cadangan (bawaan NETRA_BACKUP_KEY).")
@click.option("--dry-run", is_flag=True, help="Hanya cetak apa yang akan ditulis dan dihapus; tidak menulis, "
                                              "tidak menghapus.")
def nightly(data_dir, keys_dir, db_url, key_file, dry_run):
    try:
        policy = backup_nightly.Policy.from_env()
        key = b"" if dry_run else _key(key_file)
        db, client = _targets(db_url)
    except (ValueError, click.UsageError) as exc:
        _fail(exc.message if isinstance(exc, click.UsageError) else str(exc))

    def write_data(out: Path) -> None:
        made = backup.create(db, client, out, key)
        click.echo(f"data: basis data {made.database_bytes} byte, objek {made.objects}, {made.seconds:.1f} detik")

    def write_keys(out: Path) -> None:
        click.echo(f"kunci kasus: {backup_keys.create(db, out, key).keys} kunci")

    try:
        report = backup_nightly.run(write_data, write_keys, Path(data_dir), Path(keys_dir or data_dir),
                                    datetime.now(UTC), policy, dry_run=dry_run)
    except backup_nightly.NightlyFailed as exc:
        _fail(str(exc))
    will = "akan " if dry_run else ""
    for path in report.written:
        click.echo(f"{will}ditulis: {path}")
    for path in report.pruned:
        click.echo(f"{will}dihapus: {path}")
    click.echo(f"{'uji coba (--dry-run), tidak ada yang diubah: ' if dry_run else 'selesai: '}"
               f"{len(report.written)} ditulis, {len(report.pruned)} dihapus")
    if report.not_pruned:
        click.echo(f"pencadangan malam ditulis, tetapi {len(report.not_pruned)} berkas lama tidak dapat dihapus: "
                   + "; ".join(report.not_pruned), err=True)
        sys.exit(1)


def _fail(reason: str) -> NoReturn:
    click.echo(f"pencadangan malam gagal, tidak ada berkas yang dihapus: {reason}", err=True)
    sys.exit(1)


@backup_main.command("new-key", help="Cetak kunci cadangan baru (base64); simpan terpisah dari cadangan.")
def make_key():
    click.echo(new_key())


@click.command(cls=IndonesianCommand,
               help="Pulihkan cadangan ke basis data dan penyimpanan objek yang kosong; kunci kasus dari --keys.")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False),
              help="Cadangan kunci kasus (netra-backup create --keys-to). Tanpa ini identitas dan kontak "
                   "pelapor tetap tertutup.")
@click.option("--db-url", help="Basis data (kosong) (bawaan NETRA_DB_URL).")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="Kunci cadangan (bawaan NETRA_BACKUP_KEY).")
@click.option("--cases", type=int, help="Jumlah kasus di cadangan, untuk mencetak waktu per 1.000 kasus.")
def restore_main(source, keys_file, db_url, key_file, cases):
    db, client = _targets(db_url)
    key = _key(key_file)
    try:
        report = backup.restore(Path(source), key, db, client)
        restored_keys = backup_keys.restore(Path(keys_file), key, db) if keys_file else None
    except (BackupUnreadable, backup.RestoreRefused) as exc:
        click.echo(f"pemulihan ditolak: {exc}", err=True)
        sys.exit(1)
    click.echo(f"restored in {report.seconds:.1f} s{_per_thousand(report.seconds, cases)}: "
               f"database {report.database_bytes} bytes, objects {report.objects}. Next: netra-migrate for each "
               "service (a no-op at the same version), netra-bus declare, then start the services with their keys.")
    if restored_keys is None:
        click.echo(KEYS_MISSING, err=True)
    else:
        click.echo(f"case keys restored: {restored_keys.keys}")
