"""The operator's commands for the identity vault (docs/decisions/0017, docs/identity-vault.md):
`netra-casework vault-init` on a fresh installation, `netra-casework vault-recover` when no ketua
who holds the vault can log in any more. Both are account events: audited and mailed to every ketua."""

from __future__ import annotations

import base64
import getpass
import os
import sys
from pathlib import Path

import click
from nacl.public import PrivateKey
from sqlalchemy import create_engine, select

from netra_common.config import load_service_config
from netra_common.db import UnitOfWork
from services.casework.adapters.tables import messaging, vault_keys
from services.casework.domain.errors import DomainError
from services.casework.usecases import vault_access
from services.casework.usecases.account_management import AccountNotFound


def _engine():
    return create_engine(load_service_config("casework")["NETRA_DB_URL"])


def _operator() -> str:
    try:
        return f"server ({getpass.getuser()})"
    except (KeyError, OSError):
        return "server"


def _write_once(path: Path, text: str) -> None:
    """The recovery key, readable by its owner only, never over an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text + "\n")


def _unit(engine) -> UnitOfWork:
    return UnitOfWork(engine, messaging, producer="casework", consumer="casework.admin")


@click.command("vault-init")
@click.option("--ketua", "username", required=True,
              help="Nama pengguna ketua pertama (aktif, dibuat dengan ensure-user).")
@click.option("--recovery-key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tulis kunci pemulihan baru ke sini (mode 0600, tidak pernah menimpa berkas): segera pindahkan "
                   "ke luar jaringan.")
@click.option("--recovery-public-key", default=None,
              help="Separuh publik kunci pemulihan yang dibuat kantor di luar jaringan (kunci privat lalu tidak "
                   "ditampilkan).")
@click.option("--import-private-key-stdin", is_flag=True,
              help="Baca dari masukan standar kunci brankas yang disimpan instalasi lama di NETRA_VAULT_PRIVATE_KEY "
                   "(base64), agar identitas yang tersegel dengannya tetap terbaca; lalu hapus dari setiap "
                   "lingkungan.")
def vault_init(username, recovery_key_file, recovery_public_key, import_private_key_stdin):
    """Siapkan brankas identitas dengan kunci ketua pertama dan kunci pemulihan.

    Pasangan kunci dibuat di sini; separuh privatnya hanya disimpan tersegel untuk kunci ketua pertama
    dan untuk kunci pemulihan, yang dicetak sekali (atau ditulis ke berkas) untuk disimpan di luar
    jaringan. Mencetak kunci publik yang dipakai intake untuk menyegel (NETRA_VAULT_PUBLIC_KEY). Setelah
    siap, perintah ini hanya mencetak kunci publik itu lagi."""
    engine = _engine()
    with engine.connect() as conn:
        existing_key = conn.execute(select(vault_keys.c.public_key)).scalar_one_or_none()
    if existing_key:
        click.echo(f"the vault exists: nothing was changed\nvault public key: {existing_key}")
        return
    if recovery_key_file and recovery_key_file.exists():
        raise click.BadParameter(f"{recovery_key_file} exists: the recovery key is never written over a file",
                                 param_hint="--recovery-key-file")
    imported = PrivateKey(base64.b64decode(sys.stdin.readline().strip())) if import_private_key_stdin else None
    try:
        with _unit(engine) as uow:
            made = vault_access.init(uow, username, _operator(), recovery_public_key, imported)
    except (AccountNotFound, DomainError, ValueError) as exc:
        raise click.ClickException(_why(exc)) from None
    if made.recovery_private_key:
        if recovery_key_file:
            _write_once(recovery_key_file, made.recovery_private_key)
            click.echo(f"recovery key written to {recovery_key_file}: move it offline now (print it, keep it in "
                       "the office's safe) and delete it from this server")
        else:
            click.echo(f"RECOVERY KEY (shown once; print it and keep it offline): {made.recovery_private_key}")
    click.echo(f"the vault is granted to {username}; every ketua is told")
    click.echo(f"vault public key: {made.public_key}")


@click.command("vault-recover")
@click.option("--ketua", "username", required=True, help="Ketua aktif yang diberi akses brankas lagi.")
@click.option("--recovery-key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Berkas kunci pemulihan (bila tidak, dibaca dari masukan standar).")
def vault_recover(username, recovery_key_file):
    """Beri akses brankas ke ketua aktif dengan kunci pemulihan kantor.

    Untuk saat tidak ada ketua pemegang brankas yang bisa melakukannya (lupa kata sandi, semua sudah
    pergi). Tercatat di log audit; setiap ketua langsung diberi tahu lewat e-mail."""
    key = (recovery_key_file.read_text() if recovery_key_file else sys.stdin.readline()).strip()
    try:
        with _unit(_engine()) as uow:
            vault_access.recover(uow, username, _operator(), key)
    except (AccountNotFound, DomainError) as exc:
        raise click.ClickException(_why(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a wrong key fails inside libsodium; say so plainly
        raise click.ClickException(f"the recovery key does not open the vault ({type(exc).__name__})") from None
    click.echo(f"the vault is granted to {username} again with the recovery key; every ketua is told")


def _why(exc: Exception) -> str:
    if isinstance(exc, AccountNotFound):
        return f"no account {exc.args[0]}"
    if isinstance(exc, DomainError):
        return exc.message["en"]
    return str(exc)
