"""Operator commands for casework: `netra-casework --help`."""

from __future__ import annotations

import email
import email.policy
import getpass
import importlib
import json
import sys
import time
from pathlib import Path

import click
import pyotp
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.operator_cli import operator_group
from netra_common.progress import Progress
from services.casework.domain.permissions import ROLES


def _config():
    return load_service_config("casework")


def _engine():
    return create_engine(_config()["NETRA_DB_URL"])


def _operator() -> str:
    """Who ran the command, for the audit log (the server's own user name)."""
    try:
        return f"server ({getpass.getuser()})"
    except (KeyError, OSError):
        return "server"


# Commands of their own modules, imported only when one of them runs (or help lists them): each
# brings its own libraries (the vault the bus's nameko and eventlet, the reports their views), which
# verify-log and the other commands here would load for nothing.
_ELSEWHERE = {
    # The dossier's seal, checked with the published key; the identity vault's commands.
    "verify-dossier": ("services.casework.dossier_cli", "verify_dossier"),
    "vault-init": ("services.casework.vault_cli", "vault_init"),
    "vault-recover": ("services.casework.vault_cli", "vault_recover"),
    # The retention run by hand (the service's timer runs it daily); UU PDP: a data subject's request
    # (issue 18); breach readiness (issue 18).
    "retention": ("services.casework.retention_cli", "retention"),
    "subject-report": ("services.casework.subject_report", "subject_report_command"),
    "access-report": ("services.casework.access_report", "access_report_command"),
}


class _Commands(dict):
    """The group's commands by name: `_ELSEWHERE`'s imported when one is asked for by name (the one
    command that runs), all of them when they are listed (help, a walk over `main.commands`)."""

    def _load(self, name) -> None:
        if name in _ELSEWHERE and not dict.__contains__(self, name):
            module, attribute = _ELSEWHERE[name]
            dict.__setitem__(self, name, getattr(importlib.import_module(module), attribute))

    def _load_all(self) -> None:
        for name in _ELSEWHERE:
            self._load(name)

    def get(self, name, default=None):
        self._load(name)
        return dict.get(self, name, default)

    def __getitem__(self, name):
        self._load(name)
        return dict.__getitem__(self, name)

    def __contains__(self, name) -> bool:
        return name in _ELSEWHERE or dict.__contains__(self, name)

    def __iter__(self):
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load_all()
        return dict.__len__(self)

    def keys(self):
        self._load_all()
        return dict.keys(self)

    def values(self):
        self._load_all()
        return dict.values(self)

    def items(self):
        self._load_all()
        return dict.items(self)


@click.group(cls=operator_group("casework"), commands=_Commands())
def main():
    """Perintah operator casework (pengaturan sama dengan `make run`: lingkungan, lalu .netra/)."""


@main.command("ensure-user")
@click.option("--username", required=True, help="Nama pengguna akun.")
@click.option("--full-name", required=True, help="Nama lengkap pemilik akun.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Peran akun.")
@click.option("--work-unit", default=None, help="Unit kerja anggota sendiri (agar tidak menangani unitnya sendiri).")
@click.option("--email", default=None,
              help="Alamat e-mail tujuan notify (tetap seperti semula pada --reset bila tidak diberikan).")
@click.option("--notify-mode", type=click.Choice(("immediate", "digest")), default=None,
              help="immediate (bawaan akun baru) atau digest (tetap seperti semula pada --reset bila tidak "
                   "diberikan).")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari masukan standar.")
@click.option("--totp-secret", default=None, help="Pakai rahasia TOTP ini (base32), bukan yang baru.")
@click.option("--reset", is_flag=True,
              help="Timpa kata sandi, TOTP, nama, peran dan unit kerja akun yang sudah ada (tercatat di log audit; "
                   "sesinya berakhir, dan kecuali menjadi ketua pertama, seorang ketua mengonfirmasinya lagi).")
