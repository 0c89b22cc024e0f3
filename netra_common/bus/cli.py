"""`netra-bus`: declare the bus topology; list, show and replay parked messages."""

from __future__ import annotations

import json
import os
import sys

import click

from netra_common.bus import deadletters, topology
from netra_common.bus.settings import BusSettings
from netra_common.config import BASE_CONFIG, load_yaml_with_env


def _settings() -> BusSettings:
    return BusSettings.from_config(load_yaml_with_env(BASE_CONFIG))


@click.group()
def main():
    """Netra's RabbitMQ topology and dead letters (settings from NETRA_AMQP_URI, NETRA_BUS_PREFIX)."""


@main.command()
def declare():
    """Declare every exchange, queue and binding (safe to run again)."""
    settings = _settings()
    names = topology.declare(settings, progress=lambda name: click.echo(f"  {name}"))
    click.echo(f"declared {len(names)} queues under prefix '{settings.prefix}'")


@main.command("dead-letters")
@click.option("--service", help="Only this consuming service.")
@click.option("--type", "event_type", help="Only this event type.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def dead_letters(service, event_type, as_json):
    """List parked messages with why they were parked."""
    letters = deadletters.list_dead(_settings(), service, event_type)
    if not letters:
        click.echo("no parked messages")
        return
    for letter in letters:
        if as_json:
            click.echo(json.dumps({**letter.__dict__, "body": None}, default=str))
        else:
            click.echo(f"{letter.parked_at or '-'}  {letter.service}/{letter.event_type}  "
                       f"{letter.event_id or '(no id)'}  attempts={letter.attempts}\n"
                       f"    {letter.reason}")


@main.command()
@click.argument("event_id")
def show(event_id):
    """Show one parked message whole, by its event id."""
    for letter in deadletters.list_dead(_settings()):
        if letter.event_id == event_id:
            click.echo(json.dumps(letter.__dict__, indent=2, default=str, ensure_ascii=False))
            return
    click.echo(f"no parked message with event id {event_id}", err=True)
    sys.exit(1)


@main.command()
@click.option("--service", help="Only this consuming service.")
@click.option("--type", "event_type", help="Only this event type.")
@click.option("--event-id", help="Only this message.")
@click.option("--all", "everything", is_flag=True, help="Replay every parked message.")
def replay(service, event_type, event_id, everything):
    """Send parked messages back to their queue for a fresh set of attempts."""
    if not (service or event_type or event_id or everything):
        raise click.UsageError("name what to replay (--service, --type, --event-id) or pass --all")
    count = deadletters.replay(_settings(), service, event_type, event_id)
    click.echo(f"replayed {count} message(s)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
