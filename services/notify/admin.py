"""Operator commands for notify: `netra-notify --help`."""

from __future__ import annotations

import sys

import click
from sqlalchemy import create_engine

from netra_common.config import load_service_config
from services.notify import settings, usecases


class _Db:
    """The part of the service's database handle the use cases need."""

    def __init__(self, engine):
        self.engine = engine


def _context():
    config = load_service_config("notify")
    return _Db(create_engine(config["NETRA_DB_URL"])), settings.outbound(config)


@click.group()
def main():
    """notify operator commands (settings from the environment, as the service uses)."""


@main.group("dead-letters")
def dead_letters_group():
    """Messages that failed for good, or too many times."""


@dead_letters_group.command("list")
def list_dead():
    """List dead letters with why each failed."""
    db, _ = _context()
    with db.engine.connect() as conn:
        rows = usecases.dead_letters(conn)
    if not rows:
        click.echo("no dead letters")
    for row in rows:
        click.echo(f"{row.delivery_id}  {row.kind}  {row.channel}  {row.recipient}  attempts={row.attempts}\n"
                   f"    {row.last_error}")


@dead_letters_group.command("show")
@click.argument("delivery_id")
def show_dead(delivery_id):
    """Show one dead letter whole (a reporter's address stays sealed)."""
    db, _ = _context()
    with db.engine.connect() as conn:
        row = usecases.find_delivery(conn, delivery_id)
    if row is None:
        click.echo(f"no delivery {delivery_id}", err=True)
        sys.exit(1)
    for key in ("delivery_id", "event_id", "kind", "channel", "recipient", "status", "attempts", "last_error",
                "created_at", "subject"):
        click.echo(f"{key}: {getattr(row, key)}")
    click.echo(f"\n{row.body_text}")


@dead_letters_group.command("resend")
@click.argument("delivery_id")
@click.option("--now", "at_once", is_flag=True, help="Send it from here at once instead of leaving it to notify.")
def resend_dead(delivery_id, at_once):
    """Give a dead letter a fresh set of attempts (after fixing what made it fail)."""
    db, outbound = _context()
    with db.engine.begin() as conn:
        if not usecases.resend(conn, delivery_id):
            click.echo(f"{delivery_id} is not a dead letter", err=True)
            sys.exit(1)
    if at_once:
        usecases.deliver(db, outbound, usecases.find_delivery(db.engine.connect(), delivery_id).delivery_id)
    click.echo(f"{delivery_id} queued to be sent again")


@main.command("send-digests")
@click.option("--force", is_flag=True, help="Send now even before the digest hour or a second time today.")
def send_digests(force):
    """Fold each digest member's queued news into one e-mail."""
    db, outbound = _context()
    count = usecases.send_digests(db, outbound, force=force)
    usecases.deliver_due(db, outbound)
    click.echo(f"{count} digest(s) prepared")


if __name__ == "__main__":
    main()