def ensure_user(username, full_name, role, work_unit, email, notify_mode, password_stdin, totp_secret, reset):
    """Buat akun tim di server (awal sebuah instalasi baru).

    Selama belum ada ketua aktif, ketua yang dibuat di sini langsung aktif; akun lain yang dibuat
    atau disetel ulang di sini menunggu konfirmasi seorang ketua. Akun yang sudah ada dibiarkan bila
    kata sandi dan rahasia TOTP-nya sama, dan tidak pernah ditimpa tanpa --reset (kode keluar 3).
    Setiap perubahan masuk log audit akun dan dikirim ke setiap ketua. Rahasia TOTP baru tampil
    sekali di sini: daftarkan di aplikasi autentikator. Akun orang lain sebaiknya dibuat admin di
    konsol: pemiliknya lalu menyetel kata sandi dan TOTP sendiri.
    """
    # Imported here: it brings Argon2 (and a decoy hash made at import), which verify-log and the
    # other commands do not need; the unit of work brings the bus's libraries (nameko, eventlet).
    from netra_common.db import UnitOfWork
    from services.casework.adapters.authenticator import otpauth_uri
    from services.casework.adapters.tables import messaging
    from services.casework.domain.errors import DomainError
    from services.casework.usecases.server_accounts import AccountExists, ServerAccount
    from services.casework.usecases.server_accounts import ensure_user as ensure_account

    password = sys.stdin.readline().rstrip("\n") if password_stdin else \
        click.prompt("Password", hide_input=True, confirmation_prompt=True)
    secret = totp_secret or pyotp.random_base32()
    wanted = ServerAccount(username=username, full_name=full_name, role=role, password=password, totp_secret=secret,
                           work_unit=work_unit, email=email, notify_mode=notify_mode)
    engine = _engine()
    try:
        with UnitOfWork(engine, messaging, producer="casework", consumer="casework.admin") as uow:
            ensured = ensure_account(uow, wanted, reset=reset, operator=_operator())
    except AccountExists:
        click.echo(f"account {username} exists with another password or TOTP secret; nothing was changed. "
                   "Give --reset to overwrite it (audited; every ketua is told).", err=True)
        sys.exit(3)
    except DomainError as exc:
        raise click.BadParameter(exc.message["en"]) from None
    member = ensured.member
    click.echo(f"account {username} ({member.role}) {ensured.outcome}: {member.user_id}, state {member.state}")
    if ensured.bootstrap:
        click.echo("the first active ketua: it confirms the accounts made after it")
    elif member.state == "awaiting_confirmation":
        click.echo("a ketua must confirm it before it counts: console > Akun tim, or `netra users confirm`")
    if not member.email:
        click.echo("it has no e-mail address: notify cannot write to it (give one with --email --reset)")
    if ensured.outcome != "unchanged" and not totp_secret:
        click.echo(f"TOTP secret (shown once): {secret}")
        click.echo(f"authenticator URI: {otpauth_uri(username, secret)}")


@main.command("totp-code")
@click.argument("secret", required=False)
@click.option("--secret", "secret_option", envvar="NETRA_DEV_TOTP_SECRET", metavar="SECRET",
              help="Sama dengan argumen SECRET (atau env NETRA_DEV_TOTP_SECRET).")
def totp_code(secret, secret_option):
    """Cetak kode sekali pakai saat ini untuk rahasia TOTP SECRET (akun pengembangan).

    SECRET: base32 (A-Z, 2-7), sedikitnya 23 karakter, seperti yang dicetak `ensure-user`.
    Contoh: netra-casework totp-code JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
    """
    chosen = secret or secret_option
    if not chosen:
        raise click.UsageError("sebutkan rahasia TOTP: netra-casework totp-code SECRET")
    try:
        click.echo(pyotp.TOTP(chosen.replace(" ", "").upper()).now())
    except (ValueError, TypeError):  # binascii.Error is a ValueError
        raise click.BadParameter("bukan rahasia TOTP: base32 (huruf A-Z dan angka 2-7), sedikitnya 23 karakter",
                                 param_hint="SECRET") from None


@main.command("verify-log")
@click.option("--checkpoint", "checkpoint_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Titik periksa bertanda tangan yang disimpan BKPPD (JSON, seperti dibawa e-mail atau "
                   "webhook-nya): buktikan log masih melanjutkannya. Boleh lebih dari sekali.")
@click.option("--public-key", "public_keys", multiple=True,
              help="Kunci publik titik periksa yang disimpan BKPPD (base64); bawaannya kunci yang dipakai "
                   "casework (NETRA_CASEWORK_CHECKPOINT_KEY dan yang sudah pensiun).")
def verify_log(checkpoint_files, public_keys):
    """Periksa rantai peristiwa setiap kasus; sebut peristiwa yang diubah, dihapus, diacak urutannya
    atau tak terbaca; dengan --checkpoint, juga bahwa log masih memuat yang dijamin tiap titik periksa
    (docs/checkpoints.md); kode keluar 1 bila ada yang salah."""
    from services.casework.adapters import checkpoint_check, event_store
    from services.casework.adapters.case_repository import unreadable

    signed = [_read_checkpoint(path) for path in checkpoint_files]
    keys = _checkpoint_keys(public_keys) if signed else []
    started = time.monotonic()
    with _engine().connect() as conn:
        checked, problems = event_store.verify_log(conn, Progress("checking events"), readable=unreadable)
        took = time.monotonic() - started
        for path, one in zip(checkpoint_files, signed, strict=True):
            found = checkpoint_check.check(conn, one, keys)
            problems += [f"checkpoint {path}: {problem}" for problem in found]
            if not found:
                click.echo(f"checkpoint {path}: the log extends it (position "
                           f"{one['checkpoint']['global_position']}, signed {one['checkpoint']['signed_at']})")
    for problem in problems:
        click.echo(f"PROBLEM {problem}")
    click.echo(f"checked {checked} events in {took:.2f} s: "
               f"{'the log is intact' if not problems else f'{len(problems)} problem(s)'}")
    sys.exit(1 if problems else 0)


