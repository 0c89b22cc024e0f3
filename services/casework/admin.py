"""Operator commands for casework: `netra-casework --help`."""

from __future__ import annotations

import email
import email.policy
import getpass
import json
import sys
from datetime import datetime
from pathlib import Path

import click
import pyotp
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.db import UnitOfWork
from netra_common.progress import Progress
from netra_common.wib import WIB
from services.casework.adapters import checkpoint_check, checkpoint_signing, checkpoints, event_store
from services.casework.adapters.authenticator import otpauth_uri
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.case_repository import unreadable_events
from services.casework.adapters.checkpoint_signing import CheckpointSigner
from services.casework.adapters.projection_rebuild import SUFFIX, RebuildRunning, rebuild
from services.casework.adapters.projections import projections
from services.casework.adapters.tables import messaging
from services.casework.domain.errors import DomainError
from services.casework.domain.permissions import ROLES
from services.casework.dossier_cli import verify_dossier
from services.casework.usecases.server_accounts import AccountExists, ServerAccount
from services.casework.usecases.server_accounts import ensure_user as ensure_account
from services.casework.vault_cli import vault_init, vault_recover


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


@click.group()
def main():
    """casework operator commands (settings from the environment, as the service uses)."""


@main.command("ensure-user")
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--work-unit", default=None, help="The member's own work unit (for recusal).")
@click.option("--email", default=None, help="Where notify writes to them (kept as it is on --reset if not given).")
@click.option("--notify-mode", type=click.Choice(("immediate", "digest")), default=None,
              help="immediate (default for a new account) or digest (kept as it is on --reset if not given).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--totp-secret", default=None, help="Use this TOTP secret (base32) instead of a new one.")
@click.option("--reset", is_flag=True,
              help="Overwrite an existing account's password, TOTP, name, role and work unit (audited; its "
                   "sessions end, and unless it becomes the first ketua a ketua confirms it again).")
def ensure_user(username, full_name, role, work_unit, email, notify_mode, password_stdin, totp_secret, reset):
    """Create a team account on the server (the bootstrap of a fresh installation).

    While no active ketua exists, a ketua made here is active at once; any other account made or
    reset here awaits a ketua's confirmation. An existing account is left alone if it already has
    this password and TOTP secret, and is never overwritten without --reset (exit 3). Every change
    is in the account audit log and mailed to every ketua. A new TOTP secret is shown once here:
    enrol it in an authenticator app. Accounts for other people are better made by an admin in the
    console: their holders then set password and TOTP themselves.
    """
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
@click.option("--secret", required=True, envvar="NETRA_DEV_TOTP_SECRET",
              help="The account's TOTP secret (development accounts only).")
def totp_code(secret):
    """Print the current one-time code for a TOTP secret (for development accounts)."""
    click.echo(pyotp.TOTP(secret).now())


@main.command("verify-log")
@click.option("--checkpoint", "checkpoint_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A signed checkpoint BKPPD kept (JSON, as its mail or webhook carried it): prove the log "
                   "still extends it. May be given more than once.")
@click.option("--public-key", "public_keys", multiple=True,
              help="The checkpoint key's public half BKPPD kept (base64); by default the keys casework is "
                   "configured with (NETRA_CASEWORK_CHECKPOINT_KEY and the retired ones).")
def verify_log(checkpoint_files, public_keys):
    """Check every case's event chain; name any event changed, removed or reordered, or that its class
    cannot read; with --checkpoint, also that the log still holds what each checkpoint vouched for
    (docs/checkpoints.md); exit 1 if anything is wrong."""
    signed = [_read_checkpoint(path) for path in checkpoint_files]
    keys = _checkpoint_keys(public_keys) if signed else []
    with _engine().connect() as conn:
        checked, problems = event_store.verify_log(conn, Progress("checking streams"))
        problems += unreadable_events(conn)
        for path, one in zip(checkpoint_files, signed, strict=True):
            found = checkpoint_check.check(conn, one, keys)
            problems += [f"checkpoint {path}: {problem}" for problem in found]
            if not found:
                click.echo(f"checkpoint {path}: the log extends it (position "
                           f"{one['checkpoint']['global_position']}, signed {one['checkpoint']['signed_at']})")
    for problem in problems:
        click.echo(f"PROBLEM {problem}")
    click.echo(f"checked {checked} events: {'the log is intact' if not problems else f'{len(problems)} problem(s)'}")
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
    """Sign a checkpoint of the log now and print it (JSON), e.g. to hand to BKPPD by other means."""
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
    """Say whether the holiday list covers this year (and, from October, the next); exit 1 if not."""
    calendar = load_calendar(_config().get("NETRA_HOLIDAYS_FILE") or None)
    thin = calendar.thin_years(datetime.now(WIB).date())
    for year, days in thin.items():
        click.echo(f"INCOMPLETE {year}: {days} days listed; add the SKB's holidays and cuti bersama "
                   f"(about 25) to the holiday list")
    if not thin:
        click.echo("the holiday list covers the years in use")
    sys.exit(1 if thin else 0)


@main.command("rebuild-projections")
@click.option("--only", type=click.Choice(("case_list", "case_stages", "case_links")), default=None)
def rebuild_projections(only):
    """Replay the whole log into tables beside the read models, showing progress, then swap them
    in at once: safe while casework runs (the team's queue is never partial)."""
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


main.add_command(verify_dossier)  # its own module: the dossier's seal, checked with the published key
main.add_command(vault_init)  # the identity vault's commands: their own module too
main.add_command(vault_recover)

if __name__ == "__main__":
    main()
