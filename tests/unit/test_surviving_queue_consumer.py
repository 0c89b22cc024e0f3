"""An ack or requeue on a channel whose connection died is dropped (the broker redelivers),
never raised into the worker, where it would take the whole nameko container down."""

from __future__ import annotations

import amqp
import pytest
from nameko.messaging import QueueConsumer

from netra_common.bus.queue_consumer import SurvivingQueueConsumer


class DeadChannelMessage:
    """A delivery whose channel still looks connected but whose socket is gone."""

    def __init__(self, error: Exception):
        self.error = error
        self.channel = type("Channel", (), {"connection": object()})()

    def ack(self):
        raise self.error

    def requeue(self):
        raise self.error


# What a write on a dead socket raises: builtin OSErrors, which nameko does not catch.
SOCKET_ERRORS = [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"),
                 OSError("Socket closed")]
ERRORS = [*SOCKET_ERRORS, amqp.RecoverableConnectionError("connection already closed")]


@pytest.mark.parametrize("error", SOCKET_ERRORS, ids=lambda e: type(e).__name__)
def test_nameko_alone_lets_a_dead_socket_escape_from_an_ack(error):
    """Why the subclass exists: nameko catches only amqp's own ConnectionError."""
    with pytest.raises(type(error)):
        QueueConsumer().ack_message(DeadChannelMessage(error))


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_an_ack_or_requeue_on_a_dead_socket_is_dropped_and_logged(error, caplog):
    consumer = SurvivingQueueConsumer()
    consumer.ack_message(DeadChannelMessage(error))
    consumer.requeue_message(DeadChannelMessage(error))
    dropped = [r.getMessage() for r in caplog.records if "bus.settle_dropped" in r.getMessage()]
    assert len(dropped) == 2 and type(error).__name__ in dropped[0]
