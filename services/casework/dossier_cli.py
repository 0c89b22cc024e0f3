"""`netra-casework verify-dossier FILE`: is this JSON dossier the one casework sealed, unchanged?

Checked with the published key: casework's own (from its configuration) by default, or one given
as `--public-key` (base64, as /api/v1/dossier/public-key publishes it), so BKPPD or a court can check
a dossier without any Netra secret."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import click
from nacl.signing import VerifyKey

from netra_common.config import load_service_config
from services.casework.reports import dossier_seal


def _key(public_key: str | None) -> VerifyKey:
    if public_key:
        return VerifyKey(base64.b64decode(public_key, validate=True))
    # Imported here: it brings the PDF and signing libraries, seconds of start-up every other
    # operator command (verify-log among them) would pay for nothing.
    from services.casework.reports import dossier_signing

    return dossier_signing.sealer(load_service_config("casework")).verify_key


@click.command("verify-dossier")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-key", default=None, help="Kunci publik Ed25519 (base64) dari /api/v1/dossier/public-key.")
def verify_dossier(file: Path, public_key: str | None):
    """Periksa FILE (dossier.json) terhadap segel casework; kode keluar 1 bila tidak asli atau diubah."""
    try:
        sealed = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"TIDAK SAH: {file} bukan berkas JSON ({exc}).", err=True)
        sys.exit(1)
    problems = dossier_seal.verify(sealed, _key(public_key))
    if problems:
        for problem in problems:
            click.echo(f"TIDAK SAH: {problem}", err=True)
        sys.exit(1)
    seal = sealed[dossier_seal.SEAL]
    click.echo(f"SAH: berkas kasus {sealed.get('case_number')} utuh, disegel kunci {seal['key_id']} "
               f"(SHA-256 {seal['sha256']}).")
