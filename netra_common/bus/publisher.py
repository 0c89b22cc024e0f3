"""Publishing with publisher confirms and `mandatory`, so a message is either
accepted by the broker and routed to at least one queue, or the call raises."""

from __future__ import annotations

from nameko.amqp.publish import Publisher, UndeliverableMessage

from netra_common.bus.settings import BusSettings

__all__ = ["ConfirmedPublisher", "UndeliverableMessage"]

# A broker (or a link) that takes the bytes and never answers must not hold the caller (the
# outbox relay, with its rows locked) for ever: after this many seconds without the write or
# the confirm the publish fails and is tried again on a fresh connection. The message may
# have arrived after all; consumers are idempotent.
PUBLISH_TIMEOUT_SECONDS = 10


class ConfirmedPublisher:
    def __init__(self, settings: BusSettings):
        self.settings = settings
        self._publisher = Publisher(
            settings.amqp_uri,
            use_confirms=True,
            mandatory=True,
            serializer="json",
            # One quick reconnect; the caller decides how long to keep trying.
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 1},
        )

    def publish_event(self, message: dict) -> None:
        """Publish an envelope (JSON form) to the events exchange under its type."""
        self._publisher.publish(
            message,
            exchange=self.settings.events_exchange,
            routing_key=message["type"],
            message_id=str(message["event_id"]),
            timeout=PUBLISH_TIMEOUT_SECONDS, confirm_timeout=PUBLISH_TIMEOUT_SECONDS,
        )

    def publish_to_queue(self, body, queue: str, headers: dict) -> None:
        """Put a message straight into a named queue (retry, dead letter, replay)."""
        self._publisher.publish(body, exchange="", routing_key=queue, headers=headers,
                                timeout=PUBLISH_TIMEOUT_SECONDS, confirm_timeout=PUBLISH_TIMEOUT_SECONDS)
