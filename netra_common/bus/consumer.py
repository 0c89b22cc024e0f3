"""`@on_event("type")`: a nameko entrypoint that consumes one event type safely.

Unlike nameko's own event handler it:
- consumes a queue declared in advance by `netra-bus declare` (never declares one);
- checks every message against the envelope and the event's schema and parks
  the ones that do not match, with the reason;
- on a handler exception, republishes the message to the next retry queue
  (back-off) or, after the last attempt, parks it in the dead-letter queue;
  only then acks the original, so a crash in between redelivers rather than loses;
- never parks a message whose effect its processed-message row shows committed: acks it;
- when the handler found PostgreSQL or S3 away, gives the message back without counting an
  attempt and holds further deliveries until the dependency answers again (bus/pause.py);
- outlives a lost broker connection: an ack or hand-over on a dead channel costs a
  redelivery, never the process (bus/queue_consumer.py).
"""

from __future__ import annotations

import logging
from functools import partial

import eventlet
from kombu import Queue
from nameko.containers import ContainerBeingKilled
from nameko.messaging import Consumer

from netra_common.bus.failures import PermanentFailure, route_failure, route_invalid
from netra_common.bus.pause import DependencyGate
from netra_common.bus.processed import effect_committed
from netra_common.bus.publisher import ConfirmedPublisher
from netra_common.bus.queue_consumer import DecodeSafeQueueConsumer
from netra_common.bus.reachability import unreachable_dependency
from netra_common.bus.settings import BusSettings
from netra_common.bus.topology import missing_queues
from netra_common.contracts import InvalidMessage, parse_envelope
from netra_common.logging import log_event
from netra_common.metrics import MESSAGES

log = logging.getLogger(__name__)

# When even the retry copy cannot be published, the broker is in trouble: wait a little before
# giving the message back, or the same failure would run the handler again in a tight loop.
FORWARD_FAILED_PAUSE_SECONDS = 2.0


class TopologyMissing(RuntimeError):
    pass


class EventConsumer(Consumer):
    queue_consumer = DecodeSafeQueueConsumer()
    gate = DependencyGate()

    def __init__(self, event_type: str, **kwargs):
        self.event_type = event_type
        super().__init__(queue=None, requeue_on_error=False, **kwargs)

    def setup(self):
        self.settings = BusSettings.from_config(self.container.config)
        self.service = self.container.service_name
        name = self.settings.queue(self.service, self.event_type)
        missing = missing_queues(self.settings, [name])
        if missing:
            raise TopologyMissing(
                f"queue {name} does not exist; run `netra-bus declare` before starting services"
            )
        # no_declare: the topology's arguments (quorum, dead-lettering) are owned by
        # `netra-bus declare`; a consumer that redeclared would have to repeat them.
        self.queue = Queue(name, no_declare=True)
        self.publisher = ConfirmedPublisher(self.settings)
        super().setup()

    def handle_message(self, body, message):
        # Runs in its own green thread, outside the worker pool: waiting here holds only the
        # message, and with the prefetch window full the broker sends no more.
        self.gate.wait_open()
        try:
            envelope = parse_envelope(body)
            if envelope.type != self.event_type:
                raise InvalidMessage(
                    f"queue for {self.event_type} received an event of type {envelope.type}"
                )
        except InvalidMessage as exc:
            route = route_invalid(self.settings, self.service, self.event_type,
                                  message.headers, exc.reason)
            self._forward(body, message, route)
            return
        context_data = self.unpack_message_headers(message)
        try:
            self.container.spawn_worker(
                self, (envelope,), {}, context_data=context_data,
                handle_result=partial(self.handle_outcome, message, body),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_undecodable(self, message, exc):
        route = route_invalid(self.settings, self.service, self.event_type, message.headers,
                              f"body cannot be decoded ({type(exc).__name__})")
        raw = message.body.decode("utf-8", "replace") if isinstance(message.body, bytes) \
            else str(message.body)
        self._forward({"undecodable_body": raw}, message, route)

    def handle_outcome(self, message, body, worker_ctx, result=None, exc_info=None):
        # Runs in the worker: whatever escapes from here would stop the whole container.
        try:
            self._settle_outcome(message, body, exc_info)
        except Exception as error:  # noqa: BLE001 - give the message back rather than die
            log_event(log, "bus.outcome_error", logging.ERROR, event_id=body.get("event_id"),
                      event_type=self.event_type, error=type(error).__name__)
            eventlet.sleep(FORWARD_FAILED_PAUSE_SECONDS)  # no tight loop on a lasting fault
            self.queue_consumer.requeue_message(message)
        return result, exc_info

    def _settle_outcome(self, message, body, exc_info) -> None:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            self._count("handled")
            # one line per event handled, under its correlation id: the trail of a complaint
            log_event(log, "bus.handled", event_id=body.get("event_id"), event_type=self.event_type)
            return
        exc = exc_info[1]
        dependency = unreachable_dependency(exc)
        if dependency is not None:
            # Not the handler's failure: no attempt spent, no retry queue, nothing parked.
            log_event(log, "bus.dependency_away", logging.WARNING, dependency=dependency,
                      event_id=body.get("event_id"), event_type=self.event_type,
                      error=type(exc).__name__)
            self.gate.close(dependency)
            self.queue_consumer.requeue_message(message)
            self._count("requeued")
            return
        route = route_failure(
            self.settings, self.service, self.event_type, message.headers,
            f"{type(exc).__name__}: {exc}", permanent=isinstance(exc, PermanentFailure),
        )
        if route.action == "park" and effect_committed(
                self.container, f"{self.service}.{self.method_name}", body.get("event_id")):
            log_event(log, "bus.already_processed", logging.WARNING, event_id=body.get("event_id"),
                      event_type=self.event_type, error=type(exc).__name__)
            self.queue_consumer.ack_message(message)
            self._count("handled")
            return
        self._forward(body, message, route)

    def _count(self, outcome: str) -> None:
        # The queue's name without the bus prefix: the same series on every system.
        MESSAGES.labels(f"{self.service}.{self.event_type}", outcome).inc()

    def _forward(self, body, message, route):
        """Publish the copy (confirmed) and only then ack the original."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        try:
            self.publisher.publish_to_queue(body, route.queue, route.headers)
        except Exception as exc:  # noqa: BLE001 - any failure: give the message back
            log_event(log, "bus.forward_failed", logging.ERROR, queue=route.queue,
                      event_id=event_id, error=type(exc).__name__)
            eventlet.sleep(FORWARD_FAILED_PAUSE_SECONDS)
            self.queue_consumer.requeue_message(message)
            return
        level = logging.WARNING if route.action == "retry" else logging.ERROR
        log_event(log, f"bus.{route.action}", level, queue=route.queue, event_id=event_id,
                  event_type=self.event_type, attempt=route.headers.get("x-netra-attempt"))
        self.queue_consumer.ack_message(message)
        self._count("retried" if route.action == "retry" else "parked")


on_event = EventConsumer.decorator
