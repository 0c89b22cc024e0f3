"""`netra-backup` and `netra-restore`: the operator's commands around netra_common/backup.py.

Settings (environment): NETRA_DB_URL, NETRA_S3_ENDPOINT, NETRA_S3_SECURE, NETRA_BACKUP_S3_ACCESS_KEY
and NETRA_BACKUP_S3_SECRET_KEY (a key that reads and writes all three buckets: MinIO's root user or
one made for backups), and the backup key, NETRA_BACKUP_KEY or --key-file (base64, 32 bytes;
`netra-backup new-key` makes one). Keep the backup key, and the service keys the backup names,
apart from the backups.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from netra_common import backup
from netra_common.backup_crypto import BackupUnreadable, new_key, parse_key
from netra_common.s3 import S3Settings


def _key(key_file: str | None) -> bytes:
    text = Path(key_file).read_text() if key_file else os.environ.get("NETRA_BACKUP_KEY", "")
    if not text:
        raise click.UsageError("no backup key: set NETRA_BACKUP_KEY or pass --key-file")
    return parse_key(text)


def _targets(db_url: str | None):
    env = os.environ
    db = db_url or env.get("NETRA_DB_URL")
    if not db:
        raise click.UsageError("no database: set NETRA_DB_URL or pass --db-url")
    client = S3Settings(env.get("NETRA_S3_ENDPOINT", "127.0.0.1:8333"), env.get("NETRA_BACKUP_S3_ACCESS_KEY", ""),
                        env.get("NETRA_BACKUP_S3_SECRET_KEY", ""),
                        env.get("NETRA_S3_SECURE", "false").lower() in ("1", "true", "yes")).client()
    return db, client


def _per_thousand(seconds: float, cases: int | None) -> str:
    return f" ({seconds / cases * 1000:.1f} s per 1,000 cases)" if cases else ""


@click.group(help="Write an encrypted backup of Netra (every schema, every bucket), or make a backup key.")
def backup_main():
    pass


@backup_main.command("create", help="Write a backup to OUT (a new file).")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--db-url", help="The database (default NETRA_DB_URL).")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="The backup key (default NETRA_BACKUP_KEY).")
@click.option("--cases", type=int, help="Cases in the system, to print the time per 1,000 cases.")
def create(out, db_url, key_file, cases):
    db, client = _targets(db_url)
    report = backup.create(db, client, Path(out), _key(key_file))
    click.echo(f"backup written to {out} in {report.seconds:.1f} s{_per_thousand(report.seconds, cases)}: "
               f"database {report.database_bytes} bytes, objects {report.objects}")
    click.echo(f"WARNING: {backup.WARNING}", err=True)


@backup_main.command("new-key", help="Print a new backup key (base64); keep it apart from the backups.")
def make_key():
    click.echo(new_key())


@click.command(help="Restore a backup into an empty database and object store.")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--db-url", help="The (empty) database (default NETRA_DB_URL).")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False),
              help="The backup key (default NETRA_BACKUP_KEY).")
@click.option("--cases", type=int, help="Cases in the backup, to print the time per 1,000 cases.")
def restore_main(source, db_url, key_file, cases):
    db, client = _targets(db_url)
    try:
        report = backup.restore(Path(source), _key(key_file), db, client)
    except (BackupUnreadable, backup.RestoreRefused) as exc:
        click.echo(f"restore refused: {exc}", err=True)
        sys.exit(1)
    click.echo(f"restored in {report.seconds:.1f} s{_per_thousand(report.seconds, cases)}: "
               f"database {report.database_bytes} bytes, objects {report.objects}. Next: netra-migrate for each "
               "service (a no-op at the same version), netra-bus declare, then start the services with their keys.")
