"""Declares (and for tests, removes) every exchange, queue and binding Netra uses.

For each (service, event type) subscription:
- the main queue, bound to the events exchange by event type;
- one retry queue per back-off step (reached through the default exchange); a
  message waits there for its delay and is dead-lettered back to the main queue;
- the dead-letter queue, where a message is parked with its reason.
Quorum queues throughout: they survive a broker restart.

The retry hop (TTL expiry back to the main queue) uses RabbitMQ's default dead-letter
strategy, not "at-least-once": the at-least-once workers wedged the whole single-node
broker (Debian's 3.10) when many such queues were created, deleted or recovered at once;
see docs/decisions/0001-bus-outbox-and-consumers.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Connection, Exchange, Queue

from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import subscription_pairs

QUORUM = {"x-queue-type": "quorum"}


def _exchanges(settings: BusSettings) -> list[Exchange]:
    return [Exchange(settings.events_exchange, type="topic", durable=True)]


def queues_for(settings: BusSettings, service: str, event_type: str) -> list[Queue]:
    (events,) = _exchanges(settings)
    main_name = settings.queue(service, event_type)
    queues = [
        Queue(main_name, exchange=events, routing_key=event_type, durable=True,
              queue_arguments=QUORUM),
        Queue(settings.dead_queue(service, event_type), durable=True, queue_arguments=QUORUM),
    ]
    for delay in settings.retry_delays_ms:
        name = settings.retry_queue(service, event_type, delay)
        queues.append(
            Queue(
                name,
                durable=True,
                queue_arguments={
                    **QUORUM,
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": main_name,
                },
            )
        )
    return queues


def all_queues(settings: BusSettings, subscriptions=None) -> list[Queue]:
    return [
        queue
        for service, event_type in subscription_pairs(subscriptions)
        for queue in queues_for(settings, service, event_type)
    ]


def declare(settings: BusSettings, subscriptions=None, *, progress=None) -> list[str]:
    """Declare the whole topology; idempotent. Returns the queue names."""
    names = []
    with Connection(settings.amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        for exchange in _exchanges(settings):
            exchange(channel).declare()
        for queue in all_queues(settings, subscriptions):
            bound = queue(channel)
            bound.declare()
            names.append(queue.name)
            if progress:
                progress(queue.name)
    return names


def delete(settings: BusSettings, subscriptions=None) -> None:
    """Remove the topology (tests use a throw-away prefix and clean up after)."""
    with Connection(settings.amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        # Retry queues first: none of them is left pointing at a main queue already gone.
        queues = sorted(all_queues(settings, subscriptions), key=lambda q: ".retry." not in q.name)
        for queue in queues:
            queue(channel).delete()
        for exchange in _exchanges(settings):
            exchange(channel).delete()


def missing_queues(settings: BusSettings, names: Iterable[str]) -> list[str]:
    """Queues that do not exist (checked passively, nothing is created)."""
    missing = []
    with Connection(settings.amqp_uri, connect_timeout=10) as connection:
        for name in names:
            channel = connection.channel()
            try:
                channel.queue_declare(queue=name, passive=True)
            except Exception:  # noqa: BLE001 - any refusal means the queue is not there
                missing.append(name)
            finally:
                try:
                    channel.close()
                except Exception:  # noqa: BLE001, S110 - a closed channel is already gone
                    pass
    return missing
