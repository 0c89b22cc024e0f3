"""Operator commands for casework: `netra-casework --help`."""

from __future__ import annotations

import sys
from datetime import datetime

import click
import pyotp
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from netra_common.db import UnitOfWork
from netra_common.progress import Progress
from services.casework.adapters import accounts, event_store
from services.casework.adapters.calendar_data import load_calendar
from services.casework.adapters.projections import projections, rebuild
from services.casework.adapters.tables import messaging
from services.casework.domain.calendar import WIB
from services.casework.domain.permissions import ROLES


def _config():
    return load_service_config("casework")


def _engine():
    return create_engine(_config()["NETRA_DB_URL"])


@click.group()
def main():
    """casework operator commands (settings from the environment, as the service uses)."""


@main.command("ensure-user")
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--work-unit", default=None, help="The member's own work unit (for recusal).")
@click.option("--email", default=None)
@click.option("--notify-mode", type=click.Choice(("immediate", "digest")), default="immediate")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--totp-secret", default=None, help="Use this TOTP secret (base32) instead of a new one.")
@click.option("--reset-totp", is_flag=True, help="Make a new TOTP secret for an existing account.")
def ensure_user(username, full_name, role, work_unit, email, notify_mode, password_stdin, totp_secret,
                reset_totp):
    """Create a team account, or reset an existing one's password, name and role.

    A new account gets a TOTP secret, shown once here: enrol it in an authenticator app.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.BadParameter("the password must have at least 10 characters")
    engine = _engine()
    with UnitOfWork(engine, messaging, producer="casework", consumer="casework.admin") as uow:
        enrolled = accounts.ensure_user(uow.connection, username=username, full_name=full_name, role=role,
                                        password=password, work_unit=work_unit, email=email,
                                        totp_secret=totp_secret, reset_totp=reset_totp,
                                        notify_mode=notify_mode)
        uow.emit("team_member_changed", accounts.member_changed_payload(enrolled.member))
    click.echo(f"account {username} ({role}) ready: {enrolled.member.user_id}")
    if enrolled.totp_secret:
        click.echo(f"TOTP secret (shown once): {enrolled.totp_secret}")
        click.echo(f"authenticator URI: {accounts.otpauth_uri(username, enrolled.totp_secret)}")


@main.command("totp-code")
@click.option("--secret", required=True, envvar="NETRA_DEV_TOTP_SECRET",
              help="The account's TOTP secret (development accounts only).")
def totp_code(secret):
    """Print the current one-time code for a TOTP secret (for development accounts)."""
    click.echo(pyotp.TOTP(secret).now())


@main.command("verify-log")
def verify_log():
    """Check every case's event chain; name any event changed, removed or reordered; exit 1 if so."""
    with _engine().connect() as conn:
        checked, problems = event_store.verify_log(conn, Progress("checking streams"))
    for problem in problems:
        click.echo(f"PROBLEM {problem}")
    click.echo(f"checked {checked} events: {'the log is intact' if not problems else f'{len(problems)} problem(s)'}")
    sys.exit(1 if problems else 0)


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
    """Empty the read models and replay the whole log into them, showing progress."""
    engine = _engine()
    for projection in projections(load_calendar(_config().get("NETRA_HOLIDAYS_FILE") or None)):
        if only and projection.name != only:
            continue
        applied = rebuild(engine, projection, Progress(f"rebuilding {projection.name}"))
        click.echo(f"{projection.name}: {applied} events replayed")


if __name__ == "__main__":
    main()
