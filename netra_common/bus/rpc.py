"""nameko RPC inside Netra's bus namespace: `@rpc` entrypoints whose queue and exchange carry
the bus prefix, so two systems on one broker (a developer's and the tests') never answer
each other's calls."""

from __future__ import annotations

import logging

from kombu import Queue
from nameko.constants import AMQP_URI_CONFIG_KEY, RPC_EXCHANGE_CONFIG_KEY
from nameko.rpc import Rpc, RpcConsumer, get_rpc_exchange

from netra_common.bus.queue_consumer import SurvivingQueueConsumer
from netra_common.bus.settings import BusSettings
from netra_common.error_table import table_of
from netra_common.errors import ApiError
from netra_common.logging import log_event

log = logging.getLogger(__name__)


class PrefixedRpcConsumer(RpcConsumer):
    # Acks on a channel the broker dropped are dropped too (the call is redelivered).
    queue_consumer = SurvivingQueueConsumer()

    def setup(self):
        if self.queue is None:
            service = self.container.service_name
            settings = BusSettings.from_config(self.container.config)
            self.queue = Queue(settings.rpc_queue(service), exchange=get_rpc_exchange(self.container.config),
                               routing_key=f"{service}.*", durable=True)
            self.queue_consumer.register_provider(self)
            self._registered = True


class PrefixedRpc(Rpc):
    """An RPC entrypoint that answers as the HTTP ones do: an exception the service's error table
    lists leaves as the ApiError the table gives for it."""

    rpc_consumer = PrefixedRpcConsumer()

    def setup(self):
        self.errors = table_of(self.container.service_cls)
        # The table's exceptions are refusals, not faults: logged without a traceback.
        self.expected_exceptions = (*self.expected_exceptions, ApiError, *self.errors.kinds)
        super().setup()

    def handle_result(self, message, worker_ctx, result, exc_info):
        if exc_info is not None:
            answer = self.errors.answer(exc_info[1])
            if answer is not None:
                exc_info = (type(answer), answer, exc_info[2])
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except Exception as exc:  # noqa: BLE001 - the reply could not leave: the broker is away
            # The caller times out and may ask again; acked rather than requeued, so a call
            # whose reply was lost is not run a second time behind the caller's back.
            log_event(log, "rpc.reply_failed", logging.WARNING, method=self.method_name,
                      error=type(exc).__name__)
            self.rpc_consumer.queue_consumer.ack_message(message)
            return result, exc_info


rpc = PrefixedRpc.decorator


def rpc_exchange(settings: BusSettings) -> str:
    return f"{settings.prefix}.rpc"


def rpc_client_config(settings: BusSettings, amqp_uri: str) -> dict:
    """What a standalone RPC client (nameko's ClusterRpcProxy) needs to call this system's services."""
    return {AMQP_URI_CONFIG_KEY: amqp_uri, RPC_EXCHANGE_CONFIG_KEY: rpc_exchange(settings)}
