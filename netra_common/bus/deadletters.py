"""The operator's view of parked messages: list them, show one, replay them.

Browsing takes messages without acknowledging them and closes the channel,
so the broker puts them back; replay acknowledges a parked message only
after its copy was confirmed into the main queue.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kombu import Connection

from netra_common.bus import failures
from netra_common.bus.publisher import ConfirmedPublisher
from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import subscription_pairs


@dataclass(frozen=True)
class DeadLetter:
    service: str
    event_type: str
    event_id: str | None
    reason: str
    attempts: int
    parked_at: str | None
    body: object


def _dead_letter(service, event_type, message) -> DeadLetter:
    headers = message.headers or {}
    body = message.payload
    return DeadLetter(
        service=service, event_type=event_type,
        event_id=str(body.get("event_id")) if isinstance(body, dict) and body.get("event_id") else None,
        reason=str(headers.get(failures.REASON, "")),
        attempts=failures.attempt_of(headers),
        parked_at=headers.get(failures.PARKED_AT),
        body=body,
    )


@contextmanager
def _browse(settings: BusSettings, queue: str) -> Iterator[list]:
    """Every message now in `queue`, unacknowledged; what is not acked goes back on exit."""
    with Connection(settings.amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        _, count, _ = channel.queue_declare(queue=queue, passive=True)
        messages = []
        for _ in range(count):
            message = channel.basic_get(queue=queue, no_ack=False)
            if message is None:
                break
            messages.append(channel.message_to_python(message))
        try:
            yield messages
        finally:
            channel.close()


def _pairs(service: str | None, event_type: str | None, subscriptions=None):
    return [(s, t) for s, t in subscription_pairs(subscriptions)
            if (service is None or s == service) and (event_type is None or t == event_type)]


def counts(settings: BusSettings, subscriptions=None) -> dict[str, int]:
    """Parked messages per dead-letter queue."""
    result = {}
    with Connection(settings.amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        for service, event_type in _pairs(None, None, subscriptions):
            name = settings.dead_queue(service, event_type)
            result[name] = channel.queue_declare(queue=name, passive=True)[1]
    return result


def list_dead(settings: BusSettings, service: str | None = None, event_type: str | None = None,
              subscriptions=None) -> list[DeadLetter]:
    letters = []
    for svc, etype in _pairs(service, event_type, subscriptions):
        with _browse(settings, settings.dead_queue(svc, etype)) as messages:
            letters += [_dead_letter(svc, etype, m) for m in messages]
    return letters


def replay(settings: BusSettings, service: str | None = None, event_type: str | None = None,
           event_id: str | None = None, subscriptions=None) -> int:
    """Put parked messages back into their main queue for a fresh set of attempts."""
    publisher = ConfirmedPublisher(settings)
    replayed = 0
    for svc, etype in _pairs(service, event_type, subscriptions):
        with _browse(settings, settings.dead_queue(svc, etype)) as messages:
            for message in messages:
                letter = _dead_letter(svc, etype, message)
                if event_id is not None and letter.event_id != event_id:
                    continue
                headers = {k: v for k, v in (message.headers or {}).items()
                           if k not in (failures.ATTEMPT, failures.REASON, failures.PARKED_AT)}
                publisher.publish_to_queue(message.payload, settings.queue(svc, etype), headers)
                message.ack()
                replayed += 1
    return replayed