def _read_checkpoint(path: str) -> dict:
    """A checkpoint as BKPPD keeps it: the signed object itself, a webhook body or event payload
    that holds it under "checkpoint" (or "case" → "checkpoint"), or the mail saved whole (its
    "Titik periksa log" line holds the signed object)."""
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"{path} cannot be read as text ({exc})", param_hint="--checkpoint") from None
    try:
        document = json.loads(content)
    except json.JSONDecodeError:
        document = _in_text(content) or _in_text(_mail_text(content))
    for candidate in (document, (document or {}).get("case") if isinstance(document, dict) else None):
        if isinstance(candidate, dict) and isinstance(candidate.get("checkpoint"), dict):
            if "signature" in candidate:
                return candidate
            if "signature" in candidate["checkpoint"]:
                return candidate["checkpoint"]
    raise click.BadParameter(f"{path} holds no signed checkpoint", param_hint="--checkpoint")


def _in_text(content: str) -> dict | None:
    """The signed checkpoint written into a text (the mail's "Titik periksa log" line)."""
    start = content.find('{"checkpoint"')
    try:
        return json.JSONDecoder().raw_decode(content, start)[0] if start >= 0 else None
    except json.JSONDecodeError:
        return None


def _mail_text(content: str) -> str:
    """A saved mail's text parts, decoded (its long lines travel quoted-printable)."""
    message = email.message_from_string(content, policy=email.policy.default)
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_type() == "text/plain")


def _checkpoint_keys(given) -> list:
    from services.casework.adapters import checkpoint_signing
    from services.casework.adapters.checkpoint_signing import CheckpointSigner

    try:
        if given:
            return checkpoint_signing.parse_public_keys(" ".join(given))
        config = _config()
        return CheckpointSigner(config.get("NETRA_CASEWORK_CHECKPOINT_KEY") or "", checkpoint_signing.parse_public_keys(
            config.get("NETRA_CASEWORK_RETIRED_CHECKPOINT_KEYS") or "")).keys
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--public-key") from None


@main.command("checkpoint")
def checkpoint():
    """Buat titik periksa log bertanda tangan sekarang dan cetak (JSON), mis. untuk diserahkan ke BKPPD."""
    from services.casework.adapters import checkpoints
    from services.casework.adapters.checkpoint_signing import CheckpointSigner

    config = _config()
    try:
        signer = CheckpointSigner(config.get("NETRA_CASEWORK_CHECKPOINT_KEY") or "", [])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    with _engine().begin() as conn:
        signed = checkpoints.take(conn, signer, "operator")
    if signed is None:
        raise click.ClickException("the log is empty: there is nothing to vouch for yet")
    click.echo(json.dumps(signed, indent=2))


@main.command("check-calendar")
def check_calendar():
    """Periksa daftar hari libur: mencakup tahun ini (dan sejak Oktober tahun depan)? Kode keluar 1 bila tidak."""
    from datetime import datetime

    from netra_common.wib import WIB
    from services.casework.adapters.calendar_data import load_calendar

    calendar = load_calendar(_config().get("NETRA_HOLIDAYS_FILE") or None)
    thin = calendar.thin_years(datetime.now(WIB).date())
    for year, days in thin.items():
        click.echo(f"INCOMPLETE {year}: {days} days listed; add the SKB's holidays and cuti bersama "
                   f"(about 25) to the holiday list")
    if not thin:
        click.echo("the holiday list covers the years in use")
    sys.exit(1 if thin else 0)


@main.command("rebuild-projections")
@click.option("--only", type=click.Choice(("case_list", "case_stages", "case_links")), default=None,
              help="Hanya model baca ini.")
def rebuild_projections(only):
    """Bangun ulang model baca dari log, di samping yang lama, lalu tukar sekaligus.

    Aman selagi casework berjalan (antrean kerja tim tidak pernah setengah); kemajuannya ditampilkan."""
    # Imported here, like each command's own modules: the rebuild brings numpy (the screenshot index).
    from services.casework.adapters.calendar_data import load_calendar
    from services.casework.adapters.projection_rebuild import SUFFIX, RebuildRunning, rebuild
    from services.casework.adapters.projections import projections

    engine = _engine()
    calendar = load_calendar(_config().get("NETRA_HOLIDAYS_FILE") or None)
    for live, fresh in zip(projections(calendar), projections(calendar, SUFFIX), strict=True):
        if only and live.name != only:
            continue
        try:
            applied = rebuild(engine, live, fresh, Progress(f"rebuilding {live.name}"))
        except RebuildRunning as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{live.name}: {applied} events replayed")


if __name__ == "__main__":
    main()
