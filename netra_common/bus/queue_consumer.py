"""nameko's queue consumer, made to outlive a lost broker connection.

nameko 2.14's `QueueConsumer` (a kombu `ConsumerMixin`) already reconnects its consume loop
when the connection drops: `ConsumerMixin.run` catches the transport's connection and channel
errors and consumes again on a new connection. What it does not survive is the worker side: an
ack or a requeue of a message whose channel died raises (`BrokenPipeError`, amqp's
`RecoverableConnectionError` "connection already closed", a channel error), nameko only
catches the builtin `ConnectionError`, the worker thread dies with the exception and takes the
container with it.

A message whose channel is gone has already been given back by the broker, which redelivers it
on the new connection; the processed-message table makes that redelivery a no-op. So an ack or
requeue that cannot reach the broker is dropped, logged, and costs only the redelivery.
"""

from __future__ import annotations

import logging

from nameko.messaging import QueueConsumer

from netra_common.logging import log_event

log = logging.getLogger(__name__)


class SurvivingQueueConsumer(QueueConsumer):
    def ack_message(self, message):
        self._settle(message, "ack")

    def requeue_message(self, message):
        self._settle(message, "requeue")

    def _settle(self, message, action: str) -> None:
        if not message.channel.connection:
            log_event(log, "bus.settle_dropped", logging.WARNING, action=action, reason="channel closed")
            return
        try:
            message.ack() if action == "ack" else message.requeue()
        except Exception as exc:  # noqa: BLE001 - any failure here means the channel is gone
            # A channel that failed an ack is closed by the broker (or by the broken socket):
            # the message returns to its queue either way.
            log_event(log, "bus.settle_dropped", logging.WARNING, action=action,
                      error=type(exc).__name__)


class DecodeSafeQueueConsumer(SurvivingQueueConsumer):
    """Also hands a body that cannot be decoded (not JSON, a refused content type) to its
    entrypoint to park instead of breaking the consume loop."""

    def get_consumers(self, consumer_cls, channel):
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = provider.handle_undecodable
        return consumers
