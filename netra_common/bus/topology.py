"""Declares (and for tests, removes) every exchange, queue and binding Netra uses.

For each (service, event type) subscription:
- the main queue, bound to the events exchange by event type;
- one retry queue per back-off step (reached through the default exchange); a
  message waits there for its delay and is dead-lettered back to the main queue;
- the dead-letter queue, where a message is parked with its reason.
Main and dead-letter queues are quorum queues. Retry queues are durable classic queues
(messages are published persistent, so they too survive a broker restart): a single
RabbitMQ node reserves about three file handles per quorum queue, and with the common
`ulimit -n` of 1024 a few hundred quorum queues use them all up, after which the broker
accepts TCP connections but never finishes an AMQP handshake. Seven quorum queues per
subscription put that limit within reach of two stacks; two per subscription do not.

The retry hop (TTL expiry back to the main queue) uses RabbitMQ's default dead-letter
strategy (at-least-once dead-lettering exists only for quorum sources); see
docs/decisions/0001-bus-outbox-and-consumers.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Connection, Exchange, Queue

from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import subscription_pairs

QUORUM = {"x-queue-type": "quorum"}
CLASSIC = {"x-queue-type": "classic"}
PRECONDITION_FAILED = 406


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
                    **CLASSIC,
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
            channel = _declare(connection, channel, queue)
            names.append(queue.name)
            if progress:
                progress(queue.name)
    return names


def _declare(connection, channel, queue: Queue):
    """Declare one queue; returns the channel to go on with (a refusal closes the old one).

    A retry queue made by an older version (a quorum queue) is replaced when it is empty;
    one still holding messages is left alone and named, so nothing waiting in it is lost.
    """
    try:
        queue(channel).declare()
        return channel
    except Exception as exc:  # noqa: BLE001 - only an inequivalent retry queue is handled
        if getattr(exc, "code", None) != PRECONDITION_FAILED or ".retry." not in queue.name:
            raise
    channel = connection.channel()
    _, waiting, _ = channel.queue_declare(queue=queue.name, passive=True)
    if waiting:
        raise RuntimeError(f"retry queue {queue.name} was made by an older version and still holds "
                           f"{waiting} message(s); run `netra-bus declare` again once they have moved on")
    channel.queue_delete(queue=queue.name)
    queue(channel).declare()
    return channel


def delete(settings: BusSettings, subscriptions=None) -> tuple[int, int]:
    """Remove a stack's whole topology under its prefix: every queue and exchange `declare` makes
    and the RPC queues and exchange nameko declares. What is already gone is passed over. Returns
    how many queues and exchanges were there. `netra-bus teardown` and the tests' stacks use this."""
    from netra_common.bus.rpc import rpc_exchange  # nameko's; only needed here

    # Retry queues first: none of them is left pointing at a main queue already gone.
    names = [q.name for q in sorted(all_queues(settings, subscriptions), key=lambda q: ".retry." not in q.name)]
    names += [settings.rpc_queue(service) for service in sorted({s for s, _ in subscription_pairs(subscriptions)})]
    exchanges = [settings.events_exchange, rpc_exchange(settings)]
    present = set(names) - set(missing_queues(settings, names))
    removed_exchanges = 0
    with Connection(settings.amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        for name in names:
            if name in present:
                channel.queue_delete(queue=name)
        for name in exchanges:
            probe = connection.channel()
            if _exchange_exists(probe, name):
                probe.close()
                channel.exchange_delete(exchange=name)
                removed_exchanges += 1
    return len(present), removed_exchanges


def _exchange_exists(channel, name: str) -> bool:
    """A passive declare; a refusal closes only this channel."""
    try:
        channel.exchange_declare(exchange=name, type="topic", passive=True)
    except Exception:  # noqa: BLE001 - any refusal means it is not there
        return False
    return True


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
