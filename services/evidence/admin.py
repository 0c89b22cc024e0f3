"""Operator commands for evidence: `netra-evidence --help`."""

from __future__ import annotations

import sys
from datetime import timedelta

import click
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.contracts.quarantine import new_key_pair
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


@click.group()
def main():
    """evidence operator commands (settings from the environment, as the service uses)."""


@main.command()
def verify():
    """Re-read, decrypt and re-hash every stored object, and name every object version in the
    buckets that no record explains; exit 1 on any problem or any such version."""
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
              help="Also remove versions no intent of evidence's explains (not only its own failed puts).")
def reconcile(everything):
    """Remove object versions no record explains: what evidence's attempts that never committed
    put, leftovers in quarantine and, with --all, anything else no record explains. An original
    under retention cannot be removed before its date; it is named with that date."""
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
    """Re-wrap every data key under NETRA_EVIDENCE_ACTIVE_KEY_ID (content is not touched).

    Add the new key to NETRA_EVIDENCE_MASTER_KEYS, make it active, run this, then the old
    key may be dropped from the list.
    """
    _, engine, _, settings = _context()
    count = integrity.rotate(engine, settings.keyring, Progress("re-wrapping"))
    click.echo(f"re-wrapped {count} data key(s) under master key {settings.keyring.active}")


@main.command()
@click.option("--grace-hours", type=float, default=None,
              help="Age after which an upload evidence has no record of goes "
                   "(default: NETRA_QUARANTINE_GRACE_HOURS, 168).")
@click.option("--force", is_flag=True,
              help="Allow a grace under 24 hours (it may remove uploads still on their way).")
def sweep(grace_hours, force):
    """Remove quarantined uploads whose outcome is recorded, and old ones evidence never got.

    An upload evidence has no record of may belong to a complaint held up on the bus or
    parked in a dead-letter queue, so it stays for the grace period.
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
    """Print a fresh random AES-256 master key (base64) to add to NETRA_EVIDENCE_MASTER_KEYS."""
    click.echo(Keyring.new_key())


@main.command("new-quarantine-key")
def new_quarantine_key():
    """Print a fresh quarantine key pair (X25519, base64): the private half goes first into
    evidence's NETRA_QUARANTINE_PRIVATE_KEYS, then the public half into intake's
    NETRA_QUARANTINE_PUBLIC_KEY."""
    private, public = new_key_pair()
    click.echo(f"NETRA_QUARANTINE_PRIVATE_KEYS={private}  (evidence; add it before the old one is dropped)")
    click.echo(f"NETRA_QUARANTINE_PUBLIC_KEY={public}  (intake)")


if __name__ == "__main__":
    main()
