"""How many messages wait in a service's queues, read passively from the broker (for /metrics):
parked ones above all, which only an operator's `netra-bus replay` or decision moves on."""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Connection

from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import SUBSCRIPTIONS

CONNECT_SECONDS = 3


def queue_depths(settings: BusSettings, service: str) -> Iterable[tuple[str, str, int]]:
    """(queue without prefix, "ready" or "parked", messages) for each of the service's queues."""
    with Connection(settings.amqp_uri, connect_timeout=CONNECT_SECONDS) as connection:
        channel = connection.channel()
        try:
            for event_type in SUBSCRIPTIONS.get(service, ()):
                label = f"{service}.{event_type}"
                for kind, name in (("ready", settings.queue(service, event_type)),
                                   ("parked", settings.dead_queue(service, event_type))):
                    declared = channel.queue_declare(queue=name, passive=True)
                    yield label, kind, declared.message_count
        finally:
            channel.close()
